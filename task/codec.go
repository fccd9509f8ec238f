package task

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"time"
	"unicode/utf8"
)

// Records are stored in a compact binary form rather than JSON: decoding
// is most of the cost of List and Get (BenchmarkServiceQueries showed
// encoding/json at about 90% of a page), and a page decodes up to 500 of
// them. Change records stay JSON, for consumers outside this package.
//
// Layout (version 2): the byte 0x02, then the fields in the order of
// encodeRecord, strings as uvarint length + bytes, integers as varints,
// times as a presence byte + varint seconds + uvarint nanoseconds (UTC),
// and last the record's extras (the fields most tasks leave empty: client
// key, parent, checklist, subtask counts, repetition) as a length-prefixed
// JSON object, empty when there are none. Version 1 (the byte 0x01) is the
// same without the extras; a value starting with '{' is read as JSON, the
// encoding before that. Both are still read.

const (
	codecV1 = 0x01
	codecV2 = 0x02
)

var errCodec = errors.New("task: malformed record")

func encodeRecord(r *record) ([]byte, error) {
	b := make([]byte, 0, 256+len(r.Title)+len(r.Description))
	b = append(b, codecV2)
	b = putString(b, r.ID)
	b = putString(b, r.Title)
	b = putString(b, r.Description)
	b = putString(b, r.Creator)
	b = binary.AppendUvarint(b, uint64(len(r.Assignees)))
	for _, a := range r.Assignees {
		b = putString(b, a.User)
		b = putBool(b, a.Done)
		b = putTime(b, a.DoneAt)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Followers)))
	for _, f := range r.Followers {
		b = putString(b, f)
	}
	b = putTime(b, r.Due.Time)
	b = append(b, byte(r.Due.Precision))
	b = putString(b, r.Due.Location)
	b = binary.AppendVarint(b, int64(r.Priority))
	b = putString(b, string(r.Status))
	b = putString(b, string(r.Mode))
	b = putString(b, r.Source.Kind)
	b = putString(b, r.Source.ID)
	b = putTime(b, r.Created)
	b = putTime(b, r.Updated)
	b = putTime(b, r.Closed)
	b = putTime(b, r.Nudged)
	b = binary.AppendUvarint(b, r.Acts)
	b = putBool(b, r.SoonSent)
	b = putBool(b, r.LateSent)
	ex, err := r.extras()
	if err != nil {
		return nil, err
	}
	return putString(b, ex), nil
}

func decodeRecord(v []byte, r *record) error {
	if len(v) > 0 && v[0] == '{' {
		return json.Unmarshal(v, r)
	}
	if len(v) == 0 || v[0] != codecV1 && v[0] != codecV2 {
		return errCodec
	}
	d := decoder{b: v[1:]}
	r.ID = d.str()
	r.Title = d.str()
	r.Description = d.str()
	r.Creator = d.str()
	if n := d.count(); n > 0 {
		r.Assignees = make([]Assignee, n)
		for i := range r.Assignees {
			r.Assignees[i] = Assignee{User: d.str(), Done: d.bool(), DoneAt: d.time()}
		}
	}
	if n := d.count(); n > 0 {
		r.Followers = make([]string, n)
		for i := range r.Followers {
			r.Followers[i] = d.str()
		}
	}
	r.Due.Time = d.time()
	r.Due.Precision = Precision(d.byte())
	r.Due.Location = d.str()
	if !r.Due.Time.IsZero() {
		if loc, err := loadZone(r.Due.Location); err == nil {
			r.Due.Time = r.Due.Time.In(loc)
		}
	}
	p := d.varint()
	if p < math.MinInt8 || p > math.MaxInt8 {
		d.fail()
	}
	r.Priority = Priority(p)
	r.Status = Status(d.str())
	r.Mode = Mode(d.str())
	r.Source.Kind = d.str()
	r.Source.ID = d.str()
	r.Created = d.time()
	r.Updated = d.time()
	r.Closed = d.time()
	r.Nudged = d.time()
	r.Acts = d.uvarint()
	r.SoonSent = d.bool()
	r.LateSent = d.bool()
	var ex string
	if v[0] == codecV2 {
		ex = d.str()
	}
	if d.bad || len(d.b) != 0 {
		return errCodec
	}
	return r.setExtras(ex)
}

func putString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func putBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func putTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// decoder reads what encodeRecord wrote. After the first error every read
// returns a zero value and bad stays set, so callers check once at the end.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) fail() { d.bad, d.b = true, nil }

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

// count reads a slice length, refusing one the remaining bytes cannot hold
// (each element takes at least one byte), so a corrupt length cannot make
// a huge allocation.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	if !utf8.ValidString(s) {
		d.fail()
		return ""
	}
	return s
}

// bytes reads a string in place, without copying.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) skipString() { d.bytes() }

func (d *decoder) time() time.Time {
	switch d.byte() {
	case 0:
		return time.Time{}
	case 1:
	default:
		d.fail()
		return time.Time{}
	}
	sec := d.varint()
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.fail()
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
