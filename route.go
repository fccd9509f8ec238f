package workspace

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/task"
)

// delivery is one event for a set of recipients: users, or the members
// of conv as they are when route returns (before the next record).
type delivery struct {
	ev    *Event
	users []string
	conv  *convState
}

// has reports whether d is for user.
func (d delivery) has(user string) bool {
	if d.conv != nil {
		_, ok := d.conv.members[user]
		return ok
	}
	return slices.Contains(d.users, user)
}

// each calls fn for every recipient of d.
func (d delivery) each(fn func(user string)) {
	if d.conv != nil {
		for u := range d.conv.members {
			fn(u)
		}
		return
	}
	for _, u := range d.users {
		fn(u)
	}
}

// recentAuthored is how many of a conversation's latest messages the
// router remembers the authors of, for receipts.
const recentAuthored = 64

type authored struct {
	seq    uint64
	id     string
	author string
}

// convState is what the router knows of a conversation.
type convState struct {
	members map[string]struct{}
	recent  []authored // oldest first, at most recentAuthored
	kind    chat.ConversationKind
	// follows are the explicit followers of threads (by root id) seen
	// in the log, for notifications of replies.
	follows map[string]map[string]bool
}

// router decodes change records once and works out whom each concerns,
// from the record and an in-memory index kept from the log: the members
// of conversations (loaded once per conversation the log mentions that
// it has not seen created), the people of tasks and calendar events seen.
//
// A router is used by one goroutine at a time.
type router struct {
	w     *Workspace
	convs map[string]*convState
	tasks map[string]taskState
	cal   map[string][]string // event id → organizer and attendees
}

type taskState struct {
	users  []string
	status task.Status
}

func newRouter(w *Workspace) *router {
	return &router{w: w, convs: map[string]*convState{}, tasks: map[string]taskState{}, cal: map[string][]string{}}
}

// decoded is a change record decoded by the package that wrote it.
type decoded struct {
	seq  uint64
	kind byte // 'c'hat, 't'ask, 'k' calendar, 'd'ocacl, 0 for other kinds
	chat chat.Change
	task task.Change
	cal  calendar.Change
	doc  docacl.Change
}

// decodeRecord decodes rec. It is pure, so a catch-up decodes records in
// parallel.
func decodeRecord(rec store.Change) (d decoded, err error) {
	d.seq = rec.Seq
	var ok bool
	if d.chat, ok, err = chat.DecodeChange(rec); ok || err != nil {
		d.kind = 'c'
		return d, err
	}
	if d.task, ok, err = task.DecodeChange(rec); ok || err != nil {
		d.kind = 't'
		return d, err
	}
	if d.cal, ok, err = calendar.DecodeChange(rec); ok || err != nil {
		d.kind = 'k'
		return d, err
	}
	if d.doc, ok, err = docacl.DecodeChange(rec); ok || err != nil {
		d.kind = 'd'
		return d, err
	}
	return d, nil
}

// route returns the deliveries of record rec. An error is the store's
// (possibly transient) or a malformed record's.
func (r *router) route(ctx context.Context, rec store.Change) ([]delivery, error) {
	d, err := decodeRecord(rec)
	if err != nil {
		return nil, err
	}
	return r.routeDecoded(ctx, d)
}

// routeDecoded returns the deliveries of a decoded record, in log order.
func (r *router) routeDecoded(ctx context.Context, d decoded) ([]delivery, error) {
	switch d.kind {
	case 'c':
		return r.chat(ctx, d.seq, d.chat)
	case 't':
		return r.task(d.seq, d.task), nil
	case 'k':
		return r.calendar(ctx, d.seq, d.cal)
	case 'd':
		return r.docs(d.seq, d.doc), nil
	}
	return nil, nil
}

// newEvent returns an event of record seq; its Cursor is set when it is
// first delivered (setCursor).
func newEvent(seq uint64, typ EventType) *Event {
	return &Event{Type: typ, Seq: seq}
}

func (e *Event) setCursor() {
	if e.Cursor == "" {
		e.Cursor = cursor{pos: e.Seq, witness: e.Seq}.encode()
	}
}

