package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

// Kind is the change-log kind of every record the chat package appends.
const Kind = "chat"

// Service is the chat service over one store. It keeps no state of its own
// beyond its options: every call reads and writes the store, so several
// Services (in one process or many) over the same store see each other's
// writes.
//
// A Service is safe for concurrent use by multiple goroutines.
type Service struct {
	st       store.Store
	now      func() time.Time
	newID    func() string
	officers func(actor string) bool
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock that stamps messages and drives retention.
// The default is time.Now.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIDs sets the generator of conversation and message ids. Ids should be
// unique and increase over time. The default is ids.New over the
// Service's clock (UUIDv7).
func WithIDs(gen func() string) Option { return func(s *Service) { s.newID = gen } }

// WithCompliance names the compliance officers: users for whom isOfficer
// reports true may set retention and legal holds, purge and export any
// conversation, whether or not they are members. The default is nobody, so
// governance calls fail with ErrPermission until the application says who
// speaks for the enterprise.
func WithCompliance(isOfficer func(actor string) bool) Option {
	return func(s *Service) { s.officers = isOfficer }
}

// New returns a Service over st. Without options it uses the real clock,
// UUIDv7 ids and no compliance officers.
func New(st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("chat: new: nil store: %w", ErrInvalid)
	}
	s := &Service{st: st}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = ids.New(s.now)
	}
	if s.officers == nil {
		s.officers = func(string) bool { return false }
	}
	return s, nil
}

// getJSON reads and decodes the record at key into v. A missing key returns
// an error wrapping store.ErrNotFound.
func getJSON(tx store.Tx, key []byte, v any) error {
	b, err := tx.Get(key)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func decodeJSON(b []byte, v any) error { return json.Unmarshal(b, v) }

func marshal(v any) ([]byte, error) { return json.Marshal(v) }

// putJSON encodes v and stores it at key.
func putJSON(tx store.Tx, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(key, b)
}

// appendChange records c in the change log of tx.
func appendChange(tx store.Tx, c Change) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.Append(Kind, b)
	return err
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func checkActor(op, actor string) error {
	if err := checkUser(actor); err != nil {
		return fmt.Errorf("chat: %s: acting user: %w", op, err)
	}
	return nil
}
