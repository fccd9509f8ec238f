package chat

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// MaxMentionFollowers bounds the followers that mentions make: a member
// mentioned by name in a reply follows the thread only while it has fewer
// followers than this. (Each reply moves every follower's inbox entry, so
// followers are the cost of a reply.) Replying and Follow are not bounded
// by it. A reply makes at most MaxMentions members follow.
const MaxMentionFollowers = 250

// threadState is the per-thread record beside the root: who follows the
// thread and the time its followers' inbox entries are filed under.
type threadState struct {
	Followers []string  `json:"followers,omitempty"` // sorted
	Activity  time.Time `json:"activity"`
}

// follow is a user's state in one thread.
type follow struct {
	Following bool   `json:"following"`
	ReadSeq   uint64 `json:",omitempty"` // replies read up to this ThreadSeq; the key is "ReadSeq", and records of older code ("readSeq") read the same
}

// ThreadSummary is a thread as a follower sees it in the inbox.
type ThreadSummary struct {
	Conversation string `json:"conversation"`
	// Root carries the reply count, last reply time and participants.
	Root Message `json:"root"`
	// Following reports whether the user follows the thread.
	Following bool `json:"following"`
	// UnreadReplies counts replies after the user's thread read cursor
	// that are not deleted; UnreadMentions those of them that mention the
	// user or @all.
	UnreadReplies  int `json:"unread_replies"`
	UnreadMentions int `json:"unread_mentions"`
	// Activity is the time of the newest reply (or when the thread was
	// followed, if it has none).
	Activity time.Time `json:"activity"`
}

func loadThreadState(tx store.Tx, conv, root string) (threadState, error) {
	var st threadState
	err := record.Get(tx, kThreadState(conv, root), &st)
	if isNotFound(err) {
		err = nil
	}
	return st, err
}

func loadFollow(tx store.Tx, user, conv, root string) (follow, bool, error) {
	var f follow
	err := record.Get(tx, kFollow(user, conv, root), &f)
	if isNotFound(err) {
		return f, false, nil
	}
	return f, err == nil, err
}

// setFollowing makes user follow (or stop following) the thread, keeping
// st.Followers and the user's inbox entry in step. st.Activity must be the
// thread's current activity time.
func setFollowing(tx store.Tx, st *threadState, conv, root, user string, f follow) error {
	i, found := slices.BinarySearch(st.Followers, user)
	switch {
	case f.Following && !found:
		st.Followers = slices.Insert(st.Followers, i, user)
		if err := tx.Put(kInboxEntry(user, st.Activity, conv, root), []byte{}); err != nil {
			return err
		}
	case !f.Following && found:
		st.Followers = slices.Delete(st.Followers, i, i+1)
		if err := tx.Delete(kInboxEntry(user, st.Activity, conv, root)); err != nil {
			return err
		}
	}
	return record.Put(tx, kFollow(user, conv, root), f)
}

// addReply updates the thread of root for the new reply m, in the same
// transaction: the root's summary, followers (the root's author on the
// first reply, the replier, members mentioned by name), the followers'
// inbox entries, the replier's read cursor and the thread's mention keys.
func (s *Service) addReply(tx store.Tx, root *Message, m *Message) error {
	conv := root.Conversation
	root.LastReplySeq = m.ThreadSeq
	root.ReplyCount++
	root.LastReplyAt = m.CreatedAt
	if !slices.Contains(root.Participants, m.Author) && len(root.Participants) < maxParticipants {
		root.Participants = append(root.Participants, m.Author)
	}
	if err := saveMsg(tx, root); err != nil {
		return err
	}
	st, err := loadThreadState(tx, conv, root.ID)
	if err != nil {
		return err
	}
	old := st.Activity
	at := m.CreatedAt
	if at.Before(old) {
		at = old
	}
	// Move every current follower's inbox entry to the new activity time.
	if !at.Equal(old) {
		for _, f := range st.Followers {
			if err := tx.Delete(kInboxEntry(f, old, conv, root.ID)); err != nil {
				return err
			}
			if err := tx.Put(kInboxEntry(f, at, conv, root.ID), []byte{}); err != nil {
				return err
			}
		}
	}
	st.Activity = at
	// The replier follows and has read the thread up to the reply.
	if err := setFollowing(tx, &st, conv, root.ID, m.Author, follow{Following: true, ReadSeq: m.ThreadSeq}); err != nil {
		return err
	}
	// The root's author follows a thread they started, unless they
	// unfollowed it.
	if root.Author != m.Author {
		if _, ok, err := loadFollow(tx, root.Author, conv, root.ID); err != nil {
			return err
		} else if !ok {
			if err := setFollowing(tx, &st, conv, root.ID, root.Author, follow{Following: true}); err != nil {
				return err
			}
		}
	}
	// Members mentioned by name follow from this reply on, while the
	// thread has room: every follower's inbox entry moves on each reply.
	for _, u := range m.Mentions {
		if len(st.Followers) >= MaxMentionFollowers {
			break
		}
		if u == m.Author {
			continue
		}
		if _, err := tx.Get(kMember(conv, u)); isNotFound(err) {
			continue
		} else if err != nil {
			return err
		}
		f, _, err := loadFollow(tx, u, conv, root.ID)
		if err != nil {
			return err
		}
		if f.Following {
			continue
		}
		f.Following = true
		f.ReadSeq = max(f.ReadSeq, m.ThreadSeq-1)
		if err := setFollowing(tx, &st, conv, root.ID, u, f); err != nil {
			return err
		}
	}
	if err := record.Put(tx, kThreadState(conv, root.ID), st); err != nil {
		return err
	}
	return putMentions(tx, conv, root.ID, m.ThreadSeq, m.Mentions, m.MentionAll, m.Author)
}

