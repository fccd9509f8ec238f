package docacl

import "fmt"

// Role is a level of access to a resource. Roles are ordered: a higher role
// can do everything a lower one can.
type Role uint8

// The roles, lowest first. None is the absence of access.
const (
	None      Role = iota // no access
	Viewer                // read
	Commenter             // read and comment
	Editor                // read, comment and change the content
	Manager               // everything but delete and transfer, including sharing and changing others' access
	Owner                 // the single owner: everything
)

var roleNames = [...]string{"none", "viewer", "commenter", "editor", "manager", "owner"}

// String returns the role's name ("viewer", ...).
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", r)
}

// Valid reports whether r is one of Viewer..Owner.
func (r Role) Valid() bool { return r >= Viewer && r <= Owner }

// ParseRole returns the role named s ("viewer", "commenter", "editor",
// "manager", "owner"). Other names fail with an error wrapping
// ErrInvalidRole.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if i > 0 && n == s {
			return Role(i), nil
		}
	}
	return None, fmt.Errorf("docacl: role %q: %w", s, ErrInvalidRole)
}

// MarshalText encodes the role as its name.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes a role name; "none" and "" decode to None.
func (r *Role) UnmarshalText(b []byte) error {
	if len(b) == 0 || string(b) == "none" {
		*r = None
		return nil
	}
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Action is something a user does to a resource. Each action needs a
// minimum role (see Action.Needs).
type Action string

// The actions.
const (
	View     Action = "view"     // needs Viewer
	Comment  Action = "comment"  // needs Commenter
	Edit     Action = "edit"     // needs Editor
	Share    Action = "share"    // needs Manager: grant, revoke, links, limited access
	Delete   Action = "delete"   // needs Owner; moving needs Owner too
	Transfer Action = "transfer" // needs Owner
)

// Needs returns the lowest role allowed to perform a, or None and false
// for an unknown action.
func (a Action) Needs() (Role, bool) {
	switch a {
	case View:
		return Viewer, true
	case Comment:
		return Commenter, true
	case Edit:
		return Editor, true
	case Share:
		return Manager, true
	case Delete, Transfer:
		return Owner, true
	}
	return None, false
}
