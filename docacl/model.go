package docacl

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// model is the service's in-memory copy of the tenant's permission data.
// Every read (Check, Role, listings) is answered from it; it is brought up
// to date from the change log before each read (see Service.sync), and
// every write is validated against it and committed only if the store
// has not moved since (see Service.write).
type model struct {
	version uint64        // the docacl meta version this model reflects
	logPos  uint64        // where to read the change log from
	seen    atomic.Uint64 // the store's Last() the model is known fresh for

	res         map[string]*node
	owned       map[string]set // user -> resources owned
	byPrincipal map[string]set // principal key -> resources with a grant to it
	links       map[string]*linkRecord
	users       map[string]*User
	deptMembers map[string]set // dept -> users
	groups      map[string]*groupNode
	memberOf    map[string][]string // member key -> groups containing it (a slice: most keys are in a few)
	depts       map[string]*Dept
	deptKids    map[string]set // dept -> child depts
	settings    Settings

	pids    map[string]int32 // principal key -> small int, for fast evaluation
	pkeys   []string         // pid -> principal key, shared by every grant to it
	newPIDs bool             // set when pids grew: cached key sets are stale
}

type set = map[string]struct{}

// A node keeps its grants in one slice sorted by principal id (no map:
// most resources have none or one, and a map would cost more than the
// rest of the node), and shares the strings it can with other records
// (its parent's id, its owner's, the principal keys), so that a tenant of
// 100,000 resources fits in under 500 bytes a resource.
type node struct {
	Resource
	gl     []gent                 // the grants, sorted by pid
	links  map[string]*linkRecord // link id -> link; nil when none
	parent *node                  // nil at the top
	kids   []*node                // the resources whose parent is this one
}

// gent is a grant in the form evaluation wants: no strings, no time.Time.
type gent struct {
	pid  int32
	role Role
	exp  int64 // UnixNano; 0: never
	g    *Grant
}

// addGrant adds g to a node being loaded; setResource then interns and
// sorts the grants.
func (n *node) addGrant(g *Grant) { n.gl = append(n.gl, gent{g: g}) }

// grant returns the grant to principal on n; nil when none.
func (m *model) grant(n *node, principal string) *Grant {
	pid, ok := m.pids[principal]
	if !ok {
		return nil
	}
	if i, ok := n.find(pid); ok {
		return n.gl[i].g
	}
	return nil
}

// find returns the index of the grant to pid in n.gl, or where it would be.
func (n *node) find(pid int32) (int, bool) {
	lo, hi := 0, len(n.gl)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if n.gl[mid].pid < pid {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(n.gl) && n.gl[lo].pid == pid
}

func (n *node) addLink(l *linkRecord) {
	if n.links == nil {
		n.links = map[string]*linkRecord{}
	}
	n.links[l.ID] = l
}

// expNanos returns t as UnixNano, 0 for the zero time, clamped to the
// range UnixNano can represent.
func expNanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Year() >= 2262:
		return math.MaxInt64
	case t.Year() < 1678:
		return 1
	}
	return t.UnixNano()
}

func (m *model) intern(key string) int32 {
	if id, ok := m.pids[key]; ok {
		return id
	}
	id := int32(len(m.pids) + 1)
	m.pids[key] = id
	m.pkeys = append(m.pkeys, key)
	m.newPIDs = true
	return id
}

// userID returns id, sharing the string of the directory's user record.
func (m *model) userID(id string) string {
	if u := m.users[id]; u != nil {
		return u.ID
	}
	return id
}

type groupNode struct {
	Group
	members set // member keys
}

// meta is the record bumped by every mutation: version counts docacl
// mutations, seq is the log position of the latest one.
type meta struct {
	Version uint64 `json:"version"`
	Seq     uint64 `json:"seq"`
}

func newModel() *model {
	return &model{
		res:         map[string]*node{},
		owned:       map[string]set{},
		byPrincipal: map[string]set{},
		links:       map[string]*linkRecord{},
		users:       map[string]*User{},
		deptMembers: map[string]set{},
		groups:      map[string]*groupNode{},
		memberOf:    map[string][]string{},
		depts:       map[string]*Dept{},
		deptKids:    map[string]set{},
		pids:        map[string]int32{},
		pkeys:       []string{""}, // pid 0 is no principal
	}
}

