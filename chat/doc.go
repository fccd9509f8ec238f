// Package chat is the chat of workspace: direct conversations, groups and
// channels with members and roles; messages with mentions, edits,
// tombstone deletes, reactions, pins and priority; Slack-style threads
// with followers and a thread inbox; read cursors with unread counts;
// cursor-paged history; live events; and the governance an enterprise
// needs (retention, legal hold, export).
//
// Everything goes through one [Service], built with [New] over a
// [store.Store] and configured with [Option]s ([WithClock], [WithIDs],
// [WithCompliance], [WithBackoff]). Every method takes the acting user and
// checks what that user may do. The application's own machinery (a search
// indexer, a mapper of change records) reads without an actor through
// [Service.System], whose type says that it is trusted.
//
// # Conversations and roles
//
// [Service.OpenDirect] finds or creates the conversation of two people.
// [Service.CreateGroup] and [Service.CreateChannel] make the creator the
// owner; a ClientKey makes them safe to retry (the same actor and key get
// the first conversation back, and nothing is written). Owners change roles; owners and admins change a channel's topic
// and announcement and remove members (only owners remove admins); any
// member adds people to a group or public channel, only admins to a
// private one; anyone joins a public channel. When the last owner leaves,
// the senior admin (or member) becomes owner.
//
// # Messages
//
// [Service.Post] validates text (not empty or blank, valid UTF-8, at most
// [MaxTextLength] characters), parses mentions with [ParseMentions] (the
// first [MaxMentions] users count) and
// gives the message the next position (Seq) of the conversation's
// timeline. A [Draft.ClientID] makes a send idempotent: a retry returns
// the original message and writes nothing. Edits keep earlier versions
// ([Service.Versions]); deletes leave a tombstone that readers see as
// deleted and counts leave out, while [Service.Export] still shows it.
//
// # Threads
//
// A reply names the message it answers in [Draft.ReplyTo]. Threads are one
// level deep, as in Slack and Mattermost: a reply to a reply joins the
// thread of the replied-to message's root. In the same transaction as the
// reply, the root's reply count, last reply time and participants change,
// the replier, the root's author (unless they unfollowed) and members
// mentioned by name follow the thread, and the followers' inbox entries
// move to the top. [Draft.AlsoToConversation] puts the reply in the
// timeline too. [Service.Inbox] lists followed threads, newest activity
// first, with unread replies and mentions; an @all in a reply counts as a
// mention for followers but makes no one follow.
//
// # Read state
//
// Each member has a read cursor per conversation and per thread: a
// position, not a list of read messages. Posting moves the author's
// cursor to the new message. [Service.Unread] is arithmetic on counters:
// newest position minus cursor, minus the tombstones after the cursor,
// plus range counts of mention keys after it. Its cost does not grow with
// the history (only with deletes and mentions after the cursor).
// [Service.UnreadCounts] gives the same for every conversation of a user,
// as a sidebar shows them. A read change reaches the reader's other
// devices through Subscribe; other members learn of it only as read
// receipts of their own messages.
//
// # Read receipts
//
// [Service.Receipts] gives the author of a message who has read it and
// who has not, sorted, with counts: the "已读 3 · 未读 5" of DingTalk,
// Feishu and WeCom, from the read cursors, not from a list of readers per
// message. As in DingTalk, the counted users are the members at send time
// who are still members: someone who left is in neither list, and so is
// someone who joined later (the position at which a member joined is kept
// for that). A reply that stays in its thread counts the thread's
// followers, by their thread cursors; a reply also sent to the
// conversation counts the members, read in the timeline or the thread.
// Only the author (and compliance officers) may ask; other members see
// neither lists nor counts, as in Feishu and DingTalk; receipts of a
// recalled (deleted) message are hidden from its author. A receipt costs
// one range scan over the conversation's read cursors: O(members), not
// O(history).
//
// Subscribe tells an author when receipts of messages they posted while
// subscribed may have changed (a [ReceiptsChanged] change, derived from
// the log records the subscription reads anyway: reading writes nothing
// more, and a read that passes 500 messages of 40 authors costs each
// subscription one map lookup and a short scan of its own messages). For
// older messages, an application calls Receipts when it shows them.
//
// # History
//
// Every listing returns a [store.Page]: the items and an opaque Next
// cursor, passed back in [ListOptions] (or [Query]) for the following
// page; at most [MaxLimit] items a page. [Service.History] and
// [Service.Replies] page by message id: before, after, around a message or
// around the first unread, newest or oldest first, and Next continues in
// the page's order. Pages are single range scans.
//
// # Live events
//
// Every mutation appends a [Change] to the store's change log in its own
// transaction; [DecodeChange] reads it back. [Service.Subscribe] follows
// the log with [store.Backoff.Follow], so it sees writes from every
// Service over the same store, including other processes' on a shared
// database, and rides out a database restart: a transient error is
// retried from the last change delivered. A [Subscription] that ends
// (its context done, the store closed, a permanent error) closes its
// channel, and [Subscription.Err] says why. A
// subscription reads the user's conversations once and then tracks
// membership from the member changes in the log, so filtering costs no
// store read per change.
//
// # Governance
//
// Compliance officers, named by [WithCompliance], set a retention period
// per conversation, which [Service.Purge] enforces (optionally keeping
// pinned messages, and roots of threads with recent replies; kept
// messages are looked at again by later runs), put conversations under
// legal hold, which blocks
// delete and purge, and [Service.Export] a conversation as JSON lines with
// edit history, reactions and deleted content.
//
// # Errors
//
// Errors wrap the package's sentinels: the generic [ErrNotFound],
// [ErrInvalid], [ErrTooLarge], [ErrPermission] and [ErrConflict], which
// wrap the store's of the same name, and the specific [ErrNotMember],
// [ErrLegalHold], [ErrDeleted] and [ErrBadText], which wrap a generic one.
// [store.Code] gives each a stable code. What the actor may not see is not
// found: a private conversation (or a message in one) that the actor is
// not a member of answers ErrNotFound everywhere, never ErrNotMember,
// which is for a public channel the actor may read but has not joined. A
// call that fails writes nothing.
//
// # Wire format and stored records
//
// Every type the Service returns has snake_case JSON tags (enums encode as
// strings, times as RFC 3339 with their offset), and a [Change] is the
// wire form of a live event. Stored records are the same JSON, except the
// per-thread follow records, which are the package's own. Stores written
// by versions before the switch hold camelCase records; they are read as
// they are, with no migration, and rewritten in snake_case when they next
// change.
//
// # Limits
//
// Every size a caller controls is bounded and refused before anything is
// written: text ([MaxTextLength], [ErrTooLarge]), names and topics
// ([MaxNameLength], [MaxTopicLength]), members of a new conversation
// ([MaxMembers]), distinct emoji on a message ([MaxReactions]; a message
// carries the first [MaxReactionUsers] reactors of each, and
// [Service.Reactors] lists them all), mentions ([MaxMentions]), page
// sizes ([MaxLimit]), retention ([MaxRetentionDays]) and times: a clock
// reading outside years [MinYear]–[MaxYear] is refused with [ErrInvalid].
// At these limits no call holds the store's commit path for more than a
// few tens of milliseconds (BenchmarkCommitHold).
//
// # Concurrency
//
// A Service is safe for concurrent use. Each mutation is one store
// transaction, so concurrent posts to one conversation get distinct,
// gap-free positions. Subscribe starts one goroutine per subscription,
// which ends when its context ends, the store closes or a permanent
// error stops it.
//
// # Caveats
//
// Purge keeps a root while its thread has recent replies, and kept (pinned
// or active) messages older than a purge no longer count as unread. Purge
// redacts the change records it knows of: those written by this version
// on (each message keeps the positions of the records that carry its
// content); records written by earlier versions keep their text until
// the log is trimmed below them.
// Marking read is by position: a message posted concurrently just before
// your own is marked read by your post, as in Slack. Mentions end at
// space or punctuation, so "@小王明天" mentions "小王明天". Following a
// thread is O(followers) per reply (their inbox entries move): mentions
// add at most [MaxMentions] followers a reply and none past
// [MaxMentionFollowers], but repliers and explicit follows are bounded
// only by the members. An unread count costs a range count of the
// tombstones after the cursor: small in practice, not bounded. Join positions are recorded
// from the version that added read receipts on: a member added earlier
// counts as a member since the conversation began, so receipts of
// messages older than their joining may list them as readers. A receipt
// of a thread reply counts followers, so a member who read the thread
// without following it is in neither list. A receipt costs O(members):
// 1,000 members take tens of microseconds.
package chat
