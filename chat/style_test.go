package chat_test

import (
	"context"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func TestNewValidatesItsOptions(t *testing.T) {
	st := memstore.New()
	defer st.Close()
	ctx := context.Background()
	cases := []struct {
		name string
		st   store.Store
		opts []chat.Option
		want error
	}{
		{"no options are the defaults", st, nil, nil},
		{"a nil option is skipped", st, []chat.Option{nil}, nil},
		{"a nil store is refused", nil, nil, chat.ErrInvalid},
		{"a nil clock is refused", st, []chat.Option{chat.WithClock(nil)}, chat.ErrInvalid},
		{"a nil id generator is refused", st, []chat.Option{chat.WithIDs(nil)}, chat.ErrInvalid},
		{"a nil officer test is refused", st, []chat.Option{chat.WithCompliance(nil)}, chat.ErrInvalid},
		{"a nil backoff means the default", st, []chat.Option{chat.WithBackoff(nil)}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc, err := chat.New(ctx, tc.st, tc.opts...)
			if tc.want == nil {
				if err != nil || svc == nil {
					t.Errorf("got %v, %v, want a service", svc, err)
				}
				return
			}
			wantErr(t, err, tc.want)
			wantErr(t, err, store.ErrInvalid)
		})
	}
	t.Run("a done context is refused", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := chat.New(ctx, st)
		wantErr(t, err, context.Canceled)
	})
}

func TestCreatesWithAClientKeyAreIdempotent(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		g, err := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}, ClientKey: "k1"})
		if err != nil {
			t.Fatal(err)
		}
		before := e.last(t)
		again, err := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "other name", ClientKey: "k1"})
		if err != nil || again != g {
			t.Errorf("got %+v, %v on retry, want the first group %+v", again, err, g)
		}
		c, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "c", ClientKey: "k1"})
		if err != nil || c != g {
			t.Errorf("got %+v, %v for the same key, want the first conversation", c, err)
		}
		if e.last(t) != before {
			t.Error("a retried create wrote to the log")
		}
		list, _ := e.svc.Conversations(e.ctx, "ann", chat.ListOptions{})
		if len(list.Items) != 1 {
			t.Errorf("got %d conversations, want 1", len(list.Items))
		}
		other, err := e.svc.CreateGroup(e.ctx, "bob", chat.GroupOptions{Name: "g", ClientKey: "k1"})
		if err != nil || other.ID == g.ID {
			t.Errorf("got %+v, %v for another actor's key, want a new group", other, err)
		}
		plain1, _ := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "g"})
		plain2, _ := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "g"})
		if plain1.ID == plain2.ID {
			t.Error("two creates without a key made one group")
		}
	})
}

