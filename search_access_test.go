package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store/memstore"
)

// searchAll returns the ids of every hit of q for user, through every page.
func searchAll(t *testing.T, ws *workspace.Workspace, user, q string) []string {
	t.Helper()
	ctx := context.Background()
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	req := search.Request{Query: q, Size: search.MaxSize}
	for {
		res, err := ws.SearchAs(ctx, user, req)
		if err != nil {
			t.Fatalf("search %q as %s: %v", q, user, err)
		}
		for _, h := range res.Items {
			ids = append(ids, h.ID)
		}
		if res.Next == "" {
			slices.Sort(ids)
			return ids
		}
		req.After = res.Next
	}
}

// aclModel is an independent model of who may view a document: its owner,
// the owners of the folders above it, and whoever a grant on it or on
// those folders names, up to the first folder that limits access.
type aclModel struct {
	parent  map[string]string
	owner   map[string]string
	limited map[string]bool
	grants  map[string]map[string]bool // resource -> principal keys
	groups  map[string]map[string]bool // group -> users
	dept    map[string]string          // user -> department
}

func (m *aclModel) holds(user, principal string) bool {
	switch {
	case principal == docacl.TenantKey:
		return true
	case principal == docacl.UserKey(user):
		return true
	case principal == docacl.DeptKey(m.dept[user]) && m.dept[user] != "":
		return true
	}
	for g, members := range m.groups {
		if principal == docacl.GroupKey(g) && members[user] {
			return true
		}
	}
	return false
}

func (m *aclModel) sees(user, r string) bool {
	for cur := r; cur != ""; cur = m.parent[cur] {
		if m.owner[cur] == user {
			return true
		}
		for p := range m.grants[cur] {
			if m.holds(user, p) {
				return true
			}
		}
		if m.limited[cur] {
			return false
		}
	}
	return false
}

// under reports whether r is f or below it.
func (m *aclModel) under(r, f string) bool {
	for cur := r; cur != ""; cur = m.parent[cur] {
		if cur == f {
			return true
		}
	}
	return false
}

