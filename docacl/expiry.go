package docacl

import (
	"bytes"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
)

// The expiry index: one empty-valued key per grant or link that has an
// expiry, ordered by that expiry, so that Sweep and NextSweep find what is
// due with one bounded range scan. Every write of a grant or link keeps it
// in the same transaction, through the plan methods below; the index is
// derived data, so a key whose record is gone or changed is stale and
// Sweep drops it.
//
//	exp/<expires>/g/<res>/<principal key>
//	exp/<expires>/l/<res>/<link id>
const (
	expGrant = "g"
	expLink  = "l"
)

var expAll = keys.New(pkg, "exp")

// expKey returns the index key of a grant (kind expGrant, id its principal
// key) or link (kind expLink, id the link id) expiring at t.
func expKey(t time.Time, kind, res, id string) []byte {
	k := keys.AppendTime(bytes.Clone(expAll), t)
	k = keys.Append(k, kind)
	k = keys.Append(k, res)
	return keys.Append(k, id)
}

// expUntil returns the end (exclusive) of the index range holding the
// expiries at or before t.
func expUntil(t time.Time) []byte {
	return keys.AppendTime(bytes.Clone(expAll), t.Add(1))
}

// expEntry is a decoded index key.
type expEntry struct {
	at       time.Time
	kind     string
	res, id  string
	original []byte
}

func parseExpKey(k []byte) (expEntry, error) {
	parts, err := keys.Split(k)
	if err != nil || len(parts) != 6 || (string(parts[3]) != expGrant && string(parts[3]) != expLink) {
		return expEntry{}, fmt.Errorf("docacl: malformed expiry index key %q: %w", k, ErrInvalid)
	}
	at, err := keys.Time(parts[2])
	if err != nil {
		return expEntry{}, fmt.Errorf("docacl: malformed expiry index key %q: %w", k, ErrInvalid)
	}
	return expEntry{at: at, kind: string(parts[3]), res: string(parts[4]), id: string(parts[5]), original: k}, nil
}

func (g *Grant) expKey() []byte {
	if g.Expires.IsZero() {
		return nil
	}
	return expKey(g.Expires, expGrant, g.Resource, g.Principal)
}

func (l *Link) expKey() []byte {
	if l.Expires.IsZero() {
		return nil
	}
	return expKey(l.Expires, expLink, l.Resource, l.ID)
}

// putGrant writes g, replacing old (nil: none), with its index key. Every
// write of a grant goes through putGrant or delGrant.
func (p *plan) putGrant(old *Grant, g Grant) {
	if old != nil {
		if k := old.expKey(); k != nil {
			p.del(k) // dels run before puts: an unchanged key is put back
		}
	}
	p.put(grantKey(g.Resource, g.Principal), g)
	if k := g.expKey(); k != nil {
		p.putRaw(k, empty)
	}
}

// delGrant deletes g with its index key.
func (p *plan) delGrant(g *Grant) {
	p.del(grantKey(g.Resource, g.Principal))
	if k := g.expKey(); k != nil {
		p.del(k)
	}
}

// putLink writes a new link with its index key. Links are never changed,
// only created and deleted.
func (p *plan) putLink(l linkRecord) {
	p.put(linkKey(l.Resource, l.ID), l)
	if k := l.expKey(); k != nil {
		p.putRaw(k, empty)
	}
}

// delLink deletes l with its index key.
func (p *plan) delLink(l *linkRecord) {
	p.del(linkKey(l.Resource, l.ID))
	if k := l.expKey(); k != nil {
		p.del(k)
	}
}
