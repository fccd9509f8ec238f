package docacl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// MaxClientKeyLen is the longest client key, in bytes. A client key
// follows the rules of an id (see MaxIDLen): valid UTF-8, no control
// characters, no surrounding spaces.
const MaxClientKeyLen = MaxIDLen

// The creates that take a client key, each with keys of its own.
const (
	onceCreate = "create"
	onceGrant  = "grant"
	onceLink   = "link"
)

// errPrior ends a write's transaction that finds its client key already
// used: the first result stands and nothing is written.
var errPrior = errors.New("docacl: client key already used")

// onceKey returns the key of the result of the create op that actor made
// with client key ck; nil when ck is "".
func onceKey(op, actor, ck string) ([]byte, error) {
	if ck == "" {
		return nil, nil
	}
	if err := checkID(ck); err != nil {
		return nil, fmt.Errorf("client key: %w", err)
	}
	return keys.New(pkg, "once", op, actor, ck), nil
}

// prior reads the result stored under once into v; false when there is
// none (or once is nil).
func (s *Service) prior(ctx context.Context, once []byte, v any) (bool, error) {
	if once == nil {
		return false, nil
	}
	var b []byte
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		b, err = tx.Get(once)
		return err
	})
	switch {
	case isNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("docacl: client key: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("docacl: client key result %q: %w: %w", once, ErrInvalid, err)
	}
	return true, nil
}

// remember makes the plan store result under the client key once (nil:
// none), in its own transaction, which fails with errPrior when another
// create with the same key committed first.
func (p *plan) remember(once []byte, result any) {
	if once == nil {
		return
	}
	b, err := json.Marshal(result)
	if err != nil {
		p.fail(fmt.Errorf("encode %T: %w: %w", result, ErrInvalid, err))
		return
	}
	p.once, p.onceVal = once, b
}

// checkOnce runs in the write's transaction: the create's client key must
// be unused, and is then taken.
func (p *plan) checkOnce(tx store.Tx) error {
	if p.once == nil {
		return nil
	}
	v, err := tx.Get(p.once)
	switch {
	case err == nil:
		p.prior = append([]byte(nil), v...)
		return errPrior
	case !isNotFound(err):
		return err
	}
	return tx.Put(p.once, p.onceVal)
}
