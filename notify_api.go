package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/workspace-go/workspace/store"
)

func (w *Workspace) feedOn(op, user string) error {
	if w.notifier == nil {
		return fmt.Errorf("workspace: %s: %w", op, ErrNotifications)
	}
	if user == "" || len(user) > 256 || strings.Contains(user, "/") {
		return fmt.Errorf("workspace: %s: user %q: %w", op, user, store.ErrInvalid)
	}
	return nil
}

// NotificationQuery selects a page of a person's feed.
type NotificationQuery struct {
	// Cursor is the Next of the previous page; empty for the first.
	Cursor string `json:"cursor,omitempty"`
	// Limit is the page size, 1 to MaxNotificationPage; 0 means
	// DefaultNotificationPage.
	Limit int `json:"limit,omitempty"`
}

// Notifications returns a page of user's feed, newest first. Held
// notifications (do-not-disturb) appear once released.
func (w *Workspace) Notifications(ctx context.Context, user string, q NotificationQuery) (store.Page[Notification], error) {
	var p store.Page[Notification]
	if err := w.feedOn("notifications", user); err != nil {
		return p, err
	}
	limit := q.Limit
	switch {
	case limit == 0:
		limit = DefaultNotificationPage
	case limit < 0 || limit > MaxNotificationPage:
		return p, fmt.Errorf("workspace: notifications: limit %d not in 1..%d: %w", limit, MaxNotificationPage, store.ErrInvalid)
	}
	prefix := []byte("notify/f/" + user + "/")
	r := store.Range{Start: prefix, End: store.PrefixEnd(prefix), Reverse: true, Limit: limit + 1}
	if q.Cursor != "" {
		seq, err := strconv.ParseUint(q.Cursor, 10, 64)
		if err != nil {
			return p, fmt.Errorf("workspace: notifications: cursor %q: %w", q.Cursor, store.ErrInvalid)
		}
		r.End = kFeed(user, seq)
	}
	err := w.st.View(ctx, func(tx store.Tx) error {
		for _, v := range tx.Scan(r) {
			var n Notification
			if err := json.Unmarshal(v, &n); err != nil {
				return fmt.Errorf("notification: %v: %w", err, store.ErrInvalid)
			}
			p.Items = append(p.Items, n)
		}
		return nil
	})
	if err != nil {
		return store.Page[Notification]{}, fmt.Errorf("workspace: notifications of %q: %w", user, err)
	}
	if len(p.Items) > limit {
		p.Items = p.Items[:limit]
		p.Next = strconv.FormatUint(p.Items[limit-1].Seq, 10)
	}
	return p, nil
}

// UnreadNotifications returns how many of user's notifications are
// unread.
func (w *Workspace) UnreadNotifications(ctx context.Context, user string) (int, error) {
	if err := w.feedOn("unread notifications", user); err != nil {
		return 0, err
	}
	var c uint64
	err := w.st.View(ctx, func(tx store.Tx) (err error) {
		c, err = getUint(tx, kCount(user))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("workspace: unread notifications of %q: %w", user, err)
	}
	return int(c), nil
}

// MarkNotificationRead marks user's notification id read; marking one
// that is read already does nothing. An unknown id is store.ErrNotFound.
func (w *Workspace) MarkNotificationRead(ctx context.Context, user, id string) error {
	if err := w.feedOn("mark notification read", user); err != nil {
		return err
	}
	seq, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return fmt.Errorf("workspace: mark notification %q read: %w", id, store.ErrNotFound)
	}
	return w.st.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Get(kFeed(user, seq))
		if err != nil {
			return fmt.Errorf("workspace: mark notification %q read: %w", id, err)
		}
		return markRead(tx, user, seq, v)
	})
}

func markRead(tx store.Tx, user string, seq uint64, v []byte) error {
	var n Notification
	if err := json.Unmarshal(v, &n); err != nil {
		return fmt.Errorf("workspace: notification %d: %v: %w", seq, err, store.ErrInvalid)
	}
	if n.Read {
		return nil
	}
	n.Read = true
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if err := tx.Put(kFeed(user, seq), b); err != nil {
		return err
	}
	if err := tx.Delete(kUnread(user, seq)); err != nil {
		return err
	}
	c, err := getUint(tx, kCount(user))
	if err != nil {
		return err
	}
	return putUint(tx, kCount(user), max(c, 1)-1)
}

