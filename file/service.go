package file

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Service stores files in a bucket and their metadata in a store. One
// Service serves one tenant: it runs over the tenant's store namespace,
// and over the tenant's part of the bucket (WithBlobPrefix).
//
// A Service is safe for concurrent use by multiple goroutines, and so are
// its followers (RunText, RunThumbnails), each of which runs on its
// caller's goroutine until its context ends.
type Service struct {
	st     store.Store
	bucket Bucket
	o      options
}

// New returns a Service over st and bucket. It reads nothing yet; ctx is
// for symmetry with the other packages and bounds future migrations.
func New(ctx context.Context, st store.Store, bucket Bucket, opts ...Option) (*Service, error) {
	if st == nil || bucket == nil {
		return nil, fmt.Errorf("file: new: nil store or bucket: %w", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := options{
		now:       time.Now,
		access:    Open,
		maxSize:   DefaultMaxSize,
		grace:     DefaultGrace,
		maxText:   DefaultMaxText,
		maxPixels: DefaultMaxPixels,
		thumbSize: DefaultThumbnailSize,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.newID == nil {
		o.newID = ids.New(o.now)
	}
	return &Service{st: st, bucket: bucket, o: o}, nil
}

// System returns the trusted handle of s: reads and governance operations
// that skip the actor check (export, retention, purge, moving a folder's
// files). Give it only to code that has already decided.
func (s *Service) System() *System { return &System{s: s} }

// System is the trusted side of a Service; see [Service.System]. It is
// safe for concurrent use.
type System struct{ s *Service }

func getJSON(tx store.Tx, key []byte, v any) error {
	b, err := tx.Get(key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("file: decode %q: %v: %w", key, err, store.ErrInvalid)
	}
	return nil
}

func putJSON(tx store.Tx, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(key, b)
}

func loadFile(tx store.Tx, id string) (stored, error) {
	var f stored
	if err := getJSON(tx, kFile(id), &f); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return f, fmt.Errorf("file: file %q: %w", id, ErrNotFound)
		}
		return f, err
	}
	return f, nil
}

func loadVersion(tx store.Tx, id string, n int) (storedVersion, error) {
	var v storedVersion
	if err := getJSON(tx, kVersion(id, n), &v); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return v, fmt.Errorf("file: file %q version %d: %w", id, n, ErrNotFound)
		}
		return v, err
	}
	return v, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func jsonUnmarshal(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("file: decode: %v: %w", err, store.ErrInvalid)
	}
	return nil
}

func lastPart(k []byte) (string, error) {
	id, err := keys.Last(k)
	if err != nil {
		return "", fmt.Errorf("file: key %q: %v: %w", k, err, store.ErrInvalid)
	}
	return id, nil
}
