package task

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Key layout. Every key starts with the part "task". The record and its
// activity:
//
//	task/t/<id>                               record (JSON)
//	task/a/<id>/<seq>                         activity entry (JSON)
//
// Secondary keys, a pure function of the record (see entries), rewritten
// in the transaction that changes it. <role> is "a" (assignee), "c"
// (creator) or "f" (follower); <status> is the one-byte code of the status
// as that person sees it (an assignee who finished their part sees done):
//
//	task/r/<user>/<role>/<created>/<id>       value: status code + deadline
//	task/s/<user>/<role>/<status>/<created>/<id>
//	task/d/<user>/<role>/<deadline>/<id>      open tasks with a due; value: status code
//	task/w/s/<remind at>/<id>                 due-soon reminder not yet swept
//	task/w/o/<deadline>/<id>                  overdue reminder not yet swept
//	task/o/<source kind>/<source id>/<created>/<id>   tasks made from a source
//	task/k/<creator>/<client key>             value: the task id
//	task/p/<parent>/<created>/<id>            subtasks
//	task/g/<created>/<id>                     value: what a report needs (report.go)
//	task/v                                    value: the layout version
//
// So "assigned to me", "created by me in March", "my overdue tasks", "the
// tasks made from this message" and Sweep are each one range scan, and a
// repeated create with a client key is one read.

func recordKey(id string) []byte { return keys.New("task", "t", id) }

func activityPrefix(id string) []byte { return keys.New("task", "a", id) }

func activityKey(id string, seq uint64) []byte {
	return keys.AppendUint64(activityPrefix(id), seq)
}

// Role is how a user relates to a task, for queries and summaries.
type Role string

// The roles. A user may hold several on one task (a creator who assigns
// the task to themselves is both).
const (
	RoleAssignee Role = "assignee"
	RoleCreator  Role = "creator"
	RoleFollower Role = "follower"
)

func (r Role) code() string {
	switch r {
	case RoleAssignee:
		return "a"
	case RoleCreator:
		return "c"
	case RoleFollower:
		return "f"
	}
	return ""
}

func rolePrefix(user string, role Role) []byte {
	return keys.New("task", "r", user, role.code())
}

func statusPrefix(user string, role Role, st Status) []byte {
	return keys.New("task", "s", user, role.code(), string(st.code()))
}

func deadlinePrefix(user string, role Role) []byte {
	return keys.New("task", "d", user, role.code())
}

func sourcePrefix(src Source) []byte { return keys.New("task", "o", src.Kind, src.ID) }

func clientKey(creator, key string) []byte { return keys.New("task", "k", creator, key) }

var (
	soonPrefix = keys.New("task", "w", "s")
	latePrefix = keys.New("task", "w", "o")
)

// entry is one secondary key and its value.
type entry struct {
	key, val []byte
}

var empty = []byte{}

// roleValue is the value of a role key: the status code and the deadline
// (Unix nanoseconds, 0 for none), so that summaries need not read records.
func roleValue(st Status, deadline time.Time) []byte {
	v := make([]byte, 9)
	v[0] = st.code()
	if !deadline.IsZero() {
		binary.BigEndian.PutUint64(v[1:], uint64(deadline.UnixNano()))
	}
	return v
}

func decodeRoleValue(v []byte) (Status, int64) {
	if len(v) != 9 {
		return "", 0
	}
	return statusOfCode(v[0]), int64(binary.BigEndian.Uint64(v[1:]))
}

// seenBy returns the status of t as an assignee sees it: done once their
// part is done, whatever the others have done.
func seenBy(t *Task, i int) Status {
	if t.Status == StatusCancelled {
		return StatusCancelled
	}
	if t.Assignees[i].Done {
		return StatusDone
	}
	return t.Status
}

// entries returns every secondary key of r.
func (s *Service) entries(r *record) []entry {
	t := &r.Task
	deadline := t.Due.Deadline()
	out := make([]entry, 0, 3*(2+len(t.Assignees)+len(t.Followers))+2)
	add := func(user string, role Role, st Status) {
		k := keys.AppendTime(rolePrefix(user, role), t.Created)
		out = append(out, entry{keys.Append(k, t.ID), roleValue(st, deadline)})
		k = keys.AppendTime(statusPrefix(user, role, st), t.Created)
		out = append(out, entry{keys.Append(k, t.ID), empty})
		if st.Open() && !deadline.IsZero() {
			k = keys.AppendTime(deadlinePrefix(user, role), deadline)
			out = append(out, entry{keys.Append(k, t.ID), []byte{st.code()}})
		}
	}
	add(t.Creator, RoleCreator, t.Status)
	for i, a := range t.Assignees {
		add(a.User, RoleAssignee, seenBy(t, i))
	}
	for _, f := range t.Followers {
		add(f, RoleFollower, t.Status)
	}
	out = append(out, ownEntries(r)...)
	if t.Status.Open() && !deadline.IsZero() {
		if !r.SoonSent {
			k := keys.AppendTime(bytes.Clone(soonPrefix), s.remindAt(t.Due))
			out = append(out, entry{keys.Append(k, t.ID), empty})
		}
		if !r.LateSent {
			k := keys.AppendTime(bytes.Clone(latePrefix), deadline)
			out = append(out, entry{keys.Append(k, t.ID), empty})
		}
	}
	return out
}

// ownEntries returns the keys layout version 2 added, which migrate writes
// for records of version 1: those that find r by what it was made from
// (its source, its client key), by its parent, and its report entry.
func ownEntries(r *record) []entry {
	var out []entry
	if !r.Source.IsZero() {
		k := keys.AppendTime(sourcePrefix(r.Source), r.Created)
		out = append(out, entry{keys.Append(k, r.ID), empty})
	}
	if r.ClientKey != "" {
		out = append(out, entry{clientKey(r.Creator, r.ClientKey), []byte(r.ID)})
	}
	if r.Parent != "" {
		k := keys.AppendTime(subtaskPrefix(r.Parent), r.Created)
		out = append(out, entry{keys.Append(k, r.ID), empty})
	}
	out = append(out, entry{reportKey(r), reportValue(r)})
	return out
}

// remindAt returns when the due-soon reminder of d becomes pending.
func (s *Service) remindAt(d Due) time.Time {
	if d.Precision == PrecisionDay {
		y, m, day := d.Local().Date()
		return time.Date(y, m, day, 0, 0, 0, 0, d.Local().Location()).Add(s.opts.morningAt)
	}
	return d.Time.Add(-s.opts.leadTime)
}

// applyEntries deletes the keys of before that are not in after and puts
// the keys of after that are new or whose value changed.
func applyEntries(tx store.Tx, before, after []entry) error {
	old := make(map[string][]byte, len(before))
	for _, e := range before {
		old[string(e.key)] = e.val
	}
	for _, e := range after {
		v, ok := old[string(e.key)]
		delete(old, string(e.key))
		if ok && bytes.Equal(v, e.val) {
			continue
		}
		if err := tx.Put(e.key, e.val); err != nil {
			return err
		}
	}
	for k := range old {
		if err := tx.Delete([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}
