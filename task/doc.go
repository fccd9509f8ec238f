// Package task organises work around matters (以事为中心): a message
// becomes a task with assignees, a due time and a priority, linked back to
// where it came from; the person who handed it out sees what is done, in
// progress and late over any week or month, and can nudge (催办) those who
// have not finished; every change is kept in the task's activity.
//
// The package has two halves. [Service] stores tasks in a [store.Store]
// and answers queries about them. [Extract] is a pure function (no store)
// that reads one chat message in Chinese, English or both and returns task
// drafts; an application turns a draft it accepts into a [Spec] for
// [Service.Create]. This page describes the Service; Extract is documented
// where it is declared.
//
// # Tasks
//
// A [Task] has a title, a description, a creator, assignees each with
// their own completion (a task given to three people reads 2/3 done, see
// [Task.Progress]), followers, a [Due] (a date, or a minute, in a named
// time zone), a [Priority], a [Status] and a [Source] (an opaque kind and
// id, such as a chat message, so this package imports no other feature
// package).
//
// Status is todo, in progress, done or cancelled. Assignees complete their
// own part with [Service.Complete]; the task becomes in progress with the
// first part done and done when every part is ([ModeAll], 会签) or when
// any one is ([ModeAny], 或签), as in Feishu Tasks. The creator may close,
// cancel or reopen the task as a whole with [Service.SetStatus] and
// [Service.Reopen]; reopening clears every part's completion.
//
// # Subtasks and checklists
//
// A task may have subtasks ([Spec.Parent]): each is a task of its own, with
// its own creator, assignees, followers and due, and is visible to its own
// people only. The parent counts its direct subtasks ([Task.Subtasks]) in
// the transaction of every change to them, and [Task.Rollup] reads the
// progress of the parts below a task: subtasks done and checklist items
// checked. The creator and assignees of an open task may add subtasks
// under it and change its checklist ([Service.AddCheckItem],
// [Service.CheckItem], [Service.RemoveCheckItem]). A task with open
// subtasks is not made done by its parts or by SetStatus
// ([ErrOpenSubtasks]) unless forced ([Service.ForceStatus],
// [Service.ForceComplete]), which leaves the subtasks as they are; a task
// with subtasks cannot be deleted. Trees are at most [MaxDepth] levels; a
// move ([Edit.Parent]) that would make a task its own ancestor is
// [ErrCycle]; a parent in another tenant's namespace does not exist.
//
// # Recurring tasks
//
// A task may repeat by an RFC 5545 RRULE ([Spec.Repeat], counted from its
// due): "FREQ=WEEKLY;BYDAY=MO" with a due at Monday 10:00 is the weekly
// report, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1" with a date-only
// due the last working day of each month. As in Todoist and Feishu Tasks,
// the next occurrence is made when the current one is done, in the same
// transaction, not when its time comes: the list shows one open occurrence
// per series, and a series nobody works on does not pile up. It is a new
// task with the same title, description, creator, assignees (none done),
// followers, priority, mode, source and checklist (nothing checked), due
// at the rule's first instance after the current due that is not already
// past (an occurrence done late skips the instances missed). [Repeat]
// links the occurrences (Series, Index, Next). Edit the series by editing
// its open occurrence ([Edit.Repeat] sets the rule from this occurrence's
// due; a pointer to "" stops it); cancelling or deleting the open
// occurrence ends the series too. A rule with no occurrence due after now
// is refused ([ErrNoOccurrence]); a subtask does not repeat.
//
// # Permissions
//
// Feishu Tasks lets every member of a task (assignees and followers) view
// and edit it; DingTalk 待办 lets executors complete their part and leaves
// the terms to the creator. This package follows DingTalk, since the work
// it serves is handed out by a manager who must be able to trust the due
// dates they set:
//
//	                              creator  assignee  follower  others
//	view, comment, activity         yes      yes       yes       no
//	edit title/desc/due/priority    yes      no        no        no
//	assign, unassign others         yes      no        no        no
//	leave (unassign/unfollow self)  yes      yes       yes       -
//	add followers                   yes      yes       no        no
//	complete own part               -        yes       no        no
//	start (todo <-> in progress)    yes      yes       no        no
//	close, cancel, reopen the task  yes      no        no        no
//	nudge                           yes      no        yes       no
//	delete                          yes      no        no        no
//
// A creator who is also an assignee completes their part as an assignee.
// Followers may nudge because they are typically the managers watching the
// work. A task is visible only to the people on it: an application that
// wants a chat group to see the tasks made in it adds followers, or keeps
// its own mapping from the Source. Refusals wrap [store.ErrPermission]
// ([ErrPermission]).
//
// # Queries
//
// [Service.List] pages through the actor's tasks by role (assigned to me,
// created by me, followed by me), optionally by status or creation period
// (newest first), or by due window or overdue (soonest deadline first).
// [Service.Summary] counts the actor's tasks created in a period: todo, in
// progress, done, cancelled, overdue. Each query is one range scan over
// secondary keys written in the same transaction as the task, never a scan
// of every task; pages continue with an opaque cursor.
//
// For an assignee, a task's status is as they see it: done once their own
// part is done, even while others are still working. So "my todo list"
// and "my overdue tasks" leave out what the actor has finished.
//
// # The team's report
//
// [Service.Report] answers what a manager asks of the work handed out over
// a week or a month (随时查看一周甚至一个月内发送出的任务): how many tasks
// were handed out, done on time, done late, open, overdue and cancelled,
// per assignee (each judged by their own part), with the nudges sent, and
// a page of the tasks of any of those buckets. Its [Scope] is the tasks
// the actor created, their team's (the tasks assigned to them or to the
// people an [Org] given with [WithOrg] says report to them: their
// department and sub-departments), or, for an admin ([WithAdmins]),
// every task. A report reads one small index entry per task in scope,
// written in each task's transaction, and the records of one page only.
//
// # Activity and the change log
//
// Every mutation is one [store.Store.Update] that writes the task, its
// secondary keys (the by-source index included), its [Activity] entries
// and one [Change] record (kind [Kind]) together, so nothing is ever half
// written. Applications follow the log with [store.Backoff.Follow] and
// [DecodeChange]: [TaskCreated] and [TaskAssigned] tell assignees about new
// work, [TaskNudged] carries a nudge to deliver, [TaskDueSoon] and
// [TaskOverdue] are reminders. Each Change carries the task as it is after
// the change, for the search indexer. DecodeChange returns ok false for
// another package's record and an error wrapping [ErrInvalid] for a
// malformed one of this package's.
//
// # Creates that may be retried
//
// [Spec.ClientKey] makes [Service.Create] safe to retry over a network: a
// second create by the same actor with the same key returns the first task
// and writes nothing. The key is kept in an index written with the task,
// and freed when the task is deleted.
//
// # Options, limits and times
//
// [New] takes a context (it migrates a store written by an earlier version
// once: see [New]) and options of one shape, [Option]; nil options are
// skipped and a bad argument fails with [ErrInvalid]. Every size a caller
// controls has an exported limit ([MaxTitle], [MaxDescription],
// [MaxComment], [MaxPeople], [MaxClientKey]); input over one is refused with
// [ErrTooLarge] before anything is written. Times a caller passes lie in
// years [MinYear] to [MaxYear], dues in [MinDueYear] to [MaxDueYear].
//
// # The wire format
//
// Every type an application sends to its clients ([Task], [Activity],
// [Change], [Draft], [Summary], pages) has snake_case JSON tags; enums
// encode as names ("high", "day", "in_progress"), times as RFC 3339 with
// their offset, and a date-only [Due] as its date ("2025-03-21").
//
// # Nudges and reminders
//
// [Service.Nudge] records a nudge for the assignees who have not finished,
// at most once per task per interval ([WithNudgeInterval], 5 minutes by
// default; sooner gives [ErrTooSoon], which wraps [store.ErrConflict]).
//
// Reminders come from [Service.Sweep], which an application's scheduler
// calls every minute or so (or at the time [Service.NextSweep] returns):
// it emits a due-soon reminder an hour before a timed due
// ([WithReminderLead]) or at 09:00 on the date of a date-only due
// ([WithDayReminder]), and an overdue reminder when the deadline passes,
// each once per task and due time, even with several nodes sweeping.
// [Service.DueSoon] and [Service.Overdue] answer the same questions as
// queries.
//
// # Concurrency
//
// A Service is safe for concurrent use and keeps no state besides its
// configuration: several Services on several nodes may share one store,
// and concurrent changes to one task are serialised by the store's
// transactions (three assignees completing at once make the task 3/3 done,
// never 2/3). The Service starts no goroutines.
//
// # Caveats
//
// Overdue is judged by the Service's clock (WithClock) for List and
// Summary, and by the time passed to Sweep for reminders.
//
// A date-only due is due by the end of its date in its own time zone:
// "Friday" in Shanghai is overdue at Saturday 00:00 Shanghai time, which a
// reader in London sees at Friday 16:00.
//
// Summary counts tasks by creation time, for the actor's own tasks; the
// team's view is Report.
//
// Task records are stored in a compact binary encoding, not the wire
// format, because decoding dominated the cost of List; activity entries
// and change records are stored as their wire JSON. Read tasks through the Service or from change records, not
// from the store's keys.
//
// Deleting a task removes it and its activity; its change records stay in
// the log until the application trims it.
package task
