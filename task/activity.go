package task

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Activity is one entry of a task's activity: what happened, who did it
// and when. Entries are numbered from 1 in the order they happened.
type Activity struct {
	// Seq is the entry's position in the task's activity, from 1.
	Seq uint64 `json:"seq"`
	// Type is one of the Act... constants.
	Type string `json:"type"`
	// Actor is who did it; empty for the Service itself (reminders).
	Actor string `json:"actor,omitempty"`
	// At is when it happened, by the Service's clock.
	At time.Time `json:"at"`
	// Users are the people the entry concerns: those assigned, unassigned,
	// followed, unfollowed, nudged or reminded.
	Users []string `json:"users,omitempty"`
	// Field names what an ActEdited entry changed: "title",
	// "description", "priority" or "mode".
	Field string `json:"field,omitempty"`
	// From and To are the old and new value of a changed status, due
	// (Due.String), title, priority or mode. A description change leaves
	// them empty.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Text is a comment's text.
	Text string `json:"text,omitempty"`
}

// Activity types.
const (
	ActCreated     = "created"
	ActEdited      = "edited"
	ActDueChanged  = "due_changed"
	ActAssigned    = "assigned"
	ActUnassigned  = "unassigned"
	ActFollowed    = "followed"
	ActUnfollowed  = "unfollowed"
	ActStatus      = "status_changed"
	ActReopened    = "reopened"
	ActCompleted   = "completed"   // an assignee completed their part
	ActUncompleted = "uncompleted" // an assignee took their completion back
	ActCommented   = "commented"
	ActNudged      = "nudged"
	ActDueSoon     = "due_soon"
	ActOverdue     = "overdue"
)

// MaxComment is the longest comment, in bytes.
const MaxComment = 16 << 10

// Comment adds a comment to task id's activity and returns its entry. Anyone
// who may view the task may comment, also on a closed task.
func (s *Service) Comment(ctx context.Context, actor, id, text string) (Activity, error) {
	if err := checkUser("actor", actor); err != nil {
		return Activity{}, err
	}
	text = strings.TrimSpace(text)
	if err := checkText("comment", text, 1, MaxComment); err != nil {
		return Activity{}, err
	}
	var acts []Activity // save numbers and dates the entries in place
	_, err := s.mutate(ctx, actor, id, s.now(), func(r *record) (step, error) {
		if !canView(&r.Task, actor) {
			return step{}, fmt.Errorf("task: %s may not comment on %q: %w", actor, id, ErrForbidden)
		}
		acts = []Activity{{Type: ActCommented, Actor: actor, Text: text}}
		return step{typ: ChangeCommented, acts: acts}, nil
	})
	if err != nil {
		return Activity{}, err
	}
	return acts[0], nil
}

// ActivityPage is one page of a task's activity.
type ActivityPage struct {
	Entries []Activity
	// Next is the Seq to pass as after for the following page, or 0 when
	// this page is the last.
	Next uint64
}

// Activity returns the activity of task id in order, the entries with Seq
// greater than after, at most limit of them (limit <= 0 means 100, and at
// most 1000). The actor must be able to view the task.
func (s *Service) Activity(ctx context.Context, actor, id string, after uint64, limit int) (ActivityPage, error) {
	if err := checkUser("actor", actor); err != nil {
		return ActivityPage{}, err
	}
	if err := checkID(id); err != nil {
		return ActivityPage{}, err
	}
	limit = pageSize(limit, 100, 1000)
	var out ActivityPage
	err := s.st.View(ctx, func(tx store.Tx) error {
		out = ActivityPage{}
		r, err := load(tx, id)
		if err != nil {
			return err
		}
		if !canView(&r.Task, actor) {
			return fmt.Errorf("task: %s may not view %q: %w", actor, id, ErrForbidden)
		}
		p := activityPrefix(id)
		rg := store.Range{Start: keys.AppendUint64(activityPrefix(id), after+1), End: store.PrefixEnd(p), Limit: limit + 1}
		if after == ^uint64(0) {
			return nil
		}
		for _, v := range tx.Scan(rg) {
			if len(out.Entries) == limit {
				out.Next = out.Entries[limit-1].Seq
				break
			}
			var a Activity
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("task: decode activity of %q: %w", id, err)
			}
			out.Entries = append(out.Entries, a)
		}
		return nil
	})
	return out, err
}

func pageSize(n, def, max int) int {
	if n <= 0 {
		return def
	}
	return min(n, max)
}
