package pgstore

import "fmt"

// kindWindow is how many consecutive sequence numbers one read of the
// log's kinds covers.
const kindWindow = 256

// kindCache holds the kinds of committed change records a commit group
// read to check its rewrites (store.Tx.Rewrite must fail at once for a
// record that is not there). A purge rewrites many records, most of
// them near each other in the log, so after the group's first check,
// which reads one row, a miss reads the kinds of the whole aligned window
// of kindWindow sequence numbers around the record in one round trip: a
// batch of 200 rewrites costs a few round trips, not 200.
//
// The cache lives as long as one attempt of the group: its transaction
// reads one snapshot (SERIALIZABLE), and a record's kind never changes,
// so what it read stays true until COMMIT.
type kindCache struct {
	asked   bool                // the group's first check (one row) is done
	windows map[uint64]struct{} // windows read: seq / kindWindow
	kinds   map[uint64]string   // kinds found in them
}

// get returns the kind of the committed record at seq, reading its
// window through rd when it has not been read yet.
func (c *kindCache) get(rd *reader, seq uint64) (string, bool, error) {
	w := seq / kindWindow
	if _, ok := c.windows[w]; !ok {
		lo, hi := int64(w*kindWindow), int64(min(w*kindWindow+kindWindow-1, 1<<63-1))
		rows, err := rd.q.Query(rd.qctx, `SELECT seq, kind FROM `+rd.n.log+` WHERE seq BETWEEN $1 AND $2`, lo, hi)
		if err != nil {
			return "", false, rd.fail(fmt.Sprintf("rewrite change %d", seq), err)
		}
		if c.kinds == nil {
			c.windows, c.kinds = make(map[uint64]struct{}), make(map[uint64]string)
		}
		for rows.Next() {
			var s int64
			var kind []byte
			if err := rows.Scan(&s, &kind); err != nil {
				rows.Close()
				return "", false, rd.fail(fmt.Sprintf("rewrite change %d", seq), err)
			}
			c.kinds[uint64(s)] = string(kind)
		}
		if err := rows.Err(); err != nil {
			return "", false, rd.fail(fmt.Sprintf("rewrite change %d", seq), err)
		}
		c.windows[w] = struct{}{}
	}
	kind, ok := c.kinds[seq]
	return kind, ok, nil
}
