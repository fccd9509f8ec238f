package workspace

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Department groups (部门群): a conversation bound to a department keeps
// its members in step with the department and its sub-departments.
//
// The binding and the members it added are stored under keyDeptBindings
// and keyDeptMembers; a
// follower of the change log (deptSync) applies each directory change to
// every binding and stores its position after the change. Its effects
// are idempotent (add if absent, remove if present, each tracked), so a
// change replayed after a crash changes nothing the second time: each
// change is applied exactly once in effect.

var (
	keyDeptBindings = keys.New("workspace", "deptgroup", "bind")   // + conv -> binding
	keyDeptMembers  = keys.New("workspace", "deptgroup", "member") // + conv + user -> added
	keyDeptPos      = keys.New("workspace", "deptgroup", "pos")    // the follower's position
)

// DepartmentBinding binds a conversation to a department.
type DepartmentBinding struct {
	Conversation string `json:"conversation"`
	Department   string `json:"department"`
	// Actor is who bound it; membership changes are made in their name.
	Actor string `json:"actor"`
}

// BindDepartment makes conversation conv a department group of dept: the
// active members of dept and its sub-departments are added now, and from
// then on people who join the department (or a sub-department) are added
// and people who move out of it, are suspended or leave are removed. Only
// the members the binding added are ever removed by it. actor must be
// able to add and remove members of conv (an owner or admin of a private
// channel); membership changes are made in their name. The binding is
// stored, so it survives restarts; binding again to another department
// replaces it.
func (w *Workspace) BindDepartment(ctx context.Context, actor, conv, dept string) error {
	what := fmt.Sprintf("workspace: bind conversation %q to department %q", conv, dept)
	if _, err := w.Chat.Conversation(ctx, actor, conv); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	members, err := w.activeUsers(ctx, dept)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	b := DepartmentBinding{Conversation: conv, Department: dept, Actor: actor}
	v, _ := json.Marshal(b)
	if err := w.st.Update(ctx, func(tx store.Tx) error { return tx.Put(keys.Append(slices.Clip(keyDeptBindings), conv), v) }); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, u := range members {
		if err := w.deptApply(ctx, b, u, true); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// DepartmentBindings lists the stored bindings, by conversation id.
func (w *Workspace) DepartmentBindings(ctx context.Context) ([]DepartmentBinding, error) {
	var out []DepartmentBinding
	err := w.st.View(ctx, func(tx store.Tx) error {
		for _, v := range tx.Scan(store.Prefix(keyDeptBindings)) {
			var b DepartmentBinding
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("department binding: %w: %w", store.ErrInvalid, err)
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// activeUsers lists the active users of dept and its sub-departments.
func (w *Workspace) activeUsers(ctx context.Context, dept string) ([]string, error) {
	return docsDirectory{sys: w.Directory.System()}.users(ctx, directory.UserQuery{Department: dept, Status: directory.Active})
}

// deptApply makes user a member of b's conversation (in) or not, if the
// binding added them, tracking what it added.
func (w *Workspace) deptApply(ctx context.Context, b DepartmentBinding, user string, in bool) error {
	k := keys.Append(keys.Append(slices.Clip(keyDeptMembers), b.Conversation), user)
	tracked := false
	err := w.st.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get(k)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		tracked = err == nil
		return err
	})
	if err != nil {
		return err
	}
	// A conversation the actor may no longer change (deleted, or the
	// actor left it) refuses: then there is nothing to keep in step.
	refused := func(err error) bool {
		return err != nil && !store.Transient(err) && !errors.Is(err, store.ErrClosed)
	}
	switch {
	case in && !tracked:
		err := w.Chat.AddMember(ctx, b.Actor, b.Conversation, user)
		if err != nil && !errors.Is(err, store.ErrConflict) { // ErrConflict: a member already
			if refused(err) {
				return nil
			}
			return err
		}
		return w.st.Update(ctx, func(tx store.Tx) error { return tx.Put(k, []byte{1}) })
	case !in && tracked:
		err := w.Chat.RemoveMember(ctx, b.Actor, b.Conversation, user)
		if err != nil && !errors.Is(err, store.ErrNotFound) { // ErrNotFound: gone already
			if refused(err) {
				return nil
			}
			return err
		}
		return w.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(k) })
	}
	return nil
}

// deptSync is the follower that applies directory changes to department
// groups.
type deptSync struct {
	*follower
	w *Workspace
}

// startDeptSync starts the follower from its stored position or, the
// first time, from the end of the log.
func startDeptSync(ctx context.Context, w *Workspace) (*deptSync, error) {
	var pos uint64
	err := w.st.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Get(keyDeptPos)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if pos, err = w.st.Last(ctx); err != nil {
				return err
			}
			return tx.Put(keyDeptPos, binary.BigEndian.AppendUint64(nil, pos))
		case err != nil:
			return err
		case len(v) != 8:
			return fmt.Errorf("position of %d bytes: %w", len(v), store.ErrInvalid)
		}
		pos = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: start department groups: %w", err)
	}
	d := &deptSync{follower: newFollower(w.st, "department groups", pos), w: w}
	d.start(d.run)
	return d, nil
}

func (d *deptSync) run(ctx context.Context) error {
	var b *store.Backoff
	return b.Follow(ctx, d.w.st, d.position(), func(c store.Change) error {
		ch, ok, err := directory.DecodeChange(c)
		if err != nil {
			return err
		}
		if ok {
			if err := d.apply(ctx, ch); err != nil {
				return err
			}
			err := d.w.st.Update(ctx, func(tx store.Tx) error {
				return tx.Put(keyDeptPos, binary.BigEndian.AppendUint64(nil, c.Seq))
			})
			if err != nil {
				return err
			}
		}
		d.advance(c.Seq)
		return nil
	})
}

// apply brings every binding in step with one directory change: the user
// a user.* change names, or every user of a department that moved.
func (d *deptSync) apply(ctx context.Context, ch directory.Change) error {
	var users []string
	switch {
	case ch.User != nil:
		users = []string{ch.User.ID}
	case ch.Type == directory.DepartmentMoved && ch.Department != nil:
		var err error
		if users, err = d.w.activeUsers(ctx, ch.Department.ID); err != nil {
			return err
		}
	default:
		return nil
	}
	bindings, err := d.w.DepartmentBindings(ctx)
	if err != nil || len(bindings) == 0 {
		return err
	}
	sys := d.w.Directory.System()
	for _, u := range users {
		m, err := sys.Memberships(ctx, u)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, b := range bindings {
			in := err == nil && m.User.Status == directory.Active && slices.Contains(m.Departments, b.Department)
			if err := d.w.deptApply(ctx, b, u, in); err != nil {
				return err
			}
		}
	}
	return nil
}
