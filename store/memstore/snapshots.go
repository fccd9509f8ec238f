package memstore

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
)

// snapshots tracks the commits open Views read at, so the writer knows
// which old versions someone may still see. Views start at the newest
// commit, so the open ones are kept in the order they started and the
// oldest is the first.
type snapshots struct {
	mu   sync.Mutex
	open []*snapshot // oldest first; seqs never decrease
}

// snapshot is the readers at one commit.
type snapshot struct {
	seq     uint64
	readers int
}

// acquire registers a reader of the newest commit and returns its
// snapshot. Loading the commit under mu orders it with oldest: a reader
// that registers after the writer asked for the oldest snapshot reads a
// commit at least as new as the answer.
func (s *snapshots) acquire(committed *atomic.Uint64) *snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := committed.Load()
	if n := len(s.open); n > 0 && s.open[n-1].seq == seq {
		s.open[n-1].readers++
		return s.open[n-1]
	}
	sn := &snapshot{seq: seq, readers: 1}
	s.open = append(s.open, sn)
	return sn
}

// release ends one reader of sn. A snapshot no one reads leaves the list
// at once, wherever it is: a long View at the front must not make the
// list grow behind it.
func (s *snapshots) release(sn *snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sn.readers--; sn.readers > 0 {
		return
	}
	i, _ := slices.BinarySearchFunc(s.open, sn.seq, func(x *snapshot, seq uint64) int { return cmp.Compare(x.seq, seq) })
	if i < len(s.open) && s.open[i] == sn {
		s.open = slices.Delete(s.open, i, i+1)
	}
}

// active appends to dst, in ascending order, the commits open Views read
// at and then the newest commit (where the next View will read), and
// returns it.
func (s *snapshots) active(dst []uint64, committed *atomic.Uint64) []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sn := range s.open {
		dst = append(dst, sn.seq)
	}
	if c := committed.Load(); len(dst) == 0 || dst[len(dst)-1] != c {
		dst = append(dst, c)
	}
	return dst
}