func TestWhatTheActorMayNotSeeIsNotFound(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		priv, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "secret", Private: true})
		if err != nil {
			t.Fatal(err)
		}
		pub, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "open"})
		if err != nil {
			t.Fatal(err)
		}
		pm := e.post(t, "ann", priv.ID, "hidden")
		um := e.post(t, "ann", pub.ID, "visible")
		for _, tc := range []struct {
			name string
			conv string
			msg  string
			want error
		}{
			{"a private channel", priv.ID, pm.ID, chat.ErrNotFound},
			{"a public channel not joined", pub.ID, um.ID, chat.ErrNotMember},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Post(e.ctx, "zed", tc.conv, chat.Draft{Text: "hi"})
				wantErr(t, err, tc.want)
				_, err = e.svc.Post(e.ctx, "zed", tc.conv, chat.Draft{Text: "hi", ReplyTo: tc.msg})
				wantErr(t, err, tc.want)
				wantErr(t, e.svc.React(e.ctx, "zed", tc.msg, "👍"), tc.want)
				wantErr(t, e.svc.Pin(e.ctx, "zed", tc.msg), tc.want)
				_, err = e.svc.Edit(e.ctx, "zed", tc.msg, "x")
				wantErr(t, err, tc.want)
				wantErr(t, e.svc.Delete(e.ctx, "zed", tc.msg), tc.want)
				wantErr(t, e.svc.Follow(e.ctx, "zed", tc.msg), tc.want)
				wantErr(t, e.svc.MarkRead(e.ctx, "zed", tc.conv, ""), tc.want)
				wantErr(t, e.svc.Leave(e.ctx, "zed", tc.conv), tc.want)
				wantErr(t, e.svc.AddMember(e.ctx, "zed", tc.conv, "yan"), tc.want)
				_, err = e.svc.UpdateConversation(e.ctx, "zed", tc.conv, chat.ConversationPatch{})
				wantErr(t, err, tc.want)
				if tc.want == chat.ErrNotMember {
					return // the reads are open to anyone
				}
				_, err = e.svc.Message(e.ctx, "zed", tc.msg)
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Conversation(e.ctx, "zed", tc.conv)
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.History(e.ctx, "zed", tc.conv, chat.Query{})
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Members(e.ctx, "zed", tc.conv, chat.ListOptions{})
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Pinned(e.ctx, "zed", tc.conv, chat.ListOptions{})
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Thread(e.ctx, "zed", tc.msg)
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Versions(e.ctx, "zed", tc.msg, chat.ListOptions{})
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Receipts(e.ctx, "zed", tc.msg)
				wantErr(t, err, chat.ErrNotFound)
				_, err = e.svc.Unread(e.ctx, "zed", tc.conv)
				wantErr(t, err, chat.ErrNotFound)
				wantErr(t, e.svc.Join(e.ctx, "zed", tc.conv), chat.ErrNotFound)
				if got := store.Code(err); got != store.CodeNotFound {
					t.Errorf("got code %q, want %q", got, store.CodeNotFound)
				}
			})
		}
	})
}

func TestSystemReadsSkipTheActor(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		priv, err := e.svc.CreateChannel(e.ctx, "ann", chat.ChannelOptions{Name: "secret", Private: true, Members: []string{"bob"}})
		if err != nil {
			t.Fatal(err)
		}
		m := e.post(t, "bob", priv.ID, "from bob")
		if err := e.svc.Leave(e.ctx, "bob", priv.ID); err != nil {
			t.Fatal(err)
		}
		sys := e.svc.System()
		got, err := sys.Message(e.ctx, m.ID)
		if err != nil || got.Text != "from bob" {
			t.Errorf("got %+v, %v, want the message of an author who left", got, err)
		}
		c, err := sys.Conversation(e.ctx, priv.ID)
		if err != nil || !c.Private || c.Kind != chat.Channel {
			t.Errorf("got %+v, %v, want the private channel", c, err)
		}
		ms, err := sys.Members(e.ctx, priv.ID, chat.ListOptions{})
		if err != nil || len(ms.Items) != 1 || ms.Items[0].User != "ann" {
			t.Errorf("got members %+v, %v, want ann", ms.Items, err)
		}
		_, err = sys.Message(e.ctx, "nope")
		wantErr(t, err, chat.ErrNotFound)
		_, err = sys.Conversation(e.ctx, "nope")
		wantErr(t, err, chat.ErrNotFound)
	})
}

func TestListingsPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var want []string
		for i := range 5 {
			c, err := e.svc.CreateGroup(e.ctx, "ann", chat.GroupOptions{Name: "g", Members: []string{"bob"}})
			if err != nil {
				t.Fatal(err)
			}
			_ = i
			want = append(want, c.ID)
		}
		var got []string
		o := chat.ListOptions{Limit: 2}
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("the pages never end")
			}
			p, err := e.svc.UnreadCounts(e.ctx, "bob", o)
			if err != nil {
				t.Fatal(err)
			}
			for _, cu := range p.Items {
				got = append(got, cu.Conversation.ID)
			}
			if p.Next == "" {
				break
			}
			o.Cursor = p.Next
		}
		if !equal(got, want) {
			t.Errorf("got %v over the pages, want %v", got, want)
		}
		_, err := e.svc.Conversations(e.ctx, "bob", chat.ListOptions{Cursor: "%%%"})
		wantErr(t, err, chat.ErrInvalid)
	})
}
