package workspace

import (
	"context"
	"fmt"
	"time"
)

// Swept is what one Sweep recorded.
type Swept struct {
	// Reminders is the task reminders sent: due soon and overdue.
	Reminders int `json:"reminders"`
	// Expired is the document grants and share links whose expiry was
	// recorded.
	Expired int `json:"expired"`
	// Released is the notifications held by do-not-disturb hours that
	// were delivered (with Options.Notifications).
	Released int `json:"released,omitempty"`
	// MeetingReminders is the meeting reminders emitted
	// (calendar.Service.Sweep), one per instance, person and reminder.
	MeetingReminders int `json:"meeting_reminders"`
}

// Sweep does the Workspace's timed duties that are due at Options.Now:
// task reminders (task.Service.Sweep), meeting reminders
// (calendar.Service.Sweep), the expiry of document grants
// and share links (docacl.Service.Sweep), which leave the sharing lists
// and enter the audit trail, and, with Options.Notifications, the
// release of notifications held by do-not-disturb hours. Each is recorded once, even with several
// nodes sweeping the same store at the same time, so every node may run
// it. Call it on a timer, or when NextSweep says:
//
//	for {
//		next, ok, err := ws.NextSweep(ctx)
//		// wait until next (or a minute, when !ok), then:
//		ws.Sweep(ctx)
//	}
func (w *Workspace) Sweep(ctx context.Context) (Swept, error) {
	now := w.now()
	var s Swept
	var err error
	if s.Reminders, err = w.Tasks.Sweep(ctx, now); err != nil {
		return s, fmt.Errorf("workspace: sweep: %w", err)
	}
	if s.Expired, err = w.Docs.Sweep(ctx, now); err != nil {
		return s, fmt.Errorf("workspace: sweep: %w", err)
	}
	if s.MeetingReminders, err = w.Calendar.Sweep(ctx, now); err != nil {
		return s, fmt.Errorf("workspace: sweep: %w", err)
	}
	if w.notifier != nil {
		if s.Released, err = w.ReleaseNotifications(ctx); err != nil {
			return s, fmt.Errorf("workspace: sweep: %w", err)
		}
	}
	return s, nil
}

// NextSweep returns when Sweep next has something to do; ok is false when
// nothing is scheduled. Work that is due already returns a time at or
// before now.
func (w *Workspace) NextSweep(ctx context.Context) (next time.Time, ok bool, err error) {
	for _, f := range []func(context.Context) (time.Time, bool, error){w.Tasks.NextSweep, w.Docs.NextSweep, w.Calendar.NextSweep} {
		t, has, err := f(ctx)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("workspace: next sweep: %w", err)
		}
		if has && (!ok || t.Before(next)) {
			next, ok = t, true
		}
	}
	return next, ok, nil
}

// now reads Options.Now, or the real clock.
func (w *Workspace) now() time.Time {
	if w.opts.Now != nil {
		return w.opts.Now()
	}
	return time.Now()
}
