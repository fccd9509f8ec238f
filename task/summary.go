package task

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Summary counts tasks by where they stand. Overdue counts the open tasks
// (todo or in progress) whose deadline has passed; they are also counted
// in Todo or InProgress.
type Summary struct {
	Total      int `json:"total"`
	Todo       int `json:"todo"`
	InProgress int `json:"in_progress"`
	Done       int `json:"done"`
	Cancelled  int `json:"cancelled"`
	Overdue    int `json:"overdue"`
}

// Summary counts the actor's tasks in role that were created within the
// period: for RoleCreator, what the actor handed out this week or month
// and how much of it is done, in progress or late; for RoleAssignee, the
// actor's own parts (a task whose part the actor completed counts as
// done). Overdue is judged by the Service's clock. Summary reads only
// index keys, one range scan, and never the tasks themselves.
func (s *Service) Summary(ctx context.Context, actor string, role Role, period Period) (Summary, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Summary{}, err
	}
	rg, err := s.queryRange(actor, Query{Role: role, Created: period})
	if err != nil {
		return Summary{}, err
	}
	rg.Reverse = false
	now := clampTime(s.now()).UnixNano()
	var out Summary
	err = s.st.View(ctx, func(tx store.Tx) error {
		out = Summary{}
		for k, v := range tx.Scan(rg) {
			st, deadline := decodeRoleValue(v)
			switch st {
			case StatusTodo:
				out.Todo++
			case StatusInProgress:
				out.InProgress++
			case StatusDone:
				out.Done++
			case StatusCancelled:
				out.Cancelled++
			default:
				return fmt.Errorf("task: malformed index value at %q", k)
			}
			out.Total++
			if st.Open() && deadline != 0 && deadline <= now {
				out.Overdue++
			}
		}
		return nil
	})
	return out, err
}
