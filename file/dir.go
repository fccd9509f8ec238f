package file

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/workspace-go/workspace/store"
	"gocloud.dev/blob/fileblob"
)

// Renamer is a Bucket that can move an object to another key without
// copying its bytes. The Service makes an upload live with it when the
// bucket has it (a local directory: [OpenDir]) and with Copy and Delete
// otherwise. A missing src is an error wrapping [store.ErrNotFound].
type Renamer interface {
	Rename(ctx context.Context, dst, src string) error
}

// DirBucket is a local file bucket (gocloud.dev/blob/fileblob) that
// renames instead of copying. It is safe for concurrent use; Close it
// after the Service is done.
type DirBucket struct {
	blobBucket
	dir string
}

// OpenDir opens (creating it if needed) a local file bucket at dir.
func OpenDir(dir string) (*DirBucket, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("file: open dir %q: %w", dir, err)
	}
	b, err := fileblob.OpenBucket(abs, &fileblob.Options{CreateDir: true, NoTempDir: true})
	if err != nil {
		return nil, fmt.Errorf("file: open dir %q: %w", dir, err)
	}
	return &DirBucket{blobBucket: blobBucket{b}, dir: abs}, nil
}

// Close closes the bucket.
func (d *DirBucket) Close() error { return d.b.Close() }

// plainKey reports whether fileblob stores key under its own name, so
// that a rename of the path is a rename of the object.
func plainKey(key string) bool {
	if key == "" || key[0] == '/' || key[len(key)-1] == '/' || strings.Contains(key, "//") ||
		strings.Contains(key, "..") || strings.HasSuffix(key, ".attrs") {
		return false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/') {
			return false
		}
	}
	return true
}

// Rename moves src to dst with os.Rename (and its attributes file), or
// copies and deletes when a key is one fileblob escapes.
func (d *DirBucket) Rename(ctx context.Context, dst, src string) error {
	if !plainKey(dst) || !plainKey(src) {
		if err := d.Copy(ctx, dst, src); err != nil {
			return err
		}
		return d.Delete(ctx, src)
	}
	sp := filepath.Join(d.dir, filepath.FromSlash(src))
	dp := filepath.Join(d.dir, filepath.FromSlash(dst))
	if err := os.MkdirAll(filepath.Dir(dp), 0o777); err != nil {
		return fmt.Errorf("file: bucket rename %q: %w", src, err)
	}
	// Attributes first: a crash between leaves the data at src, and the
	// next Rename finishes (a missing src attributes file is fine).
	if err := os.Rename(sp+".attrs", dp+".attrs"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file: bucket rename %q: %w", src, err)
	}
	if err := os.Rename(sp, dp); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("file: bucket rename %q: %w", src, store.ErrNotFound)
		}
		return fmt.Errorf("file: bucket rename %q: %w", src, err)
	}
	return nil
}
