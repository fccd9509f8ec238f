package docacl

import (
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestLinks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		folder := e.create(t, "carol", Folder, "")
		doc := e.create(t, "carol", Document, folder)
		view, err := e.CreateLink(e.ctx, "carol", folder, LinkOptions{Scope: LinkTenantView})
		e.must(t, err)
		edit, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantEdit, Password: "s3cret", Expires: t0.Add(time.Hour)})
		e.must(t, err)
		e.must(t, e.SetSettings(e.ctx, "admin", Settings{ExternalAccess: true}))
		anyone, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkAnyoneView})
		e.must(t, err)
		closed, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkClosed})
		e.must(t, err)

		tests := []struct {
			name, user, link, password, res string
			want                            Role
			wantErr                         error
		}{
			{"a tenant view link on a folder lets a colleague view a document in it", "dave", view.ID, "", doc, Viewer, nil},
			{"a tenant link is refused to an outsider", "", view.ID, "", doc, None, ErrLinkDenied},
			{"the right password opens an edit link", "dave", edit.ID, "s3cret", doc, Editor, nil},
			{"a wrong password is refused", "dave", edit.ID, "guess", doc, None, ErrLinkDenied},
			{"an unknown link gives the same error as a wrong password", "dave", "L_nope", "guess", doc, None, ErrLinkDenied},
			{"an anyone link works for an outsider while external access is on", "", anyone.ID, "", doc, Viewer, nil},
			{"a closed link grants nothing", "dave", closed.ID, "", doc, None, ErrLinkDenied},
			{"a link does not reach outside its subtree", "dave", edit.ID, "s3cret", folder, None, ErrNotFound},
			{"a user's own higher role is kept", "carol", view.ID, "", doc, Owner, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := e.CheckLink(e.ctx, tt.user, tt.link, tt.password, tt.res, View)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Errorf("got %v, want %v", err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				a, err := e.linkAccess(e.ctx, tt.user, tt.link, tt.password, tt.res)
				if err != nil {
					t.Fatal(err)
				}
				if a.Role != tt.want {
					t.Errorf("role = %v, want %v", a.Role, tt.want)
				}
			})
		}
		t.Run("open link reports the link's resource and role", func(t *testing.T) {
			a, err := e.OpenLink(e.ctx, "dave", view.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Resource != folder || a.Role != Viewer || a.Principal != LinkKey(view.ID) {
				t.Errorf("got %+v", a)
			}
		})
		t.Run("turning external access off stops anyone links", func(t *testing.T) {
			e.must(t, e.SetSettings(e.ctx, "admin", Settings{ExternalAccess: false}))
			if _, err := e.OpenLink(e.ctx, "", anyone.ID, ""); !errors.Is(err, ErrLinkDenied) {
				t.Errorf("got %v, want ErrLinkDenied", err)
			}
		})
		t.Run("an expired link is refused", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			if _, err := e.OpenLink(e.ctx, "dave", edit.ID, "s3cret"); !errors.Is(err, ErrLinkDenied) {
				t.Errorf("got %v, want ErrLinkDenied", err)
			}
		})
		t.Run("revoking someone else's link on a resource you cannot see looks like an unknown link", func(t *testing.T) {
			err1 := e.RevokeLink(e.ctx, "eve", view.ID)
			err2 := e.RevokeLink(e.ctx, "eve", "L_unknown")
			if !errors.Is(err1, ErrLinkDenied) || !errors.Is(err2, ErrLinkDenied) {
				t.Errorf("got %v and %v, want ErrLinkDenied for both", err1, err2)
			}
		})
		t.Run("a revoked link is refused", func(t *testing.T) {
			e.must(t, e.RevokeLink(e.ctx, "carol", view.ID))
			if _, err := e.OpenLink(e.ctx, "dave", view.ID, ""); !errors.Is(err, ErrLinkDenied) {
				t.Errorf("got %v, want ErrLinkDenied", err)
			}
			if err := e.RevokeLink(e.ctx, "carol", view.ID); !errors.Is(err, ErrLinkDenied) {
				t.Errorf("second revoke: got %v, want ErrLinkDenied", err)
			}
		})
		t.Run("the password hash is argon2id and never listed", func(t *testing.T) {
			// The edit link has expired by now: listings leave it out.
			edit, err := e.CreateLink(e.ctx, "carol", doc, LinkOptions{Scope: LinkTenantEdit, Password: "s3cret"})
			e.must(t, err)
			ls, err := items(e.Links(e.ctx, "carol", doc, PageOptions{}))
			e.must(t, err)
			n := 0
			for _, l := range ls {
				if l.ID == edit.ID {
					n++
					if !l.HasPassword {
						t.Error("HasPassword = false")
					}
				}
			}
			if n != 1 {
				t.Errorf("found the edit link %d times, want 1", n)
			}
			e.mu.RLock()
			rec := e.m.links[edit.ID]
			e.mu.RUnlock()
			if rec == nil || len(rec.Hash) != 32 || len(rec.Salt) != 16 || string(rec.Hash) == "s3cret" {
				t.Errorf("stored link record %+v: want a 32-byte hash and 16-byte salt", rec)
			}
		})
	})
}
