package file

import "context"

// Access decides who may read and write the files of a container. A
// container is an opaque string the application chooses: a conversation
// ("conv:c_1"), a docacl folder ("folder:f_9"). The root package wires
// chat membership (members and compliance officers read a conversation's
// attachments) and docacl roles (viewers read a folder, editors write it).
//
// CanRead returns nil when actor may read container's files, and an error
// wrapping [store.ErrNotFound] when not (what the actor may not see does
// not exist for them). CanWrite returns nil when actor may add, replace,
// move or delete files in container; an error wrapping
// [store.ErrPermission] when the actor may read but not write, and one
// wrapping store.ErrNotFound when the actor may not even read. Any other
// error is passed through to the caller.
//
// Implementations must be safe for concurrent use.
type Access interface {
	CanRead(ctx context.Context, actor, container string) error
	CanWrite(ctx context.Context, actor, container string) error
}

// Open is the Access of the zero configuration: every actor may read and
// write every container. It suits a single-team application and tests;
// the root package replaces it with chat and docacl checks.
var Open Access = openAccess{}

type openAccess struct{}

func (openAccess) CanRead(context.Context, string, string) error  { return nil }
func (openAccess) CanWrite(context.Context, string, string) error { return nil }
