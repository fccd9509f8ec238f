package workspace

import (
	"context"
	"errors"
	"strings"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// mapChange turns one change-log record into search index operations. It
// is the search.Mapper of the Workspace's index.
//
// Chat and task records carry the record itself; calendar and docacl
// records name what changed, and the current version is read with the
// services' trusted lookups (never as the change's author, who may have
// lost access since). A record gone since is removed; a read that fails
// otherwise is skipped, because a mapper error would stop the indexer and
// the log's later records bring the index to the current state anyway.
func (w *Workspace) mapChange(ctx context.Context, c store.Change) ([]search.Op, error) {
	switch c.Kind {
	case chat.Kind:
		ch, ok, err := chat.DecodeChange(c)
		if !ok || err != nil {
			return nil, nil
		}
		return w.mapChat(ctx, ch), nil
	case task.Kind:
		ch, ok, err := task.DecodeChange(c)
		if err != nil {
			return nil, err // a malformed task record is reported, not skipped
		}
		if !ok {
			return nil, nil
		}
		if ch.Type == task.TaskDeleted {
			return []search.Op{search.Delete(search.KindTask, ch.TaskID)}, nil
		}
		return []search.Op{search.Upsert(taskDoc(*ch.Task))}, nil
	case calendar.Kind:
		ch, ok, err := calendar.DecodeChange(c)
		if !ok || err != nil || ch.EventID == "" {
			return nil, nil
		}
		return w.mapEvent(ctx, ch), nil
	case docacl.Kind:
		ch, ok, err := docacl.DecodeChange(c)
		if !ok || err != nil {
			return nil, nil
		}
		return w.mapResource(ctx, ch), nil
	case Kind:
		ch, ok, err := DecodeChange(c)
		if !ok || err != nil || ch.Type != ChangeDocumentText || ch.Document == "" {
			return nil, nil
		}
		return w.documentOps(ctx, []string{ch.Document}), nil
	}
	return nil, nil
}

func (w *Workspace) mapChat(ctx context.Context, ch chat.Change) []search.Op {
	switch ch.Type {
	case chat.MessageCreated, chat.MessageEdited:
		if ch.Message == nil {
			return nil
		}
		ops := []search.Op{search.Upsert(messageDoc(*ch.Message))}
		if root := ch.Message.Root; root != "" && ch.Type == chat.MessageCreated {
			// The root is now a thread: re-index it for is:thread.
			if m, err := w.Chat.System().Message(ctx, root); err == nil && !m.Deleted {
				ops = append(ops, search.Upsert(messageDoc(m)))
			}
		}
		return ops
	case chat.MessageDeleted:
		return []search.Op{search.Delete(search.KindMessage, ch.MessageID)}
	case chat.ReactionAdded, chat.ReactionRemoved:
		m, err := w.Chat.System().Message(ctx, ch.MessageID)
		if err != nil || m.Deleted {
			return nil
		}
		return []search.Op{search.Upsert(messageDoc(m))}
	case chat.MessagesPurged:
		var ops []search.Op
		for _, id := range ch.MessageIDs {
			ops = append(ops, search.Delete(search.KindMessage, id))
		}
		return ops
	}
	return nil
}

func messageDoc(m chat.Message) search.Document {
	d := search.Document{
		Kind:       search.KindMessage,
		ID:         m.ID,
		Container:  m.Conversation,
		Body:       m.Text,
		Author:     m.Author,
		Time:       m.CreatedAt,
		AccessKeys: []string{keyConv + m.Conversation},
	}
	if strings.Contains(m.Text, "http://") || strings.Contains(m.Text, "https://") {
		d.Has = append(d.Has, search.HasLink)
	}
	if len(m.Reactions) > 0 {
		d.Has = append(d.Has, search.HasReaction)
	}
	switch {
	case m.Root != "":
		d.Thread = m.Root
	case m.ReplyCount > 0 || m.LastReplySeq > 0:
		d.Thread = m.ID
	}
	return d
}

func taskDoc(t task.Task) search.Document {
	keys := []string{keyUser + t.Creator}
	for _, a := range t.Assignees {
		keys = append(keys, keyUser+a.User)
	}
	for _, f := range t.Followers {
		keys = append(keys, keyUser+f)
	}
	return search.Document{
		Kind:       search.KindTask,
		ID:         t.ID,
		Title:      t.Title,
		Body:       t.Description,
		Author:     t.Creator,
		Time:       t.Created,
		AccessKeys: keys,
	}
}

func (w *Workspace) mapEvent(ctx context.Context, ch calendar.Change) []search.Op {
	if ch.Type == calendar.EventDeleted {
		return []search.Op{search.Delete(search.KindEvent, ch.EventID)}
	}
	// The latest stored version, whatever the change's author may see now:
	// they may have lost access since.
	ev, err := w.Calendar.System().Event(ctx, ch.EventID)
	if isNotFound(err) {
		return []search.Op{search.Delete(search.KindEvent, ch.EventID)}
	}
	if err != nil {
		return nil
	}
	return []search.Op{search.Upsert(eventDoc(ev))}
}

func eventDoc(ev calendar.Event) search.Document {
	keys := []string{keyUser + ev.Organizer, keyCalendarWrite + ev.CalendarID}
	if ev.Visibility != calendar.Private {
		keys = append(keys, keyCalendar+ev.CalendarID)
	}
	for _, a := range ev.Attendees {
		keys = append(keys, keyUser+a.User)
	}
	body := ev.Description
	if ev.Location != "" {
		body = strings.TrimSpace(body + "\n" + ev.Location)
	}
	return search.Document{
		Kind:       search.KindEvent,
		ID:         ev.ID,
		Container:  ev.CalendarID,
		Title:      ev.Title,
		Body:       body,
		Author:     ev.Organizer,
		Time:       ev.Start,
		AccessKeys: keys,
	}
}

func (w *Workspace) mapResource(ctx context.Context, ch docacl.Change) []search.Op {
	var ids []string
	if ch.Resource != "" {
		ids = append(ids, ch.Resource)
	}
	ids = append(ids, ch.Resources...)
	switch ch.Type {
	case docacl.ResourceDeleted:
		var ops []search.Op
		for _, id := range ids {
			ops = append(ops, search.Delete(search.KindDoc, id))
		}
		return ops
	case docacl.ResourceCreated, docacl.ResourceMoved, docacl.OwnerTransferred, docacl.UserOffboarded:
		// The latest version, whatever the change's author may see now
		// (an offboarded owner sees nothing).
		return w.documentOps(ctx, ids)
	}
	return nil
}

func (w *Workspace) documentOps(ctx context.Context, ids []string) []search.Op {
	var ops []search.Op
	for _, id := range ids {
		if op, ok := w.documentOp(ctx, id); ok {
			ops = append(ops, op)
		}
	}
	return ops
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
