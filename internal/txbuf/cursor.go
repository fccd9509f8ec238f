package txbuf

import "bytes"

// Cursor walks pairs in a scan's order. It is not safe for concurrent use.
type Cursor interface {
	// Next returns the next pair, or ok == false at the end or after an
	// error.
	Next() (k, v []byte, ok bool)
	// Err returns the error that ended the walk early, or nil.
	Err() error
}

// Merge returns a cursor over stored, which walks in scan order
// (descending when reverse), with over (in the same order, deletions with
// a nil value) laid on top: an overlay pair comes in its place, and
// replaces (or, with a nil value, deletes) the stored pair with its key.
// A nil over leaves stored as it is. Merge reads either cursor no further
// than the pair it returns next needs.
func Merge(over, stored Cursor, reverse bool) Cursor {
	if over == nil {
		return stored
	}
	return &merged{o: over, c: stored, reverse: reverse}
}

type merged struct {
	o, c    Cursor
	reverse bool
	ovk, ov []byte // over's pair not yet returned, when oHave
	oHave   bool
	oLive   bool   // over had a pair
	k, sv   []byte // stored's pair not yet returned, when have
	sLive   bool   // stored had a pair
	have    bool
}

func (m *merged) Next() ([]byte, []byte, bool) {
	for {
		if !m.oHave {
			m.ovk, m.ov, m.oLive = m.o.Next()
			m.oHave = true
		}
		if !m.have {
			m.k, m.sv, m.sLive = m.c.Next()
			m.have = true
		}
		switch {
		case !m.oLive && !m.sLive:
			return nil, nil, false
		case m.oLive && (!m.sLive || before(m.ovk, m.k, m.reverse)):
			m.oHave = false
		case !m.oLive || !bytes.Equal(m.ovk, m.k):
			m.have = false
			return m.k, m.sv, true
		default: // the same key: over's pair replaces stored's
			m.oHave, m.have = false, false
		}
		if m.ov != nil {
			return m.ovk, m.ov, true
		}
	}
}

func (m *merged) Err() error {
	if err := m.o.Err(); err != nil {
		return err
	}
	return m.c.Err()
}

func before(a, b []byte, reverse bool) bool {
	if reverse {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}
