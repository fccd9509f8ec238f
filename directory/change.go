package directory

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ChangeType names what a Change did.
type ChangeType string

// The change types, one per kind of mutation.
const (
	UserCreated        ChangeType = "user.created"
	UserUpdated        ChangeType = "user.updated"
	UserStatusChanged  ChangeType = "user.status_changed"
	DepartmentCreated  ChangeType = "department.created"
	DepartmentUpdated  ChangeType = "department.updated"
	DepartmentMoved    ChangeType = "department.moved"
	DepartmentDeleted  ChangeType = "department.deleted"
	GroupCreated       ChangeType = "group.created"
	GroupUpdated       ChangeType = "group.updated"
	GroupDeleted       ChangeType = "group.deleted"
	GroupMemberAdded   ChangeType = "group.member_added"
	GroupMemberRemoved ChangeType = "group.member_removed"
)

// Change is the change-log record of one directory mutation, appended
// under Kind in the transaction that made it. The root package, docacl's
// wiring and department groups follow the log and read it with
// DecodeChange.
type Change struct {
	// Seq is the record's position in the log (set by DecodeChange, not
	// stored).
	Seq uint64 `json:"-"`
	// Type says what happened.
	Type ChangeType `json:"type"`
	// Version is the directory's version after the transaction that wrote
	// the change (see System.Version). One transaction, such as an import
	// batch, may write several changes with one version.
	Version uint64 `json:"version"`
	// Actor is who made the change.
	Actor string `json:"actor"`
	// At is when, by the Service's clock.
	At time.Time `json:"at"`
	// User is the user after user.* changes; Before the user as it was
	// (nil for user.created), so that followers see joiners, movers and
	// leavers by comparing Departments and Status.
	User   *User `json:"user,omitempty"`
	Before *User `json:"before,omitempty"`
	// Department is the department after department.* changes (as it was
	// for department.deleted); PrevParent is its old parent after
	// department.moved. A move also moves the department's subtree: its
	// members' transitive departments changed.
	Department *Department `json:"department,omitempty"`
	PrevParent string      `json:"prev_parent,omitempty"`
	// Group is the group after group.* changes; Member the member added
	// or removed.
	Group  *Group  `json:"group,omitempty"`
	Member *Member `json:"member,omitempty"`
}

// DecodeChange decodes a change-log record written by this package. ok is
// false (and err nil) when c was written by another package; a record of
// Kind that does not decode is an error wrapping store.ErrInvalid.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, false, fmt.Errorf("directory: decode change %d: %v: %w", c.Seq, err, ErrInvalid)
	}
	if ch.Type == "" {
		return Change{}, false, fmt.Errorf("directory: decode change %d: no type: %w", c.Seq, ErrInvalid)
	}
	ch.Seq = c.Seq
	return ch, true, nil
}
