package directory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Department is a node of the organisation's tree. Every department but
// Root has a parent; moving a department moves its subtree.
type Department struct {
	// ID identifies the department; when empty on create, the Service
	// names it.
	ID string `json:"id"`
	// Name is the department's name ("研发部"). Required but for Root.
	Name string `json:"name"`
	// Parent is the parent department; Root when empty on create. Empty
	// only for Root. Change it with MoveDepartment.
	Parent string `json:"parent,omitempty"`
	// Manager is the head of the department: a user who has not left.
	Manager string `json:"manager,omitempty"`
	// Path lists the department's ancestors, Root first, its parent last
	// (set by the Service).
	Path []string `json:"path,omitempty"`
	// ClientKey makes a create safe to retry (see User.ClientKey).
	ClientKey string `json:"client_key,omitempty"`
	// Created and Updated are set by the Service.
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

func checkDepartment(d *Department) error {
	if err := checkID("department", d.ID); err != nil {
		return err
	}
	if err := checkText("department name", d.Name, MaxNameLen, d.ID != Root); err != nil {
		return err
	}
	if d.Manager != "" {
		if err := checkID("manager", d.Manager); err != nil {
			return err
		}
	}
	return checkClientKey(d.ClientKey)
}

func (w *writer) checkDeptManager(m string) error {
	if m == "" {
		return nil
	}
	u, err := w.user(m)
	if err != nil {
		return fmt.Errorf("manager: %w", err)
	}
	if u.Status == Left {
		return fmt.Errorf("manager %q: %w", m, ErrDeparted)
	}
	return nil
}

// CreateDepartment adds department d under d.Parent (Root when empty) and
// returns it as stored. The parent must exist and the new department sit
// at most MaxDepth below Root; its manager, when set, must exist and not
// have left. With d.ClientKey set, a retried create returns the first
// department. Only admins may create departments.
func (s *Service) CreateDepartment(ctx context.Context, actor string, d Department) (Department, error) {
	if d.ID == "" {
		d.ID = s.o.newID()
	}
	if d.Parent == "" {
		d.Parent = Root
	}
	what := fmt.Sprintf("create department %q", d.ID)
	if err := checkDepartment(&d); err != nil {
		return Department{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	if d.ID == Root {
		return Department{}, fmt.Errorf("directory: %s: the root department exists: %w", what, ErrConflict)
	}
	var out Department
	err := s.update(ctx, actor, what, func(w *writer) error {
		if id, err := replay(w.tx, actor, d.ClientKey, 'd'); err != nil || id != "" {
			if err == nil {
				out, err = getDept(w.tx, id)
			}
			return err
		}
		if ok, err := exists(w.tx, kDept(d.ID)); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("department %q: id in use: %w", d.ID, ErrConflict)
		}
		n, err := w.putDepartment(d)
		if err != nil {
			return err
		}
		if err := w.putClientKey(d.ClientKey, "d"+d.ID); err != nil {
			return err
		}
		out = n
		return w.emit(Change{Type: DepartmentCreated, Department: &n})
	})
	return out, err
}

// putDepartment stores the new department d with its indexes.
func (w *writer) putDepartment(d Department) (Department, error) {
	p, err := w.dept(d.Parent)
	if err != nil {
		return d, fmt.Errorf("parent: %w", err)
	}
	if len(p.Path)+1 > MaxDepth {
		return d, fmt.Errorf("department %q would sit %d below the root (max %d): %w", d.ID, len(p.Path)+1, MaxDepth, ErrTooLarge)
	}
	if err := w.checkDeptManager(d.Manager); err != nil {
		return d, err
	}
	d.Path = append(slices.Clone(p.Path), p.ID)
	d.Created, d.Updated = w.now, w.now
	if err := record.Put(w.tx, kDept(d.ID), d); err != nil {
		return d, err
	}
	w.depts[d.ID] = d
	if err := w.tx.Put(kChild(d.Parent, d.ID), empty); err != nil {
		return d, err
	}
	if d.Manager != "" {
		if err := w.tx.Put(kManages(d.Manager, d.ID), empty); err != nil {
			return d, err
		}
	}
	return d, nil
}

// UpdateDepartment sets the name and manager of department d.ID (Root
// included: its name is the organisation's) and returns it as stored; the
// parent is changed with MoveDepartment. An update that changes nothing
// writes nothing. Only admins may update departments.
func (s *Service) UpdateDepartment(ctx context.Context, actor string, d Department) (Department, error) {
	what := fmt.Sprintf("update department %q", d.ID)
	if err := checkDepartment(&d); err != nil {
		return Department{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	var out Department
	err := s.update(ctx, actor, what, func(w *writer) error {
		old, err := getDept(w.tx, d.ID)
		if err != nil {
			return err
		}
		out = old
		if old.Name == d.Name && old.Manager == d.Manager {
			return nil
		}
		n, err := w.setDeptFields(old, d.Name, d.Manager)
		if err != nil {
			return err
		}
		out = n
		return w.emit(Change{Type: DepartmentUpdated, Department: &n})
	})
	return out, err
}

func (w *writer) setDeptFields(old Department, name, manager string) (Department, error) {
	n := old
	n.Name, n.Manager, n.Updated = name, manager, w.now
	if manager != old.Manager {
		if err := w.checkDeptManager(manager); err != nil {
			return n, err
		}
		if old.Manager != "" {
			if err := w.tx.Delete(kManages(old.Manager, old.ID)); err != nil {
				return n, err
			}
		}
		if manager != "" {
			if err := w.tx.Put(kManages(manager, old.ID), empty); err != nil {
				return n, err
			}
		}
	}
	w.depts[old.ID] = n
	return n, record.Put(w.tx, kDept(old.ID), n)
}

// MoveDepartment moves department id, with its subtree, under parent and
// returns it as stored. Moving a department under itself or one of its
// descendants fails with ErrCycle; moving Root is invalid. Every member of
// the subtree is then a member (transitively) of parent's departments,
// and no longer of the old parent's. The subtree may hold at most
// MaxMoveDepartments departments and MaxMoveUsers users, and end at most
// MaxDepth below Root. Moving to the current parent writes nothing. Only
// admins may move departments.
func (s *Service) MoveDepartment(ctx context.Context, actor, id, parent string) (Department, error) {
	what := fmt.Sprintf("move department %q under %q", id, parent)
	if err := checkID("department", id); err != nil {
		return Department{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	if err := checkID("parent", parent); err != nil {
		return Department{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	if id == Root {
		return Department{}, fmt.Errorf("directory: %s: the root department cannot move: %w", what, ErrInvalid)
	}
	if id == parent {
		return Department{}, fmt.Errorf("directory: %s: under itself: %w", what, ErrCycle)
	}
	var out Department
	err := s.update(ctx, actor, what, func(w *writer) error {
		d, err := getDept(w.tx, id)
		if err != nil {
			return err
		}
		out = d
		if d.Parent == parent {
			return nil
		}
		p, err := getDept(w.tx, parent)
		if err != nil {
			return fmt.Errorf("parent: %w", err)
		}
		if slices.Contains(p.Path, id) {
			return fmt.Errorf("under its descendant %q: %w", parent, ErrCycle)
		}
		n, err := w.move(d, p)
		if err != nil {
			return err
		}
		out = n
		return w.emit(Change{Type: DepartmentMoved, Department: &n, PrevParent: d.Parent})
	})
	return out, err
}

// move rewrites the paths of d's subtree for its new parent p and the
// transitive membership of every user in it.
func (w *writer) move(d, p Department) (Department, error) {
	tx := w.tx
	// The subtree, breadth first, with each department's old record.
	sub := []Department{d}
	height := 0
	for i := 0; i < len(sub); i++ {
		e := sub[i]
		height = max(height, len(e.Path)-len(d.Path))
		pre := key(pChild, e.ID)
		for k := range tx.Scan(store.Prefix(pre)) {
			c, err := keys.Last(k)
			if err != nil {
				return d, fmt.Errorf("department index: %w", err)
			}
			if len(sub) >= MaxMoveDepartments {
				return d, fmt.Errorf("subtree of %q holds over %d departments: %w", d.ID, MaxMoveDepartments, ErrTooLarge)
			}
			cd, err := getDept(tx, c)
			if err != nil {
				return d, err
			}
			sub = append(sub, cd)
		}
	}
	newBase := append(slices.Clone(p.Path), p.ID)
	if len(newBase)+height > MaxDepth {
		return d, fmt.Errorf("subtree of %q would reach %d below the root (max %d): %w", d.ID, len(newBase)+height, MaxDepth, ErrTooLarge)
	}
	// The users in the subtree, before anything changes.
	var users []string
	for k := range tx.Scan(store.Prefix(key(pTreeUser, d.ID))) {
		u, err := keys.Last(k)
		if err != nil {
			return d, fmt.Errorf("department index: %w", err)
		}
		if len(users) >= MaxMoveUsers {
			return d, fmt.Errorf("subtree of %q holds over %d users: %w", d.ID, MaxMoveUsers, ErrTooLarge)
		}
		users = append(users, u)
	}
	oldCache := map[string]Department{}
	newCache := map[string]Department{}
	for _, e := range sub {
		oldCache[e.ID] = e
		n := e
		n.Path = append(slices.Clone(newBase), e.Path[len(d.Path):]...)
		if e.ID == d.ID {
			n.Parent = p.ID
			n.Updated = w.now
		}
		newCache[e.ID] = n
		if err := record.Put(tx, kDept(e.ID), n); err != nil {
			return d, err
		}
		delete(w.depts, e.ID)
	}
	if err := tx.Delete(kChild(d.Parent, d.ID)); err != nil {
		return d, err
	}
	if err := tx.Put(kChild(p.ID, d.ID), empty); err != nil {
		return d, err
	}
	for _, id := range users {
		u, err := getUser(tx, id)
		if err != nil {
			return d, err
		}
		before, err := treeOf(tx, u.Departments, oldCache)
		if err != nil {
			return d, err
		}
		after, err := treeOf(tx, u.Departments, newCache)
		if err != nil {
			return d, err
		}
		if err := syncSet(tx, before, after, func(a string) []byte { return kTreeUser(a, id) }); err != nil {
			return d, err
		}
	}
	return newCache[d.ID], nil
}

// DeleteDepartment removes department id, which must have no
// sub-departments and no direct members (ErrConflict otherwise). Root
// cannot be deleted. Only admins may delete departments.
func (s *Service) DeleteDepartment(ctx context.Context, actor, id string) error {
	what := fmt.Sprintf("delete department %q", id)
	if err := checkID("department", id); err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	if id == Root {
		return fmt.Errorf("directory: %s: the root department stays: %w", what, ErrInvalid)
	}
	return s.update(ctx, actor, what, func(w *writer) error {
		d, err := getDept(w.tx, id)
		if err != nil {
			return err
		}
		for range w.tx.Scan(store.Range{Start: key(pChild, id), End: store.PrefixEnd(key(pChild, id)), Limit: 1}) {
			return fmt.Errorf("has sub-departments: %w", ErrConflict)
		}
		for range w.tx.Scan(store.Range{Start: key(pDeptUser, id), End: store.PrefixEnd(key(pDeptUser, id)), Limit: 1}) {
			return fmt.Errorf("has members: %w", ErrConflict)
		}
		for _, k := range [][]byte{kDept(id), kChild(d.Parent, id)} {
			if err := w.tx.Delete(k); err != nil {
				return err
			}
		}
		if d.Manager != "" {
			if err := w.tx.Delete(kManages(d.Manager, id)); err != nil {
				return err
			}
		}
		return w.emit(Change{Type: DepartmentDeleted, Department: &d})
	})
}
