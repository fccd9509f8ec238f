package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/store"
)

// checkActor admits the actors of chat, tasks and calendars: an active
// user (or bot) of the directory, or one of Options.Admins (who, as in
// docacl, need not be users: an application may act as "system").
// Anyone else is refused with an error wrapping store.ErrPermission.
func (w *Workspace) checkActor(ctx context.Context, actor string) error {
	if w.admins[actor] {
		return nil
	}
	_, err := w.Directory.System().Actor(ctx, actor)
	return err
}

// directoryOptions returns the directory service's options: the
// Workspace's clock, ids and admins.
func directoryOptions(o Options) []directory.Option {
	out := injected(o, directory.WithClock, directory.WithIDs)
	if len(o.Admins) > 0 {
		out = append(out, directory.WithAdmins(o.Admins...))
	}
	return out
}

// docsDirectory is the directory as docacl reads it (docacl.Directory):
// memberships, versions and existence from the directory's trusted
// reads. Groups have no trusted read in the directory, so their
// existence and members are read as the first of Options.Admins; with no
// admins there are no groups to grant to.
type docsDirectory struct {
	svc   *directory.Service
	sys   *directory.System
	admin string
}

var _ docacl.Directory = docsDirectory{}

// Memberships implements docacl.Directory.
func (d docsDirectory) Memberships(ctx context.Context, user string) (docacl.Membership, error) {
	m, err := d.sys.Memberships(ctx, user)
	if err != nil {
		return docacl.Membership{}, err
	}
	return docacl.Membership{
		Active:      m.User.Status == directory.Active,
		Manager:     m.User.Manager,
		Departments: m.Departments,
		Groups:      m.Groups,
		Version:     m.Version,
	}, nil
}

// Version implements docacl.Directory.
func (d docsDirectory) Version(ctx context.Context) (uint64, error) { return d.sys.Version(ctx) }

// Exists implements docacl.Directory.
func (d docsDirectory) Exists(ctx context.Context, p docacl.Principal) error {
	switch p.Kind {
	case docacl.KindDept:
		_, err := d.sys.Users(ctx, directory.UserQuery{Department: p.ID, Direct: true, ListOptions: directory.ListOptions{Limit: 1}})
		return err
	case docacl.KindGroup:
		if d.admin == "" {
			return fmt.Errorf("workspace: group %q: no admin to read groups as: %w", p.ID, store.ErrNotFound)
		}
		_, err := d.svc.Group(ctx, d.admin, p.ID)
		return err
	}
	return nil
}

// Members implements docacl.Directory: the active users p stands for.
func (d docsDirectory) Members(ctx context.Context, p docacl.Principal) ([]string, error) {
	switch p.Kind {
	case docacl.KindTenant:
		return d.users(ctx, directory.UserQuery{Status: directory.Active})
	case docacl.KindDept:
		return d.users(ctx, directory.UserQuery{Department: p.ID, Status: directory.Active})
	case docacl.KindGroup:
		return d.groupUsers(ctx, p.ID)
	case docacl.KindUser:
		return []string{p.ID}, nil
	}
	return nil, nil
}

func (d docsDirectory) users(ctx context.Context, q directory.UserQuery) ([]string, error) {
	var out []string
	q.Limit = directory.MaxPageSize
	for {
		page, err := d.sys.Users(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, u := range page.Items {
			out = append(out, u.ID)
		}
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

// groupUsers expands group id through nesting, each group once.
func (d docsDirectory) groupUsers(ctx context.Context, id string) ([]string, error) {
	if d.admin == "" {
		return nil, nil
	}
	var out []string
	seen := map[string]bool{id: true}
	for queue := []string{id}; len(queue) > 0; queue = queue[1:] {
		o := directory.ListOptions{Limit: directory.MaxPageSize}
		for {
			page, err := d.svc.GroupMembers(ctx, d.admin, queue[0], o)
			if err != nil {
				return nil, err
			}
			for _, m := range page.Items {
				switch {
				case m.Kind == directory.MemberUser:
					out = append(out, m.ID)
				case !seen[m.ID]:
					seen[m.ID] = true
					queue = append(queue, m.ID)
				}
			}
			if page.Next == "" {
				break
			}
			o.Cursor = page.Next
		}
	}
	return out, nil
}

// migrateDirectory moves the directory a store written by an older docacl
// keeps (its users, groups and departments) into the directory service,
// once: the departments and users with one Import, then the groups, then
// docacl's copy is dropped. Each step is idempotent, so an Open that
// fails half-way finishes the job the next time. Users who had left
// are imported as left; managers who had left are not kept as managers.
func (w *Workspace) migrateDirectory(ctx context.Context) error {
	own, err := w.Docs.System().OwnDirectory(ctx)
	if err != nil || own.Empty() {
		return err
	}
	if len(w.opts.Admins) == 0 {
		return fmt.Errorf("%w: the store holds docacl's directory; name Admins to move it to the directory", ErrOptions)
	}
	admin := w.opts.Admins[0]
	left := map[string]bool{}
	for _, u := range own.Users {
		left[u.ID] = u.Left
	}
	manager := func(m string) string {
		if left[m] {
			return ""
		}
		return m
	}
	var chart directory.OrgChart
	for _, d := range own.Depts {
		name := d.Name
		if name == "" {
			name = d.ID
		}
		chart.Departments = append(chart.Departments, directory.Department{ID: d.ID, Name: name, Parent: d.Parent, Manager: manager(d.Manager)})
	}
	for _, u := range own.Users {
		nu := directory.User{ID: u.ID, Name: u.Name, Departments: []string{directory.Root}, Manager: manager(u.Manager)}
		if nu.Name == "" {
			nu.Name = u.ID
		}
		if u.Dept != "" {
			nu.Departments = []string{u.Dept}
		}
		if u.Left {
			nu.Status = directory.Left
		}
		chart.Users = append(chart.Users, nu)
	}
	if _, err := w.Directory.Import(ctx, admin, chart, nil); err != nil {
		return fmt.Errorf("workspace: move docacl's directory: %w", err)
	}
	for _, g := range own.Groups {
		if _, err := w.Directory.Group(ctx, admin, g.ID); errors.Is(err, store.ErrNotFound) {
			name := g.Name
			if name == "" {
				name = g.ID
			}
			_, err = w.Directory.CreateGroup(ctx, admin, directory.Group{ID: g.ID, Name: name})
			if err != nil {
				return fmt.Errorf("workspace: move docacl's directory: %w", err)
			}
		} else if err != nil {
			return fmt.Errorf("workspace: move docacl's directory: %w", err)
		}
	}
	for _, g := range own.Groups {
		for _, key := range g.Members {
			p, err := docacl.ParseKey(key)
			if err != nil || left[p.ID] {
				continue
			}
			m := directory.Member{Kind: directory.MemberUser, ID: p.ID}
			if p.Kind == docacl.KindGroup {
				m.Kind = directory.MemberGroup
			}
			if err := w.Directory.AddMember(ctx, admin, g.ID, m); err != nil {
				return fmt.Errorf("workspace: move docacl's directory: group %q: %w", g.ID, err)
			}
		}
	}
	if _, err := w.Docs.System().DropOwnDirectory(ctx, admin); err != nil {
		return fmt.Errorf("workspace: move docacl's directory: %w", err)
	}
	return nil
}
