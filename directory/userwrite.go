package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// storedUser is a user as stored: the wire form plus the version it was
// last written at (the key of its vu entry).
type storedUser struct {
	User
	Ver uint64 `json:"ver"`
}

func getStored(tx store.Tx, id string) (storedUser, error) {
	var u storedUser
	if err := record.Get(tx, kUser(id), &u); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return u, fmt.Errorf("user %q: %w", id, ErrNotFound)
		}
		return u, err
	}
	return u, nil
}

// CreateUser adds u to the directory and returns it as stored. u.ID may be
// empty (the Service names the user); u.Status defaults to Active and
// u.Kind to Person. u's departments must exist; its manager must exist and
// not have left; its email and phone must be free.
//
// With u.ClientKey set, a second create by the same actor with the same
// key returns the first user, unchanged, and writes nothing. Only admins
// may create users.
func (s *Service) CreateUser(ctx context.Context, actor string, u User) (User, error) {
	if u.ID == "" {
		u.ID = s.o.newID() // named outside the transaction, which may run twice
	}
	what := fmt.Sprintf("create user %q", u.ID)
	n, err := normalize(u)
	if err != nil {
		return User{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	var out User
	err = s.update(ctx, actor, what, func(w *writer) error {
		if id, err := replay(w.tx, actor, n.ClientKey, 'u'); err != nil || id != "" {
			if err == nil {
				out, err = getUser(w.tx, id)
			}
			return err
		}
		if ok, err := exists(w.tx, kUser(n.ID)); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("user %q: id in use: %w", n.ID, ErrConflict)
		}
		n.Created, n.Updated = w.now, w.now
		if err := w.writeUser(nil, &n); err != nil {
			return err
		}
		if err := w.putClientKey(n.ClientKey, "u"+n.ID); err != nil {
			return err
		}
		out = n
		return w.emit(Change{Type: UserCreated, User: &n})
	})
	if err != nil {
		return User{}, err
	}
	return out, nil
}

// UpdateUser replaces the fields of user u.ID with u's, under the same
// rules as CreateUser, and returns the user as stored. Status, Created
// and ClientKey are kept (change the status with SetStatus). An update
// that changes nothing writes nothing. Only admins may update users.
func (s *Service) UpdateUser(ctx context.Context, actor string, u User) (User, error) {
	what := fmt.Sprintf("update user %q", u.ID)
	u.Status = Active // checked below against the stored status
	n, err := normalize(u)
	if err != nil {
		return User{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	var out User
	err = s.update(ctx, actor, what, func(w *writer) error {
		old, err := getStored(w.tx, n.ID)
		if err != nil {
			return err
		}
		next := n
		next.Status, next.Created, next.ClientKey = old.Status, old.Created, old.ClientKey
		if sameContent(old.User, next) {
			out = old.User
			return nil
		}
		next.Updated = w.now
		if err := w.writeUser(&old, &next); err != nil {
			return err
		}
		out = next
		before := old.User
		return w.emit(Change{Type: UserUpdated, User: &next, Before: &before})
	})
	if err != nil {
		return User{}, err
	}
	return out, nil
}

// SetStatus sets the status of user id and returns the user. Marking a
// user Left who still manages people (even people who left) or
// departments fails with ErrStillManages: hand them over with Reassign
// first, so that no one ever reports to someone who has gone. Setting the status a user has
// writes nothing. Only admins may change a status.
func (s *Service) SetStatus(ctx context.Context, actor, id string, st Status) (User, error) {
	what := fmt.Sprintf("set status of user %q to %q", id, st)
	if err := checkID("user", id); err != nil {
		return User{}, fmt.Errorf("directory: %s: %w", what, err)
	}
	if !st.valid() {
		return User{}, fmt.Errorf("directory: %s: unknown status: %w", what, ErrInvalid)
	}
	var out User
	err := s.update(ctx, actor, what, func(w *writer) error {
		old, err := getStored(w.tx, id)
		if err != nil {
			return err
		}
		if old.Status == st {
			out = old.User
			return nil
		}
		next := old.User
		next.Status, next.Updated = st, w.now
		if err := w.writeUser(&old, &next); err != nil {
			return err
		}
		out = next
		before := old.User
		return w.emit(Change{Type: UserStatusChanged, User: &next, Before: &before})
	})
	if err != nil {
		return User{}, err
	}
	return out, nil
}

// manages reports whether user id still manages a user or a department.
func manages(tx store.Tx, id string) (bool, error) {
	for range tx.Scan(store.Range{Start: key(pReports, id), End: store.PrefixEnd(key(pReports, id)), Limit: 1}) {
		return true, nil
	}
	for range tx.Scan(store.Range{Start: key(pManages, id), End: store.PrefixEnd(key(pManages, id)), Limit: 1}) {
		return true, nil
	}
	return false, nil
}

// checkManager checks that manager m of user id exists, has not left, and
// that the chain above it neither comes back to id nor grows past
// MaxChain.
func (w *writer) checkManager(id, m string) error {
	for i := 0; m != ""; i++ {
		if m == id {
			return fmt.Errorf("manager chain of %q: %w", id, ErrCycle)
		}
		if i >= MaxChain {
			return fmt.Errorf("manager chain of %q longer than %d: %w", id, MaxChain, ErrTooLarge)
		}
		u, err := w.user(m)
		if err != nil {
			return fmt.Errorf("manager: %w", err)
		}
		if i == 0 && u.Status == Left {
			return fmt.Errorf("manager %q: %w", m, ErrDeparted)
		}
		m = u.Manager
	}
	return nil
}

// treeOf returns the departments a user is in directly or through a
// descendant: each department and its ancestors, sorted.
func treeOf(tx store.Tx, depts []string, cache map[string]Department) ([]string, error) {
	var out []string
	for _, id := range depts {
		d, ok := cache[id]
		if !ok {
			var err error
			if d, err = getDept(tx, id); err != nil {
				return nil, err
			}
			if cache != nil {
				cache[id] = d
			}
		}
		out = append(out, id)
		out = append(out, d.Path...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// writeUser stores next (whose own fields are valid) over old (nil for a
// new user) with its secondary indexes, after checking what needs the
// store: departments, manager, unique email and phone, and that a user
// who leaves manages no one.
func (w *writer) writeUser(old *storedUser, next *User) error {
	tx := w.tx
	var prev User
	if old != nil {
		prev = old.User
	}
	if next.Manager != "" && (old == nil || next.Manager != prev.Manager) {
		if err := w.checkManager(next.ID, next.Manager); err != nil {
			return err
		}
	}
	if next.Status == Left && prev.Status != Left && old != nil {
		if busy, err := manages(tx, next.ID); err != nil {
			return err
		} else if busy {
			return fmt.Errorf("user %q: %w", next.ID, ErrStillManages)
		}
	}
	newTree, err := treeOf(tx, next.Departments, w.depts)
	if err != nil {
		return err
	}
	var oldTree []string
	if old != nil {
		if oldTree, err = treeOf(tx, prev.Departments, w.depts); err != nil {
			return err
		}
	}
	if e, pe := normEmail(next.Email), normEmail(prev.Email); e != pe {
		if pe != "" {
			if err := tx.Delete(kEmail(pe)); err != nil {
				return err
			}
		}
		if e != "" {
			if err := claim(tx, kEmail(e), next.ID, "email", next.Email); err != nil {
				return err
			}
		}
	}
	if p, pp := phoneDigits(next.Phone), phoneDigits(prev.Phone); p != pp {
		if pp != "" {
			if err := tx.Delete(kPhone(pp)); err != nil {
				return err
			}
		}
		if p != "" {
			if err := claim(tx, kPhone(p), next.ID, "phone", next.Phone); err != nil {
				return err
			}
		}
	}
	if err := syncSet(tx, prev.Departments, next.Departments, func(d string) []byte { return kDeptUser(d, next.ID) }); err != nil {
		return err
	}
	if err := syncSet(tx, oldTree, newTree, func(d string) []byte { return kTreeUser(d, next.ID) }); err != nil {
		return err
	}
	if prev.Manager != next.Manager {
		if prev.Manager != "" {
			if err := tx.Delete(kReport(prev.Manager, next.ID)); err != nil {
				return err
			}
		}
		if next.Manager != "" {
			if err := tx.Put(kReport(next.Manager, next.ID), empty); err != nil {
				return err
			}
		}
	}
	if prev.Status != next.Status {
		if prev.Status != "" {
			if err := tx.Delete(kStatus(prev.Status, next.ID)); err != nil {
				return err
			}
		}
		if err := tx.Put(kStatus(next.Status, next.ID), empty); err != nil {
			return err
		}
	}
	v, err := w.version()
	if err != nil {
		return err
	}
	if old != nil {
		if err := tx.Delete(kUserVer(old.Ver, next.ID)); err != nil {
			return err
		}
	}
	if err := tx.Put(kUserVer(v, next.ID), empty); err != nil {
		return err
	}
	w.users[next.ID] = *next
	return record.Put(tx, kUser(next.ID), storedUser{User: *next, Ver: v})
}

// claim stores id at the unique-index key k, failing with ErrTaken when
// another user holds it.
func claim(tx store.Tx, k []byte, id, what, val string) error {
	b, err := tx.Get(k)
	switch {
	case err == nil && string(b) != id:
		return fmt.Errorf("%s %q: %w", what, val, ErrTaken)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	return tx.Put(k, []byte(id))
}

// syncSet makes the keys of set next exist and those only in old go.
func syncSet(tx store.Tx, old, next []string, k func(string) []byte) error {
	for _, o := range old {
		if !slices.Contains(next, o) {
			if err := tx.Delete(k(o)); err != nil {
				return err
			}
		}
	}
	for _, n := range next {
		if !slices.Contains(old, n) {
			if err := tx.Put(k(n), empty); err != nil {
				return err
			}
		}
	}
	return nil
}
