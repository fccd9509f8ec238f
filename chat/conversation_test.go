package chat_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
)

func TestDirectConversationIsFoundAgain(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a, err := e.svc.OpenDirect(e.ctx, "ann", "bob")
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.svc.OpenDirect(e.ctx, "bob", "ann")
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != b.ID || a.Kind != chat.Direct || b.Members != 2 {
			t.Errorf("got %+v and %+v, want the same direct conversation of two", a, b)
		}
		_, err = e.svc.OpenDirect(e.ctx, "ann", "ann")
		wantErr(t, err, store.ErrInvalid)
		wantErr(t, e.svc.Leave(e.ctx, "ann", a.ID), store.ErrInvalid)
		wantErr(t, e.svc.AddMember(e.ctx, "ann", a.ID, "cat"), store.ErrInvalid)
		list, err := e.svc.Conversations(e.ctx, "bob", chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 || list.Items[0].ID != a.ID {
			t.Errorf("got conversations %+v, want just %s", list, a.ID)
		}
	})
}

func TestChannels(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		pub, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "general", Topic: "all hands"})
		if err != nil {
			t.Fatal(err)
		}
		priv, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "board", Private: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("anyone joins a public channel once", func(t *testing.T) {
			if err := e.svc.Join(e.ctx, "bob", pub.ID); err != nil {
				t.Fatal(err)
			}
			wantErr(t, e.svc.Join(e.ctx, "bob", pub.ID), store.ErrConflict)
		})
		t.Run("nobody joins a private channel uninvited", func(t *testing.T) {
			// A private channel is not there for those not in it.
			wantErr(t, e.svc.Join(e.ctx, "bob", priv.ID), chat.ErrNotFound)
			_, err := e.svc.History(e.ctx, "bob", priv.ID, chat.Query{})
			wantErr(t, err, chat.ErrNotFound)
			_, err = e.svc.Conversation(e.ctx, "bob", priv.ID)
			wantErr(t, err, chat.ErrNotFound)
		})
		t.Run("only public channels are listed", func(t *testing.T) {
			list, err := e.svc.Channels(e.ctx, "zed", chat.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 1 || list.Items[0].ID != pub.ID {
				t.Errorf("got %+v, want only %s", list, pub.ID)
			}
		})
		t.Run("only admins set the topic and announcement", func(t *testing.T) {
			topic := "launch week"
			_, err := e.svc.UpdateConversation(e.ctx, "bob", pub.ID, chat.ConversationPatch{Topic: &topic})
			wantErr(t, err, chat.ErrPermission)
			ann := "ship it friday"
			c, err := e.svc.UpdateConversation(e.ctx, "ann", pub.ID, chat.ConversationPatch{Topic: &topic, Announcement: &ann})
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.svc.Conversation(e.ctx, "bob", pub.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Topic != topic || got.Announcement != ann || c.Topic != topic {
				t.Errorf("got %+v, want topic %q and announcement %q", got, topic, ann)
			}
		})
		t.Run("bad names are refused", func(t *testing.T) {
			_, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "  "})
			wantErr(t, err, store.ErrInvalid)
			_, err = e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "\xff", Members: nil})
			wantErr(t, err, store.ErrInvalid)
			_, err = e.svc.CreateGroup(e.ctx, "", chat.GroupOptions{Name: "x", Members: nil})
			wantErr(t, err, store.ErrInvalid)
		})
		t.Run("unknown conversations are not found", func(t *testing.T) {
			_, err := e.svc.Conversation(e.ctx, "ann", "nope")
			wantErr(t, err, chat.ErrNotFound)
			_, err = e.svc.Post(e.ctx, "ann", "nope", chat.Draft{Text: "hi"})
			wantErr(t, err, store.ErrNotFound)
		})
	})
}

func TestMembersAndRoles(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "ops", Private: true, Members: []string{"bob", "cat"}})
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name string
			do   func() error
			want error
		}{
			{"a member cannot add to a private channel", func() error { return e.svc.AddMember(e.ctx, "bob", c.ID, "dan") }, chat.ErrPermission},
			{"an outsider cannot add anyone", func() error { return e.svc.AddMember(e.ctx, "dan", c.ID, "eve") }, chat.ErrNotFound},
			{"the owner adds a member", func() error { return e.svc.AddMember(e.ctx, "ann", c.ID, "dan") }, nil},
			{"adding a member twice conflicts", func() error { return e.svc.AddMember(e.ctx, "ann", c.ID, "dan") }, store.ErrConflict},
			{"a member cannot change roles", func() error { return e.svc.SetRole(e.ctx, "bob", c.ID, "bob", chat.RoleAdmin) }, chat.ErrPermission},
			{"an unknown role is invalid", func() error { return e.svc.SetRole(e.ctx, "ann", c.ID, "bob", "boss") }, store.ErrInvalid},
			{"the owner makes an admin", func() error { return e.svc.SetRole(e.ctx, "ann", c.ID, "bob", chat.RoleAdmin) }, nil},
			{"an admin removes a member", func() error { return e.svc.RemoveMember(e.ctx, "bob", c.ID, "dan") }, nil},
			{"an admin cannot remove the owner", func() error { return e.svc.RemoveMember(e.ctx, "bob", c.ID, "ann") }, chat.ErrPermission},
			{"a member cannot remove anyone", func() error { return e.svc.RemoveMember(e.ctx, "cat", c.ID, "bob") }, chat.ErrPermission},
			{"the last owner cannot step down", func() error { return e.svc.SetRole(e.ctx, "ann", c.ID, "ann", chat.RoleMember) }, store.ErrConflict},
			{"a member leaves", func() error { return e.svc.Leave(e.ctx, "cat", c.ID) }, nil},
			{"a leaver cannot post", func() error {
				_, err := e.svc.Post(e.ctx, "cat", c.ID, chat.Draft{Text: "still here?"})
				return err
			}, chat.ErrNotFound},
			{"the last owner leaves", func() error { return e.svc.Leave(e.ctx, "ann", c.ID) }, nil},
		}
		for _, s := range steps {
			before := e.last(t)
			err := s.do()
			if s.want == nil && err != nil || s.want != nil && !errors.Is(err, s.want) {
				t.Errorf("%s: got error %v, want %v", s.name, err, s.want)
			}
			if s.want != nil && e.last(t) != before {
				t.Errorf("%s: failed but wrote a change", s.name)
			}
		}
		ms, err := e.svc.Members(e.ctx, "bob", c.ID, chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms.Items) != 1 || ms.Items[0].User != "bob" || ms.Items[0].Role != chat.RoleOwner {
			t.Errorf("got members %+v, want bob alone, now owner", ms)
		}
		got, err := e.svc.Conversation(e.ctx, "bob", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Members != 1 {
			t.Errorf("got %d members, want 1", got.Members)
		}
	})
}

func TestConcurrentOpenDirectMakesOneConversation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		got := make([]string, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				a, b := "ann", "bob"
				if i%2 == 1 {
					a, b = b, a
				}
				c, err := e.svc.OpenDirect(e.ctx, a, b)
				if err != nil {
					t.Error(err)
					return
				}
				got[i] = c.ID
			})
		}
		wg.Wait()
		for _, id := range got {
			if id != got[0] {
				t.Fatalf("got conversations %v, want one", got)
			}
		}
	})
}
