package file

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Restore makes version n of file id current again, as a new version that
// shares n's content (no bytes are copied), if actor may write the file.
func (s *Service) Restore(ctx context.Context, actor, id string, n int) (File, error) {
	if _, err := s.writable(ctx, actor, id); err != nil {
		return File{}, err
	}
	if n < 1 {
		return File{}, fmt.Errorf("file: restore %q version %d: %w", id, n, ErrInvalid)
	}
	var out File
	err := s.st.Update(ctx, func(tx store.Tx) error {
		f, err := loadFile(tx, id)
		if err != nil {
			return err
		}
		old, err := loadVersion(tx, id, n)
		if err != nil {
			return err
		}
		if f.Version >= MaxVersions {
			return fmt.Errorf("file: file %q has %d versions (limit %d): %w", id, f.Version, MaxVersions, ErrTooLarge)
		}
		var b blobRef
		if err := getJSON(tx, kBlob(old.SHA256), &b); err != nil {
			return err
		}
		b.Refs++
		if err := putJSON(tx, kBlob(old.SHA256), b); err != nil {
			return err
		}
		now := s.o.now()
		f.Version++
		f.Name, f.Size, f.ContentType, f.Kind, f.SHA256 = old.Name, old.Size, old.ContentType, old.Kind, old.SHA256
		// The thumbnail is remade under the new number; the text is copied.
		f.Width, f.Height, f.Thumbnail, f.Text = old.Width, old.Height, thumbState(old.Kind), old.Text
		f.UpdatedBy, f.UpdatedAt = actor, now
		v := storedVersion{Version: versionOf(f.File), BlobKey: old.BlobKey}
		v.RestoredFrom, v.TextError = n, old.TextError
		if err := putJSON(tx, kVersion(id, f.Version), v); err != nil {
			return err
		}
		if old.Text == StateReady {
			t, err := tx.Get(kText(id, n))
			if err != nil {
				return err
			}
			if err := tx.Put(kText(id, f.Version), t); err != nil {
				return err
			}
		}
		if err := appendChange(tx, &f, Change{Type: VersionRestored, FileID: id, Container: f.Container,
			Actor: actor, At: now, Version: f.Version, File: &f.File}); err != nil {
			return err
		}
		out = f.File
		return putJSON(tx, kFile(id), f)
	})
	if err != nil {
		return File{}, fmt.Errorf("file: restore %q version %d: %w", id, n, err)
	}
	return out, nil
}

// Move moves file id to container to, if actor may write both.
func (s *Service) Move(ctx context.Context, actor, id, to string) (File, error) {
	if err := validID("container", to); err != nil {
		return File{}, err
	}
	if _, err := s.writable(ctx, actor, id); err != nil {
		return File{}, err
	}
	if err := s.o.access.CanWrite(ctx, actor, to); err != nil {
		return File{}, fmt.Errorf("file: move %q to %q: %w", id, to, err)
	}
	var out File
	err := s.st.Update(ctx, func(tx store.Tx) error {
		f, err := s.move(tx, actor, id, to)
		out = f
		return err
	})
	return out, err
}

func (s *Service) move(tx store.Tx, actor, id, to string) (File, error) {
	f, err := loadFile(tx, id)
	if err != nil {
		return File{}, err
	}
	from := f.Container
	if from == to {
		return f.File, nil
	}
	if err := tx.Delete(kInFile(from, id)); err != nil {
		return File{}, err
	}
	if err := tx.Put(kInFile(to, id), []byte{}); err != nil {
		return File{}, err
	}
	f.Container = to
	if err := appendChange(tx, &f, Change{Type: FileMoved, FileID: id, Container: to, From: from,
		Actor: actor, At: s.o.now(), File: &f.File}); err != nil {
		return File{}, err
	}
	return f.File, putJSON(tx, kFile(id), f)
}

// Delete deletes file id and all its versions, if actor may write its
// container. A blob nothing references any more is deleted from the
// bucket after the commit (or by Sweep, if the process dies first).
func (s *Service) Delete(ctx context.Context, actor, id string) error {
	if _, err := s.writable(ctx, actor, id); err != nil {
		return err
	}
	return s.remove(ctx, actor, id, false)
}

// remove deletes a file's records in one transaction, then the blobs and
// thumbnails it alone referenced. purge also rewrites the change records
// that named the file.
func (s *Service) remove(ctx context.Context, actor, id string, purge bool) error {
	var gone []string
	var versions int
	err := s.st.Update(ctx, func(tx store.Tx) error {
		gone = gone[:0]
		f, err := loadFile(tx, id)
		if err != nil {
			return err
		}
		versions = f.Version
		counts := map[string]int{}
		for k, b := range tx.Scan(store.Prefix(kVersions(id))) {
			var v storedVersion
			if err := jsonUnmarshal(b, &v); err != nil {
				return err
			}
			counts[v.SHA256]++
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		for sha, n := range counts {
			var b blobRef
			if err := getJSON(tx, kBlob(sha), &b); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				return err
			}
			b.Refs -= n
			if b.Refs > 0 {
				if err := putJSON(tx, kBlob(sha), b); err != nil {
					return err
				}
				continue
			}
			if err := tx.Delete(kBlob(sha)); err != nil {
				return err
			}
			gone = append(gone, b.Key)
		}
		for k := range tx.Scan(store.Prefix(kTexts(id))) {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		if err := tx.Delete(kInFile(f.Container, id)); err != nil {
			return err
		}
		if f.ClientKey != "" {
			if err := tx.Delete(kClient(f.CreatedBy, f.ClientKey)); err != nil {
				return err
			}
		}
		if err := tx.Delete(kFile(id)); err != nil {
			return err
		}
		typ := FileDeleted
		if purge {
			typ = FilePurged
			tomb, _ := json.Marshal(Change{Type: purgedRecord, FileID: id})
			for _, seq := range f.Seqs {
				if err := tx.Rewrite(seq, tomb); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err // trimmed records are gone already
				}
			}
		}
		return appendChange(tx, nil, Change{Type: typ, FileID: id, Container: f.Container, Actor: actor, At: s.o.now()})
	})
	if err != nil {
		return fmt.Errorf("file: delete %q: %w", id, err)
	}
	bg := context.WithoutCancel(ctx)
	for _, k := range gone {
		s.deleteQuiet(k)
	}
	for n := 1; n <= versions; n++ {
		_ = s.bucket.Delete(bg, s.bThumb(id, n))
	}
	return nil
}