// TestSearchFollowsDocumentPermissions checks, against the model, after
// every round of random grants, revocations, moves, limited access and
// group changes (some on a folder of many documents), that each user
// finds exactly the documents they may view.
func TestSearchFollowsDocumentPermissions(t *testing.T) {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	ctx := context.Background()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	ws := open(t, st, "")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	users := []string{"u0", "u1", "u2", "u3", "u4", "u5"}
	m := &aclModel{parent: map[string]string{}, owner: map[string]string{}, limited: map[string]bool{},
		grants: map[string]map[string]bool{}, groups: map[string]map[string]bool{"g0": {}, "g1": {}}, dept: map[string]string{}}
	_, err := ws.Directory.CreateDepartment(ctx, "admin", directory.Department{ID: "d0", Name: "d0"})
	must(err)
	for i, u := range users {
		d := ""
		if i%2 == 0 {
			d = "d0"
		}
		m.dept[u] = d
		dept := d
		if dept == "" {
			dept = directory.Root
		}
		_, err := ws.Directory.CreateUser(ctx, "admin", directory.User{ID: u, Name: u, Departments: []string{dept}})
		must(err)
	}
	for _, g := range []string{"g0", "g1"} {
		_, err := ws.Directory.CreateGroup(ctx, "admin", directory.Group{ID: g, Name: g})
		must(err)
	}

	// Two owners' trees: top folders, subfolders, documents; one folder
	// holds many documents.
	var res []string
	isFolder := map[string]bool{}
	create := func(owner string, kind docacl.ResourceKind, parent string) string {
		rr, err := ws.Docs.Create(ctx, owner, docacl.Resource{Kind: kind, Name: "plan " + string(kind), Parent: parent})
		must(err)
		m.parent[rr.ID], m.owner[rr.ID] = parent, owner
		if kind == docacl.Folder {
			isFolder[rr.ID] = true
		}
		res = append(res, rr.ID)
		return rr.ID
	}
	byOwner := map[string][]string{}
	var big string
	for _, owner := range []string{"u0", "u1"} {
		top := create(owner, docacl.Folder, "")
		subs := []string{top, create(owner, docacl.Folder, top), create(owner, docacl.Folder, top)}
		subs = append(subs, create(owner, docacl.Folder, subs[1]))
		for i := range 12 {
			create(owner, docacl.Document, subs[i%len(subs)])
		}
		if owner == "u0" {
			big = create(owner, docacl.Folder, subs[2])
			for range 150 {
				create(owner, docacl.Document, big)
			}
		}
		for _, id := range res {
			if m.owner[id] == owner {
				byOwner[owner] = append(byOwner[owner], id)
			}
		}
	}
	folders := func(owner string) []string {
		var out []string
		for _, id := range byOwner[owner] {
			if isFolder[id] {
				out = append(out, id)
			}
		}
		return out
	}
	principals := []string{docacl.TenantKey, docacl.GroupKey("g0"), docacl.GroupKey("g1"), docacl.DeptKey("d0"),
		docacl.UserKey("u2"), docacl.UserKey("u3"), docacl.UserKey("u4")}

	check := func(round int) {
		t.Helper()
		for _, u := range users {
			got := searchAll(t, ws, u, "plan type:doc")
			var want []string
			for _, id := range res {
				if m.sees(u, id) {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: %s finds %d documents, the model %d; extra %v, missing %v",
					round, u, len(got), len(want), minus(got, want), minus(want, got))
			}
		}
	}
	check(0)
	for round := 1; round <= 12; round++ {
		for range 4 {
			owner := []string{"u0", "u1"}[r.IntN(2)]
			ids := byOwner[owner]
			target := ids[r.IntN(len(ids))]
			if r.IntN(3) == 0 && owner == "u0" {
				target = big // the folder of many documents
			}
			switch op := r.IntN(6); op {
			case 0, 1: // grant
				p := principals[r.IntN(len(principals))]
				if ws.Docs.Grant(ctx, owner, target, p, docacl.Viewer, docacl.GrantOptions{}) == nil {
					if m.grants[target] == nil {
						m.grants[target] = map[string]bool{}
					}
					m.grants[target][p] = true
				}
			case 2: // revoke
				for p := range m.grants[target] {
					if ws.Docs.Revoke(ctx, owner, target, p) == nil {
						delete(m.grants[target], p)
					}
					break
				}
			case 3: // limited access on or off
				on := !m.limited[target]
				if ws.Docs.SetLimited(ctx, owner, target, on) == nil {
					m.limited[target] = on
				}
			case 4: // move under another folder of the same owner
				fs := folders(owner)
				dest := fs[r.IntN(len(fs))]
				if m.under(dest, target) {
					continue
				}
				if ws.Docs.Move(ctx, owner, target, dest) == nil {
					m.parent[target] = dest
				}
			case 5: // group membership: nothing to re-index
				g := []string{"g0", "g1"}[r.IntN(2)]
				u := users[r.IntN(len(users))]
				if m.groups[g][u] {
					if ws.Directory.RemoveMember(ctx, "admin", g, directory.Member{Kind: directory.MemberUser, ID: u}) == nil {
						delete(m.groups[g], u)
					}
				} else if ws.Directory.AddMember(ctx, "admin", g, directory.Member{Kind: directory.MemberUser, ID: u}) == nil {
					m.groups[g][u] = true
				}
			}
		}
		check(round)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("... %d more", len(out)-5))
	}
	return out
}