func add(m map[string]set, k, v string) {
	s := m[k]
	if s == nil {
		s = set{}
		m[k] = s
	}
	s[v] = struct{}{}
}

func del(m map[string]set, k, v string) {
	if s := m[k]; s != nil {
		delete(s, v)
		if len(s) == 0 {
			delete(m, k)
		}
	}
}

// removeString removes x from xs, in place, keeping the order.
func removeString(xs []string, x string) []string {
	if i := slices.Index(xs, x); i >= 0 {
		return slices.Delete(xs, i, i+1)
	}
	return xs
}

func readMeta(tx store.Tx) (meta, error) {
	var mt meta
	v, err := tx.Get(metaKey)
	if err != nil {
		if isNotFound(err) {
			return mt, nil
		}
		return mt, err
	}
	return mt, json.Unmarshal(v, &mt)
}

// setResource replaces resource id (nil n: removes it) with its indexes.
// A node that stays is updated in place, so that the parent pointers of
// its children stay valid; call linkParents after a batch.
func (m *model) setResource(id string, n *node) {
	old := m.res[id]
	if old != nil {
		del(m.owned, old.Owner, id)
		for _, ge := range old.gl {
			del(m.byPrincipal, ge.g.Principal, id)
		}
		for l := range old.links {
			delete(m.links, l)
		}
		if n == nil {
			delete(m.res, id)
			old.setParent(nil)
			return
		}
		old.Resource, old.gl, old.links = n.Resource, n.gl, n.links
		n = old
	}
	if n == nil {
		return
	}
	switch n.Kind { // share the constants' strings
	case Folder:
		n.Kind = Folder
	case Document:
		n.Kind = Document
	}
	n.Owner = m.userID(n.Owner)
	m.res[id] = n
	add(m.owned, n.Owner, id)
	for i := range n.gl {
		ge := &n.gl[i]
		g := ge.g
		ge.pid = m.intern(g.Principal)
		g.Principal, g.Resource, g.By = m.pkeys[ge.pid], n.ID, m.userID(g.By)
		ge.role, ge.exp = g.Role, expNanos(g.Expires)
		add(m.byPrincipal, g.Principal, id)
	}
	slices.SortFunc(n.gl, func(a, b gent) int { return cmp.Compare(a.pid, b.pid) })
	n.gl = slices.Clip(n.gl)
	for l, rec := range n.links {
		m.links[l] = rec
	}
	n.setParent(m.res[n.Parent])
}

// setParent points n at parent node p (nil: none) and keeps the kids
// lists in step.
func (n *node) setParent(p *node) {
	if n.parent == p {
		return
	}
	if o := n.parent; o != nil {
		for i, k := range o.kids {
			if k == n {
				last := len(o.kids) - 1
				o.kids[i], o.kids[last] = o.kids[last], nil
				o.kids = o.kids[:last]
				break
			}
		}
	}
	if p != nil {
		p.kids = append(p.kids, n)
		n.Parent = p.ID // share the parent's string
	}
	n.parent = p
}

// linkParents sets the parent pointers of the given resources, once every
// resource of a batch is in place.
func (m *model) linkParents(ids map[string]struct{}) {
	for id := range ids {
		if n := m.res[id]; n != nil {
			n.setParent(m.res[n.Parent])
		}
	}
}

func (m *model) setUser(id string, u *User) {
	if old := m.users[id]; old != nil {
		del(m.deptMembers, old.Dept, id)
		delete(m.users, id)
	}
	if u == nil {
		return
	}
	m.users[id] = u
	add(m.deptMembers, u.Dept, id)
}

func (m *model) setGroup(id string, g *groupNode) {
	if old := m.groups[id]; old != nil {
		for mem := range old.members {
			m.memberOf[mem] = removeString(m.memberOf[mem], id)
			if len(m.memberOf[mem]) == 0 {
				delete(m.memberOf, mem)
			}
		}
		delete(m.groups, id)
	}
	if g == nil {
		return
	}
	m.groups[id] = g
	for mem := range g.members {
		if !slices.Contains(m.memberOf[mem], id) {
			m.memberOf[mem] = append(m.memberOf[mem], id)
		}
	}
}

