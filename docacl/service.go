package docacl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workspace-go/workspace/internal/ids"
	"github.com/workspace-go/workspace/store"
)

// Service manages resources, grants, share links, the directory and the
// audit trail of one tenant over a store.Store.
//
// A Service is safe for concurrent use by multiple goroutines, and several
// Services (in one process or many) may share one store: each answers
// reads from an in-memory copy that it brings up to date from the store's
// change log before every read, so a revocation committed anywhere is
// honoured by every Service as soon as the revoking call returns. A
// Service starts no goroutines and needs no Close.
type Service struct {
	st     store.Store
	cfg    options
	admins set

	wsem     chan struct{} // capacity 1: the writer slot
	mu       sync.RWMutex
	m        *model
	keyCache atomic.Pointer[sync.Map] // user -> *keySet; replaced when the directory changes
	dirVer   atomic.Uint64            // the Directory's version last seen (WithDirectory)

	expIndexed atomic.Bool // the store's expiry index is known complete (see indexExpiries)
}

// New returns a Service over st and loads the tenant's permission data
// into memory; ctx bounds the load. With no options it uses the real
// clock, time-ordered UUIDv7 ids, random link tokens, no bootstrap admins
// and the default argon2id cost. Nil options are skipped; a bad option
// argument fails with an error wrapping ErrInvalid.
func New(ctx context.Context, st store.Store, opts ...Option) (*Service, error) {
	if st == nil {
		return nil, fmt.Errorf("docacl: nil store: %w", ErrInvalid)
	}
	c := defaultOptions()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	if c.ids == nil {
		c.ids = ids.New(c.now)
	}
	s := &Service{st: st, cfg: c, admins: set{}, wsem: make(chan struct{}, 1)}
	for _, a := range c.admins {
		s.admins[a] = struct{}{}
	}
	s.keyCache.Store(new(sync.Map))
	if err := s.sync(ctx, false); err != nil {
		return nil, err
	}
	return s, nil
}

var errStale = errors.New("docacl: model is stale")

// maxAttempts bounds the optimistic retries of one write.
const maxAttempts = 200

// lockWriter waits for this Service's writer slot, or for ctx to end.
func (s *Service) lockWriter(ctx context.Context) error {
	select {
	case s.wsem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// read brings the model up to date and runs fn on it under the read lock.
// Every lock it takes is released by a defer, so a panic in fn (or
// anywhere under a lock) leaves the Service usable.
func (s *Service) read(ctx context.Context, fn func(m *model) error) error {
	last, err := s.st.Last(ctx)
	if err != nil {
		return fmt.Errorf("docacl: %w", err)
	}
	for attempt := 0; ; attempt++ {
		done, err := s.readFresh(last, fn)
		if done {
			return err
		}
		if attempt > 0 { // refreshed, yet still behind: a failed refresh in between
			return fmt.Errorf("docacl: permission data unavailable, retry: %w", ErrConflict)
		}
		if err := s.refresh(ctx, last); err != nil {
			return err
		}
	}
}

// readFresh runs fn under the read lock if the model reflects every change
// at or below last; done is false (and fn not run) otherwise.
func (s *Service) readFresh(last uint64, fn func(m *model) error) (done bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.m == nil || s.m.seen.Load() < last {
		return false, nil
	}
	return true, fn(s.m)
}

// refresh brings the model up to last. Often the log moved by another
// package's (or tenant's) record: then the permission version is
// unchanged and the model is still current, which one Get proves without
// the write lock.
func (s *Service) refresh(ctx context.Context, last uint64) error {
	ver, ok := s.modelVersion()
	if ok {
		if err := s.checkDirectory(ctx); err != nil {
			return err
		}
		var mt meta
		err := s.st.View(ctx, func(tx store.Tx) error {
			var err error
			mt, err = readMeta(tx)
			return err
		})
		if err != nil {
			return fmt.Errorf("docacl: %w", err)
		}
		if mt.Version == ver && s.markFresh(ver, last) {
			return nil
		}
	}
	return s.syncTo(ctx, last, false)
}

// modelVersion returns the model's permission version; ok is false when
// no model is loaded.
func (s *Service) modelVersion() (ver uint64, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.m == nil {
		return 0, false
	}
	return s.m.version, true
}

// markFresh records that the model, if still at version ver, reflects
// every change at or below last.
func (s *Service) markFresh(ver, last uint64) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.m == nil || s.m.version != ver {
		return false
	}
	s.m.freshFor(last)
	return true
}

// isFresh reports whether the model reflects every change at or below last.
func (s *Service) isFresh(last uint64) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.m != nil && s.m.seen.Load() >= last
}

