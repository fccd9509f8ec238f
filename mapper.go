package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// mapChange turns one change-log record into search index operations,
// given to emit. It is the search.Mapper of the Workspace's index.
//
// Chat and task records carry the record itself; calendar and docacl
// records name what changed, and the current version is read with the
// services' trusted lookups (never as the change's author, who may have
// lost access since). A record gone since is removed. A read that fails
// transiently (store.Transient) is returned, and the indexer retries the
// record; a read that fails otherwise is skipped, because the log's later
// records bring the index to the current state anyway.
//
// A permission change on a folder (a grant, a revocation, an expiry, a
// move, limited access, a new owner) re-indexes the folder and every
// document that inherits from it, since each document carries the
// principals that may view it (see access.go); emit writes them in
// bounded batches, whatever the size of the folder.
func (w *Workspace) mapChange(ctx context.Context, c store.Change, emit func(search.Op) error) error {
	// Every package decodes its own records; a malformed one is reported
	// (it stops the indexer, which says why), never skipped in silence.
	malformed := func(err error) error {
		return fmt.Errorf("workspace: map change %d (%s): %w", c.Seq, c.Kind, err)
	}
	switch c.Kind {
	case chat.Kind:
		ch, ok, err := chat.DecodeChange(c)
		if err != nil {
			return malformed(err)
		}
		if !ok {
			return nil
		}
		return w.mapChat(ctx, ch, emit)
	case task.Kind:
		ch, ok, err := task.DecodeChange(c)
		if err != nil {
			return malformed(err)
		}
		if !ok {
			return nil
		}
		if ch.Type == task.TaskDeleted {
			return emit(search.Delete(search.KindTask, ch.TaskID))
		}
		return emit(search.Upsert(taskDoc(*ch.Task)))
	case calendar.Kind:
		ch, ok, err := calendar.DecodeChange(c)
		if err != nil {
			return malformed(err)
		}
		if !ok || ch.EventID == "" {
			return nil // a calendar's own record: nothing to index
		}
		return w.mapEvent(ctx, ch, emit)
	case docacl.Kind:
		ch, ok, err := docacl.DecodeChange(c)
		if err != nil {
			return malformed(err)
		}
		if !ok {
			return nil
		}
		return w.mapResource(ctx, ch, emit)
	case Kind:
		ch, ok, err := DecodeChange(c)
		if err != nil {
			return malformed(err)
		}
		if !ok || ch.Type != ChangeDocumentText || ch.Document == "" {
			return nil
		}
		return w.emitDocument(ctx, ch.Document, emit)
	}
	return nil
}

// skip returns err when it is transient, so that the indexer retries the
// record, and nil otherwise: the record is skipped.
func skip(err error) error {
	if store.Transient(err) {
		return err
	}
	return nil
}

func (w *Workspace) mapChat(ctx context.Context, ch chat.Change, emit func(search.Op) error) error {
	switch ch.Type {
	case chat.MessageCreated, chat.MessageEdited:
		if ch.Message == nil {
			return nil
		}
		d, err := w.messageDoc(ctx, *ch.Message)
		if err != nil {
			return err
		}
		if err := emit(search.Upsert(d)); err != nil {
			return err
		}
		if root := ch.Message.Root; root != "" && ch.Type == chat.MessageCreated {
			// The root is now a thread: re-index it for is:thread.
			return w.reindexMessage(ctx, root, emit)
		}
		return nil
	case chat.MessageDeleted:
		return emit(search.Delete(search.KindMessage, ch.MessageID))
	case chat.ReactionAdded, chat.ReactionRemoved:
		return w.reindexMessage(ctx, ch.MessageID, emit)
	case chat.MessagesPurged:
		for _, id := range ch.MessageIDs {
			if err := emit(search.Delete(search.KindMessage, id)); err != nil {
				return err
			}
		}
	}
	return nil
}

// reindexMessage indexes message id again as it is now.
func (w *Workspace) reindexMessage(ctx context.Context, id string, emit func(search.Op) error) error {
	m, err := w.Chat.System().Message(ctx, id)
	if err != nil {
		return skip(err)
	}
	if m.Deleted {
		return nil
	}
	d, err := w.messageDoc(ctx, m)
	if err != nil {
		return err
	}
	return emit(search.Upsert(d))
}

