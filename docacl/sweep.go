package docacl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// sweepBatch is how many expiries one Sweep transaction handles.
const sweepBatch = 128

// backfillBatch is how many grants or links one transaction of the expiry
// index's backfill reads.
const backfillBatch = 1024

// expIndexedKey marks a store whose expiry index covers every grant and
// link, including those written before the index existed.
var expIndexedKey = keys.New(pkg, "expidx")

// Sweep records the expiries due at now: every grant and share link whose
// expiry is at or before now is removed from the store, as a revoke
// would remove it, with an audit entry (GrantExpired or LinkExpired, no
// actor) and a change record of the same type, so that the audit trail
// shows when the access ended and followers of the change log (search
// indexers, caches) learn of it. It returns how many expiries it recorded.
//
// Each expiry is recorded exactly once: Sweep is idempotent, and several
// Services, in one process or many, may run it concurrently on one store
// without duplicates, because each transaction re-reads the grant or link
// it removes. A grant changed before the sweep (a new expiry, a revoke, a
// transfer) is judged by its new state, and nothing is recorded for the
// expiry it no longer has.
//
// Reads never wait for Sweep: an expired grant or link stops applying at
// its expiry, swept or not. An application's scheduler calls Sweep
// periodically (say once a minute) or at NextSweep; a missed run is caught
// up by the next. Sweep works in transactions of up to 128 expiries; a
// failure leaves the ones before it recorded. now must not be zero and
// must be within years MinYear–MaxYear ([ErrInvalid]).
func (s *Service) Sweep(ctx context.Context, now time.Time) (int, error) {
	if now.IsZero() {
		return 0, fmt.Errorf("docacl: sweep: zero time: %w", ErrInvalid)
	}
	if err := checkTime(now); err != nil {
		return 0, fmt.Errorf("docacl: sweep: %w", err)
	}
	if err := s.indexExpiries(ctx); err != nil {
		return 0, err
	}
	total := 0
	var after []byte
	for {
		n, next, more, err := s.sweepOnce(ctx, now, after)
		total += n
		if err != nil {
			return total, err
		}
		if !more {
			return total, nil
		}
		after = next
	}
}

// NextSweep returns the earliest expiry, in UTC, that Sweep has yet to
// record (it may be in the past, when a sweep is overdue), and false when
// no grant or link is due to expire.
func (s *Service) NextSweep(ctx context.Context) (time.Time, bool, error) {
	if err := s.indexExpiries(ctx); err != nil {
		return time.Time{}, false, err
	}
	var next time.Time
	found := false
	err := s.st.View(ctx, func(tx store.Tx) error {
		found = false
		rg := store.Prefix(expAll)
		rg.Limit = 1
		for k := range tx.Scan(rg) {
			e, err := parseExpKey(k)
			if err != nil {
				return err
			}
			next, found = e.at, true
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("docacl: next sweep: %w", err)
	}
	return next, found, nil
}

// sweepOnce records up to a batch of the expiries due at now, after index
// key after (nil: from the first), in one transaction. It returns the last
// index key it examined and whether more may be due.
func (s *Service) sweepOnce(ctx context.Context, now time.Time, after []byte) (n int, next []byte, more bool, err error) {
	// The Service's own writers would only lose their optimistic race
	// against the sweep: take turns with them.
	if err := s.lockWriter(ctx); err != nil {
		return 0, nil, false, err
	}
	defer func() { <-s.wsem }()
	start := expAll
	if after != nil {
		start = append(bytes.Clone(after), 0) // the first key after it
	}
	rg := store.Range{Start: start, End: expUntil(now), Limit: s.cfg.sweepBatch}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		n, next, more = 0, nil, false
		var due []expEntry
		for k := range tx.Scan(rg) {
			e, err := parseExpKey(bytes.Clone(k))
			if err != nil {
				return err
			}
			due = append(due, e)
		}
		if len(due) == 0 {
			return nil
		}
		next, more = due[len(due)-1].original, len(due) == rg.Limit
		mt, err := readMeta(tx)
		if err != nil {
			return err
		}
		p := &plan{}
		var changes []Change
		for _, e := range due {
			ch, err := s.planExpiry(tx, p, e, now)
			if err != nil {
				return err
			}
			if ch != nil {
				changes = append(changes, *ch)
			}
		}
		for _, d := range p.dels {
			if err := tx.Delete(d); err != nil {
				return err
			}
		}
		for _, w := range p.puts {
			if err := tx.Put(w.k, w.v); err != nil {
				return err
			}
		}
		// One record per expiry, each a version of its own, so that every
		// Service's catch-up reads them like any other changes.
		seq := mt.Seq
		for i := range changes {
			changes[i].Version = mt.Version + uint64(i) + 1
			data, err := json.Marshal(changes[i])
			if err != nil {
				return fmt.Errorf("encode change: %w", err)
			}
			if seq, err = tx.Append(Kind, data); err != nil {
				return err
			}
		}
		if len(changes) > 0 {
			b, _ := json.Marshal(meta{Version: mt.Version + uint64(len(changes)), Seq: seq})
			if err := tx.Put(metaKey, b); err != nil {
				return err
			}
		}
		n = len(changes)
		return nil
	})
	if err != nil {
		return 0, nil, false, fmt.Errorf("docacl: sweep: %w", err)
	}
	return n, next, more, nil
}

