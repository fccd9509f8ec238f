package file

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/workspace-go/workspace/store"
)

// The followers. Each tails the change log from a durable position kept
// in the store (file/pos/<name>), written in the transaction that stores
// its result, so after a crash it resumes where it left off and redoes at
// most the record it was working on. A transient error (the store's, or
// the bucket's) is retried with the Service's Backoff from that position;
// content that cannot be processed is recorded on the version (state
// failed) and the follower goes on; any other error stops it.
const (
	followerText  = "text"
	followerThumb = "thumbnail"
)

// skipSave is how many skipped records a follower passes before it saves
// its position without a result.
const skipSave = 256

type follower struct {
	s       *Service
	name    string
	wants   func(Change) bool
	process func(ctx context.Context, f stored, v storedVersion) (func(tx store.Tx, f *stored, v *storedVersion) error, error)
	pos     uint64
	skipped int
}

// RunText extracts the text of new versions until ctx ends (returning
// ctx.Err()) or a permanent error stops it (returned, and reported to the
// WithErrorHook hook). Each result is stored (System.Text) and announced
// by a TextReady record. Run one per tenant: several are safe, but only
// one does useful work.
func (s *Service) RunText(ctx context.Context) error { return s.run(ctx, s.textFollower()) }

// RunThumbnails reads the dimensions of new image versions and makes
// their thumbnails (Thumbnail), announced by ThumbnailReady records, until
// ctx ends or a permanent error stops it, as RunText.
func (s *Service) RunThumbnails(ctx context.Context) error { return s.run(ctx, s.thumbFollower()) }

// SyncText processes every record committed before the call, as RunText
// does, and returns: for tests, batch jobs and tools.
func (s *Service) SyncText(ctx context.Context) error { return s.sync(ctx, s.textFollower()) }

// SyncThumbnails is SyncText for the thumbnail follower.
func (s *Service) SyncThumbnails(ctx context.Context) error { return s.sync(ctx, s.thumbFollower()) }

func (s *Service) run(ctx context.Context, f *follower) error {
	err := s.o.backoff.Retry(ctx, func() error { return f.load(ctx) })
	if err == nil {
		err = s.o.backoff.Follow(ctx, s.st, f.pos, func(c store.Change) error { return f.handle(ctx, c) })
	}
	if err != nil && ctx.Err() == nil && s.o.onError != nil {
		s.o.onError(f.name, err)
	}
	return err
}

func (s *Service) sync(ctx context.Context, f *follower) error {
	return s.o.backoff.Retry(ctx, func() error {
		if err := f.load(ctx); err != nil {
			return err
		}
		last, err := s.st.Last(ctx)
		if err != nil {
			return err
		}
		for f.pos < last {
			recs, next, err := s.st.Changes(ctx, f.pos, 0)
			if err != nil {
				return err
			}
			for _, c := range recs {
				if err := f.handle(ctx, c); err != nil {
					return err
				}
			}
			if len(recs) == 0 && next <= f.pos {
				break
			}
			if next > f.pos {
				f.pos = next
			}
		}
		return f.save(ctx)
	})
}

func (f *follower) load(ctx context.Context) error {
	return f.s.st.View(ctx, func(tx store.Tx) error {
		b, err := tx.Get(kPos(f.name))
		if errors.Is(err, store.ErrNotFound) {
			f.pos = 0
			return nil
		}
		if err != nil {
			return err
		}
		if len(b) != 8 {
			return fmt.Errorf("file: %s follower position: %w", f.name, store.ErrInvalid)
		}
		f.pos = binary.BigEndian.Uint64(b)
		return nil
	})
}

func putPos(tx store.Tx, name string, pos uint64) error {
	return tx.Put(kPos(name), binary.BigEndian.AppendUint64(nil, pos))
}

func (f *follower) save(ctx context.Context) error {
	return f.s.st.Update(ctx, func(tx store.Tx) error { return putPos(tx, f.name, f.pos) })
}

// handle processes one record: a record it does not want is skipped; one
// it wants has its result and the new position committed together.
func (f *follower) handle(ctx context.Context, c store.Change) error {
	ch, ok, err := DecodeChange(c)
	if err != nil {
		return err
	}
	if !ok || !f.wants(ch) {
		f.pos = c.Seq
		if f.skipped++; f.skipped >= skipSave {
			f.skipped = 0
			return f.save(ctx)
		}
		return nil
	}
	var (
		sf   stored
		sv   storedVersion
		gone bool
	)
	err = f.s.st.View(ctx, func(tx store.Tx) error {
		var err error
		if sf, err = loadFile(tx, ch.FileID); err == nil {
			sv, err = loadVersion(tx, ch.FileID, ch.Version)
		}
		if errors.Is(err, store.ErrNotFound) {
			gone, err = true, nil
		}
		return err
	})
	if err != nil {
		return err
	}
	var apply func(tx store.Tx, f *stored, v *storedVersion) error
	if !gone {
		if apply, err = f.process(ctx, sf, sv); err != nil {
			return err
		}
	}
	err = f.s.st.Update(ctx, func(tx store.Tx) error {
		if apply != nil {
			sf, err := loadFile(tx, ch.FileID)
			if err == nil {
				var sv storedVersion
				if sv, err = loadVersion(tx, ch.FileID, ch.Version); err == nil {
					if err := apply(tx, &sf, &sv); err != nil {
						return err
					}
				}
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err // deleted meanwhile: nothing to record
			}
		}
		return putPos(tx, f.name, c.Seq)
	})
	if err != nil {
		return err
	}
	f.pos, f.skipped = c.Seq, 0
	return nil
}

