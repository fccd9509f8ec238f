package file

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/workspace-go/workspace/store"
)

// readable loads file id if actor may read its container; otherwise the
// file is not found.
func (s *Service) readable(ctx context.Context, actor, id string) (stored, error) {
	if err := validID("actor", actor); err != nil {
		return stored{}, err
	}
	f, err := s.get(ctx, id)
	if err != nil {
		return stored{}, err
	}
	if err := s.o.access.CanRead(ctx, actor, f.Container); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrPermission) {
			return stored{}, fmt.Errorf("file: file %q: %w", id, ErrNotFound)
		}
		return stored{}, err
	}
	return f, nil
}

// writable loads file id if actor may write its container.
func (s *Service) writable(ctx context.Context, actor, id string) (stored, error) {
	f, err := s.readable(ctx, actor, id)
	if err != nil {
		return f, err
	}
	if err := s.o.access.CanWrite(ctx, actor, f.Container); err != nil {
		return stored{}, fmt.Errorf("file: change file %q: %w", id, err)
	}
	return f, nil
}

func (s *Service) get(ctx context.Context, id string) (stored, error) {
	if err := validID("file id", id); err != nil {
		return stored{}, err
	}
	var f stored
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		f, err = loadFile(tx, id)
		return err
	})
	return f, err
}

// Get returns file id, if actor may read its container.
func (s *Service) Get(ctx context.Context, actor, id string) (File, error) {
	f, err := s.readable(ctx, actor, id)
	return f.File, err
}

// List returns a page of container's files in upload order, if actor may
// read it. limit is at most MaxPageSize (0: DefaultPageSize); cursor is
// the Next of the previous page, or "".
func (s *Service) List(ctx context.Context, actor, container, cursor string, limit int) (store.Page[File], error) {
	if err := validID("actor", actor); err != nil {
		return store.Page[File]{}, err
	}
	if err := validID("container", container); err != nil {
		return store.Page[File]{}, err
	}
	if err := s.o.access.CanRead(ctx, actor, container); err != nil {
		return store.Page[File]{}, fmt.Errorf("file: list %q: %w", container, err)
	}
	return s.list(ctx, container, cursor, limit)
}

func pageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, fmt.Errorf("file: page size %d: %w", limit, ErrInvalid)
	case limit > MaxPageSize:
		return 0, fmt.Errorf("file: page size %d (limit %d): %w", limit, MaxPageSize, ErrTooLarge)
	case limit == 0:
		return DefaultPageSize, nil
	}
	return limit, nil
}

func decodeCursor(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) == 0 || len(b) > MaxIDLen {
		return "", fmt.Errorf("file: cursor %q: %w", cursor, ErrInvalid)
	}
	return string(b), nil
}

func encodeCursor(last string) string { return base64.RawURLEncoding.EncodeToString([]byte(last)) }

func (s *Service) list(ctx context.Context, container, cursor string, limit int) (store.Page[File], error) {
	limit, err := pageLimit(limit)
	if err != nil {
		return store.Page[File]{}, err
	}
	after, err := decodeCursor(cursor)
	if err != nil {
		return store.Page[File]{}, err
	}
	var page store.Page[File]
	err = s.st.View(ctx, func(tx store.Tx) error {
		page = store.Page[File]{Items: []File{}}
		r := store.Prefix(kIn(container))
		if after != "" {
			r.Start = append(kInFile(container, after), 0)
		}
		r.Limit = limit + 1
		for k := range tx.Scan(r) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			if len(page.Items) == limit {
				page.Next = encodeCursor(page.Items[limit-1].ID)
				break
			}
			f, err := loadFile(tx, id)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, f.File)
		}
		return nil
	})
	return page, err
}

