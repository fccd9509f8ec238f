package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/workspace-go/workspace/store"
)

// Keys of the values the package keeps inside the bleve index.
var (
	keyCheckpoint = []byte("ws_checkpoint") // 8 bytes, big-endian: last applied Seq
	keyVersion    = []byte("ws_version")    // mappingVersion
	keyNamespace  = []byte("ws_namespace")  // "ns:" + the namespace it was built for (WithNamespace)
)

// Index is a full-text index of Documents with a permission filter, kept
// up to date from a store's change log.
//
// An Index is safe for concurrent use by multiple goroutines: searches run
// in parallel with each other and with indexing; writes (the indexer's
// batches, Apply, Rebuild) are serialized.
//
// When built WithMapper, the Index owns one goroutine, the indexer, which
// starts in New and stops in Close (or earlier, on an error it reports
// through Sync and WaitFor).
type Index struct {
	st  store.Store
	cfg options
	im  *mapping.IndexMappingImpl
	an  analyzers

	lock *dirLock

	// wmu serializes writers. Holding it is enough to read idx, which is
	// only replaced with both wmu and mu held.
	wmu sync.Mutex

	mu     sync.RWMutex // guards idx and closed
	idx    bleve.Index
	closed bool

	cpMu       sync.Mutex
	checkpoint uint64
	cpChanged  chan struct{} // closed and replaced when checkpoint or runErr changes
	runErr     error

	keys  *keyCache    // the access keys of each segment
	stats *filterStats // the permission filter's counters, for tests; may be nil

	cancel context.CancelFunc
	done   chan struct{} // closed when the indexer goroutine has returned
}

// New opens the index described by opts over st. ctx bounds what New
// reads and rebuilds (an upgrade or WithRebuildIfLost may rebuild the
// whole index); the indexer it starts lives until Close, whatever ctx.
// st is the store whose
// change log the indexer tails (WithMapper) and whose position Rebuild
// records; it may be nil for an index fed only through Apply.
//
// With WithPath, the directory is created when absent and locked for as
// long as the Index is open: a second New on it, in this process or
// another, fails with ErrLocked after the lock timeout instead of
// waiting forever. A directory that cannot be read fails with ErrCorrupt
// unless WithRebuildIfLost is given, in which case it is rebuilt.
//
// An index written by another version of the package's analysis (such
// as one from before English stemming) is rebuilt before New returns,
// beside the old one: from WithRebuildIfLost's Enumerator when given,
// otherwise by replaying st's change log through the Mapper. Without
// either, New fails with ErrCorrupt. If the rebuild fails, New returns
// its error and the old index is left as it was, to be rebuilt by the
// next New.
func New(ctx context.Context, st store.Store, opts ...Option) (*Index, error) {
	cfg := defaults()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.mapper != nil && st == nil {
		return nil, fmt.Errorf("search: WithMapper needs a store: %w", store.ErrInvalid)
	}
	if cfg.rebuild != nil && st == nil {
		return nil, fmt.Errorf("search: WithRebuildIfLost needs a store: %w", store.ErrInvalid)
	}
	im, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	ix := &Index{st: st, cfg: cfg, im: im, an: newAnalyzers(im), keys: newKeyCache(), cpChanged: make(chan struct{})}

	fresh, stale, err := ix.open()
	if err != nil {
		return nil, err
	}
	switch {
	case stale != "":
		if err := ix.upgrade(ctx, stale); err != nil {
			ix.closeIndex()
			return nil, err
		}
	case fresh && cfg.rebuild != nil:
		if err := ix.Rebuild(ctx, cfg.rebuild, cfg.progress); err != nil {
			ix.closeIndex()
			return nil, err
		}
	}
	if cfg.mapper != nil {
		ctx, cancel := context.WithCancel(context.Background())
		ix.cancel = cancel
		ix.done = make(chan struct{})
		go ix.run(ctx)
	}
	return ix, nil
}

// open opens or creates the bleve index and reads the checkpoint. fresh
// reports an index created empty (or replacing a corrupt one); stale is
// the version of an index written with another mappingVersion, "" when
// the version is current.
func (ix *Index) open() (fresh bool, stale string, err error) {
	path := ix.cfg.path
	if path == "" {
		idx, err := ix.create("")
		if err != nil {
			return false, "", err
		}
		ix.idx = idx
		return true, "", nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, "", fmt.Errorf("search: open index %q: %w", path, err)
	}
	ix.lock, err = lockDir(path, ix.cfg.lockTimeout)
	if err != nil {
		return false, "", err
	}
	idx, created, stale, err := ix.openDir(path)
	if errors.Is(err, ErrCorrupt) && ix.cfg.rebuild != nil {
		if err = os.RemoveAll(path); err == nil {
			idx, created, stale, err = ix.openDir(path)
		}
	}
	if err != nil {
		ix.lock.unlock()
		return false, "", err
	}
	ix.idx = idx
	cp, err := readCheckpoint(idx)
	if err != nil {
		ix.closeIndex()
		return false, "", fmt.Errorf("search: open index %q: %w", path, err)
	}
	ix.checkpoint = cp
	return created, stale, nil
}