// loadRoot returns the root of the thread id belongs to (id itself when it
// is a root) after checking actor may read its conversation.
func loadRoot(tx store.Tx, id, actor string) (Message, error) {
	m, _, err := loadMsg(tx, id)
	if err != nil {
		return m, err
	}
	if err := canRead(tx, m.Conversation, actor); err != nil {
		return m, err
	}
	if m.Root != "" {
		m, _, err = loadMsg(tx, m.Root)
	}
	return m, err
}

// Follow makes actor follow the thread of message id (a root or a reply).
// Replies before now count as read. Following twice fails with ErrConflict.
func (s *Service) Follow(ctx context.Context, actor, id string) error {
	return s.follow(ctx, actor, id, true)
}

// Unfollow stops actor following the thread of message id: it leaves the
// inbox and its replies no longer count for actor. Replying or being
// mentioned by name in a reply follows it again.
func (s *Service) Unfollow(ctx context.Context, actor, id string) error {
	return s.follow(ctx, actor, id, false)
}

func (s *Service) follow(ctx context.Context, actor, id string, on bool) error {
	op := fmt.Sprintf("follow thread of %q", id)
	if !on {
		op = fmt.Sprintf("unfollow thread of %q", id)
	}
	return s.mutate(ctx, op, actor, func(tx store.Tx, now time.Time) error {
		root, err := loadRoot(tx, id, actor)
		if err != nil {
			return err
		}
		if _, err := loadMember(tx, root.Conversation, actor); err != nil {
			return err
		}
		f, _, err := loadFollow(tx, actor, root.Conversation, root.ID)
		if err != nil {
			return err
		}
		if f.Following == on {
			return fmt.Errorf("following is already %v: %w", on, ErrConflict)
		}
		st, err := loadThreadState(tx, root.Conversation, root.ID)
		if err != nil {
			return err
		}
		if st.Activity.IsZero() {
			st.Activity = root.CreatedAt
		}
		f.Following = on
		typ := ThreadUnfollowed
		if on {
			typ = ThreadFollowed
			f.ReadSeq = max(f.ReadSeq, root.LastReplySeq)
		}
		if err := setFollowing(tx, &st, root.Conversation, root.ID, actor, f); err != nil {
			return err
		}
		if err := record.Put(tx, kThreadState(root.Conversation, root.ID), st); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: typ, Conversation: root.Conversation, Actor: actor, At: now,
			User: actor, Root: root.ID})
		return err
	})
}

// Replies returns a page of the replies in the thread of message id (a
// root or a reply), oldest first unless q.Order says otherwise. Anchors
// in q are reply ids; Next continues in the page's order.
func (s *Service) Replies(ctx context.Context, actor, id string, q Query) (store.Page[Message], error) {
	if q.Order == "" {
		q.Order = OldestFirst
	}
	var p store.Page[Message]
	err := s.view(ctx, fmt.Sprintf("list replies to %q", id), actor, func(tx store.Tx) error {
		root, err := loadRoot(tx, id, actor)
		if err != nil {
			return err
		}
		var f follow
		if q.AroundFirstUnread {
			if f, _, err = loadFollow(tx, actor, root.Conversation, root.ID); err != nil {
				return err
			}
		}
		l := line{prefix: kThread(root.Conversation, root.ID), anchor: func(m Message) (uint64, bool) {
			return m.ThreadSeq, m.Root == root.ID
		}, read: f.ReadSeq}
		p, err = l.page(tx, q)
		return err
	})
	return p, err
}

