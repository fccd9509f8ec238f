package chat

import (
	"encoding/binary"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Key layout. Every key starts with "chat"; key order is query order.
//
//	chat/conv/<conv>                          Conversation (JSON)
//	chat/cnt/<conv>                           counters (binary): seq floor, purged-through seq
//	chat/direct/<userA>/<userB>               id of the direct conversation (A < B)
//	chat/mem/<conv>/<user>                    Member (JSON)
//	chat/read/<conv>/<user>                   the member's read cursor (binary seq)
//	chat/joined/<conv>/<user>                 timeline position when a member was added or joined (binary seq)
//	chat/uconv/<user>/<conv>                  the user's conversations
//	chat/public/<conv>                        directory of public channels
//	chat/msg/<conv>/<seq>                     message in the conversation's timeline
//	chat/thr/<conv>/<root>/<tseq>             reply in a thread
//	chat/tstate/<conv>/<root>                 thread counters and followers (JSON)
//	chat/id/<msg>                             key of the message's record
//	chat/client/<conv>/<author>/<clientID>    id of the message a client id made
//	chat/ver/<msg>/<n>                        previous versions of an edited message
//	chat/del/<conv>/<seq>                     tombstones in the timeline (for unread counts)
//	chat/tdel/<conv>/<root>/<tseq>            tombstones in a thread
//	chat/men/<conv>/<user>/<seq>              @user mentions in the timeline
//	chat/menall/<conv>/<seq>                  @all mentions in the timeline
//	chat/tmen/<conv>/<root>/<user>/<tseq>     @user mentions in a thread
//	chat/tmenall/<conv>/<root>/<tseq>         @all mentions in a thread
//	chat/pin/<conv>/<msg>                     pinned messages (value: record key)
//	chat/follow/<user>/<conv>/<root>          Follow (JSON): thread read cursor
//	chat/inbox/<user>/<time>/<conv>/<root>    followed threads by last activity
//	chat/ret/<conv>                           conversations with a retention period
//	chat/kept/<conv>/<seq>                    expired messages Purge kept (pinned, live thread)
//	chat/cseq/<msg>/<seq>                     log records that carry the message's content
//	chat/convkey/<actor>/<key>                id of the conversation a client key made
//	chat/react/<msg>/<emoji>/<user>           a user's reaction
//
// Sequence numbers (<seq>, <tseq>) are fixed-width big-endian, so a range
// scan over them is a scan in posting order.

func kConv(conv string) []byte           { return keys.New("chat", "conv", conv) }
func kCounters(conv string) []byte       { return keys.New("chat", "cnt", conv) }
func kDirect(a, b string) []byte         { return keys.New("chat", "direct", a, b) }
func kMember(conv, user string) []byte   { return keys.New("chat", "mem", conv, user) }
func kMembers(conv string) []byte        { return keys.New("chat", "mem", conv) }
func kRead(conv, user string) []byte     { return keys.New("chat", "read", conv, user) }
func kJoined(conv, user string) []byte   { return keys.New("chat", "joined", conv, user) }
func kJoineds(conv string) []byte        { return keys.New("chat", "joined", conv) }
func kReads(conv string) []byte          { return keys.New("chat", "read", conv) }
func kUserConv(user, conv string) []byte { return keys.New("chat", "uconv", user, conv) }
func kUserConvs(user string) []byte      { return keys.New("chat", "uconv", user) }
func kPublic(conv string) []byte         { return keys.New("chat", "public", conv) }
func kPublics() []byte                   { return keys.New("chat", "public") }
func kTimeline(conv string) []byte       { return keys.New("chat", "msg", conv) }
func kMsg(conv string, seq uint64) []byte {
	return keys.AppendUint64(kTimeline(conv), seq)
}
func kThread(conv, root string) []byte { return keys.New("chat", "thr", conv, root) }
func kReply(conv, root string, tseq uint64) []byte {
	return keys.AppendUint64(kThread(conv, root), tseq)
}
func kThreadState(conv, root string) []byte { return keys.New("chat", "tstate", conv, root) }
func kID(msg string) []byte                 { return keys.New("chat", "id", msg) }
func kClient(conv, author, client string) []byte {
	return keys.New("chat", "client", conv, author, client)
}
func kVersions(msg string) []byte          { return keys.New("chat", "ver", msg) }
func kVersion(msg string, n uint64) []byte { return keys.AppendUint64(kVersions(msg), n) }
func kDels(conv string) []byte             { return keys.New("chat", "del", conv) }
func kThreadDels(conv, root string) []byte { return keys.New("chat", "tdel", conv, root) }
func kMentions(conv, user string) []byte   { return keys.New("chat", "men", conv, user) }
func kMentionsAll(conv string) []byte      { return keys.New("chat", "menall", conv) }
func kThreadMentions(conv, root, user string) []byte {
	return keys.New("chat", "tmen", conv, root, user)
}
func kThreadMentionsAll(conv, root string) []byte { return keys.New("chat", "tmenall", conv, root) }
func kPins(conv string) []byte                    { return keys.New("chat", "pin", conv) }
func kPin(conv, msg string) []byte                { return keys.New("chat", "pin", conv, msg) }
func kFollow(user, conv, root string) []byte      { return keys.New("chat", "follow", user, conv, root) }
func kInbox(user string) []byte                   { return keys.New("chat", "inbox", user) }
func kInboxEntry(user string, at time.Time, conv, root string) []byte {
	k := keys.AppendTime(kInbox(user), at)
	k = keys.Append(k, conv)
	return keys.Append(k, root)
}
func kRetention(conv string) []byte  { return keys.New("chat", "ret", conv) }
func kRetentions() []byte            { return keys.New("chat", "ret") }
func kKept(conv string) []byte       { return keys.New("chat", "kept", conv) }
func kContentSeqs(msg string) []byte { return keys.New("chat", "cseq", msg) }
func kConvKey(actor, key string) []byte {
	return keys.New("chat", "convkey", actor, key)
}
func kReactions(msg string) []byte            { return keys.New("chat", "react", msg) }
func kReactors(msg, emoji string) []byte      { return keys.New("chat", "react", msg, emoji) }
func kReactor(msg, emoji, user string) []byte { return keys.New("chat", "react", msg, emoji, user) }

// withSeq returns prefix extended by seq as a fixed-width part.
func withSeq(prefix []byte, seq uint64) []byte {
	return keys.AppendUint64(append([]byte(nil), prefix...), seq)
}

func encodeSeq(v uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), v)
}

