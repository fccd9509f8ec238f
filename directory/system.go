package directory

import (
	"context"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Version returns the directory's version: a counter every write
// transaction bumps, so a consumer that keeps a model of groups and
// departments (docacl) knows it is current when the version has not moved.
// It is also in every Change.
func (y *System) Version(ctx context.Context) (uint64, error) {
	var v uint64
	err := y.s.st.View(ctx, func(tx store.Tx) error {
		var err error
		v, err = readVersion(tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("directory: version: %w", err)
	}
	return v, nil
}

// User returns user id (Service.User without the actor check).
func (y *System) User(ctx context.Context, id string) (User, error) {
	return y.s.user(ctx, "", true, id)
}

// Users lists users (Service.Users without the actor check).
func (y *System) Users(ctx context.Context, q UserQuery) (store.Page[User], error) {
	return y.s.users(ctx, "", true, q)
}

// ReportingChain returns the managers above user id (Service.ReportingChain
// without the actor check).
func (y *System) ReportingChain(ctx context.Context, id string) ([]User, error) {
	return y.s.chain(ctx, "", true, id)
}

// UserDepartments returns the departments user id belongs to, directly or
// transitively (Service.UserDepartments without the actor check).
func (y *System) UserDepartments(ctx context.Context, id string) ([]string, error) {
	return y.s.userDepts(ctx, "", true, id)
}

// UserGroups returns the groups user id belongs to, directly or through
// nested groups (Service.UserGroups without the actor check).
func (y *System) UserGroups(ctx context.Context, id string) ([]string, error) {
	return y.s.userGroups(ctx, "", true, id)
}

// Search runs a people search (Service.Search without the actor check).
func (y *System) Search(ctx context.Context, q SearchQuery) (store.Page[Match], error) {
	return y.s.search(ctx, "", true, q)
}

// Memberships is what a user acts as, read in one snapshot: for a
// permission model that caches it per user and checks Version to know
// when to read it again.
type Memberships struct {
	User User `json:"user"`
	// Departments are the user's departments and their ancestors, sorted.
	Departments []string `json:"departments"`
	// Groups are the user's groups, directly or through nesting, sorted.
	Groups []string `json:"groups"`
	// Version is the directory's version the snapshot was read at.
	Version uint64 `json:"version"`
}

// Memberships returns user id with their transitive departments and
// groups and the directory's version, all from one snapshot.
func (y *System) Memberships(ctx context.Context, id string) (Memberships, error) {
	var m Memberships
	err := y.s.view(ctx, "", true, fmt.Sprintf("memberships of %q", id), func(tx store.Tx) error {
		var err error
		if m.Version, err = readVersion(tx); err != nil {
			return err
		}
		if m.User, err = getUser(tx, id); err != nil {
			return err
		}
		if m.Departments, err = treeOf(tx, m.User.Departments, nil); err != nil {
			return err
		}
		m.Groups, err = groupsOf(tx, id)
		return err
	})
	return m, err
}

// Actor returns user id if they may act in the workspace: they exist and
// are active. An unknown, suspended or departed user is refused with an
// error wrapping ErrPermission (and not ErrNotFound: the caller is the
// one acting), naming the reason. The root package checks every actor of
// chat, tasks, calendar and documents with it.
func (y *System) Actor(ctx context.Context, id string) (User, error) {
	var u User
	err := y.s.view(ctx, "", true, fmt.Sprintf("actor %q", id), func(tx store.Tx) error {
		var err error
		u, err = getUser(tx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("not a user of the directory: %w", ErrPermission)
		case err != nil:
			return err
		case u.Status != Active:
			return fmt.Errorf("user is %s: %w", u.Status, ErrPermission)
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}
