package file

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/workspace-go/workspace/store"
)

// copyBufSize is the one buffer an upload streams through: memory per
// upload is this plus the bucket writer's own buffer.
const copyBufSize = 256 << 10

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// staged is content written to a temporary blob, not yet referenced.
type staged struct {
	upload string // id of the upload: the temporary blob's name
	tmp    string
	sha    string
	size   int64
	ct     string
	kind   Kind
}

// Upload stores the content read from r as a new file in up.Container.
// r is read once, streaming, through one bounded buffer; it is never held
// in memory whole. The content type is sniffed from the bytes. A file
// over the tenant's limit (WithMaxSize) is refused with ErrTooLarge after
// reading at most limit+1 bytes, and an empty file with ErrInvalid; in
// both cases nothing is kept.
//
// Identical content within the tenant is stored once: the blob is content
// addressed and reference counted. The new file's text and thumbnail are
// made later by the followers (RunText, RunThumbnails).
func (s *Service) Upload(ctx context.Context, actor string, up Upload, r io.Reader) (File, error) {
	if err := s.checkUpload(actor, up); err != nil {
		return File{}, err
	}
	if err := s.o.access.CanWrite(ctx, actor, up.Container); err != nil {
		return File{}, fmt.Errorf("file: upload to %q: %w", up.Container, err)
	}
	if up.ClientKey != "" {
		if f, ok, err := s.byClientKey(ctx, actor, up.ClientKey); err != nil || ok {
			return f, err
		}
	}
	sg, err := s.stage(ctx, r, up.Name)
	if err != nil {
		return File{}, err
	}
	hook("staged")
	var (
		out   File
		fresh bool
	)
	err = s.st.Update(ctx, func(tx store.Tx) error {
		out, fresh = File{}, false
		if up.ClientKey != "" {
			var id string
			switch err := getJSON(tx, kClient(actor, up.ClientKey), &id); {
			case err == nil:
				f, err := loadFile(tx, id)
				out = f.File
				return err
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
		}
		live, isNew, err := s.ref(tx, sg)
		if err != nil {
			return err
		}
		fresh = isNew
		now := s.o.now()
		id := s.o.newID()
		if err := validID("file id", id); err != nil {
			return err
		}
		f := stored{File: File{
			ID: id, Container: up.Container, Name: up.Name, Version: 1,
			Size: sg.size, ContentType: sg.ct, Kind: sg.kind, SHA256: sg.sha,
			CreatedBy: actor, CreatedAt: now, UpdatedBy: actor, UpdatedAt: now,
			Thumbnail: thumbState(sg.kind), Text: textState(sg.kind), ClientKey: up.ClientKey,
		}}
		v := storedVersion{Version: versionOf(f.File), BlobKey: live}
		if err := putJSON(tx, kVersion(id, 1), v); err != nil {
			return err
		}
		if err := tx.Put(kInFile(up.Container, id), []byte{}); err != nil {
			return err
		}
		if up.ClientKey != "" {
			if err := putJSON(tx, kClient(actor, up.ClientKey), id); err != nil {
				return err
			}
		}
		if err := appendChange(tx, &f, Change{Type: FileCreated, FileID: id, Container: up.Container,
			Actor: actor, At: now, Version: 1, File: &f.File}); err != nil {
			return err
		}
		out = f.File
		return putJSON(tx, kFile(id), f)
	})
	if err != nil {
		s.discard(sg)
		return File{}, fmt.Errorf("file: upload %q: %w", up.Name, err)
	}
	hook("committed")
	s.finish(ctx, sg, fresh)
	return out, nil
}

// UploadVersion stores the content read from r as a new current version
// of file id, under the same rules as Upload. name, when not empty,
// renames the file with the new version.
func (s *Service) UploadVersion(ctx context.Context, actor, id, name string, r io.Reader) (File, error) {
	if err := validID("actor", actor); err != nil {
		return File{}, err
	}
	if name != "" {
		if err := ValidName(name); err != nil {
			return File{}, err
		}
	}
	f, err := s.writable(ctx, actor, id)
	if err != nil {
		return File{}, err
	}
	if name == "" {
		name = f.Name
	}
	sg, err := s.stage(ctx, r, name)
	if err != nil {
		return File{}, err
	}
	var (
		out   File
		fresh bool
	)
	err = s.st.Update(ctx, func(tx store.Tx) error {
		fresh = false
		f, err := loadFile(tx, id)
		if err != nil {
			return err
		}
		if f.Version >= MaxVersions {
			return fmt.Errorf("file: file %q has %d versions (limit %d): %w", id, f.Version, MaxVersions, ErrTooLarge)
		}
		live, isNew, err := s.ref(tx, sg)
		if err != nil {
			return err
		}
		fresh = isNew
		now := s.o.now()
		f.Version++
		f.Name, f.Size, f.ContentType, f.Kind, f.SHA256 = name, sg.size, sg.ct, sg.kind, sg.sha
		f.UpdatedBy, f.UpdatedAt = actor, now
		f.Width, f.Height, f.Thumbnail, f.Text = 0, 0, thumbState(sg.kind), textState(sg.kind)
		v := storedVersion{Version: versionOf(f.File), BlobKey: live}
		if err := putJSON(tx, kVersion(id, f.Version), v); err != nil {
			return err
		}
		if err := appendChange(tx, &f, Change{Type: VersionAdded, FileID: id, Container: f.Container,
			Actor: actor, At: now, Version: f.Version, File: &f.File}); err != nil {
			return err
		}
		out = f.File
		return putJSON(tx, kFile(id), f)
	})
	if err != nil {
		s.discard(sg)
		return File{}, fmt.Errorf("file: upload version of %q: %w", id, err)
	}
	s.finish(ctx, sg, fresh)
	return out, nil
}

func versionOf(f File) Version {
	return Version{FileID: f.ID, Number: f.Version, Name: f.Name, Size: f.Size, ContentType: f.ContentType,
		Kind: f.Kind, SHA256: f.SHA256, CreatedBy: f.UpdatedBy, CreatedAt: f.UpdatedAt,
		Thumbnail: f.Thumbnail, Text: f.Text}
}

func (s *Service) checkUpload(actor string, up Upload) error {
	if err := validID("actor", actor); err != nil {
		return err
	}
	if err := validID("container", up.Container); err != nil {
		return err
	}
	if err := ValidName(up.Name); err != nil {
		return err
	}
	if up.ClientKey != "" {
		return validID("client key", up.ClientKey)
	}
	return nil
}

func (s *Service) byClientKey(ctx context.Context, actor, key string) (File, bool, error) {
	var f stored
	err := s.st.View(ctx, func(tx store.Tx) error {
		var id string
		if err := getJSON(tx, kClient(actor, key), &id); err != nil {
			return err
		}
		var err error
		f, err = loadFile(tx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return File{}, false, nil
	}
	if err != nil {
		return File{}, false, err
	}
	return f.File, true, nil
}

// stage streams r into a temporary blob, hashing and sniffing it on the
// way, and bounds it by the size limit. On any error the temporary blob is
// deleted.
func (s *Service) stage(ctx context.Context, r io.Reader, name string) (sg staged, err error) {
	if r == nil {
		return sg, fmt.Errorf("file: upload %q: nil reader: %w", name, ErrInvalid)
	}
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	n, err := io.ReadFull(r, buf[:sniffLen])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return sg, fmt.Errorf("file: upload %q: read: %w", name, err)
	}
	if n == 0 {
		return sg, fmt.Errorf("file: upload %q: empty file: %w", name, ErrInvalid)
	}
	sg.upload = s.o.newID()
	if err := validID("upload id", sg.upload); err != nil {
		return sg, err
	}
	sg.tmp = s.bTmp(sg.upload)
	sg.ct, sg.kind = sniff(buf[:n], name)

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, sg.tmp, sg.ct)
	if err != nil {
		return sg, fmt.Errorf("file: upload %q: %w", name, err)
	}
	h := sha256.New()
	abort := func(err error) (staged, error) {
		cancel() // a gocloud writer closed after its context ends writes nothing
		w.Close()
		s.deleteQuiet(sg.tmp)
		return staged{}, err
	}
	h.Write(buf[:n])
	if _, err := w.Write(buf[:n]); err != nil {
		return abort(fmt.Errorf("file: upload %q: write: %w", name, err))
	}
	total := int64(n)
	hashed := make(chan struct{}, 1)
	lr := &io.LimitedReader{R: r, N: s.o.maxSize + 1 - total}
	for {
		m, rerr := lr.Read(buf)
		if m > 0 {
			total += int64(m)
			if total > s.o.maxSize {
				return abort(fmt.Errorf("file: upload %q: over %d bytes: %w", name, s.o.maxSize, ErrTooLarge))
			}
			// Hash while the bucket writes: the chunk is only read by both.
			go func(chunk []byte) { h.Write(chunk); hashed <- struct{}{} }(buf[:m])
			_, werr := w.Write(buf[:m])
			<-hashed
			if werr != nil {
				return abort(fmt.Errorf("file: upload %q: write: %w", name, werr))
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return abort(fmt.Errorf("file: upload %q: read: %w", name, rerr))
		}
	}
	if err := ctx.Err(); err != nil {
		return abort(err)
	}
	if err := w.Close(); err != nil {
		s.deleteQuiet(sg.tmp)
		return staged{}, fmt.Errorf("file: upload %q: close: %w", name, err)
	}
	sg.size = total
	sg.sha = hex.EncodeToString(h.Sum(nil))
	return sg, nil
}

// ref takes a reference on sg's content inside tx: an existing blob's
// count goes up, or a new blob is recorded with a pending promotion. It
// returns the live key and whether the blob is new.
func (s *Service) ref(tx store.Tx, sg staged) (string, bool, error) {
	var b blobRef
	switch err := getJSON(tx, kBlob(sg.sha), &b); {
	case err == nil:
		b.Refs++
		return b.Key, false, putJSON(tx, kBlob(sg.sha), b)
	case !errors.Is(err, store.ErrNotFound):
		return "", false, err
	}
	b = blobRef{Key: s.bLive(sg.sha, sg.upload), Upload: sg.upload, Size: sg.size, Refs: 1}
	if err := putJSON(tx, kBlob(sg.sha), b); err != nil {
		return "", false, err
	}
	p := pending{Tmp: sg.tmp, Live: b.Key, At: s.o.now()}
	return b.Key, true, putJSON(tx, kPending(sg.upload), p)
}

// finish makes a committed upload live: a new blob is copied to its
// content address and its pending record removed; a duplicate's
// temporary blob is deleted. A failure here is not the caller's: the
// pending record lets Sweep (or the first download) finish the job.
func (s *Service) finish(ctx context.Context, sg staged, fresh bool) {
	if !fresh {
		s.deleteQuiet(sg.tmp)
		return
	}
	_ = s.promote(context.WithoutCancel(ctx), sg.upload, pending{Tmp: sg.tmp, Live: s.bLive(sg.sha, sg.upload)})
}

// promote copies a pending blob live, deletes the temporary one and the
// pending record. It is idempotent: a crash anywhere leaves a state it
// finishes.
func (s *Service) promote(ctx context.Context, upload string, p pending) error {
	if rn, ok := s.bucket.(Renamer); ok {
		err := rn.Rename(ctx, p.Live, p.Tmp)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		hook("copied")
		hook("tmp deleted")
		return s.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(kPending(upload)) })
	}
	if err := s.bucket.Copy(ctx, p.Live, p.Tmp); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// The temporary blob is gone: an earlier promote copied it and
		// crashed before removing the record, or the bucket lost it.
	} else {
		hook("copied")
		if err := s.bucket.Delete(ctx, p.Tmp); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		hook("tmp deleted")
	}
	return s.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(kPending(upload)) })
}

// discard deletes a staged blob after its transaction failed.
func (s *Service) discard(sg staged) { s.deleteQuiet(sg.tmp) }

func (s *Service) deleteQuiet(key string) {
	_ = s.bucket.Delete(context.Background(), key)
}

// hook, when set by a test, is called between the steps of an upload
// ("staged", "committed", "copied", "tmp deleted"), so that a crash test
// can kill the process there.
var hook = func(step string) {}

func thumbState(k Kind) State {
	if k == KindImage {
		return StatePending
	}
	return StateNone
}

func textState(k Kind) State {
	switch k {
	case KindText, KindMarkdown, KindHTML, KindCSV, KindPDF, KindDocument, KindSpreadsheet, KindPresentation:
		return StatePending
	}
	return StateNone
}
