// Package directory is the organisation of one tenant: its people (users
// and bots), the tree of departments, and groups. Every service of the
// workspace names people by the directory's user ids; pickers and
// @-autocomplete find them with people search, in Chinese characters,
// pinyin or initials.
//
// Everything goes through one [Service], built with [New] over a
// [store.Store]. Changes are made by admins (named with [WithAdmins]);
// reads by any active user or admin. [Service.System] returns the trusted
// handle, [System], whose reads skip the actor check, for the root
// package that wires the directory into the other services:
// [System.Actor] admits only active users, [System.Memberships] gives a
// user's departments and groups with the directory's version in one
// snapshot, and [System.Version] tells a cached model whether it is
// still current.
//
// # Users
//
// A [User] has a display name, pinyin computed from it, email and phone
// (each unique, compared without case and by digits), title, departments
// (at least one; [User.Primary] names the main one), a manager, a time
// zone (an IANA name, checked), a locale (BCP 47), working hours, a
// [Status] (active, suspended, left), a [UserKind] (person or bot) and up
// to [MaxAttributes] custom attributes. A manager must exist and not have
// left, and a manager chain never loops. Someone who leaves stays in the
// directory (names in old messages still resolve) but may manage no one:
// [Service.SetStatus] refuses with [ErrStillManages] until their reports
// and departments have another head.
//
// A user in no department is refused (an error wrapping [ErrInvalid]):
// departments are what grants, department groups and offboarding walk, so
// a user outside the tree would silently fall out of all three. [Root],
// the organisation itself, is always there for people who belong nowhere
// more specific, as DingTalk and Feishu put them at the top level.
//
// # Departments and groups
//
// Departments form a tree under [Root], at most [MaxDepth] deep, each with
// a manager. [Service.MoveDepartment] moves a department with its subtree
// and refuses to move one under itself or a descendant ([ErrCycle]). A
// user is a member of their departments and, transitively, of every
// ancestor: [Service.Users] with a department lists the subtree's members,
// [Service.UserDepartments] a user's departments with their ancestors.
// Groups hold users and other groups; adding a group that contains the
// target at any depth is refused ([ErrCycle]); [Service.UserGroups] gives
// a user's groups through nesting.
//
// # Pinyin
//
// Pinyin comes from github.com/mozillazg/go-pinyin, toneless, ü as v
// ("吕" is "lv"). A Han character takes its most common reading, except
// the family name at the start of a name, which takes its reading as a
// surname: 单 is shan (not dan), 曾 zeng (not ceng), 解 xie (not jie),
// also 仇 qiu, 区 ou, 朴 piao, 查 zha, 盖 ge, 乐 yue, 覃 qin, 翟 zhai,
// 缪 miao, 繁 po, 种 chong and more, and compound surnames such as 尉迟
// yuchi and 万俟 moqi. Other letters and digits are kept as words.
//
// # Search
//
// [Service.Search] matches a query against a user's display name, pinyin
// (full, spaces ignored), initials, email and phone: "张", "张伟",
// "zhangwei", "zhang wei" and "zw" all find 张伟; "伟" and "wei" find
// them by the given name; "+86 138" and "138-0013" find them by phone. A
// leading @ is ignored, so an @-autocomplete passes what is typed. A query
// with an @ inside matches emails only; one of digits and phone
// punctuation matches phones only. Matching is by prefix.
//
// Results rank by status first (active, then suspended, then left: a
// picker wants colleagues who are here), then by how they matched: the
// whole of a field exactly, then the start of a field, then the start of
// a later part (a given name, a second word), then initials; within one
// of those, by the matched text (so exact matches lead) and then id.
//
// Search runs on an in-memory index that the first search of a Service
// loads from the store. It is a cache, never the only copy: the store's
// indexes are written in each write's transaction, and every write bumps
// the directory's version ([System.Version]) and records which users it
// wrote at that version, so each search first reads the version and
// catches up with the users written since, whichever Service or node
// wrote them. At 100,000 users a search takes about 25 µs (p50), and a
// search just after another node's write about 50 µs.
//
// # Import
//
// [Service.Import] brings the directory in line with an [OrgChart]: the
// whole chart is checked first (nothing is written if it is wrong), then
// written in transactions of at most [ImportBatch] records, parents
// before children and managers before reports, with a progress callback.
// Importing the same chart again writes nothing.
//
// # Change records
//
// Every mutation appends a [Change] under [Kind] in its own transaction,
// with a [ChangeType], the directory's version after it, and the user
// before and after, so followers (department groups, docacl's model, the
// workspace's identity check) see joiners, movers and leavers.
// [DecodeChange] reads them. Stored records use the same JSON as the wire
// types, plus bookkeeping fields of their own.
//
// # Concurrency
//
// A Service is safe for concurrent use; several Services over one store
// (in one process or on several nodes) see each other's writes at once.
//
// # Caveats
//
//   - Time zones are checked against the zone database of the machine
//     (time.LoadLocation). A program that runs where there is none should
//     import time/tzdata.
//   - Import is not one transaction: a batch that fails (a store failure,
//     a concurrent change that makes the chart invalid) leaves the batches
//     before it written. Running the import again finishes the job.
//     Records not in the chart are left alone: an import adds and
//     updates, it never removes or marks people as left.
//   - A department move rewrites the transitive memberships of every user
//     in the subtree in one transaction, so it is bounded by
//     [MaxMoveUsers] and [MaxMoveDepartments]; move large subtrees a
//     branch at a time.
//   - The search index costs memory in each process that searches: about
//     850 bytes per user. The first search of a Service pays for loading
//     it: about 2.5 s of CPU at 100,000 users, most of it decoding the
//     stored users.
//   - Pinyin readings of given names are the common readings: a given name
//     with a rarely read polyphonic character may need its pinyin typed
//     differently than the person says it.
package directory
