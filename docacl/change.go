package docacl

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Kind is the change-log kind of every record this package appends.
const Kind = "docacl"

// ChangeType names what a Change (and an AuditEntry) records. It encodes
// as its string value ("grant.set").
type ChangeType string

// The change types, the Type of a Change and of an AuditEntry.
const (
	ResourceCreated    ChangeType = "resource.created"
	ResourceMoved      ChangeType = "resource.moved"
	ResourceInherit    ChangeType = "resource.inherit" // limited access turned on or off
	ResourceDeleted    ChangeType = "resource.deleted"
	GrantSet           ChangeType = "grant.set" // created or changed
	GrantRevoked       ChangeType = "grant.revoked"
	GrantExpired       ChangeType = "grant.expired" // removed by Sweep at its expiry; no actor
	LinkCreated        ChangeType = "link.created"
	LinkRevoked        ChangeType = "link.revoked"
	LinkExpired        ChangeType = "link.expired" // removed by Sweep at its expiry; no actor
	OwnerTransferred   ChangeType = "ownership.transferred"
	UserOffboarded     ChangeType = "user.offboarded"
	UserSet            ChangeType = "user.set"
	GroupSet           ChangeType = "group.set"
	GroupMemberAdded   ChangeType = "group.member_added"
	GroupMemberRemoved ChangeType = "group.member_removed"
	GroupDeleted       ChangeType = "group.deleted"
	DeptSet            ChangeType = "dept.set"
	DeptDeleted        ChangeType = "dept.deleted"
	SettingsSet        ChangeType = "settings.set"
	// DirectoryDropped records System.DropOwnDirectory: docacl's own
	// users, groups and departments deleted once moved to a Directory.
	DirectoryDropped ChangeType = "directory.dropped"
)

// Change is one record this package appends to the change log. Apps and
// the search indexer decode it with DecodeChange. The lists name the
// entities whose stored records changed; a resource's change also changes
// what everything below it inherits, so an indexer re-evaluates the
// subtree of each listed resource.
//
// The records [Service.Sweep] appends (GrantExpired, LinkExpired) have an
// empty Actor, since nobody acted, and At set to the expiry, when the
// access ended; Resource and Principal name the grant or the link
// (LinkKey), and Before its role or scope, as a revoke's record does.
type Change struct {
	Type    ChangeType `json:"type"`
	Version uint64     `json:"version"` // the tenant's permission version after this change
	Actor   string     `json:"actor"`   // "" for the system (expiry)
	At      time.Time  `json:"at"`

	Resource  string `json:"resource,omitempty"`  // the main resource, if any
	Principal string `json:"principal,omitempty"` // the grant's principal key, if any
	Before    string `json:"before,omitempty"`    // role or owner before
	After     string `json:"after,omitempty"`     // role or owner after
	Count     int    `json:"count,omitempty"`     // resources moved by an offboarding

	Resources []string `json:"resources,omitempty"`
	Users     []string `json:"users,omitempty"`
	Groups    []string `json:"groups,omitempty"`
	Depts     []string `json:"depts,omitempty"`
	Settings  bool     `json:"settings,omitempty"`
}

// DecodeChange decodes a change-log record, as every package's does: for
// another package's record (Kind is not this package's) ok is false and
// err nil; for one of this package's, ok is true and it returns the
// change, or an error wrapping [ErrInvalid] (and so store.ErrInvalid)
// when the record is malformed: not JSON, no type, or no version.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("docacl: change %d: %w: %w", c.Seq, ErrInvalid, err)
	}
	if ch.Type == "" || ch.Version == 0 {
		return Change{}, true, fmt.Errorf("docacl: change %d: no type or version: %w", c.Seq, ErrInvalid)
	}
	return ch, true, nil
}
