package workspace

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// Kind is the change-log kind of the records the Workspace itself appends.
const Kind = "workspace"

// ChangeSuggested is the Type of the record appended, with
// Options.AutoTaskDrafts, when a new message reads as a task.
const ChangeSuggested = "task.suggested"

// SourceMessage is the task.Source kind of a task made from a chat
// message; its ID is the message id.
const SourceMessage = "chat.message"

// Change is a record the Workspace appends to the change log (kind Kind):
// a suggestion (ChangeSuggested: Conversation, Message, Author, Drafts) or
// a document's new text (ChangeDocumentText: Document).
type Change struct {
	Type         string       `json:"type"`
	Conversation string       `json:"conversation,omitempty"`
	Message      string       `json:"message,omitempty"`
	Author       string       `json:"author,omitempty"`
	Drafts       []task.Draft `json:"drafts,omitempty"`
	Document     string       `json:"document,omitempty"`
}

// DecodeChange decodes a record of kind Kind; ok is false for other kinds.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("workspace: decode change %d: %w", c.Seq, store.ErrInvalid)
	}
	return ch, true, nil
}

// The linker follows the change log and keeps what connects packages: the
// tasks made from each message, and (with AutoTaskDrafts) the suggestions
// read from new messages. Its position is stored with what it writes, in
// one transaction, so after a crash it neither loses nor repeats a record.
type linker struct {
	w      *Workspace
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	pos    uint64
	err    error
	notify chan struct{}
}

// keyCheckpoint holds the linker's position. Its other keys are
// ("workspace", "msgtask", message, task) and ("workspace", "taskmsg",
// task) → message.
var keyCheckpoint = keys.New("workspace", "linker")

// persistEvery bounds how many records are replayed after a restart when
// none of them needed a write.
const persistEvery = 1024

func startLinker(ctx context.Context, w *Workspace) (*linker, error) {
	var pos uint64
	err := w.st.View(ctx, func(tx store.Tx) error {
		v, err := tx.Get(keyCheckpoint)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(v) != 8 {
			return fmt.Errorf("workspace: linker checkpoint of %d bytes: %w", len(v), store.ErrInvalid)
		}
		pos = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: start linker: %w", err)
	}
	lctx, cancel := context.WithCancel(context.Background())
	l := &linker{w: w, cancel: cancel, done: make(chan struct{}), pos: pos, notify: make(chan struct{})}
	go l.run(lctx)
	return l, nil
}

func (l *linker) run(ctx context.Context) {
	defer close(l.done)
	sinceSave := 0
	err := store.Follow(ctx, l.w.st, l.position(), func(c store.Change) error {
		write, err := l.plan(ctx, c)
		if err != nil {
			return err
		}
		sinceSave++
		if write != nil || sinceSave >= persistEvery {
			err := l.w.st.Update(ctx, func(tx store.Tx) error {
				if write != nil {
					if err := write(tx); err != nil {
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
		l.advance(c.Seq)
		return nil
	})
	l.mu.Lock()
	if ctx.Err() == nil {
		l.err = err
	} else {
		l.err = fmt.Errorf("workspace: linker: %w", store.ErrClosed)
	}
	close(l.notify)
	l.notify = nil
	l.mu.Unlock()
}

// plan returns what one change requires the linker to write, or nil.
func (l *linker) plan(ctx context.Context, c store.Change) (func(store.Tx) error, error) {
	switch c.Kind {
	case task.Kind:
		ch, ok, err := task.DecodeChange(c)
		if !ok || err != nil {
			return nil, nil
		}
		switch {
		case ch.Type == task.ChangeCreated && ch.Task != nil && ch.Task.Source.Kind == SourceMessage:
			msg, id := ch.Task.Source.ID, ch.Task.ID
			return func(tx store.Tx) error {
				if err := tx.Put(keys.New("workspace", "msgtask", msg, id), []byte{}); err != nil {
					return err
				}
				return tx.Put(keys.New("workspace", "taskmsg", id), []byte(msg))
			}, nil
		case ch.Type == task.ChangeDeleted:
			id := ch.TaskID
			return func(tx store.Tx) error {
				msg, err := tx.Get(keys.New("workspace", "taskmsg", id))
				if errors.Is(err, store.ErrNotFound) {
					return nil
				}
				if err != nil {
					return err
				}
				if err := tx.Delete(keys.New("workspace", "msgtask", string(msg), id)); err != nil {
					return err
				}
				return tx.Delete(keys.New("workspace", "taskmsg", id))
			}, nil
		}
	case chat.Kind:
		if !l.w.opts.AutoTaskDrafts {
			return nil, nil
		}
		ch, ok, err := chat.DecodeChange(c)
		if !ok || err != nil || ch.Type != chat.MessageCreated || ch.Message == nil {
			return nil, nil
		}
		drafts := l.w.extract(*ch.Message)
		if len(drafts) == 0 {
			return nil, nil
		}
		rec, err := json.Marshal(Change{
			Type:         ChangeSuggested,
			Conversation: ch.Message.Conversation,
			Message:      ch.Message.ID,
			Author:       ch.Message.Author,
			Drafts:       drafts,
		})
		if err != nil {
			return nil, err
		}
		return func(tx store.Tx) error {
			_, err := tx.Append(Kind, rec)
			return err
		}, nil
	}
	return nil, nil
}

func (l *linker) position() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pos
}

func (l *linker) advance(seq uint64) {
	l.mu.Lock()
	l.pos = seq
	close(l.notify)
	l.notify = make(chan struct{})
	l.mu.Unlock()
}

// waitFor blocks until the linker has handled every record up to seq.
func (l *linker) waitFor(ctx context.Context, seq uint64) error {
	for {
		l.mu.Lock()
		pos, err, ch := l.pos, l.err, l.notify
		l.mu.Unlock()
		if pos >= seq {
			return nil
		}
		if err != nil {
			return err
		}
		// Records the linker has no use for still move its position, but
		// a namespace view may skip other tenants' records without a call
		// to fn: catch up to the log's end when nothing of ours is left.
		if recs, next, cerr := l.w.st.Changes(ctx, pos, 1); cerr == nil && len(recs) == 0 && next >= seq {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (l *linker) stop() error {
	l.cancel()
	<-l.done
	return nil
}
