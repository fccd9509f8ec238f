package task

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Change is the change-log record of one mutation, appended with Kind in
// the transaction that made it. Applications follow the log (store.Follow)
// to deliver nudges and reminders; the search indexer reads Task.
type Change struct {
	// Type is one of the Change... constants ("task.created", ...).
	Type string `json:"type"`
	// TaskID is the task changed.
	TaskID string `json:"task_id"`
	// Actor is who made the change; empty for reminders from Sweep.
	Actor string `json:"actor,omitempty"`
	// At is when, by the Service's clock.
	At time.Time `json:"at"`
	// Users are the people to tell: the assignees of a new task, those
	// newly assigned, those nudged, or the assignees still to finish a task
	// that is due soon or overdue.
	Users []string `json:"users,omitempty"`
	// Activity is what the change recorded in the task's activity.
	Activity []Activity `json:"activity,omitempty"`
	// Task is the task after the change; nil for ChangeDeleted.
	Task *Task `json:"task,omitempty"`
}

// Change types.
const (
	ChangeCreated     = "task.created"
	ChangeUpdated     = "task.updated" // title, description, due, priority or mode edited
	ChangeAssigned    = "task.assigned"
	ChangeUnassigned  = "task.unassigned"
	ChangeFollowed    = "task.followed"
	ChangeUnfollowed  = "task.unfollowed"
	ChangeStatus      = "task.status" // the whole task's status set (also reopen)
	ChangeCompleted   = "task.completed"
	ChangeUncompleted = "task.uncompleted"
	ChangeCommented   = "task.commented"
	ChangeNudged      = "task.nudged"
	ChangeDueSoon     = "task.due_soon"
	ChangeOverdue     = "task.overdue"
	ChangeDeleted     = "task.deleted"
)

// DecodeChange decodes a change-log record written by this package. ok is
// false (and err nil) when c was written by another package (c.Kind is not
// Kind).
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("task: decode change %d: %w", c.Seq, err)
	}
	return ch, true, nil
}
