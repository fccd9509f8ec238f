package workspace

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/workspace-go/workspace/store"
)

// hub is the one shared follower of a Workspace's event streams: it
// decodes each record once and dispatches its events to the streams of
// the people it concerns, through a map of user → streams, so a record
// costs the streams of people it does not concern nothing.
type hub struct {
	w       *Workspace
	backoff *store.Backoff
	cancel  context.CancelFunc
	done    chan struct{}

	mu      sync.Mutex
	pos     uint64 // every record <= pos has been dispatched
	witness uint64 // the last record dispatched, 0 before the first
	subs    map[string]map[*EventStream]struct{}
	err     error // why the follower stopped; set before done closes
}

// startHub starts the shared follower from the end of the log.
func startHub(ctx context.Context, w *Workspace) (*hub, error) {
	last, err := w.st.Last(ctx)
	if err != nil {
		return nil, fmt.Errorf("workspace: events: %w", err)
	}
	hctx, cancel := context.WithCancel(context.Background())
	h := &hub{w: w, backoff: w.opts.Backoff, cancel: cancel, done: make(chan struct{}), pos: last,
		subs: map[string]map[*EventStream]struct{}{}}
	go h.run(hctx, last)
	return h, nil
}

func (h *hub) run(ctx context.Context, from uint64) {
	r := newRouter(h.w)
	err := h.backoff.Follow(ctx, h.w.st, from, func(rec store.Change) error {
		ds, err := r.route(ctx, rec)
		if err != nil {
			return err
		}
		h.dispatch(rec.Seq, ds)
		return nil
	})
	h.mu.Lock()
	h.err = fmt.Errorf("workspace: events: %w", err)
	h.subs = nil
	h.mu.Unlock()
	close(h.done)
}

func (h *hub) dispatch(seq uint64, ds []delivery) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range ds {
		d.each(func(u string) {
			for s := range h.subs[u] {
				if seq > s.from {
					d.ev.setCursor()
					s.push(h, d.ev)
				}
			}
		})
	}
	h.pos, h.witness = seq, seq
}

// join registers s when it has caught up with the hub (s.cur.pos >=
// h.pos) and reports whether it did; otherwise it returns the position
// to catch up to.
func (h *hub) join(s *EventStream) (ok bool, upTo uint64, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		return false, 0, h.err
	}
	if _, ok := h.subs[s.user][s]; ok {
		return true, 0, nil // joined already (by Events)
	}
	if s.cur.pos < h.pos {
		return false, h.pos, nil
	}
	s.from = s.cur.pos
	m := h.subs[s.user]
	if m == nil {
		m = map[*EventStream]struct{}{}
		h.subs[s.user] = m
	}
	m[s] = struct{}{}
	return true, 0, nil
}

// leave unregisters s; the caller holds h.mu.
func (h *hub) leaveLocked(s *EventStream) {
	if m := h.subs[s.user]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.subs, s.user)
		}
	}
}

func (h *hub) stop() {
	h.cancel()
	<-h.done
}

// EventStream is one person's ordered stream of events, made by
// [Workspace.Events]. Receive from C until it is closed; Err then says
// why the stream ended. Each Event's Cursor resumes the stream just after
// it.
//
// An EventStream is safe for concurrent use: C may be read by one
// goroutine while others call Err and Cursor.
type EventStream struct {
	user string
	c    chan Event
	done chan struct{}
	err  error // set before done closes

	// Guarded by the hub's mu while registered.
	from   uint64 // the hub delivers records > from
	queue  []*Event
	lagged bool
	wake   chan struct{} // cap 1

	cur cursor // the stream goroutine's position

	mu      sync.Mutex
	lastCur cursor // the position of the last event sent on c
}

