package memstore

import "github.com/workspace-go/workspace/store"

// changeLog holds the change records. Positions are gap-free (a rolled
// back transaction's positions are handed out again), so record q is
// found by arithmetic. A record is an entry (kind, chunk, offset, length)
// into large byte chunks: the log holds no pointer per record, and the
// garbage collector has almost nothing in it to trace.
//
// The committed part (ents, chunks, kinds, last, trimmed) is guarded by
// Store.mu. The writer (holding Store.wmu) copies a transaction's data
// past the committed end of the current chunk without mu, since no reader
// looks there, and takes mu to add a chunk or a kind, and to commit.
type changeLog struct {
	ents    [][]entry // chunks of entryChunk entries
	entBase uint64    // position of the record before ents[0][0]
	last    uint64    // the newest committed position
	trimmed uint64    // records at or below it are gone

	chunks    []dataChunk
	chunkBase uint32 // absolute index of chunks[0]
	kinds     []string
	// keep is the absolute index of the chunk the next transaction starts
	// in (set at each commit): trim keeps it and those after it, which a
	// transaction in flight may have written to.
	keep uint32

	// Writer only.
	kindIdx map[string]uint32
	made    uint32 // chunks made: the current one's absolute index is made-1
	cur     []byte // the chunk data goes into
	pos     int    // where the next record's data goes in cur
}

// entry is a record: its kind, and where its data is.
type entry struct {
	kind, chunk, off, n uint32
}

type dataChunk struct {
	buf  []byte
	last uint64 // the newest position with data in it
}

const (
	entryChunk    = 4096
	dataChunkSize = 256 << 10
)

// mark is where the writer's data ends, to go back to on rollback.
type mark struct {
	made uint32
	pos  int
}

// mark returns the writer's position. Writer only.
func (l *changeLog) mark() mark { return mark{l.made, l.pos} }

// reset forgets the data written since m: when the transaction that wrote
// it rolls back. Chunks it added stay, empty. Writer only.
func (l *changeLog) reset(m mark) {
	if l.made == m.made {
		l.pos = m.pos
	} else {
		l.pos = 0
	}
}

// add copies a record's data into the chunks and returns its entry, to be
// committed by commit. Writer only; s.mu must not be held.
func (l *changeLog) add(s *Store, kind string, data []byte) entry {
	k, ok := l.kindIdx[kind]
	if !ok || l.cur == nil || len(l.cur)-l.pos < len(data) {
		s.mu.Lock()
		if !ok {
			if l.kindIdx == nil {
				l.kindIdx = map[string]uint32{}
			}
			k = uint32(len(l.kinds))
			l.kinds = append(l.kinds, kind)
			l.kindIdx[kind] = k
		}
		if l.cur == nil || len(l.cur)-l.pos < len(data) {
			l.cur, l.pos = make([]byte, max(dataChunkSize, len(data))), 0
			l.chunks = append(l.chunks, dataChunk{buf: l.cur})
			l.made++
		}
		s.mu.Unlock()
	}
	e := entry{kind: k, chunk: l.made - 1, off: uint32(l.pos), n: uint32(len(data))}
	l.pos += copy(l.cur[l.pos:], data)
	return e
}

// commit appends entries as the records after last. Call with mu held,
// from the writer.
func (l *changeLog) commit(es []entry) {
	if l.made > 0 {
		l.keep = l.made - 1
	}
	for _, e := range es {
		i := l.last - l.entBase // index of the new record
		if i%entryChunk == 0 {
			l.ents = append(l.ents, make([]entry, 0, entryChunk))
		}
		c := &l.ents[len(l.ents)-1]
		*c = append(*c, e)
		l.last++
		l.chunks[e.chunk-l.chunkBase].last = l.last
	}
}

// first returns the oldest position still held, or last+1 if none is.
func (l *changeLog) first() uint64 { return max(l.trimmed, l.entBase) + 1 }

// records returns copies of up to limit records after position after.
// Call with mu held.
func (l *changeLog) records(after uint64, limit int) []store.Change {
	q := max(after+1, l.first())
	if q > l.last {
		return nil
	}
	n := min(uint64(limit), l.last-q+1)
	out := make([]store.Change, n)
	for j := range out {
		i := q + uint64(j) - l.entBase - 1
		e := l.ents[i/entryChunk][i%entryChunk]
		buf := l.chunks[e.chunk-l.chunkBase].buf
		out[j] = store.Change{
			Seq:  q + uint64(j),
			Kind: l.kinds[e.kind],
			Data: append([]byte(nil), buf[e.off:e.off+e.n]...),
		}
	}
	return out
}

// trim drops the records below position below, and the chunks only they
// used, but for those a transaction may be writing to. Call with mu held.
func (l *changeLog) trim(below uint64) {
	if below == 0 {
		return
	}
	l.trimmed = max(l.trimmed, min(below-1, l.last))
	for len(l.ents) > 0 && l.entBase+entryChunk <= l.trimmed {
		l.ents[0] = nil
		l.ents = l.ents[1:]
		l.entBase += entryChunk
	}
	for len(l.chunks) > 0 && l.chunkBase < l.keep && l.chunks[0].last <= l.trimmed {
		l.chunks[0] = dataChunk{}
		l.chunks = l.chunks[1:]
		l.chunkBase++
	}
}

// rewrite is a committed record's new data, written by a transaction not
// yet committed.
type rewrite struct {
	seq uint64
	e   entry
}

// entryAt returns the committed record at seq. Call with mu held.
func (l *changeLog) entryAt(seq uint64) (entry, bool) {
	if seq < l.first() || seq > l.last {
		return entry{}, false
	}
	i := seq - l.entBase - 1
	return l.ents[i/entryChunk][i%entryChunk], true
}

// clear zeroes the data of e, so that nothing of it stays in memory. Call
// with mu held.
func (l *changeLog) clear(e entry) {
	if e.chunk < l.chunkBase {
		return // its chunk is gone already
	}
	clear(l.chunks[e.chunk-l.chunkBase].buf[e.off : e.off+e.n])
}

// rewrite switches the committed records to their new data and clears the
// old. Readers copy a record's data under mu, so each sees the old data
// or the new, never a mix. A record trimmed since the transaction read it
// stays gone. Call with mu held, from the writer, at commit.
func (l *changeLog) rewrite(rs []rewrite) {
	for _, r := range rs {
		if _, ok := l.entryAt(r.seq); !ok {
			continue
		}
		i := r.seq - l.entBase - 1
		p := &l.ents[i/entryChunk][i%entryChunk]
		l.clear(*p)
		*p = r.e
		// The chunk now holds data of record r.seq: trim keeps it until
		// that record goes.
		c := &l.chunks[r.e.chunk-l.chunkBase]
		c.last = max(c.last, r.seq)
	}
	if l.made > 0 {
		l.keep = l.made - 1
	}
}
