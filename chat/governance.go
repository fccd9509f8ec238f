package chat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/workspace-go/workspace/store"
)

// purgeBatch is the most messages, replies included, one Purge
// transaction removes: at 50, the longest takes a few tens of
// milliseconds on boltstore (BenchmarkCommitHold).
const purgeBatch = 50

func (s *Service) officer(ctx context.Context, op, actor string) error {
	if err := s.checkActor(ctx, op, actor); err != nil {
		return err
	}
	if !s.officers(actor) {
		return fmt.Errorf("chat: %s: %q is not a compliance officer: %w", op, actor, ErrPermission)
	}
	return nil
}

// mutateOfficer is mutate for a governance call: actor must be a
// compliance officer.
func (s *Service) mutateOfficer(ctx context.Context, op, actor string, fn func(tx store.Tx, now time.Time) error) error {
	if err := s.officer(ctx, op, actor); err != nil {
		return err
	}
	return s.mutate(ctx, op, actor, fn)
}

// MaxRetentionDays is the longest retention period, in days (100 years).
const MaxRetentionDays = 100 * 366

// SetRetention makes Purge remove the conversation's messages older than
// days days; 0 keeps them forever. Only compliance officers (see
// WithCompliance) set retention.
func (s *Service) SetRetention(ctx context.Context, actor, conv string, days int) error {
	op := fmt.Sprintf("set retention of conversation %q", conv)
	if days < 0 || days > MaxRetentionDays {
		if err := s.officer(ctx, op, actor); err != nil {
			return err
		}
		return fmt.Errorf("chat: %s: %d days, not in 0–%d: %w", op, days, MaxRetentionDays, ErrInvalid)
	}
	return s.mutateOfficer(ctx, op, actor, func(tx store.Tx, now time.Time) error {
		c, err := loadConv(tx, conv)
		if err != nil {
			return err
		}
		c.RetentionDays = days
		if err := putConv(tx, &c); err != nil {
			return err
		}
		if days > 0 {
			err = tx.Put(kRetention(conv), []byte{})
		} else {
			err = tx.Delete(kRetention(conv))
		}
		if err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: RetentionSet, Conversation: conv, Actor: actor, At: now, Count: days})
		return err
	})
}

// SetLegalHold puts a conversation under legal hold (on) or releases it.
// While held, its messages can be neither deleted nor purged. Only
// compliance officers set holds.
func (s *Service) SetLegalHold(ctx context.Context, actor, conv string, on bool) error {
	return s.mutateOfficer(ctx, fmt.Sprintf("set legal hold on conversation %q", conv), actor, func(tx store.Tx, now time.Time) error {
		c, err := loadConv(tx, conv)
		if err != nil {
			return err
		}
		c.LegalHold = on
		if err := putConv(tx, &c); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: LegalHoldSet, Conversation: conv, Actor: actor, At: now, On: on})
		return err
	})
}

// PurgeOptions tune Purge.
type PurgeOptions struct {
	// KeepPinned keeps pinned messages (and their threads) whatever their
	// age.
	KeepPinned bool `json:"keep_pinned,omitempty"`
}