// messageDoc is the Document of m: readable by its conversation's
// members, or by everyone for a message of a public channel.
func (w *Workspace) messageDoc(ctx context.Context, m chat.Message) (search.Document, error) {
	conv, err := w.conversations.of(ctx, w.Chat.System(), m.Conversation)
	if err != nil {
		return search.Document{}, err
	}
	key := keyConv + m.Conversation
	if conv.public {
		key = keyPublic
	}
	d := search.Document{
		Kind:          search.KindMessage,
		ID:            m.ID,
		Container:     m.Conversation,
		ContainerName: conv.name,
		Body:          m.Text,
		Author:        m.Author,
		Time:          m.CreatedAt,
		AccessKeys:    []string{key},
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
	return d, nil
}

// convInfo is what the index needs of a conversation.
type convInfo struct {
	name   string
	public bool
}

// convCache remembers whether conversations are public channels, which
// never changes (chat has no way to make a channel private or public
// after its creation), and their names, so that indexing a message reads
// its conversation once per run of messages rather than every time. It
// holds at most maxConvCache entries and starts again when full. It is
// safe for concurrent use.
type convCache struct {
	mu sync.Mutex
	m  map[string]convInfo
}

const maxConvCache = 100_000

// of returns what the index needs of conversation id, read with the
// system handle (never as a change's author, who may have left).
func (c *convCache) of(ctx context.Context, sys *chat.System, id string) (convInfo, error) {
	c.mu.Lock()
	info, ok := c.m[id]
	c.mu.Unlock()
	if ok {
		return info, nil
	}
	conv, err := sys.Conversation(ctx, id)
	if err != nil {
		return convInfo{}, skip(err)
	}
	info = convInfo{name: conv.Name, public: conv.Kind == chat.Channel && !conv.Private}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxConvCache {
		c.m = map[string]convInfo{}
	}
	c.m[id] = info
	return info, nil
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

func (w *Workspace) mapEvent(ctx context.Context, ch calendar.Change, emit func(search.Op) error) error {
	if ch.Type == calendar.EventDeleted {
		return emit(search.Delete(search.KindEvent, ch.EventID))
	}
	// The latest stored version, whatever the change's author may see now:
	// they may have lost access since.
	ev, err := w.Calendar.System().Event(ctx, ch.EventID)
	if isNotFound(err) {
		return emit(search.Delete(search.KindEvent, ch.EventID))
	}
	if err != nil {
		return skip(err)
	}
	d := eventDoc(ev)
	if cal, err := w.Calendar.System().Calendar(ctx, ev.CalendarID); err == nil {
		d.ContainerName = cal.Name
	} else if store.Transient(err) {
		return err
	}
	return emit(search.Upsert(d))
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

func (w *Workspace) mapResource(ctx context.Context, ch docacl.Change, emit func(search.Op) error) error {
	var ids []string
	if ch.Resource != "" {
		ids = append(ids, ch.Resource)
	}
	for _, id := range ch.Resources {
		if id != ch.Resource {
			ids = append(ids, id)
		}
	}
	switch ch.Type {
	case docacl.ResourceDeleted:
		for _, id := range ids {
			if err := emit(search.Delete(search.KindDoc, id)); err != nil {
				return err
			}
		}
	case docacl.ResourceCreated:
		for _, id := range ids {
			if err := w.emitDocument(ctx, id, emit); err != nil {
				return err
			}
		}
	case docacl.ResourceMoved, docacl.ResourceInherit, docacl.GrantSet, docacl.GrantRevoked, docacl.GrantExpired,
		docacl.OwnerTransferred, docacl.UserOffboarded, docacl.GroupDeleted, docacl.DeptDeleted:
		// Who may view each resource, and everything that inherits from
		// it, may have changed.
		for _, id := range ids {
			if err := w.emitSubtree(ctx, id, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

// emitSubtree re-indexes resource id and every resource that inherits
// from it: those below it, down to the folders that limit access, whose
// viewers do not depend on id. It lists them as id's owner, who may
// access all of them (and may list a few more, below a folder that
// limits access, which are indexed again harmlessly).
func (w *Workspace) emitSubtree(ctx context.Context, id string, emit func(search.Op) error) error {
	r, err := w.Docs.System().Lookup(ctx, id)
	if isNotFound(err) {
		return emit(search.Delete(search.KindDoc, id))
	}
	if err != nil {
		return skip(err)
	}
	for o := (docacl.ListOptions{Under: id, Limit: docacl.MaxPageSize}); ; {
		entries, err := w.Docs.Accessible(ctx, r.Owner, o)
		if err != nil {
			if store.Transient(err) {
				return err
			}
			return w.emitDocument(ctx, id, emit) // at least the resource itself
		}
		for _, e := range entries.Items {
			if err := w.emitDocument(ctx, e.Resource, emit); err != nil {
				return err
			}
		}
		if entries.Next == "" {
			return nil
		}
		o.Cursor = entries.Next
	}
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
