package docacl

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"

	"github.com/workspace-go/workspace/store"
)

// The reference-model property test: random directories, trees, grants,
// links, moves, transfers and offboardings are applied through the public
// API, mirrored into a plain shadow state, and every user's role on every
// resource (read through a second Service on the same store) is compared
// with a brute-force evaluator written without any of the package's
// indexes or shortcuts.

type shadowRes struct {
	parent, owner string
	limited       bool
}

type shadowGrant struct {
	role    Role
	expires time.Time
}

type shadowLink struct {
	res, by, password string
	scope             LinkScope
	expires           time.Time
}

type shadow struct {
	res      map[string]*shadowRes
	grants   map[[2]string]shadowGrant // {resource, principal}
	members  map[[2]string]bool        // {group, member key}
	userDept map[string]string
	left     map[string]bool
	deptPar  map[string]string
	links    map[string]*shadowLink
	external bool
}

// keys computes a user's principal keys by fixpoint, the slow obvious way.
func (s *shadow) keys(u string) map[string]bool {
	if s.left[u] {
		return nil
	}
	if _, ok := s.userDept[u]; !ok {
		return nil
	}
	k := map[string]bool{UserKey(u): true, TenantKey: true}
	d := s.userDept[u]
	for i := 0; d != "" && i < 100; i++ {
		k[DeptKey(d)] = true
		d = s.deptPar[d]
	}
	for changed := true; changed; {
		changed = false
		for gm := range s.members {
			if k[gm[1]] && !k[GroupKey(gm[0])] {
				k[GroupKey(gm[0])] = true
				changed = true
			}
		}
	}
	return k
}

// reaches reports whether what is granted on x applies to r: x is r, or an
// ancestor of r with no limited resource from r up to below x.
func (s *shadow) reaches(x, r string) bool {
	for cur := r; cur != ""; {
		if cur == x {
			return true
		}
		if s.res[cur].limited {
			return false
		}
		cur = s.res[cur].parent
	}
	return false
}

func (s *shadow) role(u, r string, now time.Time, link string) Role {
	k := s.keys(u)
	best := None
	if k != nil && s.res[r].owner == u {
		return Owner
	}
	for x, xr := range s.res {
		if k != nil && x != r && xr.owner == u && s.reaches(x, r) {
			best = max(best, Manager)
		}
	}
	for gk, g := range s.grants {
		if k[gk[1]] && (g.expires.IsZero() || now.Before(g.expires)) && s.reaches(gk[0], r) {
			best = max(best, g.role)
		}
	}
	if l := s.links[link]; l != nil && s.reaches(l.res, r) && (l.expires.IsZero() || now.Before(l.expires)) {
		lr := None
		switch l.scope {
		case LinkTenantView:
			if k != nil {
				lr = Viewer
			}
		case LinkTenantEdit:
			if k != nil {
				lr = Editor
			}
		case LinkAnyoneView:
			if s.external {
				lr = Viewer
			}
		case LinkAnyoneEdit:
			if s.external {
				lr = Editor
			}
		}
		best = max(best, lr)
	}
	return best
}

// inSubtree reports whether r is root or below it, whatever limits access.
func (s *shadow) inSubtree(r, root string) bool {
	for cur := r; cur != ""; cur = s.res[cur].parent {
		if cur == root {
			return true
		}
	}
	return false
}

// linkUsable reports whether link id can be used by u at all.
func (s *shadow) linkUsable(u, id string, now time.Time) bool {
	l := s.links[id]
	if l == nil || !l.expires.IsZero() && !now.Before(l.expires) {
		return false
	}
	switch l.scope {
	case LinkTenantView, LinkTenantEdit:
		return s.keys(u) != nil
	case LinkAnyoneView, LinkAnyoneEdit:
		return s.external
	}
	return false
}

func seedFor(t *testing.T) uint64 {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return h.Sum64()
}

