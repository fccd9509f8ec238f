package workspace

import (
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// NotificationCause is why a person got a [Notification]. It encodes as
// its string; the values never change.
type NotificationCause string

// Notification causes.
const (
	CauseMention        NotificationCause = "mention" // @name, @all or 大家
	CauseDirectMessage  NotificationCause = "direct_message"
	CauseThreadReply    NotificationCause = "thread_reply" // in a thread they follow
	CauseTaskAssigned   NotificationCause = "task_assigned"
	CauseTaskNudged     NotificationCause = "task_nudged"
	CauseTaskDueSoon    NotificationCause = "task_due_soon"
	CauseTaskOverdue    NotificationCause = "task_overdue"
	CauseMeetingInvited NotificationCause = "meeting_invited"
	// CauseMeetingReminder is a meeting reminder (calendar.ReminderDue).
	CauseMeetingReminder NotificationCause = "meeting_reminder"
	CauseDocShared       NotificationCause = "doc_shared"
	CauseDocTransferred  NotificationCause = "doc_transferred"
)

// Notification is one entry of a person's activity feed. It is the wire
// form: every field has a snake_case JSON tag. There is at most one per
// change record and person: its ID derives from the record's position,
// so a record is never notified twice, whichever node wrote it.
type Notification struct {
	ID    string            `json:"id"`
	Cause NotificationCause `json:"cause"`
	// Seq is the position of the change record that caused it.
	Seq   uint64    `json:"seq"`
	Actor string    `json:"actor,omitempty"`
	At    time.Time `json:"at"`
	// Delivered is when it entered the feed: At, or the end of the
	// person's do-not-disturb hours when it was held.
	Delivered time.Time `json:"delivered"`

	Conversation string `json:"conversation,omitempty"`
	MessageID    string `json:"message_id,omitempty"`
	TaskID       string `json:"task_id,omitempty"`
	EventID      string `json:"event_id,omitempty"`
	Resource     string `json:"resource,omitempty"`
	// Title is a short text to show: the message's first
	// MaxNotificationTitle runes, the task's or meeting's title.
	Title  string `json:"title,omitempty"`
	Urgent bool   `json:"urgent,omitempty"`
	Read   bool   `json:"read,omitempty"`
}

// NotificationSettings are a person's rules for their feed.
type NotificationSettings struct {
	// Muted conversations notify nothing, not even mentions.
	Muted []string `json:"muted,omitempty"`
	// MentionsOnly conversations notify mentions (@all included) only.
	MentionsOnly []string `json:"mentions_only,omitempty"`
	// DNDStart and DNDEnd ("HH:MM", in Zone) are the do-not-disturb
	// hours: notifications caused then are held and delivered at DNDEnd
	// (by ReleaseNotifications), except urgent messages. Both empty: none.
	// A window may cross midnight ("22:00" to "08:00").
	DNDStart string `json:"dnd_start,omitempty"`
	DNDEnd   string `json:"dnd_end,omitempty"`
	// Zone is the person's IANA time zone; empty means the Workspace's
	// Location.
	Zone string `json:"zone,omitempty"`
}

// Limits of notifications.
const (
	// MaxNotificationRules is the most conversations Muted and
	// MentionsOnly may each list.
	MaxNotificationRules = 1000
	// MaxNotificationTitle is the most runes of a Title.
	MaxNotificationTitle = 200
	// MaxNotificationPage is the largest page of Notifications; 0 means
	// DefaultNotificationPage.
	MaxNotificationPage     = 200
	DefaultNotificationPage = 50
)

// ErrNotifications reports Notifications used without
// Options.Notifications. It wraps store.ErrInvalid.
var ErrNotifications = fmt.Errorf("workspace: notifications are off (Options.Notifications): %w", store.ErrInvalid)

func (s NotificationSettings) validate(loc *time.Location) (dnd *dndWindow, zone *time.Location, err error) {
	bad := func(f string, a ...any) error {
		return fmt.Errorf("workspace: notification settings: "+f+": %w", append(a, store.ErrInvalid)...)
	}
	for _, l := range [][]string{s.Muted, s.MentionsOnly} {
		if len(l) > MaxNotificationRules {
			return nil, nil, fmt.Errorf("workspace: notification settings: %d conversations, over %d: %w", len(l), MaxNotificationRules, store.ErrTooLarge)
		}
		for _, c := range l {
			if c == "" || len(c) > 256 {
				return nil, nil, bad("conversation id %q", c)
			}
		}
	}
	zone = loc
	if s.Zone != "" {
		if zone, err = time.LoadLocation(s.Zone); err != nil || len(s.Zone) > 64 {
			return nil, nil, bad("zone %q", s.Zone)
		}
	}
	if s.DNDStart == "" && s.DNDEnd == "" {
		return nil, zone, nil
	}
	a, err1 := time.Parse("15:04", s.DNDStart)
	b, err2 := time.Parse("15:04", s.DNDEnd)
	if err1 != nil || err2 != nil || a.Equal(b) {
		return nil, nil, bad("do-not-disturb %q to %q", s.DNDStart, s.DNDEnd)
	}
	return &dndWindow{start: a.Hour()*60 + a.Minute(), end: b.Hour()*60 + b.Minute()}, zone, nil
}

// dndWindow is a daily window in minutes after midnight.
type dndWindow struct{ start, end int }

// heldUntil returns the end of the window t falls in, or the zero time
// when t is outside it.
func (d *dndWindow) heldUntil(t time.Time, zone *time.Location) time.Time {
	if d == nil {
		return time.Time{}
	}
	lt := t.In(zone)
	m := lt.Hour()*60 + lt.Minute()
	in := d.start < d.end && m >= d.start && m < d.end ||
		d.start > d.end && (m >= d.start || m < d.end)
	if !in {
		return time.Time{}
	}
	y, mo, dd := lt.Date()
	end := time.Date(y, mo, dd, d.end/60, d.end%60, 0, 0, zone)
	if !end.After(lt) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

func (s NotificationSettings) muted(conv string) bool { return slices.Contains(s.Muted, conv) }
func (s NotificationSettings) mentionsOnly(conv string) bool {
	return slices.Contains(s.MentionsOnly, conv)
}
