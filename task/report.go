package task

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/store"
)

// Org tells the Service who reports to whom, for the team report. The
// application (the root package wires its directory) implements it; it
// must be safe for concurrent use, and is called once per team report,
// outside any transaction.
type Org interface {
	// Reports returns the users in the departments manager heads and in
	// their sub-departments, the manager excluded; none for a user who
	// heads none.
	Reports(ctx context.Context, manager string) ([]string, error)
}

// MaxTeam is the most people a team report covers; a manager whose Org
// reports more is refused with ErrTooLarge.
const MaxTeam = 10_000

// Scope says whose tasks a report covers.
type Scope string

const (
	// ScopeCreated: the tasks the actor handed out (created).
	ScopeCreated Scope = "created"
	// ScopeTeam: the tasks assigned to the actor or to anyone who reports
	// to them (Org.Reports: their departments and sub-departments). Needs
	// WithOrg.
	ScopeTeam Scope = "team"
	// ScopeAll: every task of the tenant. Only for the admins WithAdmins
	// names.
	ScopeAll Scope = "all"
)

// Bucket is where a task stands in a report.
type Bucket string

const (
	BucketAll        Bucket = "all"          // every task handed out in the period
	BucketDoneOnTime Bucket = "done_on_time" // done by its deadline, or done with none
	BucketDoneLate   Bucket = "done_late"    // done after its deadline
	BucketOpen       Bucket = "open"         // todo or in progress
	BucketOverdue    Bucket = "overdue"      // open, deadline passed (also open)
	BucketCancelled  Bucket = "cancelled"
)

// ReportQuery asks for a report.
type ReportQuery struct {
	// Scope is required: ScopeCreated, ScopeTeam or ScopeAll.
	Scope Scope `json:"scope"`
	// Period keeps the tasks handed out (created) within it; zero means
	// all time.
	Period Period `json:"period,omitzero"`
	// Assignee keeps the tasks assigned to this user, judged by their own
	// part; empty means every task in scope.
	Assignee string `json:"assignee,omitempty"`
	// List names the bucket whose tasks Report.Tasks pages through, newest
	// first; empty lists none.
	List Bucket `json:"list,omitempty"`
	// Limit is the page size of Tasks: 50 when zero or less, at most 500.
	Limit int `json:"limit,omitempty"`
	// Cursor continues Tasks (the Next of the previous report with the
	// same query).
	Cursor string `json:"cursor,omitempty"`
}

// Counts counts tasks by bucket. Open includes Overdue; HandedOut is the
// sum of DoneOnTime, DoneLate, Open and Cancelled. Nudges is the nudges
// sent on them.
type Counts struct {
	HandedOut  int `json:"handed_out"`
	DoneOnTime int `json:"done_on_time"`
	DoneLate   int `json:"done_late"`
	Open       int `json:"open"`
	Overdue    int `json:"overdue"`
	Cancelled  int `json:"cancelled"`
	Nudges     int `json:"nudges"`
}

// AssigneeCounts are one assignee's counts in a report, each task judged
// by their own part: done when they completed it (or when the task was
// closed as done), late when that was after the deadline. Nudges counts
// the nudges sent to them.
type AssigneeCounts struct {
	User   string `json:"user"`
	Counts Counts `json:"counts"`
}

// Report is the team's report: what was handed out in the period, what is
// done on time, done late, open, overdue and cancelled, by assignee, with
// the nudges sent, and a page of the tasks of one bucket.
type Report struct {
	Counts Counts `json:"counts"`
	// ByAssignee has a row per assignee of the tasks in scope (only the
	// team's members for ScopeTeam), by user id.
	ByAssignee []AssigneeCounts `json:"by_assignee,omitempty"`
	// Tasks is a page of the tasks of ReportQuery.List, newest first.
	Tasks store.Page[Task] `json:"tasks"`
}