func TestAgainstReferenceModel(t *testing.T) {
	for _, b := range backends.All() {
		runs := 4
		if testing.Short() {
			runs = 1
		}
		for run := range runs {
			t.Run(fmt.Sprintf("%s/run %d", b.Name, run), func(t *testing.T) {
				st := b.Open(t)
				rng := rand.New(rand.NewPCG(seedFor(t), 1))
				checkAgainstModel(t, st, rng, 250)
			})
		}
	}
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func checkAgainstModel(t *testing.T, st store.Store, rng *rand.Rand, steps int) {
	e := newEnvBare(t, st)
	reader, err := New(context.Background(), st, testOptions(e.clock)...)
	if err != nil {
		t.Fatal(err)
	}
	sh := &shadow{res: map[string]*shadowRes{}, grants: map[[2]string]shadowGrant{}, members: map[[2]string]bool{},
		userDept: map[string]string{}, left: map[string]bool{}, deptPar: map[string]string{}, links: map[string]*shadowLink{}}
	users := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"}
	depts := []string{"d0", "d1", "d2", "d3"}
	groups := []string{"g0", "g1", "g2", "g3", "g4"}
	for i, d := range depts {
		par := ""
		if i > 0 {
			par = depts[rng.IntN(i)]
		}
		e.must(t, e.PutDept(e.ctx, "admin", Dept{ID: d, Parent: par}))
		sh.deptPar[d] = par
	}
	for _, u := range users {
		d := pick(rng, append(depts, ""))
		e.must(t, e.PutUser(e.ctx, "admin", User{ID: u, Dept: d}))
		sh.userDept[u] = d
	}
	for _, g := range groups {
		e.must(t, e.PutGroup(e.ctx, "admin", g, g))
	}
	var resIDs []string
	principals := func() string {
		switch rng.IntN(5) {
		case 0, 1:
			return UserKey(pick(rng, users))
		case 2:
			return GroupKey(pick(rng, groups))
		case 3:
			return DeptKey(pick(rng, depts))
		}
		return TenantKey
	}
	owners := func(r string) string { return sh.res[r].owner }
	var linkIDs []string
	ops := 0
	for step := 0; step < steps; step++ {
		var err error
		switch op := rng.IntN(14); {
		case op < 3 || len(resIDs) < 3: // create
			actor := pick(rng, users)
			parent := ""
			if len(resIDs) > 0 && rng.IntN(4) > 0 {
				parent = pick(rng, resIDs)
			}
			kind := Folder
			if rng.IntN(3) == 0 {
				kind = Document
			}
			var r Resource
			r, err = e.Create(e.ctx, actor, Resource{Kind: kind, Parent: parent})
			if err == nil {
				sh.res[r.ID] = &shadowRes{parent: parent, owner: actor}
				resIDs = append(resIDs, r.ID)
			}
		case op < 6: // grant, usually by the owner
			r := pick(rng, resIDs)
			p := principals()
			role := Role(1 + rng.IntN(4))
			var exp time.Time
			if rng.IntN(4) == 0 {
				exp = e.clock.Now().Add(time.Duration(1+rng.IntN(3)) * time.Hour)
			}
			actor := owners(r)
			if rng.IntN(4) == 0 {
				actor = pick(rng, users)
			}
			err = e.Grant(e.ctx, actor, r, p, role, GrantOptions{Expires: exp})
			if err == nil {
				sh.grants[[2]string{r, p}] = shadowGrant{role, exp}
			}
		case op == 6: // revoke
			if len(sh.grants) == 0 {
				continue
			}
			var gk [2]string
			for k := range sh.grants {
				gk = k
				break
			}
			err = e.Revoke(e.ctx, owners(gk[0]), gk[0], gk[1])
			if err == nil {
				delete(sh.grants, gk)
			}
		case op == 7: // move
			r := pick(rng, resIDs)
			par := ""
			if rng.IntN(4) > 0 {
				par = pick(rng, resIDs)
			}
			err = e.Move(e.ctx, owners(r), r, par)
			if err == nil {
				sh.res[r].parent = par
			}
		case op == 8: // limited access
			r := pick(rng, resIDs)
			l := rng.IntN(2) == 0
			err = e.SetLimited(e.ctx, owners(r), r, l)
			if err == nil {
				sh.res[r].limited = l
			}
		case op == 9: // transfer
			r := pick(rng, resIDs)
			to := pick(rng, users)
			opts := TransferOptions{RemoveOldOwner: rng.IntN(3) == 0, OldOwnerRole: Role(rng.IntN(4)), Recursive: rng.IntN(3) == 0}
			old := owners(r)
			err = e.Transfer(e.ctx, old, r, to, opts)
			if err == nil && old != to {
				moved := []string{r}
				if opts.Recursive {
					for _, x := range resIDs {
						if x != r && sh.res[x] != nil && sh.res[x].owner == old && sh.inSubtree(x, r) {
							moved = append(moved, x)
						}
					}
				}
				keep := opts.OldOwnerRole
				if keep == None {
					keep = Editor
				}
				for _, x := range moved {
					sh.res[x].owner = to
					delete(sh.grants, [2]string{x, UserKey(to)})
					if opts.RemoveOldOwner {
						delete(sh.grants, [2]string{x, UserKey(old)})
					} else {
						sh.grants[[2]string{x, UserKey(old)}] = shadowGrant{role: keep}
					}
				}
			}
		case op == 10: // group membership
			g := pick(rng, groups)
			var m string
			if rng.IntN(2) == 0 {
				m = UserKey(pick(rng, users))
			} else {
				m = GroupKey(pick(rng, groups))
			}
			if sh.members[[2]string{g, m}] {
				err = e.RemoveMember(e.ctx, "admin", g, m)
				if err == nil {
					delete(sh.members, [2]string{g, m})
				}
			} else {
				err = e.AddMember(e.ctx, "admin", g, m)
				if err == nil {
					sh.members[[2]string{g, m}] = true
				}
			}
		case op == 11: // links
			if rng.IntN(3) == 0 && len(linkIDs) > 0 {
				id := pick(rng, linkIDs)
				if l := sh.links[id]; l != nil {
					err = e.RevokeLink(e.ctx, owners(l.res), id)
					if err == nil {
						delete(sh.links, id)
					}
				}
				break
			}
			if rng.IntN(4) == 0 {
				sh.external = !sh.external
				e.must(t, e.SetSettings(e.ctx, "admin", Settings{ExternalAccess: sh.external}))
			}
			r := pick(rng, resIDs)
			scope := pick(rng, []LinkScope{LinkTenantView, LinkTenantEdit, LinkAnyoneView, LinkAnyoneEdit, LinkClosed})
			pw := ""
			if rng.IntN(2) == 0 {
				pw = "pw"
			}
			var exp time.Time
			if rng.IntN(3) == 0 {
				exp = e.clock.Now().Add(time.Duration(1+rng.IntN(3)) * time.Hour)
			}
			var l Link
			l, err = e.CreateLink(e.ctx, owners(r), r, LinkOptions{Scope: scope, Password: pw, Expires: exp})
			if err == nil {
				sh.links[l.ID] = &shadowLink{res: r, by: owners(r), password: pw, scope: scope, expires: exp}
				linkIDs = append(linkIDs, l.ID)
			}
		case op == 12: // time passes and expiries are swept; users change department
			e.clock.Advance(time.Duration(rng.IntN(90)) * time.Minute)
			if rng.IntN(2) == 0 {
				// The reader learns of it from the log, as it would of
				// another process's sweep.
				_, err = e.Sweep(e.ctx, e.clock.Now())
				e.must(t, err)
			}
			u := pick(rng, users)
			if !sh.left[u] {
				d := pick(rng, append(depts, ""))
				err = e.PutUser(e.ctx, "admin", User{ID: u, Dept: d})
				if err == nil {
					sh.userDept[u] = d
				}
			}
		case op == 13 && rng.IntN(4) == 0: // offboarding
			u := pick(rng, users)
			to := pick(rng, users)
			var rep OffboardReport
			rep, err = e.Offboard(e.ctx, "admin", u, OffboardOptions{Recipient: to})
			if err == nil {
				n := 0
				for id, r := range sh.res {
					if r.owner == u {
						r.owner = rep.Recipient
						delete(sh.grants, [2]string{id, UserKey(rep.Recipient)})
						n++
					}
				}
				if n != rep.Resources {
					t.Errorf("offboarding %s moved %d, shadow says %d", u, rep.Resources, n)
				}
				for gk := range sh.grants {
					if gk[1] == UserKey(u) {
						delete(sh.grants, gk)
					}
				}
				for gm := range sh.members {
					if gm[1] == UserKey(u) {
						delete(sh.members, gm)
					}
				}
				for id, l := range sh.links {
					if l.by == u {
						delete(sh.links, id)
					}
				}
				sh.left[u] = true
			}
		}
		if err != nil && !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrPermission) &&
			!errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
			t.Fatalf("step %d: unexpected error %v", step, err)
		}
		if err == nil {
			ops++
		}
		if step%10 == 9 || step == steps-1 {
			compareWithModel(t, e, reader, sh, users, resIDs, linkIDs)
			checkIndex(t, st)
		}
	}
	if ops < steps/3 {
		t.Errorf("only %d of %d random operations succeeded: the test exercises too little", ops, steps)
	}
	// Whatever the random walk left pending expires now, so that every
	// run sweeps some expiries (the walk alone did not always reach one).
	e.clock.Advance(4 * time.Hour)
	if _, err := e.Sweep(e.ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	compareWithModel(t, e, reader, sh, users, resIDs, linkIDs)
	checkIndex(t, st)
	if n := len(changesOf(t, st, GrantExpired, LinkExpired)); n == 0 {
		t.Error("no expiry was swept: the test exercises too little")
	}
}

