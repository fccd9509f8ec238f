package workspace

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/memstore"
	"github.com/workspace-go/workspace/task"
)

// Options configure Open. The zero value is not enough: name where the
// data lives with Dir, Store or InMemory.
type Options struct {
	// Dir is the directory of the data: the bbolt file workspace.db and the
	// search index under index/ (index-<tenant>-<hash>/ with a Tenant, the
	// hash telling apart tenants whose names differ only in case). It is
	// created if missing. Ignored when Store is set or InMemory.
	Dir string

	// Store, when set, is the store to use (any backend: memstore,
	// boltstore, pgstore). The caller keeps ownership: Close does not close
	// it. Several tenants may share one Store (see Tenant).
	Store store.Store

	// InMemory keeps everything in memory: a memstore and an in-memory
	// search index. For tests and demos.
	InMemory bool

	// IndexDir puts the search index in this directory instead of under
	// Dir. The index records its Tenant: Open fails with an error wrapping
	// search.ErrNamespace (and store.ErrConflict) on another tenant's. Empty with Store set (and no Dir) means an in-memory index that
	// is rebuilt from the change log at each Open.
	IndexDir string

	// Tenant confines this Workspace to the namespace Tenant of the store
	// (store.Namespace): it can neither read, search nor be notified of
	// another tenant's data. Empty means the whole store.
	Tenant string

	// Admins are the tenant's directory administrators (directory and
	// docacl): they manage users, groups and departments and offboard
	// people. A new tenant needs at least one to set up its directory.
	Admins []string

	// ComplianceOfficers may export and purge any conversation and set
	// legal holds (chat), as the enterprise, not the employee, owns the
	// record.
	ComplianceOfficers []string

	// Location is the tenant's time zone: task extraction reads "明天下午3点"
	// in it when the author has no time zone in the directory, and search
	// reads dates in queries in it. Nil means UTC.
	Location *time.Location

	// AutoTaskDrafts runs task.Extract on every new chat message and, when
	// the message reads as a task, records a suggestion (see Suggestions)
	// and appends a ChangeSuggested record to the change log for the
	// application to show ("make this a task?").
	AutoTaskDrafts bool

	// ResolveMention maps a name mentioned in a message (as written,
	// without "@") to a user id for task extraction. Nil resolves through
	// the directory: a user id, or the one active user with that display
	// name, pinyin or email ("@张伟", "@zhangwei"); a name several people
	// share stays unresolved.
	ResolveMention func(name string) (userID string, ok bool)

	// DocumentText returns the text of a document, whose content the
	// application keeps, for the search index: documents are found by
	// their content as well as their name (up to MaxDocumentText bytes).
	// The indexer calls it when a document is created, moved or handed
	// over, and after DocumentChanged; an error leaves the document
	// indexed by name until DocumentChanged is called again. Nil indexes
	// names only. It is called from the indexer's goroutine.
	DocumentText func(ctx context.Context, id string) (string, error)

	// Now and IDs replace the clock and the id generator of every service,
	// for deterministic tests. Nil means the real clock and UUIDv7 ids.
	Now func() time.Time
	IDs func() string

	// Bolt configures the bbolt file opened for Dir. Nil means defaults.
	Bolt *boltstore.Options

	// Backoff is how the event streams (Events) retry transient store
	// errors. Nil means store.Backoff's defaults.
	Backoff *store.Backoff

	// Notifications runs the follower that writes each person's
	// notification feed (Notifications), and enables its methods.
	Notifications bool
}

// Workspace is one tenant's services wired together over one store: chat,
// tasks, calendars, document permissions and the search index, kept up to
// date from the store's change log.
//
// Use the services directly for everything they do; the Workspace adds what
// needs more than one of them: SearchAs (with the keys a user holds),
// tasks created from messages and linked both ways, and task suggestions.
//
// A Workspace is safe for concurrent use. Open starts the search indexer's
// goroutine, with Options.AutoTaskDrafts the suggester's and with
// Options.Notifications the notifier's; the first Events starts the one
// follower shared by every event stream. Close stops them all.
type Workspace struct {
	// Chat is conversations, messages, threads, read state and live events.
	Chat *chat.Service
	// Tasks is tasks, assignment, tracking, nudges and reminders.
	Tasks *task.Service
	// Calendar is calendars, events, rooms, free/busy and iCalendar.
	Calendar *calendar.Service
	// Directory is the tenant's people, departments and groups. Document
	// permissions read users, groups and departments from it.
	Directory *directory.Service
	// Docs is document permissions: grants, links, transfer and
	// offboarding of documents.
	Docs  *docacl.Service
	index *search.Index // the tenant's index, searched through SearchAs only

	st        store.Store // the tenant's view
	owned     store.Store // closed by Close when Open opened it
	opts      Options
	admins    map[string]bool // Options.Admins
	suggester *suggester      // nil without AutoTaskDrafts
	notifier  *notifier       // nil without Notifications
	deptSync  *deptSync       // department groups

	hubMu  sync.Mutex
	hub    *hub // the shared follower of Events, started by the first
	closed bool

	conversations convCache // for the index's mapper

	closeOnce sync.Once
	closeErr  error
}

