package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

// The feed's keys, under the root prefix "notify/":
//
//	notify/pos                        the notifier's durable log position
//	notify/f/<user>/<seq>             a notification (JSON), seq 20 digits
//	notify/u/<user>/<seq>             an unread notification (empty)
//	notify/c/<user>                   the unread count (decimal)
//	notify/h/<until>/<user>/<seq>     a held notification (JSON), until in
//	                                  Unix nanoseconds, 20 digits
//	notify/s/<user>                   the person's settings (JSON)
var keyNotifyPos = []byte("notify/pos")

func seqPart(seq uint64) string { return fmt.Sprintf("%020d", seq) }

func kFeed(user string, seq uint64) []byte   { return []byte("notify/f/" + user + "/" + seqPart(seq)) }
func kUnread(user string, seq uint64) []byte { return []byte("notify/u/" + user + "/" + seqPart(seq)) }
func kCount(user string) []byte              { return []byte("notify/c/" + user) }
func kSettings(user string) []byte           { return []byte("notify/s/" + user) }
func kHeld(until time.Time, user string, seq uint64) []byte {
	return []byte("notify/h/" + seqPart(uint64(until.UnixNano())) + "/" + user + "/" + seqPart(seq))
}

func getUint(tx store.Tx, k []byte) (uint64, error) {
	v, err := tx.Get(k)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(string(v), 10, 64)
}

func putUint(tx store.Tx, k []byte, n uint64) error {
	return tx.Put(k, []byte(strconv.FormatUint(n, 10)))
}