func compareWithModel(t *testing.T, e *env, reader *Service, sh *shadow, users, resIDs, linkIDs []string) {
	t.Helper()
	now := e.clock.Now()
	for _, u := range users {
		var want []Entry
		for _, r := range resIDs {
			if sh.res[r] == nil {
				continue
			}
			w := sh.role(u, r, now, "")
			a, err := reader.Role(e.ctx, u, r)
			got := a.Role
			if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotFound) {
				got = None
			} else if err != nil {
				t.Fatalf("role(%s, %s): %v", u, r, err)
			}
			if got != w {
				t.Fatalf("role(%s, %s) = %v (why %+v), model says %v", u, r, got, a, w)
			}
			if w != None {
				want = append(want, Entry{r, w})
			}
		}
		got, err := allAccessible(e.ctx, reader, u, ListOptions{})
		if errors.Is(err, ErrNotFound) {
			got, err = nil, nil
		}
		e.must(t, err)
		sortEntries(got)
		sortEntries(want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("accessible(%s) = %v, model says %v", u, got, want)
		}
		// From a folder down, with a minimum role.
		if len(resIDs) > 0 && !sh.left[u] {
			under := resIDs[len(want)%len(resIDs)]
			minRole := Role(len(resIDs)%4 + 1)
			var wantUnder []Entry
			anyBelow := false
			for _, r := range resIDs {
				if !sh.inSubtree(r, under) {
					continue
				}
				w := sh.role(u, r, now, "")
				anyBelow = anyBelow || w != None
				if w >= minRole {
					wantUnder = append(wantUnder, Entry{r, w})
				}
			}
			got, err := allAccessible(e.ctx, reader, u, ListOptions{Under: under, MinRole: minRole})
			if !anyBelow {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("accessible(%s, under %s) = %v, %v; want ErrNotFound", u, under, got, err)
				}
			} else {
				e.must(t, err)
				sortEntries(got)
				sortEntries(wantUnder)
				if !reflect.DeepEqual(got, wantUnder) {
					t.Fatalf("accessible(%s, under %s, min %v) = %v, model says %v", u, under, minRole, got, wantUnder)
				}
			}
		}
		keys, err := reader.System().AccessKeys(e.ctx, u)
		if errors.Is(err, ErrNotFound) {
			keys, err = nil, nil
		}
		e.must(t, err)
		var wantKeys []string
		for k := range sh.keys(u) {
			wantKeys = append(wantKeys, k)
		}
		sort.Strings(wantKeys)
		if !reflect.DeepEqual(keys, wantKeys) {
			t.Fatalf("access keys(%s) = %v, model says %v", u, keys, wantKeys)
		}
	}
	// Who agrees with the roles.
	for _, r := range resIDs {
		if sh.res[r] == nil {
			continue
		}
		owner := sh.res[r].owner
		if sh.left[owner] {
			continue
		}
		who, err := items(reader.Who(e.ctx, owner, r, PageOptions{}))
		e.must(t, err)
		got := map[string]Role{}
		for _, w := range who {
			got[w.User] = w.Role
		}
		want := map[string]Role{}
		for _, u := range users {
			if w := sh.role(u, r, now, ""); w != None {
				want[u] = w
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("who(%s) = %v, model says %v", r, got, want)
		}
	}
	// A few link checks: right and wrong passwords, members and outsiders.
	for i, id := range linkIDs {
		if i%3 != 0 {
			continue
		}
		l := sh.links[id]
		for _, u := range []string{"", users[i%len(users)]} {
			for _, r := range resIDs {
				pw := ""
				if l != nil {
					pw = l.password
				}
				a, err := reader.linkAccess(e.ctx, u, id, pw, r)
				if !sh.linkUsable(u, id, now) {
					if !errors.Is(err, ErrLinkDenied) {
						t.Fatalf("unusable link %s for %q on %s: got %+v, %v, want ErrLinkDenied", id, u, r, a, err)
					}
					continue
				}
				got := a.Role
				if errors.Is(err, ErrNotFound) {
					got = None
				} else if err != nil {
					t.Fatalf("link %s for %q on %s: %v", id, u, r, err)
				}
				if want := sh.role(u, r, now, id); got != want {
					t.Fatalf("link %s for %q on %s = %v, model says %v", id, u, r, got, want)
				}
				if l != nil && l.password != "" {
					if _, err := reader.linkAccess(e.ctx, u, id, "wrong", r); !errors.Is(err, ErrLinkDenied) {
						t.Fatalf("link %s with a wrong password: got %v, want ErrLinkDenied", id, err)
					}
				}
			}
		}
	}
}

// newEnvBare is newEnv without the fixed directory.
func newEnvBare(t testing.TB, st store.Store) *env {
	t.Helper()
	e := &env{st: st}
	e.clock = clockAt(t0)
	s, err := New(context.Background(), st, testOptions(e.clock)...)
	if err != nil {
		t.Fatal(err)
	}
	e.Service, e.ctx = s, t.Context()
	return e
}
