package directory

import (
	"context"
	"fmt"
	"slices"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// Reads. Any active user or admin may read the whole directory; users
// who have left or are suspended, and strangers, get ErrPermission. The
// same reads without the actor check are on System.

// maxScan bounds the index entries one page of Users examines, so that a
// filter that matches little cannot make one call read the whole
// directory: the page then comes back short, with a cursor.
const maxScan = 10000

// ListOptions pages a listing: at most Limit items (DefaultPageSize when
// 0, at most MaxPageSize), after Cursor (from the previous page's Next).
type ListOptions struct {
	Limit  int    `json:"limit,omitempty"`
	Cursor string `json:"cursor,omitempty"`
}

// UserQuery selects users for Users. Filters combine (a user must pass
// all); users come in id order.
type UserQuery struct {
	// Department keeps the members of the department and, unless Direct,
	// of its sub-departments at any depth.
	Department string `json:"department,omitempty"`
	Direct     bool   `json:"direct,omitempty"`
	// Status keeps users with that status.
	Status Status `json:"status,omitempty"`
	// Manager keeps the direct reports of that user.
	Manager string `json:"manager,omitempty"`
	ListOptions
}

// User returns user id.
func (s *Service) User(ctx context.Context, actor, id string) (User, error) {
	return s.user(ctx, actor, false, id)
}

func (s *Service) user(ctx context.Context, actor string, trusted bool, id string) (User, error) {
	var u User
	err := s.view(ctx, actor, trusted, fmt.Sprintf("get user %q", id), func(tx store.Tx) error {
		var err error
		u, err = getUser(tx, id)
		return err
	})
	return u, err
}

// Users lists the users q selects, a page at a time.
func (s *Service) Users(ctx context.Context, actor string, q UserQuery) (store.Page[User], error) {
	return s.users(ctx, actor, false, q)
}

func (s *Service) users(ctx context.Context, actor string, trusted bool, q UserQuery) (store.Page[User], error) {
	var page store.Page[User]
	what := "list users"
	limit, err := pageSize(q.Limit)
	if err != nil {
		return page, fmt.Errorf("directory: %s: %w", what, err)
	}
	after, err := decodeCursor(q.Cursor)
	if err != nil {
		return page, fmt.Errorf("directory: %s: %w", what, err)
	}
	if q.Status != "" && !q.Status.valid() {
		return page, fmt.Errorf("directory: %s: status %q: %w", what, q.Status, ErrInvalid)
	}
	// The driving index: the most selective filter given.
	var pre []byte
	byTree := false // driven by the subtree index
	switch {
	case q.Manager != "":
		pre = key(pReports, q.Manager)
	case q.Department != "" && q.Direct:
		pre = key(pDeptUser, q.Department)
	case q.Department != "":
		pre, byTree = key(pTreeUser, q.Department), true
	case q.Status != "":
		pre = key(pStatus, string(q.Status))
	default:
		pre = pUser
	}
	err = s.view(ctx, actor, trusted, what, func(tx store.Tx) error {
		if q.Department != "" {
			if _, err := getDept(tx, q.Department); err != nil {
				return err
			}
		}
		r := store.Prefix(pre)
		if after != "" {
			r.Start = append(keys.Append(slices.Clone(pre), after), 0)
		}
		scanned, last := 0, ""
		for k, v := range tx.Scan(r) {
			id, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("user index: %w", err)
			}
			scanned++
			last = id
			var u User
			if len(pre) == len(pUser) {
				err = record.Decode(k, v, &u)
			} else {
				u, err = getUser(tx, id)
			}
			if err != nil {
				return err
			}
			ok := matches(u, q)
			if ok && q.Department != "" && !q.Direct && !byTree {
				// Driven by another index: check the subtree here.
				ok, err = exists(tx, kTreeUser(q.Department, id))
				if err != nil {
					return err
				}
			}
			if ok {
				page.Items = append(page.Items, u)
			}
			if len(page.Items) == limit+1 || scanned >= maxScan {
				break
			}
		}
		switch {
		case len(page.Items) > limit:
			page.Items = page.Items[:limit]
			page.Next = encodeCursor(page.Items[limit-1].ID)
		case scanned >= maxScan:
			page.Next = encodeCursor(last)
		}
		return nil
	})
	return page, err
}

func matches(u User, q UserQuery) bool {
	if q.Status != "" && u.Status != q.Status {
		return false
	}
	if q.Manager != "" && u.Manager != q.Manager {
		return false
	}
	if q.Department != "" && q.Direct && !slices.Contains(u.Departments, q.Department) {
		return false
	}
	return true // membership of a subtree is the up index's business
}

// DepartmentMembers lists the direct members of department dept, a page
// at a time: Users with Department dept and Direct set.
func (s *Service) DepartmentMembers(ctx context.Context, actor, dept string, o ListOptions) (store.Page[User], error) {
	return s.Users(ctx, actor, UserQuery{Department: dept, Direct: true, ListOptions: o})
}

// ReportingChain returns the managers above user id, the direct manager
// first, the top of the organisation last (at most MaxChain).
func (s *Service) ReportingChain(ctx context.Context, actor, id string) ([]User, error) {
	return s.chain(ctx, actor, false, id)
}

func (s *Service) chain(ctx context.Context, actor string, trusted bool, id string) ([]User, error) {
	var out []User
	err := s.view(ctx, actor, trusted, fmt.Sprintf("reporting chain of %q", id), func(tx store.Tx) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		for m := u.Manager; m != "" && len(out) < MaxChain; {
			mu, err := getUser(tx, m)
			if err != nil {
				return err
			}
			out = append(out, mu)
			m = mu.Manager
		}
		return nil
	})
	return out, err
}

