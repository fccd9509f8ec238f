package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/workspace-go/workspace/store"
)

// pgErr is a server error with a real SQLSTATE, as pgx returns it.
func pgErr(code, msg string) error {
	return &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: code, Message: msg}
}

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name                 string
		err                  error
		retryable, transient bool
	}{
		{"a serialization failure runs the group again and is transient", pgErr("40001", "could not serialize access due to read/write dependencies among transactions"), true, true},
		{"a deadlock runs the group again and is transient", pgErr("40P01", "deadlock detected"), true, true},
		{"an administrator shutdown is transient", pgErr("57P01", "terminating connection due to administrator command"), false, true},
		{"a crash shutdown is transient", pgErr("57P02", "terminating connection because of crash of another server process"), false, true},
		{"a server starting up is transient", pgErr("57P03", "the database system is starting up"), false, true},
		{"too many connections is transient", pgErr("53300", "sorry, too many clients already"), false, true},
		{"a full disk is transient", pgErr("53100", "could not extend file: No space left on device"), false, true},
		{"a connection failure is transient", pgErr("08006", "connection failure"), false, true},
		{"a connection that does not exist is transient", pgErr("08003", "connection does not exist"), false, true},
		{"a lock timeout is transient", pgErr("55P03", "canceling statement due to lock timeout"), false, true},
		{"a statement timeout is transient", pgErr("57014", "canceling statement due to statement timeout"), false, true},
		{"a unique violation is permanent", pgErr("23505", "duplicate key value violates unique constraint"), false, false},
		{"an undefined table is permanent", pgErr("42P01", `relation "x.kv" does not exist`), false, false},
		{"a corrupt record (bad encoding) is permanent", pgErr("22021", "invalid byte sequence for encoding"), false, false},
		{"an unexpected EOF is transient", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), false, true},
		{"a reset connection is transient", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, false, true},
		{"a refused connection is transient", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), false, true},
		{"a closed connection is transient", fmt.Errorf("x: %w", pgconn.ErrConnClosed), false, true},
		{"a network timeout is transient", timeoutErr{}, false, true},
		{"a cancelled context is permanent", context.Canceled, false, false},
		{"an expired deadline is permanent", fmt.Errorf("x: %w", context.DeadlineExceeded), false, false},
		{"bad input is permanent", fmt.Errorf("pgstore: %w", store.ErrInvalid), false, false},
		{"an unknown error is permanent", errors.New("something else"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := fmt.Errorf("wrapped: %w", tt.err)
			if got := retryable(err); got != tt.retryable {
				t.Errorf("retryable(%v) = %v; want %v", err, got, tt.retryable)
			}
			if got := transient(err); got != tt.transient {
				t.Errorf("transient(%v) = %v; want %v", err, got, tt.transient)
			}
			c := classify("op", err)
			if got := store.Transient(c); got != tt.transient {
				t.Errorf("store.Transient(classify(%v)) = %v; want %v", err, got, tt.transient)
			}
			if !errors.Is(c, tt.err) {
				t.Errorf("classify(%v) = %v, which lost the original error", err, c)
			}
			if !strings.HasPrefix(c.Error(), "pgstore: op: ") {
				t.Errorf("classify(%v) = %q; want it to name pgstore and the operation", err, c)
			}
			if tt.transient && store.Code(c) != store.CodeUnavailable {
				t.Errorf("Code(classify(%v)) = %q; want %q", err, store.Code(c), store.CodeUnavailable)
			}
		})
	}
	t.Run("classifying twice wraps once", func(t *testing.T) {
		c := classify("changes", classify("get", io.ErrUnexpectedEOF))
		if got := strings.Count(c.Error(), store.ErrUnavailable.Error()); got != 1 {
			t.Errorf("classify twice = %q; want %q once", c, store.ErrUnavailable)
		}
	})
}

// TestErrorClassesFromTheNetwork classifies errors pgx really returns.
func TestErrorClassesFromTheNetwork(t *testing.T) {
	ctx := context.Background()
	t.Run("a server that is not listening is unavailable", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		_, err = Open(ctx, "postgres://postgres@"+addr+"/test?sslmode=disable&connect_timeout=5", nil)
		if !store.Transient(err) || !errors.As(err, new(*pgconn.ConnectError)) {
			t.Fatalf("Open on a closed port: %v; want store.ErrUnavailable around a *pgconn.ConnectError", err)
		}
	})
	t.Run("a connection the server refuses for good is permanent", func(t *testing.T) {
		d := os.Getenv("WORKSPACE_PG_DSN")
		if d == "" {
			t.Skip("set WORKSPACE_PG_DSN to ask a server")
		}
		cfg, err := pgconn.ParseConfig(d)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Database = "no_such_database_for_pgstore"
		_, err = pgconn.ConnectConfig(ctx, cfg)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "3D000" || !errors.As(err, new(*pgconn.ConnectError)) {
			t.Fatalf("connect to a missing database: %v; want a ConnectError holding SQLSTATE 3D000", err)
		}
		if c := classify("open", err); store.Transient(c) {
			t.Errorf("classify(%v) is transient; want permanent", c)
		}
	})
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

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