// push queues ev; the caller holds h.mu.
func (s *EventStream) push(h *hub, ev *Event) {
	if len(s.queue) >= MaxEventBacklog {
		s.lagged = true
		h.leaveLocked(s)
	} else {
		s.queue = append(s.queue, ev)
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// C returns the channel the events arrive on, in log order. It is closed
// when the stream ends.
func (s *EventStream) C() <-chan Event { return s.c }

// Done returns a channel that is closed when the stream has ended.
func (s *EventStream) Done() <-chan struct{} { return s.done }

// Err returns nil while the stream runs; once it has ended, the reason:
// an error wrapping the context's error when it was cancelled,
// store.ErrClosed when the Workspace or the store was closed, or the
// error that stopped the follower (a store failure that is not transient,
// a malformed record).
func (s *EventStream) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Cursor returns the cursor of the last event sent on C (the starting
// cursor before the first).
func (s *EventStream) Cursor() Cursor {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastCur.encode()
}

// Events returns user's stream of events after cursor after: every
// message, task, calendar, document and directory change that concerns
// them (see [EventType]), in log order, each once. The empty Cursor
// starts from now; the Cursor of an event resumes just after it, in this
// process or after a restart, on any node over the same store. A cursor
// the log no longer covers (trimmed) fails with [ErrCursorExpired]; a
// malformed one with [ErrBadCursor].
//
// Live events come from one follower per Workspace that decodes each
// record once and routes it by user id; a stream that starts behind it,
// or whose reader falls MaxEventBacklog events behind, reads the log
// directly until it has caught up. Both retry transient store errors
// with Options.Backoff; any other error ends the stream (Err). The stream
// ends when ctx ends or the Workspace is closed.
func (w *Workspace) Events(ctx context.Context, user string, after Cursor) (*EventStream, error) {
	if user == "" || len(user) > 256 {
		return nil, fmt.Errorf("workspace: events: user %q: %w", user, store.ErrInvalid)
	}
	h, err := w.eventHub(ctx)
	if err != nil {
		return nil, err
	}
	s := &EventStream{user: user, c: make(chan Event, 64), done: make(chan struct{}), wake: make(chan struct{}, 1)}
	if after == "" {
		// Joined at once, so that nothing committed after Events returns
		// is read from the log by a router of its own.
		h.mu.Lock()
		s.cur = cursor{pos: h.pos, witness: h.witness}
		h.mu.Unlock()
		if _, _, err := h.join(s); err != nil {
			return nil, fmt.Errorf("workspace: events of %q: %w", user, err)
		}
	} else {
		if s.cur, err = decodeCursor(after); err != nil {
			return nil, err
		}
		if err := w.checkCursor(ctx, s.cur, after); err != nil {
			return nil, err
		}
	}
	s.lastCur = s.cur
	go s.run(ctx, w, h)
	return s, nil
}

// checkCursor fails with ErrCursorExpired when records after c may have
// been trimmed: its witness record is gone, or (without a witness) the
// oldest record is past c.pos+1.
func (w *Workspace) checkCursor(ctx context.Context, c cursor, raw Cursor) error {
	var recs []store.Change
	from := uint64(0)
	if c.witness > 0 {
		from = c.witness - 1
	}
	err := w.opts.Backoff.Retry(ctx, func() error {
		var err error
		recs, _, err = w.st.Changes(ctx, from, 1)
		return err
	})
	if err != nil {
		return fmt.Errorf("workspace: events: check cursor: %w", err)
	}
	switch {
	case c.witness > 0 && (len(recs) == 0 || recs[0].Seq != c.witness),
		c.witness == 0 && len(recs) > 0 && recs[0].Seq > c.pos+1:
		return fmt.Errorf("workspace: events: cursor %q: %w", raw, ErrCursorExpired)
	}
	return nil
}

func (w *Workspace) eventHub(ctx context.Context) (*hub, error) {
	w.hubMu.Lock()
	defer w.hubMu.Unlock()
	if w.closed {
		return nil, fmt.Errorf("workspace: events: %w", store.ErrClosed)
	}
	if w.hub != nil {
		select {
		case <-w.hub.done:
			w.hub = nil // stopped by an error: the next stream starts anew
		default:
		}
	}
	if w.hub == nil {
		h, err := startHub(ctx, w)
		if err != nil {
			return nil, err
		}
		w.hub = h
	}
	return w.hub, nil
}

func (s *EventStream) run(ctx context.Context, w *Workspace, h *hub) {
	err := s.loop(ctx, w, h)
	h.mu.Lock()
	if h.subs != nil {
		h.leaveLocked(s)
	}
	h.mu.Unlock()
	s.err = err
	close(s.done)
	close(s.c)
}

func (s *EventStream) send(ctx context.Context, ev *Event, done <-chan struct{}) error {
	select {
	case s.c <- *ev:
		s.mu.Lock()
		s.lastCur = cursor{pos: ev.Seq, witness: ev.Seq}
		s.mu.Unlock()
		return nil
	case <-ctx.Done():
		return fmt.Errorf("workspace: events of %q: %w", s.user, ctx.Err())
	case <-done:
		return fmt.Errorf("workspace: events of %q: %w", s.user, store.ErrClosed)
	}
}

func (s *EventStream) loop(ctx context.Context, w *Workspace, h *hub) error {
	for {
		if err := s.catchUp(ctx, w, h); err != nil {
			return err
		}
		if err := s.live(ctx, h); err != nil {
			return err
		}
	}
}

// catchUp reads the log from s.cur directly until the hub takes s.
func (s *EventStream) catchUp(ctx context.Context, w *Workspace, h *hub) error {
	var r *router
	for {
		ok, upTo, err := h.join(s)
		if err != nil {
			return fmt.Errorf("workspace: events of %q: %w", s.user, err)
		}
		if ok {
			return nil
		}
		if r == nil {
			r = newRouter(w)
		}
		for s.cur.pos < upTo {
			var recs []store.Change
			var next uint64
			err := h.backoff.Retry(ctx, func() error {
				var err error
				recs, next, err = w.st.Changes(ctx, s.cur.pos, 1000)
				if err != nil {
					return err
				}
				decs, err := decodeAll(recs)
				if err != nil {
					return err
				}
				for i, dec := range decs {
					ds, err := r.routeDecoded(ctx, dec)
					if err != nil {
						recs = recs[:i]
						return err
					}
					for _, d := range ds {
						if d.has(s.user) {
							d.ev.setCursor()
							if err := s.send(ctx, d.ev, h.done); err != nil {
								return err
							}
						}
					}
					s.cur = cursor{pos: dec.seq, witness: dec.seq}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("workspace: events of %q: %w", s.user, err)
			}
			switch {
			case next > s.cur.pos:
				s.cur.pos = next // records up to next were examined
			case len(recs) == 0:
				s.cur.pos = upTo // nothing more to read below upTo
			}
		}
	}
}

// live delivers what the hub queues until s lags (then it returns nil to
// catch up) or ends.
func (s *EventStream) live(ctx context.Context, h *hub) error {
	for {
		select {
		case <-s.wake:
		case <-ctx.Done():
			return fmt.Errorf("workspace: events of %q: %w", s.user, ctx.Err())
		case <-h.done:
			h.mu.Lock()
			err := h.err
			h.mu.Unlock()
			return fmt.Errorf("workspace: events of %q: %w", s.user, err)
		}
		h.mu.Lock()
		q, lagged := s.queue, s.lagged
		s.queue, s.lagged = nil, false
		h.mu.Unlock()
		for _, ev := range q {
			if err := s.send(ctx, ev, h.done); err != nil {
				return err
			}
			s.cur = cursor{pos: ev.Seq, witness: ev.Seq}
		}
		if lagged {
			return nil
		}
	}
}

// decodeAll decodes recs on up to GOMAXPROCS goroutines (decoding is
// most of a catch-up's work); the first malformed record's error wins.
func decodeAll(recs []store.Change) ([]decoded, error) {
	out := make([]decoded, len(recs))
	errs := make([]error, len(recs))
	workers := min(runtime.GOMAXPROCS(0), 8, max(1, len(recs)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(recs); i += workers {
				out[i], errs[i] = decodeRecord(recs[i])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
