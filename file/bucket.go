package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/workspace-go/workspace/store"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// Bucket is the blob storage the Service keeps file bytes in. [FromBlob]
// adapts a gocloud.dev/blob bucket (memblob, fileblob, s3blob, gcsblob,
// azureblob); tests may pass their own.
//
// Contract:
//   - NewWriter returns a writer whose Close makes the object visible
//     under key, replacing any object there. When ctx is cancelled
//     before Close, Close fails and the object is not written.
//   - NewRangeReader reads length bytes from offset (length < 0: to the
//     end). A missing key is an error wrapping [store.ErrNotFound].
//   - Copy copies src to dst (replacing dst); a missing src is an error
//     wrapping store.ErrNotFound.
//   - Delete removes key; a missing key is an error wrapping
//     store.ErrNotFound.
//   - List yields the objects whose key begins with prefix.
//
// Implementations must be safe for concurrent use.
type Bucket interface {
	NewWriter(ctx context.Context, key, contentType string) (io.WriteCloser, error)
	NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	Copy(ctx context.Context, dst, src string) error
	Delete(ctx context.Context, key string) error
	List(ctx context.Context, prefix string) iter.Seq2[Object, error]
}

// Object is one entry of [Bucket.List].
type Object struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// FromBlob adapts b to [Bucket]. The caller keeps ownership of b (and
// closes it after the Service is done).
func FromBlob(b *blob.Bucket) Bucket { return blobBucket{b} }

type blobBucket struct{ b *blob.Bucket }

// blobErr maps gocloud's "not found" to store.ErrNotFound.
func blobErr(op, key string, err error) error {
	if err == nil {
		return nil
	}
	if gcerrors.Code(err) == gcerrors.NotFound {
		return fmt.Errorf("file: bucket %s %q: %w", op, key, store.ErrNotFound)
	}
	return fmt.Errorf("file: bucket %s %q: %w", op, key, err)
}

func (b blobBucket) NewWriter(ctx context.Context, key, contentType string) (io.WriteCloser, error) {
	w, err := b.b.NewWriter(ctx, key, &blob.WriterOptions{
		ContentType: contentType,
		// The Service hashes the stream itself; asking the bucket to
		// sniff would make it buffer the first 512 bytes again.
		DisableContentTypeDetection: true,
	})
	return w, blobErr("write", key, err)
}

func (b blobBucket) NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	r, err := b.b.NewRangeReader(ctx, key, offset, length, nil)
	if err != nil {
		return nil, blobErr("read", key, err)
	}
	return r, nil
}

func (b blobBucket) Copy(ctx context.Context, dst, src string) error {
	return blobErr("copy", src, b.b.Copy(ctx, dst, src, nil))
}

func (b blobBucket) Delete(ctx context.Context, key string) error {
	return blobErr("delete", key, b.b.Delete(ctx, key))
}

func (b blobBucket) List(ctx context.Context, prefix string) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		it := b.b.List(&blob.ListOptions{Prefix: prefix})
		for {
			o, err := it.Next(ctx)
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(Object{}, blobErr("list", prefix, err))
				return
			}
			if o.IsDir {
				continue
			}
			if !yield(Object{Key: o.Key, Size: o.Size, ModTime: o.ModTime}, nil) {
				return
			}
		}
	}
}