func exists(tx store.Tx, k []byte) (bool, error) {
	_, err := tx.Get(k)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// deliver puts n into user's feed unless it is there already, and counts
// it unread.
func deliver(tx store.Tx, user string, n Notification) error {
	if ok, err := exists(tx, kFeed(user, n.Seq)); err != nil || ok {
		return err
	}
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if err := tx.Put(kFeed(user, n.Seq), b); err != nil {
		return err
	}
	if err := tx.Put(kUnread(user, n.Seq), []byte{}); err != nil {
		return err
	}
	c, err := getUint(tx, kCount(user))
	if err != nil {
		return err
	}
	return putUint(tx, kCount(user), c+1)
}

func settingsIn(tx store.Tx, user string) (NotificationSettings, error) {
	var s NotificationSettings
	v, err := tx.Get(kSettings(user))
	if errors.Is(err, store.ErrNotFound) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(v, &s)
}

// notifier is the follower that writes the feed: one per Workspace with
// Options.Notifications. Several nodes may each run one: the durable
// position, read and written in the transaction of each record's
// notifications, makes a record notified once.
type notifier struct {
	w      *Workspace
	cancel context.CancelFunc
	done   chan struct{}

	mu   sync.Mutex
	cond *sync.Cond
	pos  uint64 // every record <= pos is handled
	err  error  // why it stopped
	stop bool
}

func startNotifier(ctx context.Context, w *Workspace) (*notifier, error) {
	last, err := w.st.Last(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: notifications: %w", err)
	}
	var from uint64
	err = w.st.Update(ctx, func(tx store.Tx) error {
		p, err := getUint(tx, keyNotifyPos)
		if err != nil || p > 0 {
			from = p
			return err
		}
		from = last // a new feed starts from now
		return putUint(tx, keyNotifyPos, from)
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: notifications: %w", err)
	}
	nctx, cancel := context.WithCancel(context.Background())
	n := &notifier{w: w, cancel: cancel, done: make(chan struct{}), pos: from}
	n.cond = sync.NewCond(&n.mu)
	go n.run(nctx, from)
	return n, nil
}

func (n *notifier) run(ctx context.Context, from uint64) {
	r := newRouter(n.w)
	err := n.w.opts.Backoff.Follow(ctx, n.w.st, from, func(rec store.Change) error {
		ds, err := r.route(ctx, rec)
		if err != nil {
			return err
		}
		causes, err := n.causes(ctx, r, ds)
		if err != nil {
			return err
		}
		if len(causes) > 0 {
			if err := n.write(ctx, rec.Seq, causes); err != nil {
				return err
			}
		}
		n.mu.Lock()
		n.pos = rec.Seq
		n.cond.Broadcast()
		n.mu.Unlock()
		return nil
	})
	n.mu.Lock()
	n.err, n.stop = fmt.Errorf("workspace: notifications: %w", err), true
	n.cond.Broadcast()
	n.mu.Unlock()
	close(n.done)
}

// cause is a notification for one person, before their rules apply.
type cause struct {
	user string
	n    Notification
	// mention reports a mention (kept by MentionsOnly); chat reports a
	// cause in a conversation (subject to Muted and MentionsOnly).
	mention, chat bool
}

func title(s string) string {
	if utf8.RuneCountInString(s) <= MaxNotificationTitle {
		return s
	}
	r := []rune(s)
	return string(r[:MaxNotificationTitle])
}

// causes works out who gets a notification of a record's events.
func (n *notifier) causes(ctx context.Context, r *router, ds []delivery) ([]cause, error) {
	var out []cause
	seen := map[string]bool{}
	add := func(u string, c cause) {
		if u == "" || u == c.n.Actor || seen[u] {
			return
		}
		seen[u] = true
		c.user = u
		out = append(out, c)
	}
	for _, d := range ds {
		ev := d.ev
		base := Notification{ID: seqPart(ev.Seq), Seq: ev.Seq, Actor: ev.Actor, At: ev.At,
			Conversation: ev.Conversation, MessageID: ev.MessageID, TaskID: ev.TaskID, EventID: ev.EventID, Resource: ev.Resource}
		with := func(c NotificationCause) Notification { b := base; b.Cause = c; return b }
		switch ev.Type {
		case MessagePosted:
			m := ev.Message
			if m == nil || m.Deleted {
				continue
			}
			cs := r.convs[ev.Conversation]
			base.Title, base.Urgent = title(m.Text), m.Priority == chat.PriorityUrgent
			for _, u := range m.Mentions { // mentions of members only
				if d.has(u) {
					add(u, cause{n: with(CauseMention), mention: true, chat: true})
				}
			}
			if m.MentionAll || slices.Contains(m.Mentions, "大家") { // chat reads @大家 as a name
				d.each(func(u string) { add(u, cause{n: with(CauseMention), mention: true, chat: true}) })
			}
			if cs != nil && cs.kind == chat.Direct {
				d.each(func(u string) { add(u, cause{n: with(CauseDirectMessage), chat: true}) })
			}
			if m.Root != "" && cs != nil {
				f, err := n.threadFollowers(ctx, cs, m)
				if err != nil {
					return nil, err
				}
				for u, on := range f {
					if on && u != "" && d.has(u) {
						add(u, cause{n: with(CauseThreadReply), chat: true})
					}
				}
				if _, ok := f[m.Author]; !ok {
					f[m.Author] = true // a replier follows, unless they unfollowed
				}
			}
		case TaskCreated, TaskAssigned:
			if ev.Task != nil {
				base.Title = title(ev.Task.Title)
				for _, a := range ev.Task.Assignees {
					if ev.Type == TaskCreated || d.has(a.User) {
						add(a.User, cause{n: with(CauseTaskAssigned)})
					}
				}
			}
		case TaskNudged, TaskDueSoon, TaskOverdue:
			c := map[EventType]NotificationCause{TaskNudged: CauseTaskNudged, TaskDueSoon: CauseTaskDueSoon, TaskOverdue: CauseTaskOverdue}[ev.Type]
			if ev.Task != nil {
				base.Title = title(ev.Task.Title)
				for _, a := range ev.Task.Assignees {
					if !a.Done {
						add(a.User, cause{n: with(c)})
					}
				}
			}
		case EventReminder:
			if e := ev.CalendarEvent; e != nil {
				base.Title = title(e.Title)
				d.each(func(u string) { add(u, cause{n: with(CauseMeetingReminder)}) })
			}
		case EventInvited:
			if e := ev.CalendarEvent; e != nil {
				base.Title = title(e.Title)
				for _, a := range e.Attendees {
					if d.has(a.User) {
						add(a.User, cause{n: with(CauseMeetingInvited)})
					}
				}
			}
		case DocShared:
			add(ev.Subject, cause{n: with(CauseDocShared)})
		case DocOwnerTransferred:
			add(ev.Subject, cause{n: with(CauseDocTransferred)})
		}
	}
	return out, nil
}

// threadFollowers returns the followers of m's thread as the log shows
// them: the root's author and repliers, and explicit follows.
func (n *notifier) threadFollowers(ctx context.Context, cs *convState, m *chat.Message) (map[string]bool, error) {
	if cs.follows == nil {
		cs.follows = map[string]map[string]bool{}
	}
	f := cs.follows[m.Root]
	if f == nil {
		f = map[string]bool{}
		cs.follows[m.Root] = f
	}
	if !f[""] { // the root's author not looked up yet
		root, err := n.w.Chat.System().Message(ctx, m.Root)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if _, ok := f[root.Author]; err == nil && !ok {
			f[root.Author] = true
		}
		f[""] = true
	}
	return f, nil
}

// write records the causes of record seq, with the position, in one
// transaction: nothing if another node (or an earlier run) did already.
func (n *notifier) write(ctx context.Context, seq uint64, cs []cause) error {
	return n.w.st.Update(ctx, func(tx store.Tx) error {
		pos, err := getUint(tx, keyNotifyPos)
		if err != nil || pos >= seq {
			return err
		}
		for _, c := range cs {
			s, err := settingsIn(tx, c.user)
			if err != nil {
				return err
			}
			if c.chat && (s.muted(c.n.Conversation) || s.mentionsOnly(c.n.Conversation) && !c.mention) {
				continue
			}
			dnd, zone, err := s.validate(n.w.opts.Location)
			if err != nil {
				dnd = nil // stored settings were valid when set
			}
			if until := dnd.heldUntil(c.n.At, zone); !until.IsZero() && !c.n.Urgent {
				c.n.Delivered = until
				b, err := json.Marshal(c.n)
				if err != nil {
					return err
				}
				if err := tx.Put(kHeld(until, c.user, seq), b); err != nil {
					return err
				}
				continue
			}
			c.n.Delivered = c.n.At
			if err := deliver(tx, c.user, c.n); err != nil {
				return err
			}
		}
		return putUint(tx, keyNotifyPos, seq)
	})
}

// waitFor waits until the notifier has handled every record up to last.
func (n *notifier) waitFor(ctx context.Context, st store.Store, last uint64) error {
	stop := context.AfterFunc(ctx, func() {
		n.mu.Lock()
		n.cond.Broadcast()
		n.mu.Unlock()
	})
	defer stop()
	for {
		n.mu.Lock()
		pos, err, stopped := n.pos, n.err, n.stop
		n.mu.Unlock()
		if pos >= last {
			return nil
		}
		if stopped {
			return err
		}
		// Records between pos and last may all be another namespace's.
		recs, next, err := st.Changes(ctx, pos, 1)
		if err != nil {
			return err
		}
		if len(recs) == 0 && next >= last {
			return nil
		}
		n.mu.Lock()
		for n.pos == pos && !n.stop && ctx.Err() == nil {
			n.cond.Wait()
		}
		n.mu.Unlock()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func (n *notifier) close() error {
	n.cancel()
	<-n.done
	return nil
}
