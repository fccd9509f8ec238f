package docacl

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Kind is the change-log kind of every record this package appends.
const Kind = "docacl"

// Change types, the Type field of a Change.
const (
	ResourceCreated   = "resource.created"
	ResourceMoved     = "resource.moved"
	ResourceInherit   = "resource.inherit" // limited access turned on or off
	ResourceDeleted   = "resource.deleted"
	GrantSet          = "grant.set" // created or changed
	GrantRevoked      = "grant.revoked"
	GrantExpired      = "grant.expired" // removed by Sweep at its expiry; no actor
	LinkCreated       = "link.created"
	LinkRevoked       = "link.revoked"
	LinkExpired       = "link.expired" // removed by Sweep at its expiry; no actor
	OwnerTransferred  = "ownership.transferred"
	UserOffboarded    = "user.offboarded"
	UserSet           = "user.set"
	GroupSet          = "group.set"
	GroupMemberAdded  = "group.member_added"
	GroupMemberRemove = "group.member_removed"
	GroupDeleted      = "group.deleted"
	DeptSet           = "dept.set"
	DeptDeleted       = "dept.deleted"
	SettingsSet       = "settings.set"
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
	Type    string    `json:"type"`
	Version uint64    `json:"version"` // the tenant's permission version after this change
	Actor   string    `json:"actor"`   // "" for the system (expiry)
	At      time.Time `json:"at"`

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

// DecodeChange decodes a change-log record. ok is false (and err nil) when
// the record was written by another package.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != Kind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("docacl: change %d: %w: %w", c.Seq, ErrInvalid, err)
	}
	return ch, true, nil
}