func decodeSeq(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// counters is the per-conversation record read by every post and every
// unread count: kept binary and tiny. It is written only when a
// conversation is created and by Purge, not by posts: the newest timeline
// position is the last key of the timeline (see lastSeq), one fewer write
// per message.
type counters struct {
	last   uint64 // floor of the newest position, in case Purge empties the timeline
	purged uint64 // timeline seqs <= purged were considered by Purge
}

// lastSeq returns the newest position handed out in conv's timeline.
func lastSeq(tx store.Tx, conv string, cnt counters) uint64 {
	p := kTimeline(conv)
	return lastSeqIn(tx, p, store.PrefixEnd(p), cnt)
}

// lastSeqIn is lastSeq given the timeline's prefix and its end.
func lastSeqIn(tx store.Tx, timeline, end []byte, cnt counters) uint64 {
	for k := range tx.Scan(store.Range{Start: timeline, End: end, Reverse: true, Limit: 1}) {
		if s, ok := decodeSeqPart(k[len(timeline):]); ok && s > cnt.last {
			return s
		}
	}
	return cnt.last
}

// decodeSeqPart decodes one keys.AppendUint64 part (escaped bytes and
// terminator) without allocating.
func decodeSeqPart(b []byte) (uint64, bool) {
	var v uint64
	n := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 0 {
			if i+1 >= len(b) {
				return 0, false
			}
			i++
			switch b[i] {
			case 0xff: // an escaped zero byte
			case 1:
				return v, n == 8 && i == len(b)-1
			default:
				return 0, false
			}
		}
		v = v<<8 | uint64(c)
		n++
	}
	return 0, false
}

func (c counters) encode() []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, c.last)
	binary.BigEndian.PutUint64(b[8:], c.purged)
	return b
}

func decodeCounters(b []byte) counters {
	if len(b) < 16 {
		return counters{}
	}
	return counters{last: binary.BigEndian.Uint64(b), purged: binary.BigEndian.Uint64(b[8:])}
}
