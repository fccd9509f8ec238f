package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/workspace-go/workspace/store"
)

// Errors particular to this backend. Each wraps a store sentinel.
var (
	// ErrRetriesExhausted reports an Update that kept failing with
	// serialization failures or deadlocks Options.MaxRetries times. It wraps
	// store.ErrUnavailable: nothing was committed, and the same Update may
	// succeed later.
	ErrRetriesExhausted = fmt.Errorf("serialization failures persisted: %w", store.ErrUnavailable)

	// ErrOutcomeUnknown reports an Update whose connection failed while
	// COMMIT was under way: it may or may not have committed. It wraps
	// store.ErrUnavailable; a caller that retries must make the retry
	// harmless if the first attempt did commit (a client key, say).
	ErrOutcomeUnknown = fmt.Errorf("commit outcome unknown: %w", store.ErrUnavailable)

	// ErrSchemaVersion reports a schema written by a newer pgstore. It wraps
	// store.ErrInvalid.
	ErrSchemaVersion = fmt.Errorf("unsupported schema version: %w", store.ErrInvalid)
)

// Error classes.
//
// Every error an exported method returns passes through mapErr, which
// wraps the transient ones in store.ErrUnavailable (keeping the original
// in the chain, so a *pgconn.PgError is still found with errors.As). The
// one decision of what is transient is transient below.

// transientCodes are the SQLSTATEs after which the same call may succeed
// later, by class (two characters) or exact code.
var transientCodes = map[string]bool{
	"08":    true, // connection exception
	"53":    true, // insufficient resources: too many connections, out of memory, disk full
	"57P01": true, // admin_shutdown: the server is stopping
	"57P02": true, // crash_shutdown
	"57P03": true, // cannot_connect_now: the server is starting up
	"57P05": true, // idle_session_timeout
	"57014": true, // query_canceled by statement_timeout (the caller's context is checked first)
	"40001": true, // serialization_failure, once retries are exhausted
	"40P01": true, // deadlock_detected, likewise
	"55P03": true, // lock_not_available: a lock_timeout; the lock is free later
	"58030": true, // io_error on the server
}

// transient reports whether err is a failure of the connection or of the
// server's availability, rather than of the request: it may pass by
// itself. A context's end, a corrupt record and bad input are not.
func transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	// The server's answer decides, also inside a ConnectError (a wrong
	// password, 28P01, or a missing database, 3D000, stay permanent).
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return transientCodes[pe.Code] || len(pe.Code) == 5 && transientCodes[pe.Code[:2]]
	}
	var ne net.Error
	switch {
	case errors.As(err, new(*pgconn.ConnectError)),
		errors.As(err, new(*net.OpError)),
		errors.As(err, &ne) && ne.Timeout(),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		pgconn.Timeout(err), pgconn.SafeToRetry(err):
		return true
	}
	return false
}

// retryable reports a failure after which the commit group can simply run
// again at once: a serialization failure or deadlock (PostgreSQL rolled it
// back).
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// classify wraps err, which failed the operation op, with "pgstore: op: "
// (unless it already names its place) and, when it is transient, with
// store.ErrUnavailable. It is the one place that decides what a caller
// sees as transient.
func classify(op string, err error) error {
	named := strings.HasPrefix(err.Error(), "pgstore: ")
	switch {
	case named:
		if !errors.Is(err, store.ErrUnavailable) && transient(err) {
			return fmt.Errorf("pgstore: %s: %w: %w", op, store.ErrUnavailable, err)
		}
		return err
	case errors.Is(err, store.ErrUnavailable) || !transient(err):
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	return fmt.Errorf("pgstore: %s: %w: %w", op, store.ErrUnavailable, err)
}

// mapErr is classify for an error of an exported method, preferring the
// caller's context error and ErrClosed where they explain the failure.
func (db *DB) mapErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("pgstore: %s: %w", op, cerr)
	}
	if db != nil && !errors.Is(err, store.ErrClosed) {
		select {
		case <-db.stop:
			return fmt.Errorf("pgstore: %s: %w (%w)", op, store.ErrClosed, err)
		default:
		}
	}
	return classify(op, err)
}
