package docacl

import "time"

// ResourceKind says whether a resource is a folder or a document.
type ResourceKind string

// The kinds of resource.
const (
	Folder   ResourceKind = "folder"   // holds folders and documents
	Document ResourceKind = "document" // a leaf
)

// Resource is a folder or a document. Every resource has exactly one
// owner and at most one parent folder.
type Resource struct {
	ID      string       `json:"id"`
	Kind    ResourceKind `json:"kind"`
	Name    string       `json:"name,omitempty"`
	Parent  string       `json:"parent,omitempty"` // "" at the top level
	Owner   string       `json:"owner"`
	Limited bool         `json:"limited,omitempty"` // stops inheriting from its parent
	Created time.Time    `json:"created"`

	// ClientKey is read by Create only, to make it idempotent; it is not
	// stored, and resources read back have none.
	ClientKey string `json:"client_key,omitempty"`
}

// Grant gives a role on a resource (and, unless they stop inheriting,
// everything below it) to a principal.
type Grant struct {
	Resource  string    `json:"resource"`
	Principal string    `json:"principal"` // a principal key: "user:u1", "group:g1", "dept:d1", "tenant", "link:..."
	Role      Role      `json:"role"`
	Expires   time.Time `json:"expires,omitzero"` // zero: never
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// active reports whether g applies at now.
func (g *Grant) active(now time.Time) bool {
	return g.Expires.IsZero() || now.Before(g.Expires)
}

// LinkScope says who can use a share link, as in Feishu's link settings.
type LinkScope string

// The link scopes. The "anyone" scopes work only while the tenant allows
// external access (Settings.ExternalAccess); a closed link grants nothing
// but keeps its id.
const (
	LinkTenantView LinkScope = "tenant_view" // users of the tenant who hold the link can view
	LinkTenantEdit LinkScope = "tenant_edit" // users of the tenant who hold the link can edit
	LinkAnyoneView LinkScope = "anyone_view" // anyone who holds the link can view
	LinkAnyoneEdit LinkScope = "anyone_edit" // anyone who holds the link can edit
	LinkClosed     LinkScope = "closed"      // nobody
)

// role returns the role the scope grants, and whether it needs tenant
// membership and external access.
func (s LinkScope) role() (r Role, tenantOnly, external, ok bool) {
	switch s {
	case LinkTenantView:
		return Viewer, true, false, true
	case LinkTenantEdit:
		return Editor, true, false, true
	case LinkAnyoneView:
		return Viewer, false, true, true
	case LinkAnyoneEdit:
		return Editor, false, true, true
	case LinkClosed:
		return None, false, false, true
	}
	return None, false, false, false
}

// Link is a share link as its managers see it. The password hash is never
// exposed.
type Link struct {
	ID          string    `json:"id"` // the secret token of the link's URL
	Resource    string    `json:"resource"`
	Scope       LinkScope `json:"scope"`
	Expires     time.Time `json:"expires,omitzero"`
	HasPassword bool      `json:"has_password"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

// User is a member of the tenant's directory.
type User struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Dept    string `json:"dept,omitempty"`    // department, "" for none
	Manager string `json:"manager,omitempty"` // direct manager; "" means the department's manager
	Admin   bool   `json:"admin,omitempty"`   // tenant admin
	Left    bool   `json:"left,omitempty"`    // offboarded: no access, kept for history
}

// Group is a named set of users and groups. Groups may contain groups at
// any depth, never themselves.
type Group struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Members []string `json:"members,omitempty"` // principal keys: "user:..." and "group:..."
}

// Dept is a department. Departments form a tree; each has a manager.
type Dept struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Parent  string `json:"parent,omitempty"`
	Manager string `json:"manager,omitempty"`
}

// Settings are tenant-wide switches.
type Settings struct {
	// ExternalAccess allows "anyone" share links to work.
	ExternalAccess bool `json:"external_access"`
}