// Versions returns a page of file id's versions, newest first, if actor
// may read it. limit and cursor are as for List.
func (s *Service) Versions(ctx context.Context, actor, id, cursor string, limit int) (store.Page[Version], error) {
	if _, err := s.readable(ctx, actor, id); err != nil {
		return store.Page[Version]{}, err
	}
	limit, err := pageLimit(limit)
	if err != nil {
		return store.Page[Version]{}, err
	}
	before := 0
	if cursor != "" {
		c, err := decodeCursor(cursor)
		if err == nil {
			_, err = fmt.Sscan(c, &before)
		}
		if err != nil || before <= 1 {
			return store.Page[Version]{}, fmt.Errorf("file: cursor %q: %w", cursor, ErrInvalid)
		}
	}
	var page store.Page[Version]
	err = s.st.View(ctx, func(tx store.Tx) error {
		page = store.Page[Version]{Items: []Version{}}
		r := store.Prefix(kVersions(id))
		r.Reverse, r.Limit = true, limit+1
		if before > 0 {
			r.End = kVersion(id, before)
		}
		for _, b := range tx.Scan(r) {
			if len(page.Items) == limit {
				page.Next = encodeCursor(itoa(page.Items[limit-1].Number))
				break
			}
			var v storedVersion
			if err := jsonUnmarshal(b, &v); err != nil {
				return err
			}
			page.Items = append(page.Items, v.Version)
		}
		return nil
	})
	return page, err
}

// Range selects what Open reads: a version (0: the current one) and a
// byte range (Length 0: to the end).
type Range struct {
	Version int   `json:"version,omitempty"`
	Offset  int64 `json:"offset,omitempty"`
	Length  int64 `json:"length,omitempty"`
}

// Reader streams a file's content. Close it.
type Reader struct {
	io.ReadCloser
	// Version is the version read.
	Version Version
	// Offset and Length are the byte range served (Length: bytes to be
	// read), for a Content-Range header.
	Offset, Length int64
}

// Open streams file id's content (a version of it, a byte range of it)
// after checking that actor may read its container. Content whose blob
// is gone from the bucket is ErrContentMissing; a range outside the
// content is ErrInvalid.
func (s *Service) Open(ctx context.Context, actor, id string, r Range) (*Reader, error) {
	if _, err := s.readable(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.open(ctx, id, r)
}

func (s *Service) open(ctx context.Context, id string, rg Range) (*Reader, error) {
	if rg.Version < 0 || rg.Offset < 0 || rg.Length < 0 {
		return nil, fmt.Errorf("file: open %q: negative range: %w", id, ErrInvalid)
	}
	var v storedVersion
	err := s.st.View(ctx, func(tx store.Tx) error {
		f, err := loadFile(tx, id)
		if err != nil {
			return err
		}
		n := rg.Version
		if n == 0 {
			n = f.Version
		}
		v, err = loadVersion(tx, id, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rg.Offset >= v.Size {
		return nil, fmt.Errorf("file: open %q: offset %d of %d bytes: %w", id, rg.Offset, v.Size, ErrInvalid)
	}
	length := v.Size - rg.Offset
	if rg.Length > 0 && rg.Length < length {
		length = rg.Length
	}
	rc, err := s.bucket.NewRangeReader(ctx, v.BlobKey, rg.Offset, length)
	if errors.Is(err, store.ErrNotFound) {
		// Committed but not yet live (the uploader crashed or is still
		// copying): finish its promotion, then read.
		if perr := s.promotePending(ctx, v.SHA256); perr == nil {
			rc, err = s.bucket.NewRangeReader(ctx, v.BlobKey, rg.Offset, length)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("file: open %q version %d: %w", id, v.Number, ErrContentMissing)
	}
	if err != nil {
		return nil, fmt.Errorf("file: open %q: %w", id, err)
	}
	return &Reader{ReadCloser: rc, Version: v.Version, Offset: rg.Offset, Length: length}, nil
}

// promotePending promotes the pending upload of blob sha, if any.
func (s *Service) promotePending(ctx context.Context, sha string) error {
	var (
		b   blobRef
		p   pending
		has bool
	)
	err := s.st.View(ctx, func(tx store.Tx) error {
		if err := getJSON(tx, kBlob(sha), &b); err != nil {
			return err
		}
		err := getJSON(tx, kPending(b.Upload), &p)
		has = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil || !has {
		return fmt.Errorf("file: no pending upload of %s: %w", sha, store.ErrNotFound)
	}
	return s.promote(ctx, b.Upload, p)
}