// TestKeysDoNotGrowWithWhatAUserMaySee is the regression test of finding
// 2: public channels and a folder shared with the whole tenant add no key
// per channel or per document, so no user can push another's keys past
// search.MaxKeys.
func TestKeysDoNotGrowWithWhatAUserMaySee(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	ws := open(t, st, "")
	addPeople(t, ws, "mallory", "alice")
	before, err := ws.KeysFor(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := ws.Chat.CreateChannel(ctx, "mallory", chat.ChannelOptions{Name: fmt.Sprint("spam-", i)}); err != nil {
			t.Fatal(err)
		}
	}
	folder, err := ws.Docs.Create(ctx, "mallory", docacl.Resource{Kind: docacl.Folder, Name: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Docs.Grant(ctx, "mallory", folder.ID, docacl.TenantKey, docacl.Viewer, docacl.GrantOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := ws.Docs.Create(ctx, "mallory", docacl.Resource{Kind: docacl.Document, Name: fmt.Sprint("quarterly figures ", i), Parent: folder.ID}); err != nil {
			t.Fatal(err)
		}
	}
	after, err := ws.KeysFor(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("alice's keys went from %d to %d with 200 public channels and 200 shared documents", len(before), len(after))
	}
	if got := len(searchAll(t, ws, "alice", "quarterly")); got != 200 {
		t.Errorf("alice finds %d shared documents, want 200", got)
	}
	pub, err := ws.Chat.CreateChannel(ctx, "mallory", chat.ChannelOptions{Name: "news"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Chat.Post(ctx, "mallory", pub.ID, chat.Draft{Text: "all hands tomorrow"}); err != nil {
		t.Fatal(err)
	}
	if got := len(searchAll(t, ws, "alice", "hands")); got != 1 {
		t.Errorf("alice finds %d messages of a public channel she never joined, want 1", got)
	}
	priv, err := ws.Chat.CreateChannel(ctx, "mallory", chat.ChannelOptions{Name: "secret", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Chat.Post(ctx, "mallory", priv.ID, chat.Draft{Text: "private hands"}); err != nil {
		t.Fatal(err)
	}
	if got := len(searchAll(t, ws, "alice", "private hands")); got != 0 {
		t.Errorf("alice finds %d messages of a private channel", got)
	}
	if got := len(searchAll(t, ws, "mallory", "private hands")); got != 1 {
		t.Errorf("its member finds %d messages of a private channel, want 1", got)
	}
}

// TestHitsNameTheirContainers checks that a result list can be shown
// without a read per hit: each hit names its channel, folder or calendar.
func TestHitsNameTheirContainers(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	ws := open(t, st, "")
	addPeople(t, ws, "alice")
	ch, err := ws.Chat.CreateChannel(ctx, "alice", chat.ChannelOptions{Name: "launch-room"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Chat.Post(ctx, "alice", ch.ID, chat.Draft{Text: "zeppelin ready"}); err != nil {
		t.Fatal(err)
	}
	folder, err := ws.Docs.Create(ctx, "alice", docacl.Resource{Kind: docacl.Folder, Name: "Plans 2025"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Docs.Create(ctx, "alice", docacl.Resource{Kind: docacl.Document, Name: "zeppelin budget", Parent: folder.ID}); err != nil {
		t.Fatal(err)
	}
	if err := ws.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := ws.SearchAs(ctx, "alice", search.Request{Query: "zeppelin"})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, h := range res.Items {
		names[h.Kind] = h.ContainerName
		if h.Author != "alice" || h.Time.IsZero() || h.Snippet == "" {
			t.Errorf("hit %+v: want its author, time and snippet", h)
		}
	}
	if names[search.KindMessage] != "launch-room" || names[search.KindDoc] != "Plans 2025" {
		t.Errorf("container names %v, want the channel's and the folder's", names)
	}
	if _, err := ws.SearchAs(ctx, "alice", search.Request{Query: "zeppelin", Keys: []string{"tenant"}}); !errors.Is(err, search.ErrInvalid) {
		t.Errorf("SearchAs with keys of the caller's: got %v, want search.ErrInvalid", err)
	}
}
