package task

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ChangeType names what a change record reports. The values are stable:
// they are stored in the change log.
type ChangeType string

// The change types, one per kind of mutation.
const (
	TaskCreated     ChangeType = "task.created"
	TaskUpdated     ChangeType = "task.updated" // title, description, due, priority, mode, checklist or repetition edited
	TaskAssigned    ChangeType = "task.assigned"
	TaskUnassigned  ChangeType = "task.unassigned"
	TaskFollowed    ChangeType = "task.followed"
	TaskUnfollowed  ChangeType = "task.unfollowed"
	TaskStatus      ChangeType = "task.status" // the whole task's status set (also reopen)
	TaskCompleted   ChangeType = "task.completed"
	TaskUncompleted ChangeType = "task.uncompleted"
	TaskCommented   ChangeType = "task.commented"
	TaskNudged      ChangeType = "task.nudged"
	TaskDueSoon     ChangeType = "task.due_soon"
	TaskOverdue     ChangeType = "task.overdue"
	TaskDeleted     ChangeType = "task.deleted"
)

// Change is the change-log record of one mutation, appended with Kind in
// the transaction that made it. Applications follow the log (store.Follow)
// to deliver nudges and reminders; the search indexer reads Task.
type Change struct {
	// Type is what happened: TaskCreated, TaskNudged, ...
	Type ChangeType `json:"type"`
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
	// Task is the task after the change; nil for TaskDeleted.
	Task *Task `json:"task,omitempty"`
}

// DecodeChange decodes a change-log record. For a record of another
// package (c.Kind is not Kind) ok is false and err nil. For one of this
// package's, ok is true and either the change or, when the record is
// malformed (not JSON, no type or task id, no task where the type needs
// one), an error wrapping ErrInvalid (and so store.ErrInvalid).
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("task: decode change %d: %v: %w", c.Seq, err, ErrInvalid)
	}
	switch {
	case ch.Type == "" || ch.TaskID == "":
		return Change{}, true, fmt.Errorf("task: decode change %d: no type or task id: %w", c.Seq, ErrInvalid)
	case ch.Type != TaskDeleted && ch.Task == nil:
		return Change{}, true, fmt.Errorf("task: decode change %d: %s without its task: %w", c.Seq, ch.Type, ErrInvalid)
	}
	return ch, true, nil
}