// Thread returns the summary of the thread of message id for actor.
func (s *Service) Thread(ctx context.Context, actor, id string) (ThreadSummary, error) {
	var ts ThreadSummary
	err := s.view(ctx, fmt.Sprintf("get thread of %q", id), actor, func(tx store.Tx) error {
		root, err := loadRoot(tx, id, actor)
		if err != nil {
			return err
		}
		st, err := loadThreadState(tx, root.Conversation, root.ID)
		if err != nil {
			return err
		}
		ts, err = summarize(tx, actor, root, st.Activity)
		return err
	})
	if err != nil {
		return ThreadSummary{}, err
	}
	return ts, nil
}

// summarize computes actor's view of a thread from counters: the root's
// newest reply position, the actor's read cursor, and range counts of
// tombstones and mentions after it.
func summarize(tx store.Tx, actor string, root Message, activity time.Time) (ThreadSummary, error) {
	conv := root.Conversation
	f, _, err := loadFollow(tx, actor, conv, root.ID)
	if err != nil {
		return ThreadSummary{}, err
	}
	ts := ThreadSummary{Conversation: conv, Root: root.visible(), Following: f.Following, Activity: activity}
	if root.LastReplySeq > f.ReadSeq {
		dels := countAfter(tx, kThreadDels(conv, root.ID), f.ReadSeq)
		ts.UnreadReplies = int(root.LastReplySeq-f.ReadSeq) - dels
		ts.UnreadMentions = countAfter(tx, kThreadMentions(conv, root.ID, actor), f.ReadSeq) +
			countAfter(tx, kThreadMentionsAll(conv, root.ID), f.ReadSeq)
	}
	return ts, nil
}

// MarkThreadRead moves actor's read cursor in the thread of message id to
// the reply upTo (empty: the newest reply). Moving it back marks replies
// unread again.
func (s *Service) MarkThreadRead(ctx context.Context, actor, id, upTo string) error {
	return s.mutate(ctx, fmt.Sprintf("mark thread of %q read", id), actor, func(tx store.Tx, now time.Time) error {
		root, err := loadRoot(tx, id, actor)
		if err != nil {
			return err
		}
		if _, err := loadMember(tx, root.Conversation, actor); err != nil {
			return err
		}
		seq := root.LastReplySeq
		if upTo != "" {
			r, _, err := loadMsg(tx, upTo)
			if err != nil {
				return fmt.Errorf("reply %q: %w", upTo, err)
			}
			if r.Root != root.ID {
				return fmt.Errorf("message %q is not a reply in this thread: %w", upTo, ErrInvalid)
			}
			seq = r.ThreadSeq
		}
		f, _, err := loadFollow(tx, actor, root.Conversation, root.ID)
		if err != nil {
			return err
		}
		prev := f.ReadSeq
		f.ReadSeq = seq
		if err := record.Put(tx, kFollow(actor, root.Conversation, root.ID), f); err != nil {
			return err
		}
		_, err = appendChange(tx, Change{Type: ThreadRead, Conversation: root.Conversation, Actor: actor, At: now,
			User: actor, Root: root.ID, ReadSeq: seq, PrevReadSeq: prev})
		return err
	})
}

// Inbox returns a page of the threads actor follows, newest activity
// first, with unread replies and mentions. Threads of conversations actor
// has left are left out.
func (s *Service) Inbox(ctx context.Context, actor string, o ListOptions) (store.Page[ThreadSummary], error) {
	var p store.Page[ThreadSummary]
	err := s.view(ctx, "list thread inbox", actor, func(tx store.Tx) error {
		var err error
		p, err = listPage(tx, kInbox(actor), o, true, func(k, _ []byte) (ThreadSummary, bool, error) {
			conv, root, at, err := parseInboxKey(k)
			if err != nil {
				return ThreadSummary{}, false, err
			}
			if _, err := tx.Get(kMember(conv, actor)); isNotFound(err) {
				return ThreadSummary{}, false, nil // left the conversation: its threads are out of reach
			} else if err != nil {
				return ThreadSummary{}, false, err
			}
			m, _, err := loadMsg(tx, root)
			if err != nil {
				return ThreadSummary{}, false, err
			}
			ts, err := summarize(tx, actor, m, at)
			return ts, err == nil, err
		})
		return err
	})
	return p, err
}