// Report answers q for the actor: the tasks they handed out
// (ScopeCreated), their team's (ScopeTeam) or the tenant's (ScopeAll).
// Overdue is judged by the Service's clock. A manager sees in the report
// the tasks of the people who report to them, as DingTalk and 班聊 show a
// manager the work handed out in their department.
//
// Report reads one small index entry per task in scope (written in each
// task's transaction), in one read transaction, and the records of the
// page of Tasks only; BenchmarkServiceQueries (report-*) measures it.
func (s *Service) Report(ctx context.Context, actor string, q ReportQuery) (Report, error) {
	if err := s.checkActor(ctx, actor); err != nil {
		return Report{}, err
	}
	if err := checkPeriod(q.Period); err != nil {
		return Report{}, err
	}
	if !q.Period.From.IsZero() && !q.Period.To.IsZero() && q.Period.To.Before(q.Period.From) {
		return Report{}, fmt.Errorf("task: report: period ends before it starts: %w", ErrInvalid)
	}
	if q.Assignee != "" {
		if err := checkUser("assignee", q.Assignee); err != nil {
			return Report{}, err
		}
	}
	switch q.List {
	case "", BucketAll, BucketDoneOnTime, BucketDoneLate, BucketOpen, BucketOverdue, BucketCancelled:
	default:
		return Report{}, fmt.Errorf("task: report: bucket %q: %w", clip(string(q.List)), ErrInvalid)
	}
	var cursor []byte
	if q.Cursor != "" {
		c, err := decodeCursor("report", q.Cursor, []byte{}, []byte{0xff})
		if err != nil {
			return Report{}, err
		}
		cursor = c
	}
	a := aggregator{
		now: clampTime(s.now()).UnixNano(), only: q.Assignee, list: q.List,
		limit: pageSize(q.Limit, 50, 500), cursor: cursor, rows: map[string]*Counts{},
	}
	var team []string
	switch q.Scope {
	case ScopeCreated:
	case ScopeTeam:
		if s.opts.org == nil {
			return Report{}, fmt.Errorf("task: team report: no Org (WithOrg): %w", ErrInvalid)
		}
		reports, err := s.opts.org.Reports(ctx, actor)
		if err != nil {
			return Report{}, fmt.Errorf("task: team report for %s: %w", actor, err)
		}
		if len(reports) >= MaxTeam {
			return Report{}, fmt.Errorf("task: team report for %s: %d people, over %d: %w", actor, len(reports)+1, MaxTeam, ErrTooLarge)
		}
		team = append(slices.Clone(reports), actor)
		slices.Sort(team)
		team = slices.Compact(team)
		a.members = make(map[string]bool, len(team))
		for _, u := range team {
			a.members[u] = true
		}
	case ScopeAll:
		if !s.opts.admins[actor] {
			return Report{}, fmt.Errorf("task: %s may not see the tenant's report: not an admin: %w", actor, ErrPermission)
		}
	default:
		return Report{}, fmt.Errorf("task: report: scope %q: %w", clip(string(q.Scope)), ErrInvalid)
	}
	var out Report
	err := s.st.View(ctx, func(tx store.Tx) error {
		a.reset()
		var err error
		switch q.Scope {
		case ScopeCreated:
			err = a.fromRole(tx, rolePrefix(actor, RoleCreator), q.Period, nil)
		case ScopeTeam:
			seen := map[string]bool{}
			a.unordered = true
			for _, u := range team {
				if err = a.fromRole(tx, rolePrefix(u, RoleAssignee), q.Period, seen); err != nil {
					break
				}
			}
		case ScopeAll:
			lo, hi := bounds(reportPrefix, q.Period)
			for k, v := range tx.Scan(store.Range{Start: lo, End: hi}) {
				if err = a.add(k[len(reportPrefix):], v); err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
		out = Report{Counts: a.total}
		for u, c := range a.rows {
			if a.members == nil || a.members[u] {
				out.ByAssignee = append(out.ByAssignee, AssigneeCounts{User: u, Counts: *c})
			}
		}
		slices.SortFunc(out.ByAssignee, func(x, y AssigneeCounts) int {
			switch {
			case x.User < y.User:
				return -1
			case x.User > y.User:
				return 1
			}
			return 0
		})
		out.Tasks, err = a.page(tx)
		return err
	})
	if err != nil {
		return Report{}, err
	}
	return out, nil
}

// The report index, one key per task, written in the task's transaction:
//
//	task/g/<created>/<id>   value: reportValue
var reportPrefix = keys.New("task", "g")

func reportKey(r *record) []byte {
	return keys.Append(keys.AppendTime(bytes.Clone(reportPrefix), r.Created), r.ID)
}

// reportValue is what a report needs of a task, so that it reads no
// record: the status code; the deadline, the closing time, each as varint
// Unix nanoseconds (0 for none); the nudges; the creator; then per
// assignee the user, the time their part was done (0 while not) and their
// nudges.
func reportValue(r *record) []byte {
	b := make([]byte, 0, 32+len(r.Creator)+len(r.Assignees)*16)
	b = append(b, r.Status.code())
	b = binary.AppendVarint(b, unixNano(r.Due.Deadline()))
	b = binary.AppendVarint(b, unixNano(r.Closed))
	b = binary.AppendUvarint(b, uint64(r.Nudges))
	b = putString(b, r.Creator)
	b = binary.AppendUvarint(b, uint64(len(r.Assignees)))
	for _, a := range r.Assignees {
		b = putString(b, a.User)
		b = binary.AppendVarint(b, unixNano(a.DoneAt))
		b = binary.AppendUvarint(b, uint64(a.Nudges))
	}
	return b
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return clampTime(t).UnixNano()
}

// aggregator counts report values and keeps the list of one bucket. A
// value is read in place: no allocation per task but for the list.
type aggregator struct {
	now     int64
	only    string          // ReportQuery.Assignee
	members map[string]bool // ScopeTeam: whose rows to keep
	list    Bucket
	limit   int
	cursor  []byte // list only tasks whose <created>/<id> sorts before it

	unordered bool // suffixes do not come oldest first (ScopeTeam)
	total     Counts
	rows      map[string]*Counts
	// listed holds the <created>/<id> of the tasks of the listed bucket:
	// all of them when unordered, else the newest limit+1 seen so far, a
	// ring whose oldest entry is at head.
	listed [][]byte
	head   int
}

func (a *aggregator) reset() {
	a.total, a.listed, a.head = Counts{}, nil, 0
	clear(a.rows)
}

// fromRole adds the tasks of the role keys under prefix created within p,
// skipping (and then recording) those in seen.
func (a *aggregator) fromRole(tx store.Tx, prefix []byte, p Period, seen map[string]bool) error {
	lo, hi := bounds(prefix, p)
	for k := range tx.Scan(store.Range{Start: lo, End: hi}) {
		suffix := k[len(prefix):]
		if seen != nil {
			if seen[string(suffix)] {
				continue
			}
			seen[string(suffix)] = true
		}
		v, err := tx.Get(append(bytes.Clone(reportPrefix), suffix...))
		if err != nil {
			return fmt.Errorf("task: report: index entry of %q: %w", k, err)
		}
		if err := a.add(suffix, v); err != nil {
			return err
		}
	}
	return nil
}

// judge returns where a task stands for someone whose view of it became
// done at doneAt (0: not done), given its status and deadline.
func (a *aggregator) judge(st byte, deadline, doneAt int64) Bucket {
	switch {
	case st == 'c':
		return BucketCancelled
	case doneAt != 0 || st == 'd':
		if deadline != 0 && doneAt > deadline {
			return BucketDoneLate
		}
		return BucketDoneOnTime
	case deadline != 0 && deadline <= a.now:
		return BucketOverdue
	}
	return BucketOpen
}

func (c *Counts) count(b Bucket, nudges int) {
	c.HandedOut++
	c.Nudges += nudges
	switch b {
	case BucketDoneOnTime:
		c.DoneOnTime++
	case BucketDoneLate:
		c.DoneLate++
	case BucketOverdue:
		c.Overdue++
		c.Open++
	case BucketOpen:
		c.Open++
	case BucketCancelled:
		c.Cancelled++
	}
}

// add counts the task whose report key ends in suffix and whose value is v.
func (a *aggregator) add(suffix, v []byte) error {
	bad := func() error { return fmt.Errorf("task: report: malformed index value of %q: %w", suffix, ErrInvalid) }
	if len(v) == 0 {
		return bad()
	}
	d := decoder{b: v[1:]}
	st := v[0]
	deadline, closed, nudges := d.varint(), d.varint(), int(d.uvarint())
	d.skipString() // creator
	n := d.count()
	if d.bad {
		return bad()
	}
	taskBucket := a.judge(st, deadline, closed)
	if st == 'd' && closed == 0 {
		taskBucket = BucketDoneOnTime
	}
	in := a.only == ""
	for range n {
		user := d.bytes()
		doneAt, aNudges := d.varint(), int(d.uvarint())
		if d.bad {
			return bad()
		}
		if a.only != "" && string(user) != a.only {
			continue
		}
		if a.members != nil && !a.members[string(user)] {
			continue
		}
		b := a.judge(st, deadline, doneAt)
		if doneAt == 0 && st == 'd' {
			b = a.judge(st, deadline, closed)
		}
		row := a.rows[string(user)]
		if row == nil {
			row = &Counts{}
			a.rows[string(user)] = row
		}
		row.count(b, aNudges)
		if a.only != "" {
			in, taskBucket, nudges = true, b, aNudges
		}
	}
	if !in {
		return nil
	}
	a.total.count(taskBucket, nudges)
	if a.list == "" || a.list != BucketAll && a.list != taskBucket && !(a.list == BucketOpen && taskBucket == BucketOverdue) {
		return nil
	}
	if a.cursor != nil && bytes.Compare(suffix, a.cursor) >= 0 {
		return nil
	}
	if a.unordered || len(a.listed) <= a.limit {
		a.listed = append(a.listed, bytes.Clone(suffix))
		return nil
	}
	// Oldest first: this one is newer than all kept; drop the oldest.
	a.listed[a.head] = append(a.listed[a.head][:0], suffix...)
	a.head = (a.head + 1) % len(a.listed)
	return nil
}

// page returns the page of listed tasks, newest first, reading their
// records.
func (a *aggregator) page(tx store.Tx) (store.Page[Task], error) {
	var out store.Page[Task]
	if a.unordered {
		slices.SortFunc(a.listed, func(x, y []byte) int { return bytes.Compare(y, x) })
	} else {
		a.listed = append(a.listed[a.head:], a.listed[:a.head]...)
		slices.Reverse(a.listed)
	}
	for i, suffix := range a.listed {
		if i == a.limit {
			out.Next = encodeCursor(a.listed[i-1])
			break
		}
		id, err := keys.Last(suffix)
		if err != nil {
			return store.Page[Task]{}, fmt.Errorf("task: report: malformed index key %q: %w", suffix, ErrInvalid)
		}
		r, err := load(tx, id)
		if err != nil {
			return store.Page[Task]{}, err
		}
		out.Items = append(out.Items, r.Task.clone())
	}
	return out, nil
}
