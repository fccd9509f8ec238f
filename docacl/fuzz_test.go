package docacl

import (
	"strings"
	"testing"
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
