package workspace

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// The suggester is a follower of the change log the Workspace runs only
// with Options.AutoTaskDrafts: it reads each new chat message
// with task.Extract and, when the message reads as a task, appends a
// ChangeSuggested record. It writes no index (the tasks made from a
// message are task's by-source index, written with each task), so nothing
// waits for it but Sync.
//
// It is a follower rather than part of posting because posting is chat's
// transaction, which the root does not own, and Extract has no business on
// chat's commit path. It follows with store.Backoff.Follow: a transient
// store error is retried from its durable position; any other error stops
// it and is reported by Sync and Close. Its position is stored with each
// suggestion, in one transaction, so after a crash it neither loses nor
// repeats one.
type suggester struct {
	*follower
	w *Workspace
}

// keyCheckpoint holds the suggester's position (the key of the linker of
// earlier versions, whose position it continues from).
var keyCheckpoint = keys.New("workspace", "linker")

// persistEvery bounds how many records are replayed after a restart when
// none of them needed a write.
const persistEvery = 1024

// startSuggester starts the suggester from its stored position or, the
// first time, from the end of the log: suggestions are for the messages
// posted while AutoTaskDrafts is on, not for a store's whole history.
func startSuggester(ctx context.Context, w *Workspace) (*suggester, error) {
	var pos uint64
	err := w.st.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Get(keyCheckpoint)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(v) != 8 {
			return fmt.Errorf("workspace: suggester checkpoint of %d bytes: %w", len(v), store.ErrInvalid)
		}
		pos = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: start suggester: %w", err)
	}
	if pos == 0 {
		if pos, err = w.st.Last(ctx); err != nil {
			return nil, fmt.Errorf("workspace: start suggester: %w", err)
		}
		err := w.st.Update(ctx, func(tx store.Tx) error {
			return tx.Put(keyCheckpoint, binary.BigEndian.AppendUint64(nil, pos))
		})
		if err != nil {
			return nil, fmt.Errorf("workspace: start suggester: %w", err)
		}
	}
	s := &suggester{follower: newFollower(w.st, "suggester", pos), w: w}
	s.start(s.run)
	return s, nil
}

func (s *suggester) run(ctx context.Context) error {
	sinceSave := 0
	var b *store.Backoff
	return b.Follow(ctx, s.w.st, s.position(), func(c store.Change) error {
		rec, err := s.suggest(ctx, c)
		if err != nil {
			return err
		}
		sinceSave++
		if rec != nil || sinceSave >= persistEvery {
			err := s.w.st.Update(ctx, func(tx store.Tx) error {
				if rec != nil {
					if _, err := tx.Append(Kind, rec); err != nil {
						return err
					}
				}
				return tx.Put(keyCheckpoint, binary.BigEndian.AppendUint64(nil, c.Seq))
			})
			if err != nil {
				return err
			}
			sinceSave = 0
		}
		s.advance(c.Seq)
		return nil
	})
}

// suggest returns the ChangeSuggested record a change calls for, or nil.
// A chat record that does not decode is an error: the follower stops and
// reports it rather than skip a message silently.
func (s *suggester) suggest(ctx context.Context, c store.Change) ([]byte, error) {
	ch, ok, err := chat.DecodeChange(c)
	if err != nil {
		return nil, err
	}
	if !ok || ch.Type != chat.MessageCreated || ch.Message == nil {
		return nil, nil
	}
	drafts := s.w.extract(ctx, *ch.Message)
	if len(drafts) == 0 {
		return nil, nil
	}
	return json.Marshal(Change{
		Type:         ChangeSuggested,
		Conversation: ch.Message.Conversation,
		Message:      ch.Message.ID,
		Author:       ch.Message.Author,
		Drafts:       drafts,
	})
}
