package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestErrorClasses(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code}) }
	tests := []struct {
		name                 string
		err                  error
		retryable, transient bool
	}{
		{"a serialization failure runs the group again", pg("40001"), true, false},
		{"a deadlock runs the group again", pg("40P01"), true, false},
		{"a unique violation is neither", pg("23505"), false, false},
		{"an undefined table is neither", pg("42P01"), false, false},
		{"an administrator shutdown is transient", pg("57P01"), false, true},
		{"a server starting up is transient", pg("57P03"), false, true},
		{"a connection exception is transient", pg("08006"), false, true},
		{"a broken connection is transient", io.ErrUnexpectedEOF, false, true},
		{"a cancelled context is neither", context.Canceled, false, false},
		{"an expired deadline is neither", fmt.Errorf("x: %w", context.DeadlineExceeded), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryable(tt.err); got != tt.retryable {
				t.Errorf("retryable(%v) = %v; want %v", tt.err, got, tt.retryable)
			}
			if got := transient(tt.err); got != tt.transient {
				t.Errorf("transient(%v) = %v; want %v", tt.err, got, tt.transient)
			}
		})
	}
}

func TestOptionsDefaults(t *testing.T) {
	got, err := (*Options)(nil).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := Options{Schema: "workspace", PollInterval: time.Second, MaxBatch: 256, MaxRetries: 20}
	if got != want {
		t.Errorf("defaults = %+v; want %+v", got, want)
	}
	for _, s := range []string{"a", "ws_1", "x123456789012345678901234567890123456789012345678901234567890ab"} {
		if _, err := (&Options{Schema: s}).withDefaults(); err != nil {
			t.Errorf("schema %q refused: %v", s, err)
		}
	}
}

func TestBackoffEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := backoff(ctx, 30); !errors.Is(err, context.Canceled) {
		t.Errorf("backoff with a cancelled context: %v; want context.Canceled", err)
	}
	if err := backoff(context.Background(), 0); err != nil {
		t.Errorf("backoff: %v", err)
	}
}
