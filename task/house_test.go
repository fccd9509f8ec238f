package task

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
)

func TestNewSkipsNilOptions(t *testing.T) {
	if _, err := New(t.Context(), backends.Mem(t), nil, WithNudgeInterval(0), nil); err != nil {
		t.Errorf("New with nil options: %v", err)
	}
}

func TestInputOverALimitIsTooLarge(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	many := make([]string, MaxPeople+1)
	for i := range many {
		many[i] = "u" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()
	}
	tests := []struct {
		name string
		sp   Spec
	}{
		{"a title over MaxTitle", Spec{Title: strings.Repeat("x", MaxTitle+1)}},
		{"a description over MaxDescription", Spec{Title: "t", Description: strings.Repeat("x", MaxDescription+1)}},
		{"more than MaxPeople assignees", Spec{Title: "t", Assignees: many}},
		{"a client key over MaxClientKey", Spec{Title: "t", ClientKey: strings.Repeat("k", MaxClientKey+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := e.svc.Create(e.ctx, "boss", tt.sp)
			if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrInvalid) || store.Code(err) != store.CodeTooLarge {
				t.Errorf("err = %v (code %q), want ErrTooLarge", err, store.Code(err))
			}
		})
	}
	if n := len(e.changes()); n != 0 {
		t.Errorf("refused creates wrote %d change records", n)
	}
}

func TestYearsOutsideTheRangeAreRefused(t *testing.T) {
	e := newSvcEnv(t, func(t *testing.T) store.Store { return backends.Mem(t) })
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		do   func() error
	}{
		{"a due in 1969", func() error {
			_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "t", Due: DueOn(1969, 12, 31, nil)})
			return err
		}},
		{"a due in 2201", func() error {
			_, err := e.svc.Create(e.ctx, "boss", Spec{Title: "t", Due: DueAt(time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC))})
			return err
		}},
		{"a query period ending in year 10000", func() error {
			_, err := e.svc.List(e.ctx, "boss", Query{Role: RoleCreator, Created: Period{To: far}})
			return err
		}},
		{"a summary period starting in year 0", func() error {
			_, err := e.svc.Summary(e.ctx, "boss", RoleCreator, Period{From: early})
			return err
		}},
		{"a sweep in year 10000", func() error { _, err := e.svc.Sweep(e.ctx, far); return err }},
		{"a sweep at the zero time", func() error { _, err := e.svc.Sweep(e.ctx, time.Time{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			if err := tt.do(); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestDecodeChange(t *testing.T) {
	tests := []struct {
		name    string
		c       store.Change
		ok      bool
		invalid bool
	}{
		{"another package's record is not ours", store.Change{Kind: "chat", Data: []byte(`{}`)}, false, false},
		{"a record that is not JSON is invalid", store.Change{Kind: Kind, Data: []byte(`{`)}, true, true},
		{"a record with no type is invalid", store.Change{Kind: Kind, Data: []byte(`{"task_id":"t"}`)}, true, true},
		{"a created record without its task is invalid", store.Change{Kind: Kind, Data: []byte(`{"type":"task.created","task_id":"t"}`)}, true, true},
		{"a deleted record needs no task", store.Change{Kind: Kind, Data: []byte(`{"type":"task.deleted","task_id":"t"}`)}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, ok, err := DecodeChange(tt.c)
			if ok != tt.ok || errors.Is(err, store.ErrInvalid) != tt.invalid || !tt.invalid && err != nil {
				t.Errorf("DecodeChange = %+v, %v, %v", ch, ok, err)
			}
		})
	}
}
