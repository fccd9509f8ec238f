package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// extract reads a message as task drafts, in the tenant's time zone,
// relative to when the message was sent.
func (w *Workspace) extract(m chat.Message) []task.Draft {
	if m.Deleted || m.Text == "" {
		return nil
	}
	return task.Extract(m.Text, task.ExtractOptions{
		Now:            m.CreatedAt,
		Location:       w.opts.Location,
		ResolveMention: w.opts.ResolveMention,
	})
}

// Suggestions returns the task drafts task.Extract reads in a message the
// actor can see: who it is for, when it is due, how urgent it is. An empty
// result means the message does not read as a request.
func (w *Workspace) Suggestions(ctx context.Context, actor, messageID string) ([]task.Draft, error) {
	m, err := w.Chat.Message(ctx, actor, messageID)
	if err != nil {
		return nil, err
	}
	return w.extract(m), nil
}

// TaskFromMessage turns a message the actor can see into a task linked to
// it (task.Source kind SourceMessage), so the task shows where it came from
// and MessageTasks shows the message's tasks. A spec without a title takes
// the message's first suggestion (title, assignees, due, priority), or the
// message text when it suggests nothing.
func (w *Workspace) TaskFromMessage(ctx context.Context, actor, messageID string, spec task.Spec) (task.Task, error) {
	m, err := w.Chat.Message(ctx, actor, messageID)
	if err != nil {
		return task.Task{}, err
	}
	if m.Deleted {
		return task.Task{}, fmt.Errorf("workspace: task from message %q: message deleted: %w", messageID, store.ErrNotFound)
	}
	if strings.TrimSpace(spec.Title) == "" {
		if drafts := w.extract(m); len(drafts) > 0 {
			s := drafts[0].Spec()
			s.Description, s.Followers = spec.Description, spec.Followers
			if len(spec.Assignees) > 0 {
				s.Assignees = spec.Assignees
			}
			spec = s
		} else {
			spec.Title = firstLine(m.Text, task.MaxTitle)
		}
	}
	spec.Source = task.Source{Kind: SourceMessage, ID: m.ID}
	return w.Tasks.Create(ctx, actor, spec)
}

func firstLine(s string, max int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) <= max {
		return s
	}
	s = s[:max]
	// Drop a rune the cut split in two, and only that.
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			if !utf8.FullRuneInString(s[i:]) {
				s = s[:i]
			}
			break
		}
	}
	return s
}

// MessageTasks returns the tasks made from a message that the actor can
// see, oldest first. It waits for the linker to have read every change
// committed before the call, so a task just made is there.
func (w *Workspace) MessageTasks(ctx context.Context, actor, messageID string) ([]task.Task, error) {
	if _, err := w.Chat.Message(ctx, actor, messageID); err != nil {
		return nil, err
	}
	last, err := w.st.Last(ctx)
	if err != nil {
		return nil, err
	}
	if err := w.linker.waitFor(ctx, last); err != nil {
		return nil, err
	}
	var ids []string
	err = w.st.View(ctx, func(tx store.Tx) error {
		prefix := keys.New("workspace", "msgtask", messageID)
		for k := range tx.Scan(store.Prefix(prefix)) {
			id, err := keys.Last(k)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []task.Task
	for _, id := range ids {
		t, err := w.Tasks.Get(ctx, actor, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrPermission) {
			continue // gone, or not the actor's to see
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