// sync makes the model reflect every change committed before it was
// called. It reads the store's Last position first, so a change whose
// Update returned before sync started is always included.
func (s *Service) sync(ctx context.Context, force bool) error {
	last, err := s.st.Last(ctx)
	if err != nil {
		return fmt.Errorf("docacl: %w", err)
	}
	return s.syncTo(ctx, last, force)
}

// syncTo makes the model reflect every change at or below last.
func (s *Service) syncTo(ctx context.Context, last uint64, force bool) error {
	if !force && s.isFresh(last) {
		return nil
	}
	if err := s.checkDirectory(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !force && s.m != nil && s.m.seen.Load() >= last {
		return nil
	}
	if s.m == nil {
		return s.loadLocked(ctx, last)
	}
	return s.catchUpLocked(ctx, last)
}

func (s *Service) loadLocked(ctx context.Context, last uint64) error {
	var m *model
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		m, err = loadAll(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("docacl: load: %w", err)
	}
	// Every record at or below last is in the snapshot; records above it
	// with a version the snapshot already holds are skipped by catch-up.
	m.logPos = last
	m.seen.Store(last)
	m.newPIDs = false
	s.m = m
	s.keyCache.Store(new(sync.Map))
	return nil
}

// catchUpLocked applies the change log after the model's position. It
// falls back to a full load when the log has a gap (it was trimmed past a
// record this model never saw).
func (s *Service) catchUpLocked(ctx context.Context, last uint64) error {
	m := s.m
	for round := 0; round < 4; round++ {
		// Read into locals: the model changes only once the records the
		// changes name have been re-read, so a failure half-way leaves it
		// as it was (behind, and caught up by the next call).
		ver, pos := m.version, m.logPos
		t := newTouched()
		gap := false
	read:
		for {
			recs, next, err := s.st.Changes(ctx, pos, 1024)
			if err != nil {
				return fmt.Errorf("docacl: read changes: %w", err)
			}
			for _, r := range recs {
				ch, ok, err := DecodeChange(r)
				if !ok {
					continue
				}
				if err != nil {
					gap = true
					break read
				}
				if ch.Version <= ver {
					continue
				}
				if ch.Version != ver+1 {
					gap = true
					break read
				}
				t.addChange(&ch)
				ver = ch.Version
			}
			pos = max(pos, next)
			if len(recs) == 0 {
				break
			}
		}
		if gap || (round > 0 && ver == m.version) {
			return s.loadLocked(ctx, last)
		}
		var mt meta
		var f *fetched
		err := s.st.View(ctx, func(tx store.Tx) error {
			var err error
			if mt, err = readMeta(tx); err != nil {
				return err
			}
			f, err = fetch(tx, t)
			return err
		})
		if err != nil {
			return fmt.Errorf("docacl: refresh: %w", err)
		}
		m.apply(f)
		m.version, m.logPos = ver, pos
		if t.directory() || m.newPIDs {
			m.newPIDs = false
			s.keyCache.Store(new(sync.Map))
		}
		m.freshFor(last)
		if mt.Version <= m.version {
			return nil
		}
	}
	return nil
}

// plan is a validated mutation: the writes to make and the change to log.
type plan struct {
	err    error // the first encoding failure; the plan is refused
	puts   []kv
	dels   [][]byte
	change Change
	result any

	progress func(done, total int) // called while the puts are applied
	units    int                   // the total passed to progress

	once    []byte // the client key of an idempotent create; nil: none
	onceVal []byte // the result stored under it
	prior   []byte // set by write: the result of the create that used the key first
}

type kv struct{ k, v []byte }

// put adds the write of v, encoded as JSON, at k. A value that does not
// encode (input validation should have refused it) fails the whole plan
// with an error wrapping ErrInvalid, never a panic.
func (p *plan) put(k []byte, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		p.fail(fmt.Errorf("encode %T: %w: %w", v, ErrInvalid, err))
		return
	}
	p.puts = append(p.puts, kv{k, b})
}

