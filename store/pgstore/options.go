package pgstore

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Options configure Open and OpenPool. A nil *Options means the defaults
// documented on each field.
type Options struct {
	// Schema is the PostgreSQL schema holding the store's tables. Open
	// creates it and the tables when missing. Several stores may share one
	// database under different schemas; every node of one application uses
	// the same schema. It is 1 to 63 characters of lower-case ASCII letters,
	// digits and '_', not starting with a digit. Empty means "workspace".
	Schema string

	// PollInterval is how often Wait checks the log when no notification
	// arrived: the bound on the delay a lost notification causes. Zero means
	// one second.
	PollInterval time.Duration

	// MaxBatch is the most Update functions committed in one PostgreSQL
	// transaction. Zero means 256.
	MaxBatch int

	// MaxRetries is how many times a commit group is run again after a
	// serialization failure or deadlock before Update gives up with an error
	// wrapping ErrRetriesExhausted. Zero means 20.
	MaxRetries int

	// ListenDSN is where the listener's dedicated connection goes, when
	// the pool's connections cannot LISTEN (they go through a pooler in
	// transaction mode): the server itself, or a session-mode pool. Empty
	// means the pool's connection settings.
	ListenDSN string

	// DisableNotify turns off LISTEN/NOTIFY, for PostgreSQL-compatible
	// databases that lack it (CockroachDB): readers then learn of new
	// records by polling every PollInterval.
	DisableNotify bool
}

const defaultSchema = "workspace"

func (o *Options) withDefaults() (Options, error) {
	var v Options
	if o != nil {
		v = *o
	}
	if v.Schema == "" {
		v.Schema = defaultSchema
	}
	if err := checkSchema(v.Schema); err != nil {
		return v, err
	}
	if v.PollInterval <= 0 {
		v.PollInterval = time.Second
	}
	if v.MaxBatch <= 0 {
		v.MaxBatch = 256
	}
	if v.MaxRetries <= 0 {
		v.MaxRetries = 20
	}
	return v, nil
}

func checkSchema(s string) error {
	ok := len(s) >= 1 && len(s) <= 63 && (s[0] < '0' || s[0] > '9')
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("pgstore: schema %q: want 1 to 63 of [a-z0-9_], not starting with a digit: %w", s, store.ErrInvalid)
	}
	return nil
}
