// Package workspace wires the library's services together for one tenant:
// chat, tasks, calendars, document permissions and full-text search, over
// one store.
//
//	ws, err := workspace.Open(ctx, workspace.Options{Dir: "data", Admins: []string{"it-admin"}})
//	...
//	defer ws.Close()
//	msg, _ := ws.Chat.Post(ctx, "lilei", conv, chat.Draft{Text: "@bob 明天下午3点前把报价单发给客户"})
//	t, _ := ws.TaskFromMessage(ctx, "lilei", msg.ID, task.Spec{}) // due tomorrow 15:00, for bob
//	res, _ := ws.SearchAs(ctx, "bob", search.Request{Query: "报价单"})
//
// The services are fields of [Workspace] and are used directly; the
// Workspace adds what needs several of them.
//
// # Search with the keys a user holds
//
// Every change the services write reaches the search index through the
// change log: messages, tasks, events and documents, each with the access
// keys of who may see it. [Workspace.SearchAs] computes the keys the user
// holds at the moment of the search — conversations and public channels,
// calendars they may read, documents docacl lets them view — so a user
// removed from a conversation or a document's grants stops finding it at
// once, with nothing to re-index.
//
// # Documents found by their content
//
// A document's content is the application's: docacl holds its name and
// who may see it. With Options.DocumentText the index reads each
// document's text from the application, and [Workspace.DocumentChanged]
// tells every node's index to read it again after an edit, so people find
// documents by what they say, within the same permissions.
//
// # Tasks from messages
//
// [Workspace.Suggestions] reads a message with task.Extract;
// [Workspace.TaskFromMessage] makes a task linked to the message, and
// [Workspace.MessageTasks] lists a message's tasks. With
// Options.AutoTaskDrafts every new message that reads as a task appends a
// [ChangeSuggested] record for the application to offer.
//
// # Timed duties
//
// Some things happen because time passes: a task falls due, a grant or a
// share link expires. [Workspace.Sweep] records what is due — task
// reminders, and expiries, which leave the sharing lists and enter the
// audit trail — once, whichever node runs it; [Workspace.NextSweep] says
// when it next has work. The application calls them on a timer: the
// Workspace starts no clock of its own, so tests stay deterministic.
//
// # Tenants
//
// With Options.Tenant a Workspace runs over store.Namespace(store, tenant):
// several tenants share one store (one bbolt file, one PostgreSQL database)
// and none can read, search or be notified of another's data. Each tenant
// has its own search index.
//
// # Concurrency
//
// A Workspace is safe for concurrent use. Open starts the search indexer's
// goroutine and, with Options.AutoTaskDrafts, the suggester's, which reads
// new messages as task suggestions; Close stops them. Both follow the
// change log with store.Backoff.Follow, so writes made by another process
// on the same store (PostgreSQL) reach them too, and what stops one is
// reported by Sync and Close. The links between messages and tasks are no
// follower's: task writes them with each task (MessageTasks reads them at
// once).
//
// # Caveats
//
// The index and the suggester follow the log in the background: call
// [Workspace.Sync] before searching for something just written. Stores
// written before the by-source index keep the old linker's
// ("workspace", "msgtask") keys, which nothing reads any more. The
// Workspace never trims the change log; an application that does must stay
// behind Search.Checkpoint.
package workspace
