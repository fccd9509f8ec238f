package directory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Service is the directory of one tenant: its users, departments and
// groups, over one store. Every service of the workspace names people by
// the directory's user ids.
//
// A Service is safe for concurrent use by multiple goroutines, and several
// Services (in one process or on several nodes) may share one store: every
// read sees every committed write, whichever Service made it.
type Service struct {
	st  store.Store
	o   options
	idx searchIndex
}

// New returns the directory over st, creating the root department on a
// new store. ctx bounds that first read and write. An option with a bad
// argument fails with an error wrapping ErrInvalid.
func New(ctx context.Context, st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("directory: new: nil store: %w", ErrInvalid)
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("directory: new: %w", err)
	}
	s := &Service{st: st, o: o}
	var have bool
	err = st.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get(kDept(Root))
		have = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err == nil && !have {
		err = st.Update(ctx, func(tx store.Tx) error {
			if _, err := tx.Get(kDept(Root)); err == nil {
				return nil // another node made it
			}
			w := s.newWriter(tx, "")
			d := Department{ID: Root, Name: "", Created: w.now, Updated: w.now}
			if err := record.Put(tx, kDept(Root), d); err != nil {
				return err
			}
			return w.emit(Change{Type: DepartmentCreated, Department: &d})
		})
	}
	if err != nil {
		return nil, fmt.Errorf("directory: new: %w", err)
	}
	return s, nil
}

// System returns the trusted handle of the directory: reads that skip the
// actor check, for the root package and the services it wires (docacl's
// groups and departments, the workspace's identity check). Never hand it
// to code acting for a user.
func (s *Service) System() *System { return &System{s: s} }

// System is the trusted handle of a Service, returned by Service.System.
// Its methods read the directory without an actor check. It is safe for
// concurrent use.
type System struct{ s *Service }

// writer is the state of one write transaction: the mutation prologue of
// every change.
type writer struct {
	s     *Service
	tx    store.Tx
	actor string
	now   time.Time
	ver   uint64 // the version this transaction writes; 0 until bumped

	// users and depts cache records read or written in this transaction,
	// so a batch that checks one manager for many reports decodes it once.
	users map[string]User
	depts map[string]Department
}

// user reads user id through the transaction's cache.
func (w *writer) user(id string) (User, error) {
	if u, ok := w.users[id]; ok {
		return u, nil
	}
	u, err := getUser(w.tx, id)
	if err == nil {
		w.users[id] = u
	}
	return u, err
}

// dept reads department id through the transaction's cache.
func (w *writer) dept(id string) (Department, error) {
	if d, ok := w.depts[id]; ok {
		return d, nil
	}
	d, err := getDept(w.tx, id)
	if err == nil {
		w.depts[id] = d
	}
	return d, err
}

func (s *Service) newWriter(tx store.Tx, actor string) *writer {
	return &writer{s: s, tx: tx, actor: actor, now: s.o.now().UTC(),
		users: map[string]User{}, depts: map[string]Department{}}
}

// version returns the version this transaction writes, bumping the stored
// counter on first use.
func (w *writer) version() (uint64, error) {
	if w.ver != 0 {
		return w.ver, nil
	}
	cur, err := readVersion(w.tx)
	if err != nil {
		return 0, err
	}
	w.ver = cur + 1
	return w.ver, w.tx.Put(kVersion, encodeUint(w.ver))
}

// emit appends c to the change log, stamped with the transaction's
// version, actor and time.
func (w *writer) emit(c Change) error {
	v, err := w.version()
	if err != nil {
		return err
	}
	c.Version, c.Actor, c.At = v, w.actor, w.now
	_, err = record.Append(w.tx, Kind, c)
	return err
}

func readVersion(tx store.Tx) (uint64, error) {
	b, err := tx.Get(kVersion)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return decodeUint(b), nil
}

// update runs fn in one write transaction for actor, who must be an
// admin. what names the operation in errors.
func (s *Service) update(ctx context.Context, actor, what string, fn func(w *writer) error) error {
	if !s.o.admins[actor] {
		return fmt.Errorf("directory: %s by %q: not an admin: %w", what, actor, ErrPermission)
	}
	err := s.st.Update(ctx, func(tx store.Tx) error { return fn(s.newWriter(tx, actor)) })
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	return nil
}

// view runs fn in a read transaction for actor, who must be an admin or a
// user who has not left and is not suspended; a nil actor check (trusted
// reads) passes actor "" with trusted set.
func (s *Service) view(ctx context.Context, actor string, trusted bool, what string, fn func(tx store.Tx) error) error {
	err := s.st.View(ctx, func(tx store.Tx) error {
		if !trusted {
			if err := s.checkReader(tx, actor); err != nil {
				return err
			}
		}
		return fn(tx)
	})
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	return nil
}

func (s *Service) checkReader(tx store.Tx, actor string) error {
	if s.o.admins[actor] {
		return nil
	}
	u, err := getUser(tx, actor)
	if err == nil && u.Status == Active {
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return fmt.Errorf("read by %q: not an active user: %w", actor, ErrPermission)
}

// getRec reads the record of a what named id at key k, reporting an
// absent one as ErrNotFound with its name.
func getRec[T any](tx store.Tx, k []byte, what, id string) (T, error) {
	var v T
	if err := record.Get(tx, k, &v); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return v, fmt.Errorf("%s %q: %w", what, id, ErrNotFound)
		}
		return v, err
	}
	return v, nil
}

func getUser(tx store.Tx, id string) (User, error) { return getRec[User](tx, kUser(id), "user", id) }

func getDept(tx store.Tx, id string) (Department, error) {
	return getRec[Department](tx, kDept(id), "department", id)
}

func getGroup(tx store.Tx, id string) (Group, error) {
	return getRec[Group](tx, kGroup(id), "group", id)
}

// replay returns the id of the record of kind ('u', 'd' or 'g') that
// actor created with client key k, or "" when the key is new.
func replay(tx store.Tx, actor, k string, kind byte) (string, error) {
	if k == "" {
		return "", nil
	}
	b, err := tx.Get(kClientKey(actor, k))
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if len(b) < 2 || b[0] != kind {
		return "", fmt.Errorf("client key %q: used for another kind of record: %w", k, ErrConflict)
	}
	return string(b[1:]), nil
}

func (w *writer) putClientKey(k, val string) error {
	if k == "" {
		return nil
	}
	return w.tx.Put(kClientKey(w.actor, k), []byte(val))
}

func exists(tx store.Tx, k []byte) (bool, error) {
	_, err := tx.Get(k)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
