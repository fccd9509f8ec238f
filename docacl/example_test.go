package docacl_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func Example() {
	ctx := context.Background()
	acl, err := docacl.New(ctx, memstore.New(), docacl.WithAdmins("it"))
	if err != nil {
		panic(err)
	}
	// The directory: a department with a manager and two employees.
	must(acl.PutUser(ctx, "it", docacl.User{ID: "mia"}))
	must(acl.PutDept(ctx, "it", docacl.Dept{ID: "sales", Manager: "mia"}))
	for _, u := range []string{"mia", "leo", "ann"} {
		must(acl.PutUser(ctx, "it", docacl.User{ID: u, Dept: "sales"}))
	}

	folder, _ := acl.Create(ctx, "leo", docacl.Resource{Kind: docacl.Folder, Name: "Clients"})
	doc, _ := acl.Create(ctx, "leo", docacl.Resource{Kind: docacl.Document, Name: "Quote", Parent: folder.ID})
	must(acl.Grant(ctx, "leo", folder.ID, docacl.DeptKey("sales"), docacl.Viewer, docacl.GrantOptions{}))

	a, _ := acl.Role(ctx, "ann", doc.ID)
	fmt.Println("ann:", a.Role, "through", a.Principal, "inherited:", a.Inherited)
	err = acl.Check(ctx, "ann", doc.ID, docacl.Edit)
	fmt.Println("ann may edit:", err == nil, errors.Is(err, store.ErrPermission))

	// Leo leaves: everything he owns goes to his manager in one step.
	rep, _ := acl.Offboard(ctx, "it", "leo", docacl.OffboardOptions{})
	fmt.Printf("moved %d resources to %s\n", rep.Resources, rep.Recipient)
	a, _ = acl.Role(ctx, "mia", doc.ID)
	fmt.Println("mia:", a.Role)
	// Output:
	// ann: viewer through dept:sales inherited: true
	// ann may edit: false true
	// moved 2 resources to mia
	// mia: owner
}

func ExampleService_CreateLink() {
	ctx := context.Background()
	acl, _ := docacl.New(ctx, memstore.New(), docacl.WithAdmins("it"))
	must(acl.PutUser(ctx, "it", docacl.User{ID: "leo"}))
	must(acl.PutUser(ctx, "it", docacl.User{ID: "ann"}))
	doc, _ := acl.Create(ctx, "leo", docacl.Resource{Kind: docacl.Document})
	link, _ := acl.CreateLink(ctx, "leo", doc.ID, docacl.LinkOptions{Scope: docacl.LinkTenantEdit, Password: "open sesame"})

	a, err := acl.OpenLink(ctx, "ann", link.ID, "open sesame")
	fmt.Println(a.Role, err)
	_, err = acl.OpenLink(ctx, "ann", link.ID, "guess")
	fmt.Println(errors.Is(err, docacl.ErrLinkDenied))
	_, err = acl.OpenLink(ctx, "ann", "no-such-link", "guess")
	fmt.Println(errors.Is(err, docacl.ErrLinkDenied))
	// Output:
	// editor <nil>
	// true
	// true
}

// An application's scheduler records expiries with Sweep, at NextSweep:
// the access ends in the audit trail and in the change log.
func ExampleService_Sweep() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	acl, _ := docacl.New(ctx, memstore.New(), docacl.WithAdmins("it"), docacl.WithClock(func() time.Time { return now }))
	must(acl.PutUser(ctx, "it", docacl.User{ID: "leo"}))
	must(acl.PutUser(ctx, "it", docacl.User{ID: "ann"}))
	doc, _ := acl.Create(ctx, "leo", docacl.Resource{Kind: docacl.Document})
	must(acl.Grant(ctx, "leo", doc.ID, docacl.UserKey("ann"), docacl.Editor, docacl.GrantOptions{Expires: now.Add(48 * time.Hour)}))

	next, ok, _ := acl.NextSweep(ctx)
	fmt.Println("next sweep:", next.Format(time.DateTime), ok)
	now = next
	n, _ := acl.Sweep(ctx, now)
	fmt.Println("recorded:", n)
	trail, _ := acl.ResourceAudit(ctx, "leo", doc.ID, docacl.PageOptions{Limit: 1})
	e := trail.Items[0]
	fmt.Printf("%s %s %s (was %s), actor %q\n", e.At.Format(time.DateTime), e.Type, e.Principal, e.Before, e.Actor)
	_, ok, _ = acl.NextSweep(ctx)
	fmt.Println("more pending:", ok)
	// Output:
	// next sweep: 2026-03-04 09:00:00 true
	// recorded: 1
	// 2026-03-04 09:00:00 grant.expired user:ann (was editor), actor ""
	// more pending: false
}

func ExampleParseKey() {
	p, _ := docacl.ParseKey(docacl.GroupKey("finance"))
	fmt.Println(p.Kind, p.ID, p.Key())
	// Output: group finance group:finance
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
