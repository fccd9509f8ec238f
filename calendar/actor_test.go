package calendar

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

func TestActorCheckRunsBeforeAnyReadOrWrite(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	s, err := New(ctx, st, WithActorCheck(func(_ context.Context, actor string) error {
		switch actor {
		case "ann":
			return nil
		case "flaky":
			return fmt.Errorf("directory down: %w", store.ErrUnavailable)
		}
		return fmt.Errorf("%q is not an active user: %w", actor, store.ErrPermission)
	}))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCalendar(ctx, "ann", Calendar{Name: "team"})
	if err != nil {
		t.Fatal(err)
	}
	last, _ := st.Last(ctx)
	if _, err := s.CreateCalendar(ctx, "left", Calendar{Name: "x"}); !errors.Is(err, ErrPermission) {
		t.Errorf("create by a refused actor: %v, want ErrPermission", err)
	}
	if _, err := s.Calendar(ctx, "left", c.ID); !errors.Is(err, ErrPermission) {
		t.Errorf("read by a refused actor: %v, want ErrPermission", err)
	}
	if err := s.DeleteCalendar(ctx, "flaky", c.ID); !errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrPermission) {
		t.Errorf("delete with the check unavailable: %v, want ErrUnavailable alone", err)
	}
	if now, _ := st.Last(ctx); now != last {
		t.Errorf("refused calls wrote %d change records", now-last)
	}
	if _, err := New(ctx, st, WithActorCheck(nil)); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil check: %v", err)
	}
}
