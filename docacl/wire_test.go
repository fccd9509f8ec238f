package docacl

import (
	"encoding/json"
	"github.com/workspace-go/workspace/internal/wiretest"
	"reflect"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestEveryTypeCrossingTheAPIHasSnakeCaseJSONTags(t *testing.T) {
	// Change is read from the change log and Principal returned by
	// ParseKey, a function: neither is a method's result.
	types := wiretest.Tags(t, &Service{}, &System{}, Change{}, Principal{})
	for _, want := range []reflect.Type{
		reflect.TypeFor[Resource](), reflect.TypeFor[Grant](), reflect.TypeFor[Link](), reflect.TypeFor[AuditEntry](),
		reflect.TypeFor[Access](), reflect.TypeFor[UserAccess](), reflect.TypeFor[Entry](), reflect.TypeFor[OffboardReport](),
		reflect.TypeFor[store.Page[Grant]](), reflect.TypeFor[User](), reflect.TypeFor[Change](),
	} {
		if !types[want] {
			t.Errorf("the walk of the API misses %v", want)
		}
	}
}

func TestWireTypesRoundTripThroughJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	values := []any{
		Resource{ID: "d1", Kind: Document, Name: "报价单 quote", Parent: "f1", Owner: "u1", Limited: true, Created: at},
		Grant{Resource: "d1", Principal: GroupKey("g1"), Role: Commenter, Expires: at.Add(time.Hour), By: "u1", At: at},
		Link{ID: "L1", Resource: "d1", Scope: LinkAnyoneEdit, Expires: at.Add(time.Hour), HasPassword: true, By: "u1", At: at},
		AuditEntry{ID: "a1", At: at, Actor: "u1", Type: OwnerTransferred, Resource: "d1", Principal: UserKey("u2"), Before: "u1", After: "u2", Note: "n"},
		Access{Resource: "d1", Role: Manager, FolderOwner: true, Principal: UserKey("u1"), From: "f1", Inherited: true, Expires: at},
		UserAccess{User: "u1", Access: Access{Resource: "d1", Role: Owner, Owner: true, Principal: UserKey("u1"), From: "d1"}},
		Entry{Resource: "d1", Role: Editor},
		OffboardReport{Recipient: "u2", Resources: 3, Grants: 2, Links: 1, Groups: 4},
		User{ID: "u1", Name: "Ann", Dept: "d", Manager: "m", Admin: true, Left: true},
		Group{ID: "g1", Name: "G", Members: []string{UserKey("u1"), GroupKey("g2")}},
		Dept{ID: "d", Name: "D", Parent: "p", Manager: "m"},
		Settings{ExternalAccess: true},
		Principal{Kind: KindDept, ID: "d"},
		Change{Type: GrantSet, Version: 7, Actor: "u1", At: at, Resource: "d1", Principal: TenantKey, Before: "viewer", After: "editor",
			Count: 2, Resources: []string{"d1"}, Users: []string{"u1"}, Groups: []string{"g1"}, Depts: []string{"d"}, Settings: true},
		GrantOptions{Expires: at, ClientKey: "k1"},
		LinkOptions{Scope: LinkTenantView, Expires: at, Password: "p", ClientKey: "k2"},
		ListOptions{Under: "f1", MinRole: Editor, Limit: 10, Cursor: "c"},
		PageOptions{Limit: 5, Cursor: "c"},
		TransferOptions{RemoveOldOwner: true, OldOwnerRole: Viewer, Recursive: true},
		store.Page[Grant]{Items: []Grant{{Resource: "d1", Principal: TenantKey, Role: Viewer, By: "u1", At: at}}, Next: "n"},
		store.Page[UserAccess]{Items: []UserAccess{{User: "u1", Access: Access{Resource: "d1", Role: Viewer}}}},
	}
	for _, v := range values {
		t.Run(reflect.TypeOf(v).String(), func(t *testing.T) {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			back := reflect.New(reflect.TypeOf(v))
			if err := json.Unmarshal(b, back.Interface()); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if got := back.Elem().Interface(); !reflect.DeepEqual(got, v) {
				t.Errorf("round trip of %s\ngot  %+v\nwant %+v", b, got, v)
			}
		})
	}
	t.Run("roles, kinds and change types are strings; times keep their offset", func(t *testing.T) {
		cst := time.FixedZone("CST", 8*3600)
		b, _ := json.Marshal(Access{Resource: "d1", Role: Manager, Expires: time.Date(2026, 3, 2, 17, 30, 0, 0, cst)})
		if got, want := string(b), `{"resource":"d1","role":"manager","expires":"2026-03-02T17:30:00+08:00"}`; got != want {
			t.Errorf("got %s\nwant %s", got, want)
		}
		b, _ = json.Marshal(AuditEntry{ID: "a", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Type: GrantSet})
		if got, want := string(b), `{"id":"a","at":"2026-03-02T09:00:00Z","actor":"","type":"grant.set"}`; got != want {
			t.Errorf("got %s\nwant %s", got, want)
		}
	})
}
