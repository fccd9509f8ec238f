package directory

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// MaxReassign is the most reports and departments one Reassign moves.
const MaxReassign = 1000

// Reassign gives the direct reports and the departments that user from
// manages to user to, who must exist and not have left: what an admin
// does before marking from as left. If to is one of from's reports, to
// takes from's own manager instead. It moves at most MaxReassign records
// in one transaction and reports how many it moved and whether more
// remain (call it again until more is false). A chain that would loop is
// refused with ErrCycle. Only admins may reassign.
func (s *Service) Reassign(ctx context.Context, actor, from, to string) (moved int, more bool, err error) {
	what := fmt.Sprintf("reassign the reports of %q to %q", from, to)
	if err := checkID("user", from); err != nil {
		return 0, false, fmt.Errorf("directory: %s: %w", what, err)
	}
	if err := checkID("user", to); err != nil {
		return 0, false, fmt.Errorf("directory: %s: %w", what, err)
	}
	if from == to {
		return 0, false, fmt.Errorf("directory: %s: to oneself: %w", what, ErrInvalid)
	}
	err = s.update(ctx, actor, what, func(w *writer) error {
		moved, more = 0, false
		src, err := w.user(from)
		if err != nil {
			return err
		}
		dst, err := w.user(to)
		if err != nil {
			return err
		}
		if dst.Status == Left {
			return fmt.Errorf("user %q: %w", to, ErrDeparted)
		}
		reports, err := idsUnder(w.tx, key(pReports, from), MaxReassign+1)
		if err != nil {
			return err
		}
		depts, err := idsUnder(w.tx, key(pManages, from), MaxReassign+1-min(len(reports), MaxReassign+1))
		if err != nil {
			return err
		}
		for _, r := range reports {
			if moved == MaxReassign {
				more = true
				return nil
			}
			old, err := getStored(w.tx, r)
			if err != nil {
				return err
			}
			next := cloneUser(old.User)
			next.Manager, next.Updated = to, w.now
			if r == to {
				next.Manager = src.Manager
			}
			if err := w.writeUser(&old, &next); err != nil {
				return err
			}
			before := old.User
			if err := w.emit(Change{Type: UserUpdated, User: &next, Before: &before}); err != nil {
				return err
			}
			moved++
		}
		for _, id := range depts {
			if moved == MaxReassign {
				more = true
				return nil
			}
			d, err := w.dept(id)
			if err != nil {
				return err
			}
			n, err := w.setDeptFields(d, d.Name, to)
			if err != nil {
				return err
			}
			if err := w.emit(Change{Type: DepartmentUpdated, Department: &n}); err != nil {
				return err
			}
			moved++
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return moved, more, nil
}

// idsUnder returns the last parts of at most limit keys under pre.
func idsUnder(tx store.Tx, pre []byte, limit int) ([]string, error) {
	var out []string
	if limit <= 0 {
		return nil, nil
	}
	for k := range tx.Scan(store.Range{Start: pre, End: store.PrefixEnd(pre), Limit: limit}) {
		id, err := keys.Last(k)
		if err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
		out = append(out, id)
	}
	return out, nil
}
