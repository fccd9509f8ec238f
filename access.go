package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
)

// Access keys: what a search Document carries and what a user holds. A user
// sees a document when the two share a key.
//
//	conv:<id>     a message of a group, a direct conversation or a private
//	              channel: its members
//	chat:public   a message of a public channel: everyone, since anyone in
//	              the tenant may read a public channel (as in Slack)
//	user:<id>     a task's creator, assignees and followers; an event's
//	              organizer and attendees; a document's owner, the owners
//	              of the folders it inherits from, and users granted it
//	group:<id>    a document granted to a group (docacl's principal keys)
//	dept:<id>     a document granted to a department
//	tenant        a document granted to the whole tenant
//	cal:<id>      an event: whoever may read its calendar's details
//	calw:<id>     a private event: whoever may write its calendar
//
// A document carries the principals that may view it (docacl.ViewerKeys),
// and a user holds the principals they act as (docacl.AccessKeys: their
// user key, their groups, their departments, the tenant), so the number of
// keys a user holds does not grow with the number of documents or public
// channels they may see: one per conversation they are a member of, one
// or two per calendar they may read, and their principals. The index
// re-indexes the documents whose viewers change (see mapChange); group
// and department membership is resolved at every search, with nothing to
// re-index.
const (
	keyConv          = "conv:"
	keyPublic        = "chat:public"
	keyUser          = "user:" // docacl.UserKey's prefix too
	keyCalendar      = "cal:"
	keyCalendarWrite = "calw:"
)

// KeysFor returns the access keys user holds now: their own, the public
// channels' one, one per conversation they are a member of (other than
// public channels), one per calendar whose details they may read (and
// write), and the docacl principals they act as (groups, departments,
// the tenant). Their number does not grow with the documents or public
// channels the user may see; a user who is a member of more than
// search.MaxKeys conversations and calendars cannot search (an error
// wrapping search.ErrTooLarge), which affects them alone.
func (w *Workspace) KeysFor(ctx context.Context, user string) ([]string, error) {
	if user == "" {
		return nil, fmt.Errorf("workspace: keys for an empty user: %w", ErrOptions)
	}
	keys := []string{keyUser + user, keyPublic}
	// Public channels' messages carry keyPublic, which everyone holds; a
	// key per conversation is needed only for the others.
	for o := (chat.ListOptions{Limit: chat.MaxLimit}); ; {
		p, err := w.Chat.Conversations(ctx, user, o)
		if err != nil {
			return nil, fmt.Errorf("workspace: keys for %q: %w", user, err)
		}
		for _, c := range p.Items {
			if c.Kind != chat.Channel || c.Private {
				keys = append(keys, keyConv+c.ID)
			}
		}
		if p.Next == "" {
			break
		}
		o.Cursor = p.Next
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
	principals, err := w.Docs.System().AccessKeys(ctx, user)
	switch {
	case errors.Is(err, docacl.ErrNotFound):
		// Not in the directory: only the documents they own (user:<id>).
	case err != nil:
		return nil, fmt.Errorf("workspace: keys for %q: %w", user, err)
	}
	for _, k := range principals {
		if k != keyUser+user {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

// SearchAs runs req for user with exactly the keys the user holds now
// (req.Keys is replaced): messages of their conversations and of public
// channels, their tasks, events they may read and documents they may
// view, nothing else — not in the results, the total, the facets or the
// highlights.
//
// The index follows the change log in the background; call Sync first to
// be sure a change just made is searchable.
//
// req.Keys must be empty: the keys are the Workspace's to compute, never
// the caller's to give (an error wrapping search.ErrInvalid otherwise).
// The index itself is not exported: SearchAs is the only way to search.
func (w *Workspace) SearchAs(ctx context.Context, user string, req search.Request) (*search.Results, error) {
	if len(req.Keys) > 0 {
		return nil, fmt.Errorf("workspace: search as %q: request with %d keys of its own: %w", user, len(req.Keys), search.ErrInvalid)
	}
	keys, err := w.KeysFor(ctx, user)
	if err != nil {
		return nil, err
	}
	req.Keys = keys
	return w.index.Search(ctx, user, req)
}
