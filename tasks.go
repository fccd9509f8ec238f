package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// extract reads a message as task drafts, in its author's time zone (the
// tenant's when the directory has none for them), relative to when the
// message was sent, with mentions resolved through the directory.
func (w *Workspace) extract(ctx context.Context, m chat.Message) []task.Draft {
	if m.Deleted || m.Text == "" {
		return nil
	}
	return task.Extract(m.Text, task.ExtractOptions{
		Now:            m.CreatedAt,
		Location:       w.authorLocation(ctx, m.Author),
		ResolveMention: w.resolveMention(ctx),
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
	return w.extract(ctx, m), nil
}

// TaskFromMessage turns a message the actor can see into a task linked to
// it (task.Source kind SourceMessage), so the task shows where it came from
// and MessageTasks shows the message's tasks. A spec without a title takes
// the message's first suggestion (title, assignees, due, priority), or the
// message text when it suggests nothing.
//
// It is idempotent on the actor and the message: a second call by the same
// actor for the same message returns the task the first made, as it is
// now, and writes nothing (the spec's ClientKey is replaced by one naming
// the message). Once that task is deleted, a call makes a new one.
func (w *Workspace) TaskFromMessage(ctx context.Context, actor, messageID string, spec task.Spec) (task.Task, error) {
	m, err := w.Chat.Message(ctx, actor, messageID)
	if err != nil {
		return task.Task{}, err
	}
	if m.Deleted {
		return task.Task{}, fmt.Errorf("workspace: task from message %q: message deleted: %w", messageID, store.ErrNotFound)
	}
	if strings.TrimSpace(spec.Title) == "" {
		if drafts := w.extract(ctx, m); len(drafts) > 0 {
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
	spec.ClientKey = messageKey(m.ID)
	return w.Tasks.Create(ctx, actor, spec)
}

// messageKey is the client key of the task an actor makes from a message.
// A message id longer than a client key may be is hashed down.
func messageKey(id string) string {
	k := SourceMessage + ":" + id
	if len(k) <= task.MaxClientKey {
		return k
	}
	sum := sha256.Sum256([]byte(id))
	return SourceMessage + "#" + hex.EncodeToString(sum[:])
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

// MessageTasks returns a page of the tasks made from a message that the
// actor can see, oldest first (task.Service.BySource; pass the page's Next
// as cursor for the rest). The actor must be able to see the message. The
// links are written with each task, so a task just made is listed at once.
func (w *Workspace) MessageTasks(ctx context.Context, actor, messageID, cursor string) (store.Page[task.Task], error) {
	if _, err := w.Chat.Message(ctx, actor, messageID); err != nil {
		return store.Page[task.Task]{}, err
	}
	return w.Tasks.BySource(ctx, actor, task.Source{Kind: SourceMessage, ID: messageID}, cursor)
}