// ErrOptions reports Options that cannot work together. It wraps
// store.ErrInvalid.
var ErrOptions = fmt.Errorf("workspace: bad options: %w", store.ErrInvalid)

// Open opens a tenant's workspace: the store (a bbolt file in Dir by
// default), every service over it, the search index fed from the change
// log, and with AutoTaskDrafts the follower that suggests tasks.
//
// Open returns once the services are ready; the index catches up with the
// log in the background (Sync waits for it).
func Open(ctx context.Context, opts Options) (ws *Workspace, err error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	w := &Workspace{opts: opts, admins: map[string]bool{}}
	for _, a := range opts.Admins {
		w.admins[a] = true
	}
	defer func() {
		if err != nil {
			w.Close()
		}
	}()
	switch {
	case opts.Store != nil:
		w.st = opts.Store
	case opts.InMemory:
		w.owned = memstore.New()
		w.st = w.owned
	case opts.Dir != "":
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("workspace: open: %w", err)
		}
		db, err := boltstore.Open(filepath.Join(opts.Dir, "workspace.db"), opts.Bolt)
		if err != nil {
			return nil, fmt.Errorf("workspace: open: %w", err)
		}
		w.owned, w.st = db, db
	default:
		return nil, fmt.Errorf("%w: set Dir, Store or InMemory", ErrOptions)
	}
	// The index lives on disk beside the data, except in memory.
	var indexDir string
	if opts.Store != nil || !opts.InMemory {
		indexDir = opts.IndexDir
		if indexDir == "" && opts.Dir != "" {
			indexDir = filepath.Join(opts.Dir, indexName(opts.Tenant))
		}
	}
	if opts.Tenant != "" {
		ns, err := store.Namespace(w.st, opts.Tenant)
		if err != nil {
			return nil, fmt.Errorf("workspace: tenant %q: %w", opts.Tenant, err)
		}
		w.st = ns
	}

	if w.Directory, err = directory.New(ctx, w.st, directoryOptions(opts)...); err != nil {
		return nil, err
	}
	if w.Chat, err = chat.New(ctx, w.st, append(chatOptions(opts), chat.WithActorCheck(w.checkActor))...); err != nil {
		return nil, err
	}
	topts := append(injected(opts, task.WithClock, task.WithIDs), task.WithAdmins(opts.Admins...), task.WithActorCheck(w.checkActor))
	if w.Tasks, err = task.New(ctx, w.st, topts...); err != nil {
		return nil, err
	}
	copts := append(injected(opts, calendar.WithClock, calendar.WithIDs), calendar.WithActorCheck(w.checkActor))
	if w.Calendar, err = calendar.New(ctx, w.st, copts...); err != nil {
		return nil, err
	}
	dir := docsDirectory{svc: w.Directory, sys: w.Directory.System()}
	if len(opts.Admins) > 0 {
		dir.admin = opts.Admins[0]
	}
	if w.Docs, err = docacl.New(ctx, w.st, append(docaclOptions(opts), docacl.WithDirectory(dir))...); err != nil {
		return nil, err
	}
	if err := w.migrateDirectory(ctx); err != nil {
		return nil, err
	}
	sopts := []search.Option{
		search.WithMapper(w.mapChange),
		search.WithLocation(opts.Location),
		search.WithNamespace(opts.Tenant),
	}
	if opts.Now != nil {
		sopts = append(sopts, search.WithClock(opts.Now))
	}
	if indexDir != "" {
		sopts = append(sopts, search.WithPath(indexDir))
	}
	if w.index, err = search.New(ctx, w.st, sopts...); err != nil {
		return nil, fmt.Errorf("workspace: search index: %w", err)
	}
	if opts.AutoTaskDrafts {
		if w.suggester, err = startSuggester(ctx, w); err != nil {
			return nil, err
		}
	}
	if opts.Notifications {
		if w.notifier, err = startNotifier(ctx, w); err != nil {
			return nil, err
		}
	}
	if w.deptSync, err = startDeptSync(ctx, w); err != nil {
		return nil, err
	}
	return w, nil
}

