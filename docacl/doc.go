// Package docacl decides who may do what with a tenant's folders and
// documents: resources in a tree, each with one owner; roles granted to
// users, groups, departments, the whole tenant and share links; inheritance
// from folders with "limited access" to stop it; ownership transfer, also of
// everything a departing employee owns; and an audit trail of every change.
//
// # Resources and roles
//
// Folders and documents form a tree (a resource has at most one parent
// folder). Each has exactly one owner. Roles are ordered
// Viewer < Commenter < Editor < Manager < Owner; actions map to roles:
// View (Viewer), Comment (Commenter), Edit (Editor), Share — granting,
// revoking, links, limited access — (Manager), Delete, Transfer and moving
// (Owner: moving decides who inherits access). Creating in a folder needs Editor on it; the creator owns the
// new resource.
//
// # Evaluation
//
// A user's effective role on a resource ([Service.Role], [Service.Check])
// is the highest of: Owner if they own it; Manager if they own a folder it
// inherits from; and every unexpired grant, on the resource or a folder it
// inherits from, to a principal key the user holds ([System.AccessKeys]):
// their user key, every group containing them at any depth, their
// department and every department above it (a grant to a department
// covers it and everything below), and the tenant. Inheritance runs at any
// depth and stops at a resource with limited access (its own grants and
// owner still apply). Role also says why: the grant's principal and the
// folder it is inherited from.
//
// A resource the user cannot view is reported as not found
// ([ErrNotFound], wrapping store.ErrNotFound) by every call, never as
// forbidden, so errors reveal nothing about what a user cannot see;
// [ErrPermission] is for a resource the actor sees but may not change.
//
// # Errors
//
// The generic sentinels [ErrNotFound], [ErrInvalid], [ErrTooLarge],
// [ErrPermission] and [ErrConflict] wrap the store's; the specific ones,
// named for their condition ([ErrNotAdmin], [ErrInvalidRole], [ErrCycle],
// [ErrOwner], [ErrNotEmpty], [ErrLinkDenied], [ErrNoRecipient],
// [ErrExists], [ErrBusy]), each wrap one of them. store.Code maps any of
// them to a stable code for HTTP statuses and translations. Times outside
// years [MinYear]–[MaxYear] are refused with ErrInvalid before anything
// is done.
//
// # Trusted reads
//
// Reads that skip the actor check — [System.Lookup], [System.ViewerKeys]
// and [System.AccessKeys], for a search indexer and its permission filter
// — are reached only through [Service.System], whose type says what it
// is. Every method of Service itself checks its actor.
//
// # Wire format, pages and retries
//
// Every type a method takes or returns has snake_case JSON tags; roles,
// kinds, scopes and change types encode as strings, times as RFC 3339
// with their offset. The records in the store happen to use the same
// encoding but are not the wire format: they may change between releases.
// Every listing ([Service.Grants], [Service.Links], [Service.Accessible],
// [Service.Who], [Service.ResourceAudit], [Service.UserAudit]) returns a
// store.Page, one [PageOptions] page at a time (at most [MaxPageSize]),
// with an opaque cursor for the next. The creates an application may
// retry over a network — [Service.Create], [Service.Grant] and
// [Service.CreateLink] — take an optional client key: a second call by
// the same actor with the same key returns the first result and writes
// nothing.
//
// # Principal keys
//
// Grants, [System.AccessKeys] and the search permission filter name
// principals with keys built by [UserKey], [GroupKey], [DeptKey],
// [LinkKey] and [TenantKey]: "user:u1", "group:g3", "dept:d2", "tenant",
// "link:<token>"; [ParseKey] reads them back. A search index stores
// [System.ViewerKeys] with each document and keeps the hits that share
// a key with the user's [System.AccessKeys].
//
// # Share links
//
// [Service.CreateLink] makes a link with a scope like Feishu's: tenant
// view or edit, anyone view or edit (only while the tenant allows external
// access), or closed; with an optional expiry and an optional password,
// hashed with argon2id and compared in constant time. [Service.OpenLink]
// and [Service.CheckLink] evaluate a presented link; every failure is the
// same [ErrLinkDenied] after the same hashing work, so a guess never
// learns whether a link exists.
//
// # Ownership transfer and offboarding
//
// [Service.Transfer] moves one resource (optionally a folder's subtree) to
// a new owner; the old owner keeps Editor by default, like Google Drive,
// or a chosen role, or nothing, like Feishu's old_owner_perm and
// remove_old_owner. [Service.Offboard] moves everything a departing user
// owns to their direct manager (or a given recipient), removes their
// grants, group memberships and links and marks them as left, all in one
// transaction; it refuses when there is nobody to receive the documents,
// and running it twice is harmless.
//
// # Directory and admins
//
// Users, groups (which may nest, never in a cycle) and departments (a
// tree, each with a manager) are managed through the Service by tenant
// admins: the ids given with [WithAdmins], and directory users marked
// Admin. Admins have no implicit access to documents; they may transfer
// any resource and offboard users. Only active users of the directory
// hold roles: Check and Role report any other user id with [ErrNotFound],
// and an offboarded user keeps their record (marked Left) but no access.
//
// That directory of docacl's own is the fallback. With [WithDirectory] a
// Service reads users, groups and departments from a [Directory] instead
// (the Workspace passes its directory service): a user's groups and
// departments come from [Directory.Memberships], cached per user and
// tagged with the directory's version, which every read that finds the
// change log moved compares with [Directory.Version], so a user added to
// a group or moved to another department is honoured by the very next
// Check on any Service over the store. Actors the Directory does not
// report active are refused with [ErrPermission]; docacl's own directory
// methods refuse with [ErrExternalDirectory]. A store written with
// docacl's own directory keeps working as it is; to move to a Directory,
// read it with [System.OwnDirectory], write it there (ids unchanged, so
// grants keep their meaning) and drop it with [System.DropOwnDirectory].
// Workspace.Open does all three.
//
// # Audit trail and change log
//
// Every permission change is recorded as an [AuditEntry] (actor, time,
// before, after), readable per resource ([Service.ResourceAudit]) and per
// user ([Service.UserAudit]), and appended to the store's change log as a
// [Change] of kind [Kind], which [DecodeChange] reads.
//
// # Expiry
//
// A grant or share link with an expiry stops applying at that instant:
// Check, Role, Accessible, System.ViewerKeys, OpenLink, [Service.Grants] and
// [Service.Links] leave it out from then on, with nothing written.
// [Service.Sweep] then records the end of access as a permission change:
// it removes the grant or link from the store, as a revoke would, writes
// an audit entry and appends a change record, of type [GrantExpired] or
// [LinkExpired]. These have no actor (Actor is ""), their time is the
// expiry, and they carry what a revoke's carry: the resource, the
// principal key (LinkKey for a link) and the role or scope before. A
// grant's entry is listed under its resource and, for a user grant, that
// user; a link's under its resource and the link's creator. Each expiry
// is recorded exactly once, however many Services sweep the store
// concurrently; one changed or revoked before the sweep is not recorded.
// [Service.NextSweep] says when the next one falls, so an application's
// scheduler runs Sweep then (or every minute). An index of expiries by
// time, kept in the transaction of every write of a grant or link, makes
// both cheap; the first Sweep or NextSweep on a store written by a
// version without it builds it.
//
// # Concurrency
//
// A [Service] is safe for concurrent use, and any number of Services, in
// one process or several, may share a store. Each keeps an in-memory copy
// of the permission data (resources, grants, links, directory) and, before
// every read, compares the store's last log position with its own; if the
// store moved, it applies the new change records (re-reading the records
// they name) or, if the log was trimmed past it, reloads everything. A
// read therefore sees every change committed before it started: once
// Revoke or Offboard returns, no Check anywhere grants the removed access.
// Writes are checked against that copy and committed only if no other
// permission change was committed in between (a version record), retrying
// otherwise; the writes of one Service take turns. The Service starts no
// goroutines. No lock is held across code that can panic: a panic in a
// call (recovered by, say, net/http) leaves the Service usable.
//
// # Caveats
//
// The in-memory copy holds the whole tenant's permission data: about 470
// bytes per resource with its grants and the directory (45 MB for a
// tenant of 100,000 resources, 58,000 grants and 10,000 users, after GC).
// New loads it, in one snapshot (BenchmarkLoad measures it).
//
// A client key is kept for good (one small record per keyed create), so
// that a retry long after the first call still finds its result.
//
// Queries (Check, Accessible, Who) are answered from memory, not from
// range scans; only the audit trail is read from the store on demand.
//
// Expiry is recorded only when Sweep runs: until then an expired grant or
// link is still stored, though no read applies or lists it, and its
// audit entry and change record wait. An application that needs the trail
// and the log to follow closely calls Sweep at NextSweep; the entries
// carry the expiry as their time, whenever they are written.
//
// Permission changes are serialized: one commit carries at most one of
// them (a few hundred to a few thousand a second with fsync on
// boltstore, depending on the disk). They are rare
// next to checks, which never wait for writers except while a change is
// being applied to the in-memory copy.
//
// Limited access cuts off everything above, including the owners of the
// folders above, as in Google Drive; the resource's own owner keeps Owner.
//
// With a Directory, the first Check of a user on a Service reads their
// memberships from it (one store read, a few µs); later ones use the
// cache until the directory's version moves, when each user's next check
// reads them again. Who expands groups, departments and the tenant with
// Directory.Members, one read per grant.
//
// Check does not know about share links: a link is presented with
// OpenLink or CheckLink, which hash its password each time; applications
// keep the result in their session.
//
// The function passed to Update may run more than once and, on boltstore,
// on another goroutine; OffboardOptions.Progress is called from it.
package docacl