func (m *model) setDept(id string, d *Dept) {
	if old := m.depts[id]; old != nil {
		del(m.deptKids, old.Parent, id)
		delete(m.depts, id)
	}
	if d == nil {
		return
	}
	m.depts[id] = d
	add(m.deptKids, d.Parent, id)
}

// loadResource reads resource id, its grants and links; nil when absent.
func loadResource(tx store.Tx, id string) (*node, error) {
	v, err := tx.Get(resKey(id))
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	n := &node{}
	if err := json.Unmarshal(v, &n.Resource); err != nil {
		return nil, fmt.Errorf("docacl: resource %q: %w", id, err)
	}
	for _, v := range tx.Scan(store.Prefix(grantPrefix(id))) {
		g := new(Grant)
		if err := json.Unmarshal(v, g); err != nil {
			return nil, fmt.Errorf("docacl: grant on %q: %w", id, err)
		}
		n.addGrant(g)
	}
	for _, v := range tx.Scan(store.Prefix(linkPrefix(id))) {
		l := new(linkRecord)
		if err := json.Unmarshal(v, l); err != nil {
			return nil, fmt.Errorf("docacl: link on %q: %w", id, err)
		}
		n.addLink(l)
	}
	return n, nil
}

func loadJSON[T any](tx store.Tx, k []byte) (*T, error) {
	v, err := tx.Get(k)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	x := new(T)
	if err := json.Unmarshal(v, x); err != nil {
		return nil, fmt.Errorf("docacl: record %q: %w", k, err)
	}
	return x, nil
}

func loadGroup(tx store.Tx, id string) (*groupNode, error) {
	g, err := loadJSON[Group](tx, groupKey(id))
	if err != nil || g == nil {
		return nil, err
	}
	gn := &groupNode{Group: *g, members: set{}}
	for k := range tx.Scan(store.Prefix(memberPrefix(id))) {
		mem, err := keys.Last(k)
		if err != nil {
			return nil, fmt.Errorf("docacl: member key %q: %w", k, err)
		}
		gn.members[mem] = struct{}{}
	}
	return gn, nil
}

// fetched holds the records a batch of changes touched, read in one
// snapshot (nil: the record is gone).
type fetched struct {
	resources map[string]*node
	users     map[string]*User
	groups    map[string]*groupNode
	depts     map[string]*Dept
	settings  *Settings
	t         *touched
}

// fetch reads the entities a batch of changes touched, without changing
// the model, so that a failed read leaves the model intact.
func fetch(tx store.Tx, t *touched) (*fetched, error) {
	f := &fetched{resources: map[string]*node{}, users: map[string]*User{}, groups: map[string]*groupNode{}, depts: map[string]*Dept{}, t: t}
	for id := range t.resources {
		n, err := loadResource(tx, id)
		if err != nil {
			return nil, err
		}
		f.resources[id] = n
	}
	for id := range t.users {
		u, err := loadJSON[User](tx, userKey(id))
		if err != nil {
			return nil, err
		}
		f.users[id] = u
	}
	for id := range t.groups {
		g, err := loadGroup(tx, id)
		if err != nil {
			return nil, err
		}
		f.groups[id] = g
	}
	for id := range t.depts {
		d, err := loadJSON[Dept](tx, deptKey(id))
		if err != nil {
			return nil, err
		}
		f.depts[id] = d
	}
	if t.settings {
		s, err := loadJSON[Settings](tx, settingsKey)
		if err != nil {
			return nil, err
		}
		f.settings = &Settings{}
		if s != nil {
			f.settings = s
		}
	}
	return f, nil
}

// apply puts fetched records into the model.
func (m *model) apply(f *fetched) {
	for id, n := range f.resources {
		m.setResource(id, n)
	}
	m.linkParents(f.t.resources)
	for id, u := range f.users {
		m.setUser(id, u)
	}
	for id, g := range f.groups {
		m.setGroup(id, g)
	}
	for id, d := range f.depts {
		m.setDept(id, d)
	}
	if f.settings != nil {
		m.settings = *f.settings
	}
}

