package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
)

// Access keys: what a search Document carries and what a user holds. A user
// sees a document when the two share a key.
//
//	conv:<id>   a chat message: the members of its conversation, and
//	            everyone for a public channel
//	user:<id>   a task's creator, assignees and followers; an event's
//	            organizer and attendees
//	cal:<id>    an event: whoever may read its calendar's details
//	calw:<id>   a private event: whoever may write its calendar
//	doc:<id>    a folder or document: whoever docacl lets view it
//
// The keys a user holds are computed at every search from the services'
// current state, so leaving a conversation or losing a grant takes effect
// at the next search, with nothing to re-index.
const (
	keyConv          = "conv:"
	keyUser          = "user:"
	keyCalendar      = "cal:"
	keyCalendarWrite = "calw:"
	keyDoc           = "doc:"
)

// KeysFor returns the access keys user holds now: their own, one per
// conversation they are a member of or public channel they may read, one
// per calendar whose details they
// may read (and write), and one per folder or document they may view.
func (w *Workspace) KeysFor(ctx context.Context, user string) ([]string, error) {
	if user == "" {
		return nil, fmt.Errorf("workspace: keys for an empty user: %w", ErrOptions)
	}
	keys := []string{keyUser + user}
	// Anyone in the tenant may read a public channel, member or not, so
	// search covers them too (as Slack's does).
	for _, list := range []func(context.Context, string, chat.ListOptions) (store.Page[chat.Conversation], error){
		w.Chat.Conversations, w.Chat.Channels,
	} {
		for o := (chat.ListOptions{Limit: chat.MaxLimit}); ; {
			p, err := list(ctx, user, o)
			if err != nil {
				return nil, fmt.Errorf("workspace: keys for %q: %w", user, err)
			}
			for _, c := range p.Items {
				keys = append(keys, keyConv+c.ID)
			}
			if p.Next == "" {
				break
			}
			o.Cursor = p.Next
		}
	}
	var cals []calendar.ListEntry
	for page := (calendar.PageQuery{Limit: calendar.MaxListed}); ; {
		p, err := w.Calendar.CalendarList(ctx, user, page)
		if err != nil {
			return nil, fmt.Errorf("workspace: keys for %q: %w", user, err)
		}
		cals = append(cals, p.Items...)
		if page.Page = p.Next; p.Next == "" {
			break
		}
	}
	for _, e := range cals {
		if e.Role >= calendar.Reader {
			keys = append(keys, keyCalendar+e.Calendar.ID)
		}
		if e.Role >= calendar.Writer {
			keys = append(keys, keyCalendarWrite+e.Calendar.ID)
		}
	}
	for opts := (docacl.ListOptions{Limit: docacl.MaxPageSize}); ; {
		docs, err := w.Docs.Accessible(ctx, user, opts)
		if errors.Is(err, docacl.ErrNotFound) {
			break // not in the directory: no documents
		}
		if err != nil {
			return nil, fmt.Errorf("workspace: keys for %q: %w", user, err)
		}
		for _, d := range docs.Items {
			keys = append(keys, keyDoc+d.Resource)
		}
		if docs.Next == "" {
			break
		}
		opts.Cursor = docs.Next
	}
	return keys, nil
}

// SearchAs runs req for user with exactly the keys the user holds now
// (req.Keys is replaced): messages of their conversations, their tasks,
// events they may read and documents they may view, nothing else — not in
// the results, the total, the facets or the highlights.
//
// The index follows the change log in the background; call Sync first to
// be sure a change just made is searchable.
func (w *Workspace) SearchAs(ctx context.Context, user string, req search.Request) (*search.Results, error) {
	keys, err := w.KeysFor(ctx, user)
	if err != nil {
		return nil, err
	}
	req.Keys = keys
	return w.Search.Search(ctx, user, req)
}
