package task

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Activity is one entry of a task's activity: what happened, who did it
// and when. Entries are numbered from 1 in the order they happened.
type Activity struct {
	// Seq is the entry's position in the task's activity, from 1.
	Seq uint64 `json:"seq"`
	// Type is what happened: ActCreated, ActCommented, ...
	Type ActivityType `json:"type"`
	// Actor is who did it; empty for the Service itself (reminders).
	Actor string `json:"actor,omitempty"`
	// At is when it happened, by the Service's clock.
	At time.Time `json:"at"`
	// Users are the people the entry concerns: those assigned, unassigned,
	// followed, unfollowed, nudged or reminded.
	Users []string `json:"users,omitempty"`
	// Field names what an ActEdited entry changed: "title",
	// "description", "priority" or "mode"; for a checklist entry, the
	// item's id.
	Field string `json:"field,omitempty"`
	// From and To are the old and new value of a changed status, due
	// (Due.String), title, priority, mode, repetition rule or parent. A
	// description change leaves them empty. The ActCreated entry of a
	// recurring task's next occurrence has the previous one's id in From;
	// a parent's ActSubtaskAdded and ActSubtaskRemoved name the subtask in
	// To and From.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Text is a comment's text, or a checklist item's.
	Text string `json:"text,omitempty"`
}

// ActivityType names what an activity entry records. The values are
// stable: they are stored.
type ActivityType string

// The activity types.
const (
	ActCreated     ActivityType = "created"
	ActEdited      ActivityType = "edited"
	ActDueChanged  ActivityType = "due_changed"
	ActAssigned    ActivityType = "assigned"
	ActUnassigned  ActivityType = "unassigned"
	ActFollowed    ActivityType = "followed"
	ActUnfollowed  ActivityType = "unfollowed"
	ActStatus      ActivityType = "status_changed"
	ActReopened    ActivityType = "reopened"
	ActCompleted   ActivityType = "completed"   // an assignee completed their part
	ActUncompleted ActivityType = "uncompleted" // an assignee took their completion back
	ActCommented   ActivityType = "commented"
	ActNudged      ActivityType = "nudged"
	ActDueSoon     ActivityType = "due_soon"
	ActOverdue     ActivityType = "overdue"
)

// MaxComment is the longest comment, in bytes.
const MaxComment = 16 << 10

// Comment adds a comment to task id's activity and returns its entry. Anyone
// who may view the task may comment, also on a closed task.
func (s *Service) Comment(ctx context.Context, actor, id, text string) (Activity, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Activity{}, err
	}
	text = strings.TrimSpace(text)
	if err := checkText("comment", text, 1, MaxComment); err != nil {
		return Activity{}, err
	}
	var acts []Activity // save numbers and dates the entries in place
	_, err := s.mutate(ctx, "comment on", actor, id, s.now(), func(r *record) (step, error) {
		acts = []Activity{{Type: ActCommented, Actor: actor, Text: text}}
		return step{typ: TaskCommented, acts: acts}, nil
	})
	if err != nil {
		return Activity{}, err
	}
	return acts[0], nil
}

// Activity returns a page of the activity of task id in order, oldest
// first: at most limit entries (limit <= 0 means 100, and at most 1000),
// continuing after cursor (the Next of the previous page; "" for the
// first). The actor must be able to view the task.
func (s *Service) Activity(ctx context.Context, actor, id, cursor string, limit int) (store.Page[Activity], error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return store.Page[Activity]{}, err
	}
	if err := checkID(id); err != nil {
		return store.Page[Activity]{}, err
	}
	limit = pageSize(limit, 100, 1000)
	rg := store.Prefix(activityPrefix(id))
	if cursor != "" {
		c, err := decodeCursor("activity", cursor, rg.Start, rg.End)
		if err != nil {
			return store.Page[Activity]{}, err
		}
		rg.Start = append(c, 0)
	}
	rg.Limit = limit + 1
	var out store.Page[Activity]
	err := s.st.View(ctx, func(tx store.Tx) error {
		out = store.Page[Activity]{}
		if _, err := view(tx, "read activity of", actor, id); err != nil {
			return err
		}
		var last []byte
		for k, v := range tx.Scan(rg) {
			if len(out.Items) == limit {
				out.Next = encodeCursor(last)
				break
			}
			var a Activity
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("task: decode activity of %q: %v: %w", id, err, ErrInvalid)
			}
			out.Items = append(out.Items, a)
			last = append(last[:0], k...)
		}
		return nil
	})
	if err != nil {
		return store.Page[Activity]{}, err
	}
	return out, nil
}

func pageSize(n, def, max int) int {
	if n <= 0 {
		return def
	}
	return min(n, max)
}