// loadAll reads the whole permission state in one snapshot.
func loadAll(tx store.Tx) (*model, error) {
	m := newModel()
	mt, err := readMeta(tx)
	if err != nil {
		return nil, err
	}
	m.version = mt.Version
	scan := func(prefix []byte, fn func(k, v []byte) error) error {
		for k, v := range tx.Scan(store.Prefix(prefix)) {
			if err := fn(k, v); err != nil {
				return err
			}
		}
		return nil
	}
	// Users first, so that resources and grants share their id strings.
	err = scan(keys.New(pkg, "user"), func(k, v []byte) error {
		u := new(User)
		if err := json.Unmarshal(v, u); err != nil {
			return fmt.Errorf("docacl: user %q: %w", k, err)
		}
		m.setUser(u.ID, u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(keys.New(pkg, "res"), func(k, v []byte) error {
		n := &node{}
		if err := json.Unmarshal(v, &n.Resource); err != nil {
			return fmt.Errorf("docacl: resource %q: %w", k, err)
		}
		m.res[n.ID] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(keys.New(pkg, "grant"), func(k, v []byte) error {
		g := new(Grant)
		if err := json.Unmarshal(v, g); err != nil {
			return fmt.Errorf("docacl: grant %q: %w", k, err)
		}
		if n := m.res[g.Resource]; n != nil {
			n.addGrant(g)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(keys.New(pkg, "link"), func(k, v []byte) error {
		l := new(linkRecord)
		if err := json.Unmarshal(v, l); err != nil {
			return fmt.Errorf("docacl: link %q: %w", k, err)
		}
		if n := m.res[l.Resource]; n != nil {
			n.addLink(l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	all := m.res
	m.res = map[string]*node{}
	for id, n := range all {
		m.setResource(id, n)
	}
	for _, n := range m.res {
		n.setParent(m.res[n.Parent])
	}
	groups := map[string]*groupNode{}
	err = scan(keys.New(pkg, "group"), func(k, v []byte) error {
		g := new(Group)
		if err := json.Unmarshal(v, g); err != nil {
			return fmt.Errorf("docacl: group %q: %w", k, err)
		}
		groups[g.ID] = &groupNode{Group: *g, members: set{}}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(keys.New(pkg, "gm"), func(k, v []byte) error {
		parts, err := keys.Split(k)
		if err != nil || len(parts) != 4 {
			return fmt.Errorf("docacl: member key %q: malformed", k)
		}
		if g := groups[string(parts[2])]; g != nil {
			g.members[string(parts[3])] = struct{}{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id, g := range groups {
		m.setGroup(id, g)
	}
	err = scan(keys.New(pkg, "dept"), func(k, v []byte) error {
		d := new(Dept)
		if err := json.Unmarshal(v, d); err != nil {
			return fmt.Errorf("docacl: department %q: %w", k, err)
		}
		m.setDept(d.ID, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s, err := loadJSON[Settings](tx, settingsKey)
	if err != nil {
		return nil, err
	}
	if s != nil {
		m.settings = *s
	}
	return m, nil
}

// touched lists the entities a change record says were written.
type touched struct {
	resources, users, groups, depts set
	settings                        bool
}

func newTouched() *touched {
	return &touched{resources: set{}, users: set{}, groups: set{}, depts: set{}}
}

func (t *touched) addChange(c *Change) {
	for _, id := range c.Resources {
		t.resources[id] = struct{}{}
	}
	for _, id := range c.Users {
		t.users[id] = struct{}{}
	}
	for _, id := range c.Groups {
		t.groups[id] = struct{}{}
	}
	for _, id := range c.Depts {
		t.depts[id] = struct{}{}
	}
	t.settings = t.settings || c.Settings
}

func (t *touched) directory() bool {
	return len(t.users) > 0 || len(t.groups) > 0 || len(t.depts) > 0
}

// freshFor records that the model reflects every change at or below last.
// It may be called under the read lock.
func (m *model) freshFor(last uint64) {
	for {
		cur := m.seen.Load()
		if cur >= last || m.seen.CompareAndSwap(cur, last) {
			return
		}
	}
}