// planExpiry adds to p the removal of the grant or link that index entry e
// names, with its audit entry, and returns its change record; nil when the
// entry is stale (the record is gone or has another expiry since) or not
// yet due.
func (s *Service) planExpiry(tx store.Tx, p *plan, e expEntry, now time.Time) (*Change, error) {
	switch e.kind {
	case expGrant:
		g, err := loadJSON[Grant](tx, grantKey(e.res, e.id))
		if err != nil {
			return nil, err
		}
		if g == nil || !bytes.Equal(g.expKey(), e.original) {
			p.del(e.original)
			return nil, nil
		}
		if g.active(now) { // an expiry past 2262, clamped in the key
			return nil, nil
		}
		p.delGrant(g)
		pr, _ := ParseKey(g.Principal)
		s.audit(p, AuditEntry{At: g.Expires, Type: GrantExpired, Resource: g.Resource, Principal: g.Principal,
			Before: g.Role.String(), Note: expiryNote(g.Expires, now)}, userOf(pr))
		return &Change{Type: GrantExpired, At: g.Expires, Resource: g.Resource, Principal: g.Principal,
			Before: g.Role.String(), Resources: []string{g.Resource}}, nil
	default: // expLink: parseExpKey admits no other kind
		l, err := loadJSON[linkRecord](tx, linkKey(e.res, e.id))
		if err != nil {
			return nil, err
		}
		if l == nil || !bytes.Equal(l.expKey(), e.original) {
			p.del(e.original)
			return nil, nil
		}
		if now.Before(l.Expires) {
			return nil, nil
		}
		p.delLink(l)
		s.audit(p, AuditEntry{At: l.Expires, Type: LinkExpired, Resource: l.Resource, Principal: LinkKey(l.ID),
			Before: string(l.Scope), Note: expiryNote(l.Expires, now)}, l.By)
		return &Change{Type: LinkExpired, At: l.Expires, Resource: l.Resource, Principal: LinkKey(l.ID),
			Before: string(l.Scope), Resources: []string{l.Resource}}, nil
	}
}

func expiryNote(expires, now time.Time) string {
	return "expired " + expires.UTC().Format(time.RFC3339) + ", recorded " + now.UTC().Format(time.RFC3339)
}

// indexExpiries makes sure the expiry index covers grants and links that
// a version of this package without the index wrote, once per store: it
// reads them in bounded transactions, adds their index keys and marks the
// store as indexed. Writers keep the index from then on (and did all
// along on stores this version created, where the backfill finds nothing
// new).
func (s *Service) indexExpiries(ctx context.Context) error {
	if s.expIndexed.Load() {
		return nil
	}
	done := false
	err := s.st.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get(expIndexedKey)
		done = err == nil
		if isNotFound(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("docacl: expiry index: %w", err)
	}
	if !done {
		grants := func(v []byte) ([]byte, error) {
			var g Grant
			err := json.Unmarshal(v, &g)
			return g.expKey(), err
		}
		links := func(v []byte) ([]byte, error) {
			var l Link
			err := json.Unmarshal(v, &l)
			return l.expKey(), err
		}
		if err := s.backfill(ctx, keys.New(pkg, "grant"), grants); err != nil {
			return err
		}
		if err := s.backfill(ctx, keys.New(pkg, "link"), links); err != nil {
			return err
		}
		err := s.st.Update(ctx, func(tx store.Tx) error { return tx.Put(expIndexedKey, empty) })
		if err != nil {
			return fmt.Errorf("docacl: expiry index: %w", err)
		}
	}
	s.expIndexed.Store(true)
	return nil
}

// backfill adds the index key of every record under prefix, which
// indexKey decodes from the record.
func (s *Service) backfill(ctx context.Context, prefix []byte, indexKey func(v []byte) ([]byte, error)) error {
	rg := store.Prefix(prefix)
	rg.Limit = backfillBatch
	for {
		var last []byte
		err := s.st.Update(ctx, func(tx store.Tx) error {
			last = nil
			n := 0
			for k, v := range tx.Scan(rg) {
				n++
				ik, err := indexKey(v)
				if err != nil {
					return fmt.Errorf("record %q: %w", k, err)
				}
				if ik != nil {
					if err := tx.Put(ik, empty); err != nil {
						return err
					}
				}
				if n == rg.Limit {
					last = bytes.Clone(k)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("docacl: expiry index: %w", err)
		}
		if last == nil {
			return nil
		}
		rg.Start = append(last, 0)
	}
}
