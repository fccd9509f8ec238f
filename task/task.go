package task

import (
	"fmt"
	"slices"
	"time"
)

// Status is where a task stands as a whole.
type Status string

// The statuses of a task. Todo and InProgress are open; Done and Cancelled
// are closed.
const (
	StatusTodo       Status = "todo"
	StatusInProgress Status = "in_progress"
	StatusDone       Status = "done"
	StatusCancelled  Status = "cancelled"
)

// Open reports whether s is todo or in progress.
func (s Status) Open() bool { return s == StatusTodo || s == StatusInProgress }

func (s Status) valid() bool { return s.Open() || s == StatusDone || s == StatusCancelled }

// code is the one-byte form used inside index keys and values.
func (s Status) code() byte {
	switch s {
	case StatusTodo:
		return 't'
	case StatusInProgress:
		return 'p'
	case StatusDone:
		return 'd'
	case StatusCancelled:
		return 'c'
	}
	return '?'
}

func statusOfCode(c byte) Status {
	switch c {
	case 't':
		return StatusTodo
	case 'p':
		return StatusInProgress
	case 'd':
		return StatusDone
	case 'c':
		return StatusCancelled
	}
	return ""
}

// Priority orders tasks by urgency. The zero value is PriorityNormal.
type Priority int8

// The priorities, lowest first.
const (
	PriorityLow    Priority = -1
	PriorityNormal Priority = 0
	PriorityHigh   Priority = 1
	PriorityUrgent Priority = 2
)

// String returns "low", "normal", "high" or "urgent".
func (p Priority) String() string {
	switch p {
	case PriorityLow:
		return "low"
	case PriorityNormal:
		return "normal"
	case PriorityHigh:
		return "high"
	case PriorityUrgent:
		return "urgent"
	}
	return fmt.Sprintf("Priority(%d)", int8(p))
}

func (p Priority) valid() bool { return p >= PriorityLow && p <= PriorityUrgent }

