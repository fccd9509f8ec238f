package chat_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func TestActorCheckRunsBeforeAnyReadOrWrite(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	calls := 0
	s, err := chat.New(ctx, st, chat.WithActorCheck(func(_ context.Context, actor string) error {
		calls++
		switch actor {
		case "ann", "ben":
			return nil
		case "flaky":
			return fmt.Errorf("directory down: %w", store.ErrUnavailable)
		}
		return fmt.Errorf("%q is not an active user: %w", actor, store.ErrPermission)
	}))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.CreateChannel(ctx, "ann", chat.ChannelOptions{Name: "general", Members: []string{"ben"}})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("the actor check was not called")
	}
	last, _ := st.Last(ctx)
	for name, call := range map[string]func(actor string) error{
		"post": func(a string) error { _, err := s.Post(ctx, a, ch.ID, chat.Draft{Text: "hi"}); return err },
		"create channel": func(a string) error {
			_, err := s.CreateChannel(ctx, a, chat.ChannelOptions{Name: "x"})
			return err
		},
		"subscribe": func(a string) error { _, err := s.Subscribe(ctx, a); return err },
	} {
		t.Run(name+" by someone the check refuses fails with ErrPermission", func(t *testing.T) {
			err := call("mallory")
			if !errors.Is(err, chat.ErrPermission) || !errors.Is(err, store.ErrPermission) {
				t.Errorf("got %v, want ErrPermission", err)
			}
		})
		t.Run(name+" passes on a transient error of the check as it is", func(t *testing.T) {
			err := call("flaky")
			if !errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrPermission) {
				t.Errorf("got %v, want ErrUnavailable alone", err)
			}
		})
	}
	if now, _ := st.Last(ctx); now != last {
		t.Errorf("refused calls wrote %d change records", now-last)
	}
	if _, err := s.Post(ctx, "ben", ch.ID, chat.Draft{Text: "hi"}); err != nil {
		t.Errorf("ben posts: %v", err)
	}
	if _, err := chat.New(ctx, st, chat.WithActorCheck(nil)); !errors.Is(err, chat.ErrInvalid) {
		t.Errorf("nil check: %v", err)
	}
}