// fail records err as the reason the plan cannot be committed.
func (p *plan) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *plan) putRaw(k, v []byte) { p.puts = append(p.puts, kv{k, v}) }
func (p *plan) del(k []byte)       { p.dels = append(p.dels, k) }

// write validates a mutation against the model and commits it only if no
// other permission change was committed meanwhile (optimistic
// concurrency on the meta record); otherwise it refreshes and tries again.
// build must not modify the model. A nil plan means nothing to do.
func (s *Service) write(ctx context.Context, build func(m *model, now time.Time) (*plan, error)) (*plan, error) {
	// Writers of one Service take turns: they would only invalidate each
	// other, so there is nothing to gain from sending them together.
	if err := s.lockWriter(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.wsem }()
	force := false
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt >= 4 {
			// Another Service on the store keeps winning: back off a
			// little, with jitter, so that the two do not collide again.
			d := time.Duration(rand.Int64N(int64(attempt) * int64(100*time.Microsecond)))
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if err := s.sync(ctx, force); err != nil {
			return nil, err
		}
		now := s.cfg.now()
		if err := checkTime(now); err != nil {
			return nil, fmt.Errorf("docacl: the clock: %w", err)
		}
		p, ver, ok, err := s.build(build, now)
		if !ok { // dropped by a failed refresh in between
			continue
		}
		if err != nil || p == nil {
			return p, err
		}
		if p.err != nil {
			return nil, fmt.Errorf("docacl: %s: %w", p.change.Type, p.err)
		}
		p.change.Version = ver + 1
		p.change.At = now
		data, err := json.Marshal(p.change)
		if err != nil {
			return nil, fmt.Errorf("docacl: encode change: %w", err)
		}
		err = s.st.Update(ctx, func(tx store.Tx) error {
			mt, err := readMeta(tx)
			if err != nil {
				return err
			}
			if mt.Version != ver {
				return errStale
			}
			if err := p.checkOnce(tx); err != nil {
				return err
			}
			for _, d := range p.dels {
				if err := tx.Delete(d); err != nil {
					return err
				}
			}
			step := max(len(p.puts)/64, 1)
			for i, w := range p.puts {
				if err := tx.Put(w.k, w.v); err != nil {
					return err
				}
				if p.progress != nil && i%step == 0 {
					p.progress(i*p.units/len(p.puts), p.units)
				}
			}
			seq, err := tx.Append(Kind, data)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(meta{Version: ver + 1, Seq: seq})
			return tx.Put(metaKey, b)
		})
		if errors.Is(err, errStale) {
			force = true
			continue
		}
		if errors.Is(err, errPrior) {
			return p, nil
		}
		if err != nil {
			return nil, fmt.Errorf("docacl: %s: %w", p.change.Type, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("docacl: %w", ErrBusy)
}

// build runs a write's build function on the model under the read lock,
// released by a defer so that a panic in it leaves the Service usable. ok
// is false when there is no model to build on.
func (s *Service) build(build func(m *model, now time.Time) (*plan, error), now time.Time) (p *plan, ver uint64, ok bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.m == nil {
		return nil, 0, false, nil
	}
	p, err = build(s.m, now)
	return p, s.m.version, true, err
}

// isAdmin reports whether id is a tenant admin.
func (s *Service) isAdmin(m *model, id string) bool {
	if _, ok := s.admins[id]; ok {
		return true
	}
	if s.cfg.dir != nil {
		return false // admins of an external directory are named with WithAdmins
	}
	u := m.users[id]
	return u != nil && u.Admin && !u.Left
}

// activeUser returns the user if they are in the directory and have not left.
func (m *model) activeUser(id string) *User {
	u := m.users[id]
	if u == nil || u.Left {
		return nil
	}
	return u
}