// conv returns the state of conversation id, loading its members once.
func (r *router) conv(ctx context.Context, id string) (*convState, error) {
	if cs := r.convs[id]; cs != nil {
		return cs, nil
	}
	cs := &convState{members: map[string]struct{}{}}
	if c, err := r.w.Chat.System().Conversation(ctx, id); err == nil {
		cs.kind = c.Kind
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var o chat.ListOptions
	for {
		p, err := r.w.Chat.System().Members(ctx, id, o)
		if errors.Is(err, store.ErrNotFound) {
			break // purged or never existed: no members
		}
		if err != nil {
			return nil, err
		}
		for _, m := range p.Items {
			cs.members[m.User] = struct{}{}
		}
		if p.Next == "" {
			break
		}
		o.Cursor = p.Next
	}
	r.convs[id] = cs
	return cs, nil
}

func (cs *convState) list() []string {
	out := make([]string, 0, len(cs.members))
	for u := range cs.members {
		out = append(out, u)
	}
	return out
}

var chatTypes = map[chat.ChangeType]EventType{
	chat.ConversationCreated: ConversationCreated,
	chat.ConversationUpdated: ConversationUpdated,
	chat.MemberJoined:        MemberJoined,
	chat.MemberAdded:         MemberJoined,
	chat.MemberLeft:          MemberLeft,
	chat.MemberRemoved:       MemberLeft,
	chat.MemberRole:          MemberRoleChanged,
	chat.MessageCreated:      MessagePosted,
	chat.MessageEdited:       MessageEdited,
	chat.MessageDeleted:      MessageDeleted,
	chat.ReactionAdded:       ReactionAdded,
	chat.ReactionRemoved:     ReactionRemoved,
	chat.MessagePinned:       MessagePinned,
	chat.MessageUnpinned:     MessageUnpinned,
	chat.ReadUpdated:         ReadUpdated,
	chat.ThreadRead:          ThreadRead,
	chat.ThreadFollowed:      ThreadFollowed,
	chat.ThreadUnfollowed:    ThreadUnfollowed,
}

func (r *router) chat(ctx context.Context, seq uint64, c chat.Change) ([]delivery, error) {
	typ, ok := chatTypes[c.Type]
	if !ok {
		return nil, nil // governance
	}
	ev := newEvent(seq, typ)
	ev.Actor, ev.At, ev.Conversation = c.Actor, c.At, c.Conversation
	ev.MessageID, ev.Root, ev.Emoji = c.MessageID, c.Root, c.Emoji
	ev.Message, ev.ConversationInfo = c.Message, c.Info
	if c.User != "" && c.User != c.Actor || c.Type == chat.MemberJoined || c.Type == chat.MemberLeft {
		ev.Subject = c.User
	}
	if c.Role != "" {
		ev.Role = string(c.Role)
	}
	if c.Type == chat.ConversationCreated {
		cs := &convState{members: map[string]struct{}{}}
		if c.Info != nil {
			cs.kind = c.Info.Kind
		}
		if c.Actor != "" {
			cs.members[c.Actor] = struct{}{}
		}
		for _, u := range c.Users {
			cs.members[u] = struct{}{}
		}
		r.convs[c.Conversation] = cs
		return []delivery{{ev: ev, conv: cs}}, nil
	}
	cs, err := r.conv(ctx, c.Conversation)
	if err != nil {
		return nil, err
	}
	switch c.Type {
	case chat.ReadUpdated, chat.ThreadRead, chat.ThreadFollowed, chat.ThreadUnfollowed:
		ev.Subject, ev.ReadSeq = "", c.ReadSeq
		out := []delivery{{ev: ev, users: []string{c.User}}}
		if c.Type == chat.ThreadFollowed || c.Type == chat.ThreadUnfollowed {
			if cs.follows == nil {
				cs.follows = map[string]map[string]bool{}
			}
			if cs.follows[c.Root] == nil {
				cs.follows[c.Root] = map[string]bool{}
			}
			cs.follows[c.Root][c.User] = c.Type == chat.ThreadFollowed
		}
		if c.Type == chat.ReadUpdated {
			out = append(out, cs.receipts(seq, c)...)
		}
		return out, nil
	case chat.MemberJoined, chat.MemberAdded:
		cs.members[c.User] = struct{}{}
	case chat.MemberLeft, chat.MemberRemoved:
		users := cs.list()
		delete(cs.members, c.User)
		return []delivery{{ev: ev, users: users}}, nil
	case chat.MessageCreated:
		if m := c.Message; m != nil && m.Root == "" {
			cs.recent = append(cs.recent, authored{m.Seq, m.ID, m.Author})
			if len(cs.recent) > recentAuthored {
				cs.recent = slices.Delete(cs.recent, 0, len(cs.recent)-recentAuthored)
			}
		}
	}
	return []delivery{{ev: ev, conv: cs}}, nil
}

// receipts gives the authors of messages read by c's move of c.User's
// read position one receipts_changed event each.
func (cs *convState) receipts(seq uint64, c chat.Change) []delivery {
	by := map[string][]string{}
	var order []string
	for _, a := range cs.recent {
		if a.seq > c.PrevReadSeq && a.seq <= c.ReadSeq && a.author != c.User {
			if by[a.author] == nil {
				order = append(order, a.author)
			}
			by[a.author] = append(by[a.author], a.id)
		}
	}
	out := make([]delivery, 0, len(order))
	for _, u := range order {
		ev := newEvent(seq, ReceiptsChanged)
		ev.Actor, ev.At, ev.Conversation, ev.Subject = c.Actor, c.At, c.Conversation, c.User
		ev.MessageIDs = by[u]
		out = append(out, delivery{ev: ev, users: []string{u}})
	}
	return out
}

// taskPeople returns the creator, assignees and followers of t, the
// users c names and its actor, without repeats.
func taskPeople(c task.Change) []string {
	var us []string
	add := func(u string) {
		if u != "" && !slices.Contains(us, u) {
			us = append(us, u)
		}
	}
	add(c.Actor)
	if t := c.Task; t != nil {
		add(t.Creator)
		for _, a := range t.Assignees {
			add(a.User)
		}
		for _, f := range t.Followers {
			add(f)
		}
	}
	for _, u := range c.Users {
		add(u)
	}
	return us
}

var taskTypes = map[task.ChangeType]EventType{
	task.TaskCreated:     TaskCreated,
	task.TaskUpdated:     TaskUpdated,
	task.TaskAssigned:    TaskAssigned,
	task.TaskUnassigned:  TaskUnassigned,
	task.TaskFollowed:    TaskFollowed,
	task.TaskUnfollowed:  TaskUnfollowed,
	task.TaskCommented:   TaskCommented,
	task.TaskNudged:      TaskNudged,
	task.TaskCompleted:   TaskPartDone,
	task.TaskUncompleted: TaskReopened,
	task.TaskStatus:      TaskStatus,
	task.TaskDueSoon:     TaskDueSoon,
	task.TaskOverdue:     TaskOverdue,
	task.TaskDeleted:     TaskDeleted,
}

func (r *router) task(seq uint64, c task.Change) []delivery {
	typ, ok := taskTypes[c.Type]
	if !ok {
		return nil
	}
	prev := r.tasks[c.TaskID]
	users := taskPeople(c)
	for _, u := range prev.users {
		if c.Type == task.TaskDeleted && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	if c.Task != nil {
		done := prev.status == task.StatusDone || prev.status == task.StatusCancelled
		switch st := c.Task.Status; {
		case st == task.StatusDone && (c.Type == task.TaskCompleted || c.Type == task.TaskStatus):
			typ = TaskDone
		case st == task.StatusCancelled && c.Type == task.TaskStatus:
			typ = TaskCancelled
		case done && c.Type == task.TaskStatus:
			typ = TaskReopened
		}
		r.tasks[c.TaskID] = taskState{users: taskPeople(task.Change{Task: c.Task}), status: c.Task.Status}
	}
	if c.Type == task.TaskDeleted {
		delete(r.tasks, c.TaskID)
	}
	ev := newEvent(seq, typ)
	ev.Actor, ev.At, ev.TaskID, ev.Task = c.Actor, c.At, c.TaskID, c.Task
	return []delivery{{ev: ev, users: users}}
}

// calendar routes an event change to the organizer and the attendees of
// the event as it is now (one read per record, whoever is connected);
// people newly invited get event_invited, people no longer invited
// event_cancelled.
func (r *router) calendar(ctx context.Context, seq uint64, c calendar.Change) ([]delivery, error) {
	var typ EventType
	switch c.Type {
	case calendar.EventCreated:
		typ = EventInvited
	case calendar.EventUpdated, calendar.EventMoved:
		typ = EventUpdated
	case calendar.EventDeleted:
		typ = EventCancelled
	case calendar.EventResponded:
		typ = EventRSVP
	case calendar.ReminderDue:
		return r.reminder(ctx, seq, c)
	default:
		return nil, nil
	}
	mk := func(t EventType, e *calendar.Event) *Event {
		ev := newEvent(seq, t)
		ev.Actor, ev.At, ev.EventID, ev.CalendarID = c.Actor, c.At, c.EventID, c.CalendarID
		ev.CalendarEvent = e
		if t == EventRSVP {
			ev.Subject, ev.Role = c.User, c.Role
		}
		return ev
	}
	prev := r.cal[c.EventID]
	if typ == EventCancelled {
		delete(r.cal, c.EventID)
		return []delivery{{ev: mk(typ, nil), users: addUser(prev, c.Actor)}}, nil
	}
	e, err := lookupEvent(ctx, r.w, c.EventID)
	if errors.Is(err, store.ErrNotFound) {
		// Deleted since: the people last seen, without the object.
		return []delivery{{ev: mk(typ, nil), users: addUser(addUser(prev, c.Actor), c.User)}}, nil
	}
	if err != nil {
		return nil, err
	}
	people := addUser(nil, e.Organizer)
	for _, a := range e.Attendees {
		people = addUser(people, a.User)
	}
	r.cal[c.EventID] = people
	ev := mk(typ, &e)
	if typ != EventUpdated || prev == nil {
		return []delivery{{ev: ev, users: addUser(people, c.Actor)}}, nil
	}
	var kept, invited, dropped []string
	for _, u := range people {
		if slices.Contains(prev, u) {
			kept = append(kept, u)
		} else {
			invited = append(invited, u)
		}
	}
	for _, u := range prev {
		if !slices.Contains(people, u) {
			dropped = append(dropped, u)
		}
	}
	out := []delivery{{ev: ev, users: addUser(kept, c.Actor)}}
	if len(invited) > 0 {
		out = append(out, delivery{ev: mk(EventInvited, &e), users: invited})
	}
	if len(dropped) > 0 {
		out = append(out, delivery{ev: mk(EventCancelled, nil), users: dropped})
	}
	return out, nil
}

// reminder routes a meeting reminder to the one person it is for, with
// the event as it is now; none when the event is gone.
func (r *router) reminder(ctx context.Context, seq uint64, c calendar.Change) ([]delivery, error) {
	e, err := lookupEvent(ctx, r.w, c.EventID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ev := newEvent(seq, EventReminder)
	ev.At, ev.EventID, ev.CalendarID, ev.InstanceStart = c.At, c.EventID, c.CalendarID, c.InstanceStart
	ev.CalendarEvent = &e
	return []delivery{{ev: ev, users: []string{c.User}}}, nil
}

// lookupEvent is the trusted read of a calendar event, the one place the
// router reads an object the record does not carry.
func lookupEvent(ctx context.Context, w *Workspace, id string) (calendar.Event, error) {
	return w.Calendar.System().Event(ctx, id)
}

func addUser(us []string, u string) []string {
	if u == "" || slices.Contains(us, u) {
		return us
	}
	return append(slices.Clip(us), u)
}

func (r *router) docs(seq uint64, c docacl.Change) []delivery {
	mk := func(t EventType) *Event {
		ev := newEvent(seq, t)
		ev.Actor, ev.At, ev.Resource = c.Actor, c.At, c.Resource
		return ev
	}
	user := strings.TrimPrefix(c.Principal, "user:")
	direct := c.Principal != "" && user != c.Principal
	switch c.Type {
	case docacl.GrantSet:
		if direct {
			ev := mk(DocShared)
			ev.Subject, ev.Role = user, c.After
			return []delivery{{ev: ev, users: []string{user}}}
		}
	case docacl.GrantRevoked, docacl.GrantExpired:
		if direct {
			ev := mk(DocAccessRemoved)
			ev.Subject, ev.Role = user, c.Before
			return []delivery{{ev: ev, users: []string{user}}}
		}
	case docacl.OwnerTransferred:
		ev := mk(DocOwnerTransferred)
		ev.Subject = c.After
		return []delivery{{ev: ev, users: addUser(addUser(nil, c.After), c.Before)}}
	case docacl.UserSet:
		if len(c.Users) > 0 {
			return []delivery{{ev: mk(DirectoryUpdated), users: c.Users}}
		}
	}
	return nil
}
