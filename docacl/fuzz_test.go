package docacl

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store/memstore"
)

func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"user:u1", "group:g:1", "dept:d", "tenant", "link:abc", "user:", "x:y", "", "tenant:x", "user: a", "user:\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseKey(s)
		if err != nil {
			return
		}
		if got := p.Key(); got != s {
			t.Errorf("ParseKey(%q).Key() = %q", s, got)
		}
		if p.Kind != KindTenant && (p.ID == "" || strings.TrimSpace(p.ID) != p.ID) {
			t.Errorf("ParseKey(%q) accepted id %q", s, p.ID)
		}
	})
}

func FuzzRoleText(f *testing.F) {
	for _, s := range []string{"viewer", "owner", "none", "", "boss", "Viewer"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var r Role
		if err := r.UnmarshalText([]byte(s)); err != nil {
			return
		}
		b, _ := r.MarshalText()
		var r2 Role
		if err := r2.UnmarshalText(b); err != nil || r2 != r {
			t.Errorf("round trip of %q: %v, %v", s, r2, err)
		}
	})
}

// FuzzExtremeTimes gives the entry points that take a time (Grant and
// CreateLink expiries, Sweep, and the clock itself) any instant in any
// zone offset: each call succeeds or fails with ErrInvalid, never panics,
// and the Service keeps answering.
func FuzzExtremeTimes(f *testing.F) {
	for _, x := range extremeTimes {
		_, off := x.t.Zone()
		f.Add(x.t.Unix(), int64(x.t.Nanosecond()), off)
	}
	f.Add(int64(-62135596800), int64(0), 0) // 0001-01-01, the zero time
	f.Add(int64(253402300799), int64(999999999), 0)
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), math.MinInt32)
	f.Add(int64(math.MinInt64), int64(-1), math.MaxInt32)
	e := newEnv(f, memstore.New())
	doc := e.create(f, "carol", Document, "")
	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int) {
		at := time.Unix(sec, nsec).In(time.FixedZone("fuzz", offset))
		okOrInvalid := func(what string, err error) {
			t.Helper()
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("%s at %v: %v; want nil or ErrInvalid", what, at, err)
			}
		}
		okOrInvalid("grant", e.Grant(e.ctx, "carol", doc, UserKey("alice"), Viewer, GrantOptions{Expires: at}))
		_, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantView, Expires: at})
		okOrInvalid("create link", err)
		_, err = e.Sweep(e.ctx, at)
		okOrInvalid("sweep", err)

		e.clock.Set(at)
		okOrInvalid("grant by the clock", e.Grant(e.ctx, "carol", doc, UserKey("bob"), Commenter, GrantOptions{}))
		_, _ = e.Role(e.ctx, "alice", doc)
		_, _ = items(e.Grants(e.ctx, "carol", doc, PageOptions{}))
		_, _ = items(e.Links(e.ctx, "carol", doc, PageOptions{}))
		_, _ = items(e.Accessible(e.ctx, "alice", ListOptions{}))
		_, _ = items(e.Who(e.ctx, "carol", doc, PageOptions{}))
		_, _, _ = e.NextSweep(e.ctx)
		e.clock.Set(t0)

		if err := e.Check(e.ctx, "carol", doc, Delete); err != nil {
			t.Fatalf("the owner's check after the calls at %v: %v", at, err)
		}
		if err := e.Grant(e.ctx, "carol", doc, UserKey("dave"), Viewer, GrantOptions{}); err != nil {
			t.Fatalf("a grant after the calls at %v: %v", at, err)
		}
		if err := e.Revoke(e.ctx, "carol", doc, UserKey("dave")); err != nil {
			t.Fatalf("a revoke after the calls at %v: %v", at, err)
		}
	})
}
