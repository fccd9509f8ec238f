package task

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// layoutVersion is the version of the key layout (index.go) this code
// writes. Version 1 (no version key) had no source and client-key keys.
const layoutVersion = 2

var versionKey = keys.New("task", "v")

// migrateBatch is how many records one migration transaction reads, well
// within a backend's commit budget.
const migrateBatch = 256

// migrate brings a store written by an earlier version of this package to
// layoutVersion, once: it writes the keys version 2 added (ownEntries) for
// every stored task, in transactions of migrateBatch records, then records
// the version. It is idempotent, so an interrupted migration, or several
// nodes opening one store at once, is safe: the next New resumes it.
func (s *Service) migrate(ctx context.Context) error {
	var v uint64
	err := s.st.View(ctx, func(tx store.Tx) error {
		b, err := tx.Get(versionKey)
		switch {
		case errors.Is(err, store.ErrNotFound):
			v = 1
			return nil
		case err != nil:
			return err
		case len(b) != 8:
			return fmt.Errorf("task: layout version of %d bytes: %w", len(b), ErrInvalid)
		}
		v = binary.BigEndian.Uint64(b)
		return nil
	})
	if err != nil {
		return fmt.Errorf("task: read layout version: %w", err)
	}
	switch {
	case v == layoutVersion:
		return nil
	case v > layoutVersion:
		return fmt.Errorf("task: store has layout version %d, newer than this code's %d: %w", v, layoutVersion, ErrInvalid)
	}
	prefix := keys.New("task", "t")
	rg := store.Range{Start: prefix, End: store.PrefixEnd(prefix), Limit: migrateBatch}
	for done := false; !done; {
		var next []byte
		err := s.st.Update(ctx, func(tx store.Tx) error {
			var last []byte
			n := 0
			for k, val := range tx.Scan(rg) {
				n++
				last = bytes.Clone(k)
				var r record
				if err := decodeRecord(val, &r); err != nil {
					return fmt.Errorf("task: migrate record %q: %w", k, ErrInvalid)
				}
				for _, e := range ownEntries(&r) {
					if err := tx.Put(e.key, e.val); err != nil {
						return err
					}
				}
			}
			if n < migrateBatch {
				done = true
				return tx.Put(versionKey, binary.BigEndian.AppendUint64(nil, layoutVersion))
			}
			done, next = false, append(last, 0)
			return nil
		})
		if err != nil {
			return fmt.Errorf("task: migrate to layout version %d: %w", layoutVersion, err)
		}
		rg.Start = next
	}
	return nil
}