// indexName is the directory of a tenant's index under Dir:
// index-<tenant>-<8 hex digits of the FNV-1a hash of the exact name>, so
// that tenants whose names differ only in case ("Acme", "acme") never
// share a directory, even on a case-insensitive file system. The index
// also records its tenant and refuses to open for another
// (search.ErrNamespace). Indexes in the former index-<tenant> directories
// are not read again: the new directory is built from the change log,
// and the old one may be deleted.
func indexName(tenant string) string {
	if tenant == "" {
		return "index"
	}
	h := fnv.New32a()
	h.Write([]byte(tenant))
	return fmt.Sprintf("index-%s-%08x", tenant, h.Sum32())
}

// injected returns a service's options for the clock and id generator
// Options supplies, given that service's two option constructors.
func injected[O any](o Options, withClock func(func() time.Time) O, withIDs func(func() string) O) []O {
	var out []O
	if o.Now != nil {
		out = append(out, withClock(o.Now))
	}
	if o.IDs != nil {
		out = append(out, withIDs(o.IDs))
	}
	return out
}

func chatOptions(o Options) []chat.Option {
	out := injected(o, chat.WithClock, chat.WithIDs)
	if len(o.ComplianceOfficers) > 0 {
		officers := map[string]bool{}
		for _, u := range o.ComplianceOfficers {
			officers[u] = true
		}
		out = append(out, chat.WithCompliance(func(actor string) bool { return officers[actor] }))
	}
	return out
}

func docaclOptions(o Options) []docacl.Option {
	out := injected(o, docacl.WithClock, docacl.WithIDs)
	if len(o.Admins) > 0 {
		out = append(out, docacl.WithAdmins(o.Admins...))
	}
	return out
}

// Store returns the store this Workspace works on: the tenant's namespace
// view when Options.Tenant is set. Applications may keep their own records
// in it under a prefix of their own and follow its change log.
func (w *Workspace) Store() store.Store { return w.st }

// Sync waits until the search index, department groups (BindDepartment),
// with Notifications the notifier and, with AutoTaskDrafts, the suggester
// have caught up with every change committed before the call, so a search
// made after it sees them. It returns the error that stopped a follower,
// if one stopped.
func (w *Workspace) Sync(ctx context.Context) error {
	last, err := w.st.Last(ctx)
	if err != nil {
		return err
	}
	if err := w.index.WaitFor(ctx, last); err != nil {
		return err
	}
	if w.notifier != nil {
		if err := w.notifier.waitFor(ctx, w.st, last); err != nil {
			return err
		}
	}
	if err := w.deptSync.waitFor(ctx, last); err != nil {
		return err
	}
	if w.suggester == nil {
		return nil
	}
	return w.suggester.waitFor(ctx, last)
}

// Close stops the event streams and every follower (the indexer, the
// notifier, the suggester, department groups), closes the index and, when Open
// opened the store, the store. It reports the error that stopped a
// follower (a malformed record), if any. It is idempotent.
func (w *Workspace) Close() error {
	w.closeOnce.Do(func() {
		var errs []error
		w.hubMu.Lock()
		w.closed = true
		h := w.hub
		w.hubMu.Unlock()
		if h != nil {
			h.stop()
		}
		if w.notifier != nil {
			errs = append(errs, w.notifier.close())
		}
		if w.suggester != nil {
			errs = append(errs, w.suggester.stop())
		}
		if w.deptSync != nil {
			errs = append(errs, w.deptSync.stop())
		}
		if w.index != nil {
			errs = append(errs, w.index.Err(), w.index.Close())
		}
		if w.owned != nil {
			errs = append(errs, w.owned.Close())
		} else if w.st != nil && w.opts.Tenant != "" {
			errs = append(errs, w.st.Close()) // the namespace view only
		}
		w.closeErr = errors.Join(errs...)
	})
	return w.closeErr
}
