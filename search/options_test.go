package search

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

func TestOptions(t *testing.T) {
	checkLeaks(t)
	ctx := context.Background()
	t.Run("nil options are skipped", func(t *testing.T) {
		ix, err := New(ctx, nil, nil, WithClock(time.Now), nil)
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
	})
	bad := []struct {
		name string
		opt  Option
	}{
		{"a nil clock", WithClock(nil)},
		{"a nil location", WithLocation(nil)},
		{"a nil mapper", WithMapper(nil)},
		{"a nil enumerator", WithRebuildIfLost(nil, nil)},
		{"a batch of zero", WithBatchSize(0)},
		{"a negative batch", WithBatchSize(-1)},
		{"a batch over the limit", WithBatchSize(MaxBatchSize + 1)},
		{"a zero lock timeout", WithLockTimeout(0)},
		{"a namespace name of 65 bytes", WithNamespace(string(make([]byte, 65)))},
	}
	for _, tt := range bad {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			ix, err := New(ctx, nil, tt.opt)
			if !errors.Is(err, ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("got %v, want an error wrapping ErrInvalid", err)
			}
			if ix != nil {
				ix.Close()
			}
		})
	}
	t.Run("a cancelled context stops a rebuild in New", func(t *testing.T) {
		st := memstoreWithNotes(t, 3)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := New(cctx, st, WithRebuildIfLost(enumNotes(st), nil))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
}