// Purge removes, from every conversation with a retention period and no
// legal hold, the timeline messages older than the period, together with
// their threads, edit history, reactions and index keys. A root whose
// thread had a reply within the period is kept, with its thread, so no
// thread loses its root. Messages purged are gone for good: they leave
// unread counts, history and Export, and the change records that carried
// their content (creation, edits, reactions) are rewritten, in the same
// transaction, to redacted records ([Change.Redacted]) that keep only
// their type, ids and times; a messages.purged record names the messages
// removed, so indexes drop them. It returns how many messages (including
// replies) were removed.
//
// Purge works in batches of at most 50 messages, replies included, each
// one transaction (a thread too big for one is trimmed, oldest replies
// first, before its root goes), so neither a huge backlog nor a huge
// thread makes one long transaction; an interrupted Purge leaves
// consistent data and the next one carries on. Only compliance officers
// purge.
func (s *Service) Purge(ctx context.Context, actor string, o PurgeOptions) (int, error) {
	op := "purge"
	if err := s.officer(ctx, op, actor); err != nil {
		return 0, err
	}
	var convs []string
	err := s.st.View(ctx, func(tx store.Tx) error {
		for k := range tx.Scan(store.Prefix(kRetentions())) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			convs = append(convs, id)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("chat: %s: %w", op, err)
	}
	total := 0
	for _, conv := range convs {
		for {
			n, done, err := s.purgeBatch(ctx, actor, conv, o)
			total += n
			if err != nil {
				return total, fmt.Errorf("chat: %s conversation %q: %w", op, conv, err)
			}
			if done {
				break
			}
		}
	}
	return total, nil
}

// purgeBatch removes up to purgeBatch expired messages of conv, in one
// transaction. done reports that nothing expired is left.
func (s *Service) purgeBatch(ctx context.Context, actor, conv string, o PurgeOptions) (removed int, done bool, err error) {
	now, err := s.clock()
	if err != nil {
		return 0, false, err
	}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		removed, done = 0, false
		var erased []string
		c, err := loadConv(tx, conv)
		if err != nil {
			return err
		}
		if c.LegalHold || c.RetentionDays <= 0 {
			done = true
			return nil
		}
		cutoff := now.Add(-time.Duration(c.RetentionDays) * 24 * time.Hour)
		cb, err := tx.Get(kCounters(conv))
		if err != nil {
			return err
		}
		cnt := decodeCounters(cb)
		floor := lastSeq(tx, conv, cnt) // before purging, which may empty the timeline
		// A batch takes expired messages, with their threads, while the
		// total stays within purgeBatch; a thread too big for any batch
		// is trimmed by purgeBatch replies a batch, oldest first, until
		// its root fits.
		var expired []Message
		var trim *Message
		used := 0
		take := func(m Message) (bool, error) {
			cost := 1
			if m.Root == "" && m.LastReplySeq > 0 {
				cost += countKeys(tx, kThread(conv, m.ID), purgeBatch+1)
			}
			switch {
			case cost > purgeBatch && used == 0 && trim == nil:
				trim = &m
				return false, nil
			case used+cost > purgeBatch:
				return false, nil
			}
			used += cost
			expired = append(expired, m)
			return true, nil
		}
		// Scan the timeline from the oldest message not yet considered,
		// looking at no more than a few batches' worth of kept ones.
		through := cnt.purged
		done = true
		scanned := 0
		for k, v := range tx.Scan(store.Range{Start: withSeq(kTimeline(conv), cnt.purged+1), End: store.PrefixEnd(kTimeline(conv))}) {
			m, err := decodeMessage(k, v)
			if err != nil {
				return err
			}
			if !m.CreatedAt.Before(cutoff) {
				break
			}
			if scanned == 4*purgeBatch {
				done = false
				break
			}
			scanned++
			if kept(m, cutoff, o) {
				// Remember it, so a later Purge looks at it again.
				if err := tx.Put(withSeq(kKept(conv), m.Seq), []byte{}); err != nil {
					return err
				}
				through = m.Seq
				continue
			}
			ok, err := take(m)
			if err != nil {
				return err
			}
			if !ok {
				done = false
				break
			}
			through = m.Seq
		}
		// Messages kept by earlier runs expire once unpinned, or once
		// their thread has gone quiet for the retention period.
		if cnt.purged > 0 && used < purgeBatch && trim == nil {
			var again []uint64
			p := kKept(conv)
			for k := range tx.Scan(store.Range{Start: p, End: store.PrefixEnd(p), Limit: purgeBatch}) {
				if s, ok := decodeSeqPart(k[len(p):]); ok {
					again = append(again, s)
				}
			}
			for _, seq := range again {
				m, err := getMessage(tx, kMsg(conv, seq))
				if err != nil && !isNotFound(err) {
					return err
				}
				if err == nil && kept(m, cutoff, o) {
					continue
				}
				if err == nil {
					ok, err := take(m)
					if err != nil {
						return err
					}
					if !ok {
						done = false
						break
					}
				}
				if err := tx.Delete(withSeq(p, seq)); err != nil {
					return err
				}
			}
		}
		for _, m := range expired {
			ids, err := purgeMessage(tx, m)
			if err != nil {
				return err
			}
			removed += len(ids)
			erased = append(erased, ids...)
		}
		if trim != nil {
			ids, err := trimThread(tx, *trim)
			if err != nil {
				return err
			}
			removed += len(ids)
			erased = append(erased, ids...)
		}
		if through == cnt.purged && removed == 0 {
			return nil
		}
		cnt.purged = through
		cnt.last = floor
		if err := tx.Put(kCounters(conv), cnt.encode()); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: MessagesPurged, Conversation: conv, Actor: actor, At: now, Count: removed, MessageIDs: erased})
		return err
	})
	return removed, done, err
}

