package file

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/workspace-go/workspace/store"
)

// Get returns file id without an access check.
func (y *System) Get(ctx context.Context, id string) (File, error) {
	f, err := y.s.get(ctx, id)
	return f.File, err
}

// Open streams file id's content without an access check (export, legal
// hold review, the search indexer's preview).
func (y *System) Open(ctx context.Context, id string, r Range) (*Reader, error) {
	if err := validID("file id", id); err != nil {
		return nil, err
	}
	return y.s.open(ctx, id, r)
}

// Files yields every file of container, in upload order, page by page
// (each page is one consistent read; a file uploaded meanwhile may or may
// not appear). It is the export's listing: pair it with Open to stream
// the content.
func (y *System) Files(ctx context.Context, container string) iter.Seq2[File, error] {
	return func(yield func(File, error) bool) {
		if err := validID("container", container); err != nil {
			yield(File{}, err)
			return
		}
		cursor := ""
		for {
			p, err := y.s.list(ctx, container, cursor, MaxPageSize)
			if err != nil {
				yield(File{}, err)
				return
			}
			for _, f := range p.Items {
				if !yield(f, nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			cursor = p.Next
		}
	}
}

// Delete deletes file id without an access check (retention, the
// deletion of the message it was attached to). actor is recorded.
func (y *System) Delete(ctx context.Context, actor, id string) error {
	if err := validID("file id", id); err != nil {
		return err
	}
	return y.s.remove(ctx, actor, id, false)
}

// Purge deletes file id like Delete, and rewrites every change record
// that named it so that nothing of its name or metadata stays readable
// from the log.
func (y *System) Purge(ctx context.Context, actor, id string) error {
	if err := validID("file id", id); err != nil {
		return err
	}
	return y.s.remove(ctx, actor, id, true)
}

// MoveContainer moves up to limit (at most MaxPageSize, 0: DefaultPageSize)
// of the files of container from to container to, in one transaction,
// and returns how many it moved: call it until it returns 0. It is how
// files follow a folder that is re-parented under another id, or an
// offboarded user's files go to their manager.
func (y *System) MoveContainer(ctx context.Context, actor, from, to string, limit int) (int, error) {
	if err := validID("container", from); err != nil {
		return 0, err
	}
	if err := validID("container", to); err != nil {
		return 0, err
	}
	if from == to {
		return 0, nil
	}
	limit, err := pageLimit(limit)
	if err != nil {
		return 0, err
	}
	n := 0
	err = y.s.st.Update(ctx, func(tx store.Tx) error {
		n = 0
		var ids []string
		r := store.Prefix(kIn(from))
		r.Limit = limit
		for k := range tx.Scan(r) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		for _, id := range ids {
			if _, err := y.s.move(tx, actor, id, to); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("file: move files of %q to %q: %w", from, to, err)
	}
	return n, nil
}

// Text returns the text extracted from the current version of file id
// (the root indexes it and feeds docacl's document text from it). A file
// whose text is not ready, or has none, returns "" and its state.
func (y *System) Text(ctx context.Context, id string) (string, State, error) {
	var (
		text  string
		state State
	)
	err := y.s.st.View(ctx, func(tx store.Tx) error {
		f, err := loadFile(tx, id)
		if err != nil {
			return err
		}
		state = f.Text
		if f.Text != StateReady {
			return nil
		}
		b, err := tx.Get(kText(id, f.Version))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		text = string(b)
		return err
	})
	return text, state, err
}

// Text returns the text of file id, as [System.Text], if actor may read it.
func (s *Service) Text(ctx context.Context, actor, id string) (string, State, error) {
	if _, err := s.readable(ctx, actor, id); err != nil {
		return "", "", err
	}
	return s.System().Text(ctx, id)
}
