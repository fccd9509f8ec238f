package workspace

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/workspace-go/workspace/store"
)

// follower is the bookkeeping the Workspace's background followers of the
// change log share (the suggester, department groups): the position up to
// which every record has been handled, the error that stopped the
// follower, waiting for either, and stopping. The follower's own work is
// the run function given to start, which follows the log (with
// store.Backoff.Follow) and calls advance after each record.
//
// A follower is safe for concurrent use; its goroutine ends on stop.
type follower struct {
	st     store.Store
	name   string // in errors: "suggester", "department groups"
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	pos    uint64
	err    error
	notify chan struct{} // closed and replaced at each advance; nil once stopped
}

// newFollower returns a follower of st that has handled every record up
// to pos; start runs it.
func newFollower(st store.Store, name string, pos uint64) *follower {
	return &follower{st: st, name: name, pos: pos, notify: make(chan struct{}), done: make(chan struct{})}
}

// start runs run on a goroutine of its own until it returns: an error
// while the follower was not being stopped is the one that stopped it.
func (f *follower) start(run func(ctx context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() {
		defer close(f.done)
		err := run(ctx)
		f.mu.Lock()
		defer f.mu.Unlock()
		if ctx.Err() == nil {
			f.err = fmt.Errorf("workspace: %s stopped: %w", f.name, err)
		} else {
			f.err = fmt.Errorf("workspace: %s: %w", f.name, store.ErrClosed)
		}
		close(f.notify)
		f.notify = nil
	}()
}

// position returns the position up to which every record was handled.
func (f *follower) position() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pos
}

// advance records that every record up to seq was handled.
func (f *follower) advance(seq uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pos = seq
	close(f.notify)
	f.notify = make(chan struct{})
}

// waitFor blocks until the follower has handled every record up to seq,
// and returns the error that stopped it, if it stopped.
func (f *follower) waitFor(ctx context.Context, seq uint64) error {
	for {
		f.mu.Lock()
		pos, err, ch := f.pos, f.err, f.notify
		f.mu.Unlock()
		if pos >= seq {
			return nil
		}
		if err != nil {
			return err
		}
		// A namespace view skips other tenants' records without a call to
		// the follower: caught up when nothing of ours is left before seq.
		if recs, next, cerr := f.st.Changes(ctx, pos, 1); cerr == nil && len(recs) == 0 && next >= seq {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// stop stops the follower and returns the error that had stopped it
// before, if any.
func (f *follower) stop() error {
	f.cancel()
	<-f.done
	f.mu.Lock()
	defer f.mu.Unlock()
	if errors.Is(f.err, store.ErrClosed) {
		return nil
	}
	return f.err
}