// readBlob reads a version's content, at most limit bytes. A missing blob
// is ErrContentMissing; other bucket errors are reported transient, so the
// follower retries them.
func (s *Service) readBlob(ctx context.Context, v storedVersion, limit int64) ([]byte, error) {
	if v.Size > limit {
		return nil, fmt.Errorf("file: %d bytes (limit %d): %w", v.Size, limit, ErrTooLarge)
	}
	rd, err := s.open(ctx, v.FileID, Range{Version: v.Number})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return nil, err
		}
		return nil, fmt.Errorf("%v: %w", err, store.ErrUnavailable)
	}
	defer rd.Close()
	var buf bytes.Buffer
	buf.Grow(int(v.Size))
	if _, err := io.Copy(&buf, io.LimitReader(rd, limit)); err != nil {
		return nil, fmt.Errorf("file: read %q: %v: %w", v.FileID, err, store.ErrUnavailable)
	}
	return buf.Bytes(), nil
}

// contentErr reports whether err is about the content (recorded on the
// version) rather than the system (returned to the follower).
func contentErr(err error) bool {
	return errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound)
}

func (s *Service) textFollower() *follower {
	return &follower{
		s: s, name: followerText,
		wants: func(c Change) bool { return c.Type == FileCreated || c.Type == VersionAdded },
		process: func(ctx context.Context, sf stored, sv storedVersion) (func(store.Tx, *stored, *storedVersion) error, error) {
			if sv.Text != StatePending {
				return nil, nil
			}
			var text string
			b, err := s.readBlob(ctx, sv, MaxExtractInput)
			if err == nil {
				text, err = Extract(sv.Kind, b, s.o.maxText)
			}
			if err != nil && !contentErr(err) {
				return nil, err
			}
			return func(tx store.Tx, f *stored, v *storedVersion) error {
				v.Text, v.TextError = StateReady, ""
				if err != nil {
					v.Text, v.TextError = StateFailed, err.Error()
				} else if err := tx.Put(kText(v.FileID, v.Number), []byte(text)); err != nil {
					return err
				}
				if err := putJSON(tx, kVersion(v.FileID, v.Number), v); err != nil {
					return err
				}
				if f.Version == v.Number {
					f.Text = v.Text
				}
				if err := appendChange(tx, f, Change{Type: TextReady, FileID: f.ID, Container: f.Container,
					At: s.o.now(), Version: v.Number, File: &f.File}); err != nil {
					return err
				}
				return putJSON(tx, kFile(f.ID), f)
			}, nil
		},
	}
}

func (s *Service) thumbFollower() *follower {
	return &follower{
		s: s, name: followerThumb,
		wants: func(c Change) bool {
			return c.Type == FileCreated || c.Type == VersionAdded || c.Type == VersionRestored
		},
		process: func(ctx context.Context, sf stored, sv storedVersion) (func(store.Tx, *stored, *storedVersion) error, error) {
			if sv.Thumbnail != StatePending {
				return nil, nil
			}
			var (
				w, h  int
				thumb []byte
			)
			b, err := s.readBlob(ctx, sv, MaxExtractInput)
			if err == nil {
				w, h, thumb, err = Thumbnail(b, s.o.thumbSize, s.o.maxPixels)
			}
			if err != nil && !contentErr(err) {
				return nil, err
			}
			if err == nil {
				// Written before the transaction under a fixed name, so a
				// redo overwrites it; Sweep removes it if the file goes.
				if werr := s.writeThumb(ctx, sv, thumb); werr != nil {
					return nil, fmt.Errorf("%v: %w", werr, store.ErrUnavailable)
				}
			}
			return func(tx store.Tx, f *stored, v *storedVersion) error {
				v.Thumbnail, v.ThumbnailError, v.Width, v.Height = StateReady, "", w, h
				if err != nil {
					v.Thumbnail, v.ThumbnailError = StateFailed, err.Error()
				}
				if err := putJSON(tx, kVersion(v.FileID, v.Number), v); err != nil {
					return err
				}
				if f.Version == v.Number {
					f.Thumbnail, f.Width, f.Height = v.Thumbnail, v.Width, v.Height
				}
				if err := appendChange(tx, f, Change{Type: ThumbnailReady, FileID: f.ID, Container: f.Container,
					At: s.o.now(), Version: v.Number, File: &f.File}); err != nil {
					return err
				}
				return putJSON(tx, kFile(f.ID), f)
			}, nil
		},
	}
}

func (s *Service) writeThumb(ctx context.Context, v storedVersion, png []byte) error {
	w, err := s.bucket.NewWriter(ctx, s.bThumb(v.FileID, v.Number), "image/png")
	if err != nil {
		return err
	}
	if _, err := w.Write(png); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// OpenThumbnail streams the PNG thumbnail of file id's current version,
// if actor may read it; ErrNotFound while it is not ready or for a file
// with none.
func (s *Service) OpenThumbnail(ctx context.Context, actor, id string) (io.ReadCloser, error) {
	f, err := s.readable(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if f.Thumbnail != StateReady {
		return nil, fmt.Errorf("file: thumbnail of %q: %s: %w", id, f.Thumbnail, ErrNotFound)
	}
	rc, err := s.bucket.NewRangeReader(ctx, s.bThumb(id, f.Version), 0, -1)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("file: thumbnail of %q: %w", id, ErrContentMissing)
	}
	return rc, err
}