// MaxMarkAll is how many notifications one transaction of
// MarkAllNotificationsRead or ReleaseNotifications handles; each repeats
// until none is left.
const MaxMarkAll = 500

// MarkAllNotificationsRead marks all of user's notifications read and
// returns how many it marked.
func (w *Workspace) MarkAllNotificationsRead(ctx context.Context, user string) (int, error) {
	if err := w.feedOn("mark all notifications read", user); err != nil {
		return 0, err
	}
	total, err := inBatches(ctx, w.st, func(tx store.Tx) (int, error) {
		var seqs []uint64
		for k := range tx.Scan(store.Range{Start: kUnread(user, 0), End: store.PrefixEnd([]byte("notify/u/" + user + "/")), Limit: MaxMarkAll}) {
			s, err := strconv.ParseUint(string(k[strings.LastIndexByte(string(k), '/')+1:]), 10, 64)
			if err != nil {
				return 0, err
			}
			seqs = append(seqs, s)
		}
		for _, s := range seqs {
			v, err := tx.Get(kFeed(user, s))
			if err != nil {
				return 0, err
			}
			if err := markRead(tx, user, s, v); err != nil {
				return 0, err
			}
		}
		return len(seqs), nil
	})
	if err != nil {
		return total, fmt.Errorf("workspace: mark all notifications of %q read: %w", user, err)
	}
	return total, nil
}

// inBatches runs fn in transactions until one does fewer than MaxMarkAll
// items, and returns the sum.
func inBatches(ctx context.Context, st store.Store, fn func(tx store.Tx) (int, error)) (int, error) {
	total := 0
	for {
		n := 0
		err := st.Update(ctx, func(tx store.Tx) (err error) {
			n, err = fn(tx)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < MaxMarkAll {
			return total, nil
		}
	}
}

// SetNotificationSettings replaces user's notification rules.
func (w *Workspace) SetNotificationSettings(ctx context.Context, user string, s NotificationSettings) error {
	if err := w.feedOn("set notification settings", user); err != nil {
		return err
	}
	if _, _, err := s.validate(w.opts.Location); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return w.st.Update(ctx, func(tx store.Tx) error { return tx.Put(kSettings(user), b) })
}

// NotificationSettingsOf returns user's notification rules.
func (w *Workspace) NotificationSettingsOf(ctx context.Context, user string) (NotificationSettings, error) {
	var s NotificationSettings
	if err := w.feedOn("notification settings", user); err != nil {
		return s, err
	}
	err := w.st.View(ctx, func(tx store.Tx) (err error) {
		s, err = settingsIn(tx, user)
		return err
	})
	return s, err
}

// ReleaseNotifications delivers the notifications held by
// do-not-disturb hours that ended at or before Options.Now, each once
// (several nodes may call it), and returns how many it delivered. Call it
// with Sweep.
func (w *Workspace) ReleaseNotifications(ctx context.Context) (int, error) {
	if w.notifier == nil {
		return 0, fmt.Errorf("workspace: release notifications: %w", ErrNotifications)
	}
	end := []byte("notify/h/" + seqPart(uint64(w.now().UnixNano())+1))
	total, err := inBatches(ctx, w.st, func(tx store.Tx) (int, error) {
		type held struct {
			key  []byte
			user string
			n    Notification
		}
		var hs []held
		for k, v := range tx.Scan(store.Range{Start: []byte("notify/h/"), End: end, Limit: MaxMarkAll}) {
			parts := strings.Split(string(k), "/")
			if len(parts) != 5 {
				return 0, fmt.Errorf("held notification key %q: %w", k, store.ErrInvalid)
			}
			var no Notification
			if err := json.Unmarshal(v, &no); err != nil {
				return 0, fmt.Errorf("held notification: %v: %w", err, store.ErrInvalid)
			}
			hs = append(hs, held{append([]byte(nil), k...), parts[3], no})
		}
		for _, h := range hs {
			if err := deliver(tx, h.user, h.n); err != nil {
				return 0, err
			}
			if err := tx.Delete(h.key); err != nil {
				return 0, err
			}
		}
		return len(hs), nil
	})
	if err != nil {
		return total, fmt.Errorf("workspace: release notifications: %w", err)
	}
	return total, nil
}