// UserDepartments returns the departments user id belongs to, directly
// or through a sub-department: its departments and all their ancestors,
// Root included, sorted.
func (s *Service) UserDepartments(ctx context.Context, actor, id string) ([]string, error) {
	return s.userDepts(ctx, actor, false, id)
}

func (s *Service) userDepts(ctx context.Context, actor string, trusted bool, id string) ([]string, error) {
	var out []string
	err := s.view(ctx, actor, trusted, fmt.Sprintf("departments of %q", id), func(tx store.Tx) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		out, err = treeOf(tx, u.Departments, nil)
		return err
	})
	return out, err
}

// UserGroups returns the groups user id belongs to, directly or through
// nested groups, sorted.
func (s *Service) UserGroups(ctx context.Context, actor, id string) ([]string, error) {
	return s.userGroups(ctx, actor, false, id)
}

func (s *Service) userGroups(ctx context.Context, actor string, trusted bool, id string) ([]string, error) {
	var out []string
	err := s.view(ctx, actor, trusted, fmt.Sprintf("groups of %q", id), func(tx store.Tx) error {
		if _, err := getUser(tx, id); err != nil {
			return err
		}
		var err error
		out, err = groupsOf(tx, id)
		return err
	})
	return out, err
}

// groupsOf returns the groups user id is in, directly or through
// nesting, sorted.
func groupsOf(tx store.Tx, id string) ([]string, error) {
	var direct []string
	for k := range tx.Scan(store.Prefix(key(pMemberOf, string(MemberUser), id))) {
		g, err := keys.Last(k)
		if err != nil {
			return nil, fmt.Errorf("group index: %w", err)
		}
		direct = append(direct, g)
	}
	all, err := groupsAbove(tx, direct)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(all))
	for g := range all {
		out = append(out, g)
	}
	slices.Sort(out)
	return out, nil
}

// Department returns department id.
func (s *Service) Department(ctx context.Context, actor, id string) (Department, error) {
	var d Department
	err := s.view(ctx, actor, false, fmt.Sprintf("get department %q", id), func(tx store.Tx) error {
		var err error
		d, err = getDept(tx, id)
		return err
	})
	return d, err
}

// Departments lists the sub-departments of parent (Root for the top
// level), in id order, a page at a time.
func (s *Service) Departments(ctx context.Context, actor, parent string, o ListOptions) (store.Page[Department], error) {
	what := fmt.Sprintf("list departments under %q", parent)
	var page store.Page[Department]
	err := s.listIDs(ctx, actor, what, key(pChild, parent), o, func(tx store.Tx) error {
		_, err := getDept(tx, parent)
		return err
	}, func(tx store.Tx, id string) (string, error) {
		d, err := getDept(tx, id)
		page.Items = append(page.Items, d)
		return d.ID, err
	}, &page.Next)
	return page, err
}

// Group returns group id.
func (s *Service) Group(ctx context.Context, actor, id string) (Group, error) {
	var g Group
	err := s.view(ctx, actor, false, fmt.Sprintf("get group %q", id), func(tx store.Tx) error {
		var err error
		g, err = getGroup(tx, id)
		return err
	})
	return g, err
}

// GroupMembers lists the direct members of group id, groups before users,
// each in id order, a page at a time.
func (s *Service) GroupMembers(ctx context.Context, actor, id string, o ListOptions) (store.Page[Member], error) {
	what := fmt.Sprintf("list members of group %q", id)
	var page store.Page[Member]
	limit, err := pageSize(o.Limit)
	if err != nil {
		return page, fmt.Errorf("directory: %s: %w", what, err)
	}
	after, err := decodeCursor(o.Cursor)
	if err != nil {
		return page, fmt.Errorf("directory: %s: %w", what, err)
	}
	pre := key(pMember, id)
	err = s.view(ctx, actor, false, what, func(tx store.Tx) error {
		if _, err := getGroup(tx, id); err != nil {
			return err
		}
		r := store.Prefix(pre)
		if after != "" {
			// The cursor holds the last member's key suffix: kind, NUL, id.
			kind, mid, ok := cutMemberCursor(after)
			if !ok {
				return fmt.Errorf("cursor: %w", ErrInvalid)
			}
			r.Start = append(kMember(id, Member{Kind: kind, ID: mid}), 0)
		}
		r.Limit = limit + 1
		for k := range tx.Scan(r) {
			m, err := memberFromKey(k, 3)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, m)
		}
		if len(page.Items) > limit {
			page.Items = page.Items[:limit]
			m := page.Items[limit-1]
			page.Next = encodeCursor(string(m.Kind) + "/" + m.ID)
		}
		return nil
	})
	return page, err
}

func cutMemberCursor(c string) (MemberKind, string, bool) {
	for _, k := range []MemberKind{MemberGroup, MemberUser} {
		if p := string(k) + "/"; len(c) > len(p) && c[:len(p)] == p {
			return k, c[len(p):], true
		}
	}
	return "", "", false
}

// listIDs pages through the ids under prefix pre, calling item for each.
func (s *Service) listIDs(ctx context.Context, actor, what string, pre []byte, o ListOptions,
	check func(tx store.Tx) error, item func(tx store.Tx, id string) (string, error), next *string) error {
	limit, err := pageSize(o.Limit)
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	after, err := decodeCursor(o.Cursor)
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	return s.view(ctx, actor, false, what, func(tx store.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		r := store.Prefix(pre)
		if after != "" {
			r.Start = append(keys.Append(slices.Clone(pre), after), 0)
		}
		r.Limit = limit + 1
		n, last := 0, ""
		for k := range tx.Scan(r) {
			id, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("index: %w", err)
			}
			if n == limit {
				*next = encodeCursor(last)
				break
			}
			if last, err = item(tx, id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
}
