package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// OrgChart is an organisation to import: departments and users with the
// ids of the system they come from. Root is implicit: departments with no
// parent hang under it.
type OrgChart struct {
	Departments []Department `json:"departments"`
	Users       []User       `json:"users"`
}

// ImportProgress reports how far an Import has come: after each batch it
// commits, and once at the end (the report).
type ImportProgress struct {
	// Stage is "departments", "moves", "users" or "managers" (department
	// heads set once their users exist), then "done".
	Stage string `json:"stage"`
	// Done of Total records of the stage have been written or found
	// unchanged.
	Done  int `json:"done"`
	Total int `json:"total"`
	// Created, Updated and Unchanged count records over the whole import.
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Import brings the directory in line with chart: departments and users
// are created, or updated where they differ, by id; records not in the
// chart are left alone. A user's status is kept when the chart leaves it
// empty. Importing the same chart again changes nothing (every record is
// counted unchanged). progress, when not nil, is called after each
// committed batch, on the calling goroutine.
//
// The whole chart is checked before anything is written, against itself
// and the directory as it is (ids, references, cycles, depth, unique
// emails and phones, limits), and refused with the first problem found.
// It is then written in transactions of at most ImportBatch records,
// parents before children and managers before reports, so no transaction
// holds the store for long. If a batch fails (the store fails, or a
// concurrent change makes the chart invalid), the batches before it stay
// written and Import returns the error; running it again finishes the
// job. Only admins may import.
func (s *Service) Import(ctx context.Context, actor string, chart OrgChart, progress func(ImportProgress)) (ImportProgress, error) {
	var rep ImportProgress
	if !s.o.admins[actor] {
		return rep, fmt.Errorf("directory: import by %q: not an admin: %w", actor, ErrPermission)
	}
	plan, err := s.planImport(ctx, chart)
	if err != nil {
		return rep, fmt.Errorf("directory: import: %w", err)
	}
	report := func(stage string, done, total int) {
		rep.Stage, rep.Done, rep.Total = stage, done, total
		if progress != nil {
			progress(rep)
		}
	}
	// Departments, parents first; heads that do not exist yet come later.
	err = batches(len(plan.depts), func(lo, hi int) error {
		var c counts
		err := s.update(ctx, actor, "import departments", func(w *writer) error {
			c = counts{}
			for _, d := range plan.depts[lo:hi] {
				if err := w.importDept(d, &c); err != nil {
					return fmt.Errorf("department %q: %w", d.ID, err)
				}
			}
			return nil
		})
		if err == nil {
			rep.add(c)
			report("departments", hi, len(plan.depts))
		}
		return err
	})
	if err != nil {
		return rep, err
	}
	for i, m := range plan.moves {
		if _, err := s.MoveDepartment(ctx, actor, m.ID, m.Parent); err != nil {
			return rep, err
		}
		rep.Updated++
		report("moves", i+1, len(plan.moves))
	}
	err = batches(len(plan.users), func(lo, hi int) error {
		var c counts
		err := s.update(ctx, actor, "import users", func(w *writer) error {
			c = counts{}
			for _, u := range plan.users[lo:hi] {
				if err := w.importUser(u, &c); err != nil {
					return fmt.Errorf("user %q: %w", u.ID, err)
				}
			}
			return nil
		})
		if err == nil {
			rep.add(c)
			report("users", hi, len(plan.users))
		}
		return err
	})
	if err != nil {
		return rep, err
	}
	err = batches(len(plan.heads), func(lo, hi int) error {
		var c counts
		err := s.update(ctx, actor, "import department heads", func(w *writer) error {
			c = counts{}
			for _, d := range plan.heads[lo:hi] {
				old, err := getDept(w.tx, d.ID)
				if err != nil {
					return err
				}
				if old.Manager == d.Manager {
					continue
				}
				n, err := w.setDeptFields(old, old.Name, d.Manager)
				if err != nil {
					return fmt.Errorf("department %q: %w", d.ID, err)
				}
				if !plan.fresh[d.ID] {
					c.updated++ // a new department was counted created
				}
				if err := w.emit(Change{Type: DepartmentUpdated, Department: &n}); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			rep.Updated += c.updated
			report("managers", hi, len(plan.heads))
		}
		return err
	})
	if err != nil {
		return rep, err
	}
	report("done", len(plan.depts)+len(plan.users), len(plan.depts)+len(plan.users))
	return rep, nil
}

type counts struct{ created, updated, unchanged int }

func (r *ImportProgress) add(c counts) {
	r.Created += c.created
	r.Updated += c.updated
	r.Unchanged += c.unchanged
}

// batches calls f over [0, n) in runs of at most ImportBatch.
func batches(n int, f func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += ImportBatch {
		if err := f(lo, min(lo+ImportBatch, n)); err != nil {
			return err
		}
	}
	return nil
}

// importPlan is a checked chart in write order.
type importPlan struct {
	depts []Department    // new or changed, parents first, managers cleared when deferred
	moves []Department    // existing departments with a new parent, parents first
	users []User          // normalised, managers first, leavers last
	heads []Department    // departments whose manager is set after the users
	fresh map[string]bool // of heads: departments this import creates
}

func (w *writer) importDept(d Department, c *counts) error {
	old, err := getDept(w.tx, d.ID)
	if errors.Is(err, store.ErrNotFound) {
		n, err := w.putDepartment(d)
		if err != nil {
			return err
		}
		c.created++
		return w.emit(Change{Type: DepartmentCreated, Department: &n})
	}
	if err != nil {
		return err
	}
	if old.Name == d.Name && (old.Manager == d.Manager || d.Manager == "") {
		c.unchanged++
		return nil
	}
	m := d.Manager
	if m == "" {
		m = old.Manager
	}
	n, err := w.setDeptFields(old, d.Name, m)
	if err != nil {
		return err
	}
	c.updated++
	return w.emit(Change{Type: DepartmentUpdated, Department: &n})
}

func (w *writer) importUser(u User, c *counts) error {
	old, err := getStored(w.tx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		if u.Status == "" {
			u.Status = Active
		}
		u.Created, u.Updated = w.now, w.now
		if err := w.writeUser(nil, &u); err != nil {
			return err
		}
		c.created++
		return w.emit(Change{Type: UserCreated, User: &u})
	}
	if err != nil {
		return err
	}
	if u.Status == "" {
		u.Status = old.Status
	}
	u.Created, u.ClientKey = old.Created, old.ClientKey
	if sameContent(old.User, u) {
		c.unchanged++
		return nil
	}
	u.Updated = w.now
	if err := w.writeUser(&old, &u); err != nil {
		return err
	}
	c.updated++
	before := old.User
	typ := UserUpdated
	if before.Status != u.Status {
		typ = UserStatusChanged
	}
	return w.emit(Change{Type: typ, User: &u, Before: &before})
}

// planImport checks chart against itself and a snapshot of the directory
// and orders it for writing. It works in O(n log n) outside any write
// transaction.
func (s *Service) planImport(ctx context.Context, chart OrgChart) (importPlan, error) {
	p := importPlan{fresh: map[string]bool{}}
	if len(chart.Departments) > MaxImportDepartments {
		return p, fmt.Errorf("%d departments (max %d): %w", len(chart.Departments), MaxImportDepartments, ErrTooLarge)
	}
	if len(chart.Users) > MaxImportUsers {
		return p, fmt.Errorf("%d users (max %d): %w", len(chart.Users), MaxImportUsers, ErrTooLarge)
	}
	depts := make(map[string]Department, len(chart.Departments))
	for _, d := range chart.Departments {
		if d.ID == "" {
			return p, fmt.Errorf("a department with no id: %w", ErrInvalid)
		}
		if d.Parent == "" {
			d.Parent = Root
		}
		d.ClientKey, d.Path = "", nil
		if err := checkDepartment(&d); err != nil {
			return p, fmt.Errorf("department %q: %w", d.ID, err)
		}
		if d.ID == Root {
			return p, fmt.Errorf("department %q: the root department is implicit: %w", d.ID, ErrInvalid)
		}
		if _, dup := depts[d.ID]; dup {
			return p, fmt.Errorf("department %q listed twice: %w", d.ID, ErrInvalid)
		}
		if d.Parent == d.ID {
			return p, fmt.Errorf("department %q under itself: %w", d.ID, ErrCycle)
		}
		depts[d.ID] = d
	}
	users := make(map[string]User, len(chart.Users))
	emails := map[string]string{}
	phones := map[string]string{}
	order := make([]User, 0, len(chart.Users))
	for _, u := range chart.Users {
		if u.ID == "" {
			return p, fmt.Errorf("a user with no id: %w", ErrInvalid)
		}
		st := u.Status
		u.ClientKey = ""
		n, err := normalize(u)
		if err != nil {
			return p, fmt.Errorf("user %q: %w", u.ID, err)
		}
		n.Status = st // empty: keep the stored one
		if _, dup := users[n.ID]; dup {
			return p, fmt.Errorf("user %q listed twice: %w", n.ID, ErrInvalid)
		}
		if e := normEmail(n.Email); e != "" {
			if other, dup := emails[e]; dup {
				return p, fmt.Errorf("user %q: email %q: also user %q's: %w", n.ID, n.Email, other, ErrTaken)
			}
			emails[e] = n.ID
		}
		if ph := phoneDigits(n.Phone); ph != "" {
			if other, dup := phones[ph]; dup {
				return p, fmt.Errorf("user %q: phone %q: also user %q's: %w", n.ID, n.Phone, other, ErrTaken)
			}
			phones[ph] = n.ID
		}
		users[n.ID] = n
		order = append(order, n)
	}
	// The directory as it is, for references and uniqueness.
	stored := map[string]Department{}
	storedUsers := map[string]User{}
	owner := func(tx store.Tx, k []byte) (string, error) {
		b, err := tx.Get(k)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		return string(b), err
	}
	lookup := func(tx store.Tx, id string) (User, bool, error) {
		if u, ok := storedUsers[id]; ok {
			return u, true, nil
		}
		u, err := getUser(tx, id)
		if errors.Is(err, store.ErrNotFound) {
			return u, false, nil
		}
		if err != nil {
			return u, false, err
		}
		storedUsers[id] = u
		return u, true, nil
	}
	err := s.st.View(ctx, func(tx store.Tx) error {
		for k, v := range tx.Scan(store.Prefix(pDept)) {
			var d Department
			if err := record.Decode(k, v, &d); err != nil {
				return err
			}
			stored[d.ID] = d
			if len(stored) > MaxImportDepartments+len(depts)+1 {
				return fmt.Errorf("directory holds over %d departments: %w", MaxImportDepartments, ErrTooLarge)
			}
		}
		for _, u := range order {
			if e := normEmail(u.Email); e != "" {
				o, err := owner(tx, kEmail(e))
				if err != nil {
					return err
				}
				if o != "" && o != u.ID {
					if ou, in := users[o]; !in || normEmail(ou.Email) == e {
						return fmt.Errorf("user %q: email %q: user %q's: %w", u.ID, u.Email, o, ErrTaken)
					}
				}
			}
			if ph := phoneDigits(u.Phone); ph != "" {
				o, err := owner(tx, kPhone(ph))
				if err != nil {
					return err
				}
				if o != "" && o != u.ID {
					if ou, in := users[o]; !in || phoneDigits(ou.Phone) == ph {
						return fmt.Errorf("user %q: phone %q: user %q's: %w", u.ID, u.Phone, o, ErrTaken)
					}
				}
			}
			if _, in := users[u.Manager]; u.Manager != "" && !in {
				if _, _, err := lookup(tx, u.Manager); err != nil {
					return err
				}
			}
		}
		for _, d := range depts {
			if _, in := users[d.Manager]; d.Manager != "" && !in {
				if _, _, err := lookup(tx, d.Manager); err != nil {
					return err
				}
			}
		}
		// Status of stored users named in the chart: their status is kept
		// when the chart leaves it empty.
		for _, u := range order {
			if u.Status == "" {
				if _, _, err := lookup(tx, u.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	parentOf := func(id string) (string, bool) {
		if d, ok := depts[id]; ok {
			return d.Parent, true
		}
		if d, ok := stored[id]; ok {
			return d.Parent, true
		}
		return "", false
	}
	// Depth of every department of the chart, refusing loops and unknown
	// parents; the chart's departments in parent-first order.
	depth := map[string]int{Root: 0}
	var depthOf func(id string, seen int) (int, error)
	depthOf = func(id string, seen int) (int, error) {
		if d, ok := depth[id]; ok {
			return d, nil
		}
		if seen > len(depts)+len(stored) {
			return 0, fmt.Errorf("department %q: %w", id, ErrCycle)
		}
		par, ok := parentOf(id)
		if !ok {
			return 0, fmt.Errorf("department %q: %w", id, ErrNotFound)
		}
		if par == "" {
			return 0, nil
		}
		pd, err := depthOf(par, seen+1)
		if err != nil {
			return 0, err
		}
		if pd+1 > MaxDepth {
			return 0, fmt.Errorf("department %q sits over %d below the root: %w", id, MaxDepth, ErrTooLarge)
		}
		depth[id] = pd + 1
		return pd + 1, nil
	}
	var all []Department
	for _, d := range chart.Departments {
		d := depts[d.ID]
		if _, err := depthOf(d.ID, 0); err != nil {
			return p, err
		}
		all = append(all, d)
	}
	slices.SortStableFunc(all, func(a, b Department) int { return depth[a.ID] - depth[b.ID] })
	userOK := func(id string) (User, bool) {
		if u, ok := users[id]; ok {
			if u.Status == "" {
				if su, ok := storedUsers[id]; ok {
					u.Status = su.Status
				} else {
					u.Status = Active
				}
			}
			return u, true
		}
		u, ok := storedUsers[id]
		return u, ok
	}
	for _, d := range all {
		if d.Manager != "" {
			m, ok := userOK(d.Manager)
			if !ok {
				return p, fmt.Errorf("department %q: manager %q: %w", d.ID, d.Manager, ErrNotFound)
			}
			if m.Status == Left {
				return p, fmt.Errorf("department %q: manager %q: %w", d.ID, d.Manager, ErrDeparted)
			}
		}
		old, existed := stored[d.ID]
		if existed && old.Parent != d.Parent {
			p.moves = append(p.moves, d)
		}
		if _, in := users[d.Manager]; d.Manager != "" && in && (!existed || old.Manager != d.Manager) {
			if _, have := storedUsers[d.Manager]; !have {
				p.heads = append(p.heads, d)
				if !existed {
					p.fresh[d.ID] = true
				}
				d.Manager = "" // set once the user exists
			}
		}
		if existed {
			d.Parent = old.Parent // moves are their own step
		}
		p.depts = append(p.depts, d)
	}
	// Users: departments known, managers known, not left and not looping;
	// managers first, leavers last.
	level := map[string]int{}
	var levelOf func(id string, seen int) (int, error)
	levelOf = func(id string, seen int) (int, error) {
		if l, ok := level[id]; ok {
			return l, nil
		}
		if seen > MaxChain {
			return 0, fmt.Errorf("user %q: manager chain: %w", id, ErrCycle)
		}
		u, ok := users[id]
		if !ok || u.Manager == "" {
			return 0, nil // stored users are already in place
		}
		l, err := levelOf(u.Manager, seen+1)
		if err != nil {
			return 0, err
		}
		level[id] = l + 1
		return l + 1, nil
	}
	for i, u := range order {
		for _, d := range u.Departments {
			if _, ok := parentOf(d); !ok && d != Root {
				return p, fmt.Errorf("user %q: department %q: %w", u.ID, d, ErrNotFound)
			}
		}
		eff, _ := userOK(u.ID)
		if u.Manager != "" {
			m, ok := userOK(u.Manager)
			if !ok {
				return p, fmt.Errorf("user %q: manager %q: %w", u.ID, u.Manager, ErrNotFound)
			}
			if m.Status == Left && eff.Status != Left {
				return p, fmt.Errorf("user %q: manager %q: %w", u.ID, u.Manager, ErrDeparted)
			}
		}
		if _, err := levelOf(u.ID, 0); err != nil {
			return p, err
		}
		order[i] = u
	}
	slices.SortStableFunc(order, func(a, b User) int {
		la, lb := 0, 0
		if ea, _ := userOK(a.ID); ea.Status == Left {
			la = 1
		}
		if eb, _ := userOK(b.ID); eb.Status == Left {
			lb = 1
		}
		if la != lb {
			return la - lb
		}
		return level[a.ID] - level[b.ID]
	})
	p.users = order
	return p, nil
}