// countKeys counts the keys under prefix, up to limit.
func countKeys(tx store.Tx, prefix []byte, limit int) int {
	n := 0
	for range tx.Scan(store.Range{Start: prefix, End: store.PrefixEnd(prefix), Limit: limit}) {
		n++
	}
	return n
}

// trimThread erases the oldest purgeBatch replies of root's thread, too
// big to purge with its root in one batch, and keeps the root's reply
// count right. The root and the rest go in later batches. It returns the
// ids erased.
func trimThread(tx store.Tx, root Message) ([]string, error) {
	conv := root.Conversation
	p := kThread(conv, root.ID)
	var replies []Message
	for k, v := range tx.Scan(store.Range{Start: p, End: store.PrefixEnd(p), Limit: purgeBatch}) {
		r, err := decodeMessage(k, v)
		if err != nil {
			return nil, err
		}
		replies = append(replies, r)
	}
	var ids []string
	for _, r := range replies {
		if err := eraseMessage(tx, r); err != nil {
			return nil, err
		}
		if err := tx.Delete(withSeq(kThreadDels(conv, root.ID), r.ThreadSeq)); err != nil {
			return nil, err
		}
		if !r.Deleted {
			root.ReplyCount--
		}
		ids = append(ids, r.ID)
	}
	return ids, saveMsg(tx, &root)
}

// kept reports whether an expired timeline message survives Purge: a
// pinned one when the options say so, or a root whose thread had a reply
// within the period.
func kept(m Message, cutoff time.Time, o PurgeOptions) bool {
	return o.KeepPinned && m.Pinned || m.Root == "" && !m.LastReplyAt.IsZero() && !m.LastReplyAt.Before(cutoff)
}