// openDir opens the index in dir, creating it when dir is absent or empty.
// created reports a new index; stale is the version of an index written
// with another mappingVersion (opened all the same, to be rebuilt), ""
// when it is current. An index without a version was not written by
// this package: ErrCorrupt.
func (ix *Index) openDir(dir string) (idx bleve.Index, created bool, stale string, err error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(ents) == 0 {
		if err == nil {
			if err := os.Remove(dir); err != nil {
				return nil, false, "", fmt.Errorf("search: create index %q: %w", dir, err)
			}
		}
		idx, err := ix.create(dir)
		return idx, err == nil, "", err
	}
	if err != nil {
		return nil, false, "", fmt.Errorf("search: open index %q: %w", dir, err)
	}
	idx, err = bleve.OpenUsing(dir, map[string]any{"bolt_timeout": ix.cfg.lockTimeout.String()})
	if err != nil {
		return nil, false, "", fmt.Errorf("search: open index %q: %v: %w", dir, err, ErrCorrupt)
	}
	v, err := idx.GetInternal(keyVersion)
	if err != nil || len(v) == 0 {
		idx.Close()
		return nil, false, "", fmt.Errorf("search: open index %q: no version: %w", dir, ErrCorrupt)
	}
	if string(v) != mappingVersion {
		return idx, false, string(v), nil
	}
	if err := ix.checkNamespace(idx, dir); err != nil {
		idx.Close()
		return nil, false, "", err
	}
	return idx, false, "", nil
}

// checkNamespace refuses an index built for another namespace than
// WithNamespace names: serving it would show one tenant's documents to
// another's users.
func (ix *Index) checkNamespace(idx bleve.Index, dir string) error {
	v, err := idx.GetInternal(keyNamespace)
	if err != nil {
		return fmt.Errorf("search: open index %q: %v: %w", dir, err, ErrCorrupt)
	}
	want := "ns:" + ix.cfg.namespace
	if string(v) != want {
		got := "no recorded namespace"
		if ns, ok := strings.CutPrefix(string(v), "ns:"); ok {
			got = fmt.Sprintf("namespace %q", ns)
		}
		return fmt.Errorf("search: open index %q for namespace %q: built for %s: %w", dir, ix.cfg.namespace, got, ErrNamespace)
	}
	return nil
}

// create makes a new empty index in dir ("" for memory).
func (ix *Index) create(dir string) (bleve.Index, error) {
	cfg := map[string]any{}
	if dir != "" {
		cfg["bolt_timeout"] = ix.cfg.lockTimeout.String()
	}
	idx, err := bleve.NewUsing(dir, ix.im, indexType, indexType, cfg)
	if err != nil {
		return nil, fmt.Errorf("search: create index %q: %w", dir, err)
	}
	b := idx.NewBatch()
	b.SetInternal(keyVersion, []byte(mappingVersion))
	b.SetInternal(keyNamespace, []byte("ns:"+ix.cfg.namespace))
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search: create index %q: %w", dir, err)
	}
	return idx, nil
}

func readCheckpoint(idx bleve.Index) (uint64, error) {
	v, err := idx.GetInternal(keyCheckpoint)
	if err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("checkpoint of %d bytes: %w", len(v), ErrCorrupt)
	}
	return binary.BigEndian.Uint64(v), nil
}

func encodeCheckpoint(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}

// Checkpoint returns the change-log position the index reflects: every
// change with Seq <= Checkpoint has been applied.
func (ix *Index) Checkpoint() uint64 {
	ix.cpMu.Lock()
	defer ix.cpMu.Unlock()
	return ix.checkpoint
}

// setCheckpoint records a new position (or a stop error) and wakes waiters.
func (ix *Index) setCheckpoint(seq uint64, err error) {
	ix.cpMu.Lock()
	ix.checkpoint = seq
	if err != nil {
		ix.runErr = err
	}
	close(ix.cpChanged)
	ix.cpChanged = make(chan struct{})
	ix.cpMu.Unlock()
}

// Close stops the indexer, waits for it to return, and closes the index.
// Searches in flight finish first. Close is idempotent.
func (ix *Index) Close() error {
	if ix.cancel != nil {
		ix.cancel()
		<-ix.done
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	return ix.closeIndex()
}

func (ix *Index) closeIndex() error {
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return nil
	}
	ix.closed = true
	err := ix.idx.Close()
	ix.mu.Unlock()
	if lerr := ix.lock.unlock(); err == nil {
		err = lerr
	}
	ix.setCheckpoint(ix.Checkpoint(), nil) // wake waiters so they see closed
	return err
}

// isClosed reports whether Close was called.
func (ix *Index) isClosed() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.closed
}

// Apply indexes ops in one batch: all of them or, on error, none. It is
// the way in for documents that do not come from the change log, and does
// not move the checkpoint.
func (ix *Index) Apply(ctx context.Context, ops ...Op) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if ix.isClosed() {
		return ErrClosed
	}
	b := ix.idx.NewBatch()
	if err := ix.addOps(b, ops); err != nil {
		return err
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("search: apply %d ops: %w", len(ops), err)
	}
	return nil
}

// addOps adds ops to b, checking every one.
func (ix *Index) addOps(b *bleve.Batch, ops []Op) error {
	for _, o := range ops {
		if o.delete {
			id, err := docID(o.doc.Kind, o.doc.ID)
			if err != nil {
				return err
			}
			b.Delete(id)
			continue
		}
		d, err := ix.an.bleveDoc(o.doc)
		if err != nil {
			return err
		}
		if err := b.IndexAdvanced(d); err != nil {
			return fmt.Errorf("search: index %s: %w", d.ID(), err)
		}
	}
	return nil
}

// Count returns the number of documents in the index, whoever may see
// them: for operators and tests, never for end users.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return 0, ErrClosed
	}
	return ix.idx.DocCount()
}
