package docacl

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PrincipalKind says what a principal is.
type PrincipalKind string

// The kinds of principal a grant can name.
const (
	KindUser   PrincipalKind = "user"   // one user
	KindGroup  PrincipalKind = "group"  // every member of a group, at any nesting depth
	KindDept   PrincipalKind = "dept"   // every member of a department and of the departments below it
	KindTenant PrincipalKind = "tenant" // every active user of the tenant
	KindLink   PrincipalKind = "link"   // whoever opens a share link
)

// TenantKey is the principal key of the whole tenant.
const TenantKey = "tenant"

// MaxIDLen is the longest id, in bytes, of a user, group, department,
// resource or link.
const MaxIDLen = 200

// Principal is someone or something a role can be granted to. Its key
// (Principal.Key) is the string form used in grants, in AccessKeys and in
// the search permission filter:
//
//	user:<id>   a user
//	group:<id>  a group
//	dept:<id>   a department and everything below it
//	tenant      the whole tenant
//	link:<id>   a share link
//
// The id is everything after the first colon, so ids may contain colons.
type Principal struct {
	Kind PrincipalKind `json:"kind"`
	ID   string        `json:"id,omitempty"` // empty for KindTenant
}

// UserKey returns the principal key of user id: "user:" + id.
func UserKey(id string) string { return "user:" + id }

// GroupKey returns the principal key of group id: "group:" + id.
func GroupKey(id string) string { return "group:" + id }

// DeptKey returns the principal key of department id: "dept:" + id.
func DeptKey(id string) string { return "dept:" + id }

// LinkKey returns the principal key of share link id: "link:" + id.
func LinkKey(id string) string { return "link:" + id }

// Key returns p's principal key.
func (p Principal) Key() string {
	if p.Kind == KindTenant {
		return TenantKey
	}
	return string(p.Kind) + ":" + p.ID
}

// String returns p's key.
func (p Principal) String() string { return p.Key() }

// ParseKey parses a principal key written by UserKey, GroupKey, DeptKey,
// LinkKey or TenantKey. Anything else fails with an error wrapping
// ErrInvalid.
func ParseKey(key string) (Principal, error) {
	if key == TenantKey {
		return Principal{Kind: KindTenant}, nil
	}
	kind, id, ok := strings.Cut(key, ":")
	if !ok {
		return Principal{}, fmt.Errorf("docacl: principal key %q: want kind:id or %q: %w", key, TenantKey, ErrInvalid)
	}
	switch k := PrincipalKind(kind); k {
	case KindUser, KindGroup, KindDept, KindLink:
		if err := checkID(id); err != nil {
			return Principal{}, fmt.Errorf("docacl: principal key %q: %w", key, err)
		}
		return Principal{Kind: k, ID: id}, nil
	}
	return Principal{}, fmt.Errorf("docacl: principal key %q: unknown kind %q: %w", key, kind, ErrInvalid)
}

// checkID reports whether id is usable as an id: 1 to MaxIDLen bytes of
// valid UTF-8 without control characters or surrounding spaces.
func checkID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("empty id: %w", ErrInvalid)
	case len(id) > MaxIDLen:
		return fmt.Errorf("id of %d bytes exceeds %d: %w", len(id), MaxIDLen, ErrTooLarge)
	case !utf8.ValidString(id):
		return fmt.Errorf("id %q is not UTF-8: %w", id, ErrInvalid)
	case strings.TrimSpace(id) != id:
		return fmt.Errorf("id %q has surrounding spaces: %w", id, ErrInvalid)
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return fmt.Errorf("id %q has a control character: %w", id, ErrInvalid)
		}
	}
	return nil
}