// MarshalText encodes p by name.
func (p Priority) MarshalText() ([]byte, error) {
	if !p.valid() {
		return nil, fmt.Errorf("task: priority %d: %w", int8(p), ErrInvalid)
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (p *Priority) UnmarshalText(b []byte) error {
	for q := PriorityLow; q <= PriorityUrgent; q++ {
		if string(b) == q.String() {
			*p = q
			return nil
		}
	}
	return fmt.Errorf("task: priority %q: %w", b, ErrInvalid)
}

// Mode says when the parts of a task given to several people complete it.
type Mode string

const (
	// ModeAll (the default, "会签"): the task is done when every assignee
	// has completed their part. Progress reads 2/3 until then.
	ModeAll Mode = "all"
	// ModeAny ("或签"): the task is done as soon as one assignee completes.
	ModeAny Mode = "any"
)

// Assignee is one person a task is given to, with their own completion.
type Assignee struct {
	User string `json:"user"`
	// Done reports whether this assignee has completed their part.
	Done bool `json:"done,omitempty"`
	// DoneAt is when they did, or the zero time.
	DoneAt time.Time `json:"done_at,omitzero"`
	// Nudges is how many nudges were sent to this assignee on the task.
	Nudges int `json:"nudges,omitempty"`
}

// Source links a task to where it came from, such as a chat message
// (Kind "chat.message", ID the message id). The task package treats both
// as opaque strings.
type Source struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// IsZero reports whether s is the empty source.
func (s Source) IsZero() bool { return s.Kind == "" && s.ID == "" }

// Task is a unit of work. Values returned by the Service are copies: change
// a task through the Service's methods.
type Task struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Creator     string     `json:"creator"`
	Assignees   []Assignee `json:"assignees,omitempty"`
	Followers   []string   `json:"followers,omitempty"`
	Due         Due        `json:"due,omitzero"`
	Priority    Priority   `json:"priority"`
	Status      Status     `json:"status"`
	Mode        Mode       `json:"mode"`
	Source      Source     `json:"source,omitzero"`
	Created     time.Time  `json:"created"`
	Updated     time.Time  `json:"updated"`
	// Closed is when the task was last done or cancelled; zero while open.
	Closed time.Time `json:"closed,omitzero"`
	// Nudged is when the task was last nudged; zero if never.
	Nudged time.Time `json:"nudged,omitzero"`
	// Nudges is how many times the task was nudged.
	Nudges int `json:"nudges,omitempty"`
	// Parent is the task this one is a subtask of, or "".
	Parent string `json:"parent,omitempty"`
	// Subtasks counts the task's direct subtasks by where they stand.
	Subtasks Subtasks `json:"subtasks,omitzero"`
	// Checklist is the task's checklist, in order.
	Checklist []CheckItem `json:"checklist,omitempty"`
	// Repeat is set on an occurrence of a recurring task.
	Repeat *Repeat `json:"repeat,omitempty"`
}

// Subtasks counts a task's direct subtasks: Total of them, Done and
// Cancelled; the rest are open.
type Subtasks struct {
	Total     int `json:"total"`
	Done      int `json:"done"`
	Cancelled int `json:"cancelled,omitempty"`
}

// Open returns how many subtasks are todo or in progress.
func (c Subtasks) Open() int { return c.Total - c.Done - c.Cancelled }

// CheckItem is one line of a task's checklist.
type CheckItem struct {
	// ID names the item within its task ("1", "2", ...).
	ID   string `json:"id"`
	Text string `json:"text"`
	Done bool   `json:"done,omitempty"`
	// DoneBy and DoneAt say who checked the item and when.
	DoneBy string    `json:"done_by,omitempty"`
	DoneAt time.Time `json:"done_at,omitzero"`
}

// Repeat describes the series an occurrence of a recurring task belongs
// to. The next occurrence is made when this one is done (see the package
// doc, Recurring tasks).
type Repeat struct {
	// Rule is the RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO").
	Rule string `json:"rule"`
	// Start is the series' DTSTART: the due of the occurrence the rule was
	// set on. COUNT and INTERVAL count from it.
	Start Due `json:"start"`
	// Series is the id of the series' first occurrence.
	Series string `json:"series"`
	// Index is the occurrence's number in the series, from 1.
	Index int `json:"index"`
	// Next is the id of the following occurrence, once it was made.
	Next string `json:"next,omitempty"`
}

// Rollup returns the progress of t's parts below it: its subtasks done
// and checklist items checked, of its subtasks not cancelled and its
// checklist items. A task with neither reads 0/0.
func (t Task) Rollup() (done, total int) {
	done, total = t.Subtasks.Done, t.Subtasks.Total-t.Subtasks.Cancelled
	for _, c := range t.Checklist {
		if c.Done {
			done++
		}
	}
	return done, total + len(t.Checklist)
}

// Progress returns how many assignees have completed their part, of how
// many: a task given to three people shows 2/3.
func (t Task) Progress() (done, total int) {
	for _, a := range t.Assignees {
		if a.Done {
			done++
		}
	}
	return done, len(t.Assignees)
}

// Overdue reports whether t is open, has a due time and its deadline is at
// or before now.
func (t Task) Overdue(now time.Time) bool {
	return t.Status.Open() && !t.Due.IsZero() && !now.Before(t.Due.Deadline())
}

// IsAssignee reports whether user is one of t's assignees.
func (t Task) IsAssignee(user string) bool { return t.assignee(user) >= 0 }

// IsFollower reports whether user follows t.
func (t Task) IsFollower(user string) bool { return slices.Contains(t.Followers, user) }

// Pending returns the assignees who have not completed their part.
func (t Task) Pending() []string {
	var out []string
	for _, a := range t.Assignees {
		if !a.Done {
			out = append(out, a.User)
		}
	}
	return out
}

func (t Task) assignee(user string) int {
	for i, a := range t.Assignees {
		if a.User == user {
			return i
		}
	}
	return -1
}

func (t Task) clone() Task {
	t.Assignees = slices.Clone(t.Assignees)
	t.Followers = slices.Clone(t.Followers)
	t.Checklist = slices.Clone(t.Checklist)
	if t.Repeat != nil {
		r := *t.Repeat
		t.Repeat = &r
	}
	return t
}