// purgeMessage removes a timeline message and, for a root, its thread.
// It returns the ids of the messages erased.
func purgeMessage(tx store.Tx, m Message) ([]string, error) {
	var ids []string
	if m.Root != "" { // a reply also sent to the timeline: drop the timeline copy only
		if _, err := tx.Get(kID(m.ID)); isNotFound(err) {
			return nil, nil // erased with its root, earlier in this batch
		} else if err != nil {
			return nil, err
		}
		if err := tx.Delete(kMsg(m.Conversation, m.Seq)); err != nil {
			return nil, err
		}
		if err := tx.Delete(withSeq(kDels(m.Conversation), m.Seq)); err != nil {
			return nil, err
		}
		if err := deleteMentions(tx, m.Conversation, "", m.Seq, m.Mentions, m.MentionAll, m.Author); err != nil {
			return nil, err
		}
		m.Seq = 0
		m.AlsoInConversation = false
		return nil, saveMsg(tx, &m)
	}
	var replies []Message
	if m.LastReplySeq > 0 { // only a thread's root has replies to scan
		for k, v := range tx.Scan(store.Prefix(kThread(m.Conversation, m.ID))) {
			r, err := decodeMessage(k, v)
			if err != nil {
				return nil, err
			}
			replies = append(replies, r)
		}
	}
	for _, r := range append(replies, m) {
		if err := eraseMessage(tx, r); err != nil {
			return nil, err
		}
		ids = append(ids, r.ID)
	}
	if len(replies) > 0 {
		st, err := loadThreadState(tx, m.Conversation, m.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range st.Followers {
			if err := tx.Delete(kInboxEntry(f, st.Activity, m.Conversation, m.ID)); err != nil {
				return nil, err
			}
			if err := tx.Delete(kFollow(f, m.Conversation, m.ID)); err != nil {
				return nil, err
			}
		}
		if err := tx.Delete(kThreadState(m.Conversation, m.ID)); err != nil {
			return nil, err
		}
		for _, pre := range [][]byte{kThreadDels(m.Conversation, m.ID), kThreadMentionsAll(m.Conversation, m.ID)} {
			if err := deleteRange(tx, pre); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// eraseMessage deletes every key of one message (not its thread).
func eraseMessage(tx store.Tx, m Message) error {
	del := [][]byte{kID(m.ID), kPin(m.Conversation, m.ID)}
	if m.ClientID != "" {
		del = append(del, kClient(m.Conversation, m.Author, m.ClientID))
	}
	if m.Seq != 0 {
		del = append(del, kMsg(m.Conversation, m.Seq), withSeq(kDels(m.Conversation), m.Seq))
		if err := deleteMentions(tx, m.Conversation, "", m.Seq, m.Mentions, m.MentionAll, m.Author); err != nil {
			return err
		}
	}
	if m.Root != "" {
		del = append(del, kReply(m.Conversation, m.Root, m.ThreadSeq))
		if err := deleteMentions(tx, m.Conversation, m.Root, m.ThreadSeq, m.Mentions, m.MentionAll, m.Author); err != nil {
			return err
		}
	}
	for _, k := range del {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	if err := redact(tx, m); err != nil {
		return err
	}
	if m.Version > 1 {
		if err := deleteRange(tx, kVersions(m.ID)); err != nil {
			return err
		}
	}
	if len(m.Reactions) > 0 {
		if err := deleteRange(tx, kReactions(m.ID)); err != nil {
			return err
		}
	}
	return nil
}

func deleteRange(tx store.Tx, prefix []byte) error {
	var ks [][]byte
	for k := range tx.Scan(store.Prefix(prefix)) {
		ks = append(ks, slices.Clone(k))
	}
	for _, k := range ks {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// ExportRecord is one line of Export: a message with everything the
// enterprise keeps about it, including the text of deleted messages.
type ExportRecord struct {
	Message
	// Versions are the earlier texts of an edited message, oldest first.
	Versions []Version `json:"versions,omitempty"`
}

// Export writes every message of a conversation to w as JSON lines (one
// ExportRecord per line): each timeline message in order, each root
// followed by its thread's replies, with edit history, reactions and the
// content of deleted messages. A reply also sent to the conversation is
// written once, in its thread. Only compliance officers export: the
// enterprise, not the employee, owns the record.
//
// Export reads one consistent snapshot; writing to a slow w holds that
// snapshot open.
func (s *Service) Export(ctx context.Context, actor, conv string, w io.Writer) error {
	op := fmt.Sprintf("export conversation %q", conv)
	if err := s.officer(ctx, op, actor); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	err := s.st.View(ctx, func(tx store.Tx) error {
		if _, err := loadConv(tx, conv); err != nil {
			return err
		}
		write := func(m Message) error {
			vs, err := versions(tx, m.ID)
			if err != nil {
				return err
			}
			return enc.Encode(ExportRecord{Message: m, Versions: vs})
		}
		for k, v := range tx.Scan(store.Prefix(kTimeline(conv))) {
			m, err := decodeMessage(k, v)
			if err != nil {
				return err
			}
			if m.Root != "" {
				continue // written in its thread
			}
			if err := write(m); err != nil {
				return err
			}
			if m.LastReplySeq == 0 {
				continue
			}
			for rk, rv := range tx.Scan(store.Prefix(kThread(conv, m.ID))) {
				r, err := decodeMessage(rk, rv)
				if err != nil {
					return err
				}
				if err := write(r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("chat: %s: %w", op, err)
	}
	return nil
}

// redact rewrites every change record that carries content of message m
// (its creation, edits and reactions) to its redacted form, kept beside
// its position when it was appended (or, for the creation, made from m):
// the type, ids and times stay, so DecodeChange still reads it, with
// Redacted set. A record trimmed from the log is gone already.
func redact(tx store.Tx, m Message) error {
	p := kContentSeqs(m.ID)
	type rec struct {
		key, data []byte
		seq       uint64
	}
	var recs []rec
	for k, v := range tx.Scan(store.Prefix(p)) {
		seq, ok := decodeSeqPart(k[len(p):])
		if !ok {
			return fmt.Errorf("malformed key %q", k)
		}
		recs = append(recs, rec{slices.Clone(k), slices.Clone(v), seq})
	}
	var created []byte
	for _, r := range recs {
		data := r.data
		if len(data) == 0 {
			if created == nil {
				b, err := json.Marshal(Change{Type: MessageCreated, Conversation: m.Conversation, Actor: m.Author,
					At: m.CreatedAt, MessageID: m.ID, Root: m.Root, Redacted: true})
				if err != nil {
					return err
				}
				created = b
			}
			data = created
		}
		if err := tx.Rewrite(r.seq, data); err != nil && !isNotFound(err) {
			return fmt.Errorf("redact change %d of message %q: %w", r.seq, m.ID, err)
		}
		if err := tx.Delete(r.key); err != nil {
			return err
		}
	}
	return nil
}
