package directory

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/workspace-go/workspace/internal/keys"
	"github.com/workspace-go/workspace/internal/record"
	"github.com/workspace-go/workspace/store"
)

// MatchField names what a search matched.
type MatchField string

// The fields people search matches.
const (
	MatchName     MatchField = "name"
	MatchPinyin   MatchField = "pinyin"
	MatchInitials MatchField = "initials"
	MatchEmail    MatchField = "email"
	MatchPhone    MatchField = "phone"
)

var fields = [...]MatchField{MatchName, MatchPinyin, MatchInitials, MatchEmail, MatchPhone}

// SearchQuery is a people search, as a picker or an @-autocomplete sends
// it.
type SearchQuery struct {
	// Text is what was typed: a name or part of one ("张", "张伟"), its
	// pinyin ("zhangwei", "zhang wei") or initials ("zw"), the start of an
	// email address or of a phone number. A leading @ is ignored. At most
	// MaxQueryLen bytes; empty finds no one.
	Text string `json:"text"`
	// Statuses keeps users with one of these statuses; empty keeps all.
	Statuses []Status `json:"statuses,omitempty"`
	// Kind keeps people or bots only; empty keeps both.
	Kind UserKind `json:"kind,omitempty"`
	// Limit is the page size: DefaultSearchResults when 0, at most
	// MaxSearchResults. Pages reach MaxSearchDepth matches deep.
	Limit int `json:"limit,omitempty"`
	// Cursor is the previous page's Next.
	Cursor string `json:"cursor,omitempty"`
}

// Match is one user found by a search and what matched.
type Match struct {
	User  User       `json:"user"`
	Field MatchField `json:"field"`
	// Exact is set when the whole field matched, not only its start.
	Exact bool `json:"exact,omitempty"`
}

// Search finds users for a people picker (see the Search section of the
// package doc for matching and ranking). The first search of a Service
// loads the directory into memory; later ones catch up with the writes
// since, whichever Service made them, so results are always current.
func (s *Service) Search(ctx context.Context, actor string, q SearchQuery) (store.Page[Match], error) {
	return s.search(ctx, actor, false, q)
}

func (s *Service) search(ctx context.Context, actor string, trusted bool, q SearchQuery) (store.Page[Match], error) {
	var page store.Page[Match]
	what := "search people"
	pq, err := parseQuery(q.Text)
	if err != nil {
		return page, fmt.Errorf("directory: %s: %w", what, err)
	}
	limit := q.Limit
	switch {
	case limit < 0:
		return page, fmt.Errorf("directory: %s: limit %d: %w", what, limit, ErrInvalid)
	case limit == 0:
		limit = DefaultSearchResults
	case limit > MaxSearchResults:
		return page, fmt.Errorf("directory: %s: limit %d (max %d): %w", what, limit, MaxSearchResults, ErrTooLarge)
	}
	offset := 0
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err == nil {
			offset, err = strconv.Atoi(c)
		}
		if err != nil || offset <= 0 || offset >= MaxSearchDepth {
			return page, fmt.Errorf("directory: %s: cursor %q: %w", what, q.Cursor, ErrInvalid)
		}
	}
	var statuses [3]bool
	for _, st := range q.Statuses {
		if !st.valid() {
			return page, fmt.Errorf("directory: %s: status %q: %w", what, st, ErrInvalid)
		}
		statuses[st.rank()] = true
	}
	if len(q.Statuses) == 0 {
		statuses = [3]bool{true, true, true}
	}
	if q.Kind != "" && q.Kind != Person && q.Kind != Bot {
		return page, fmt.Errorf("directory: %s: kind %q: %w", what, q.Kind, ErrInvalid)
	}
	if err := s.catchUp(ctx, actor, trusted); err != nil {
		return page, fmt.Errorf("directory: %s: %w", what, err)
	}
	if pq.text == "" {
		return page, nil
	}
	want := min(offset+limit+1, MaxSearchDepth)
	page.Items = s.idx.find(pq, statuses, q.Kind, offset, want)
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		if offset+limit < MaxSearchDepth {
			page.Next = encodeCursor(strconv.Itoa(offset + limit))
		}
	}
	return page, nil
}

// searchIndex is the in-memory index people search runs on: the terms of
// every user in sorted arrays, one per (status, tier), so that a prefix
// match is a binary search and the first matches found are the best
// ranked. It is a cache of the store, kept exact by the directory's
// version: every write records, in the vu table, the version at which
// each user was last written, so catching up reads only the users written
// since.
//
// A user written after the arrays were built gets a new generation: the
// terms of the old one stay in the arrays but no longer count, and the
// new terms go to small delta arrays that searches merge in. When the
// deltas grow past maxDelta entries they are merged into the main arrays,
// so a write costs a search O(log n) and the merge is amortised.
type searchIndex struct {
	mu     sync.RWMutex
	loaded bool
	ver    uint64
	users  []sUser // by slot
	slot   map[string]int32
	arr    [3][3][]entry // [status rank][tier group]
	delta  [3][3][]entry
	ndelta int
}

// maxDelta is how many entries the delta arrays hold before they are
// merged into the main ones.
const maxDelta = 4096

// sUser is a user in the index, with the generation its live entries
// carry.
type sUser struct {
	u   User
	gen uint16
}

// entry is one term of one user.
type entry struct {
	text  string
	slot  int32
	gen   uint16
	field uint8
}

func cmpEntry(a, b entry) int {
	if c := strings.Compare(a.text, b.text); c != 0 {
		return c
	}
	if c := cmp.Compare(a.slot, b.slot); c != 0 {
		return c
	}
	return cmp.Compare(a.field, b.field)
}

// live reports whether e belongs to its user's current generation.
func (x *searchIndex) live(e entry) bool { return x.users[e.slot].gen == e.gen }

// Tier groups, in rank order: whole field or its start; a later part of
// it (a given name, a second word); initials.
const (
	groupPrimary = iota
	groupInner
	groupInitials
)

// maxInner bounds the later-part terms one field contributes.
const maxInner = 6

// iTerm is a term before it has a slot.
type iTerm struct {
	group int
	field uint8
	text  string
}

func fieldIndex(f MatchField) uint8 { return uint8(slices.Index(fields[:], f)) }

// termsOf returns the search terms of u.
func termsOf(u User) []iTerm {
	var ts []iTerm
	add := func(g int, f MatchField, t string) {
		if t != "" {
			ts = append(ts, iTerm{g, fieldIndex(f), t})
		}
	}
	add(groupPrimary, MatchName, squash(u.Name))
	// Later parts of the name: after a leading Han character (the given
	// name of 张伟 is 伟), and each later word of a spaced name.
	rs := []rune(strings.TrimSpace(u.Name))
	if len(rs) > 1 && unicode.Is(unicode.Han, rs[0]) {
		for i := 1; i < len(rs) && i <= maxInner; i++ {
			if unicode.Is(unicode.Han, rs[i]) {
				add(groupInner, MatchName, squash(string(rs[i:])))
			}
		}
	} else if words := strings.Fields(u.Name); len(words) > 1 {
		for i := 1; i < len(words) && i <= maxInner; i++ {
			add(groupInner, MatchName, squash(strings.Join(words[i:], "")))
		}
	}
	if syl := strings.Fields(u.Pinyin); len(syl) > 0 {
		full := strings.Join(syl, "")
		if full != squash(u.Name) {
			add(groupPrimary, MatchPinyin, full)
			for i := 1; i < len(syl) && i <= maxInner; i++ {
				add(groupInner, MatchPinyin, strings.Join(syl[i:], ""))
			}
		}
	}
	if len(u.Initials) > 1 {
		add(groupInitials, MatchInitials, u.Initials)
	}
	add(groupPrimary, MatchEmail, normEmail(u.Email))
	if d := phoneDigits(u.Phone); d != "" {
		add(groupPrimary, MatchPhone, d)
		if strings.HasPrefix(u.Phone, "+") && strings.HasPrefix(d, "86") && len(d) > 2 {
			add(groupPrimary, MatchPhone, d[2:]) // the national number
		}
	}
	slices.SortFunc(ts, func(a, b iTerm) int {
		return cmp.Or(cmp.Compare(a.group, b.group), strings.Compare(a.text, b.text), cmp.Compare(a.field, b.field))
	})
	return slices.CompactFunc(ts, func(a, b iTerm) bool { return a == b })
}

// catchUp brings the index up to the store's version.
func (s *Service) catchUp(ctx context.Context, actor string, trusted bool) error {
	x := &s.idx
	x.mu.RLock()
	loaded, cur := x.loaded, x.ver
	x.mu.RUnlock()
	var (
		ver     uint64
		changed []User
		full    bool
	)
	err := s.view(ctx, actor, trusted, "search", func(tx store.Tx) error {
		var err error
		if ver, err = readVersion(tx); err != nil {
			return err
		}
		if loaded && ver == cur {
			return nil
		}
		full = !loaded || ver < cur
		if full {
			for k, v := range tx.Scan(store.Prefix(pUser)) {
				var u User
				if err := record.Decode(k, v, &u); err != nil {
					return err
				}
				changed = append(changed, u)
			}
			return nil
		}
		start := keys.AppendUint64(slices.Clone(pUserVer), cur+1)
		for k := range tx.Scan(store.Range{Start: start, End: store.PrefixEnd(pUserVer)}) {
			id, err := keys.Last(k)
			if err != nil {
				return fmt.Errorf("version index: %w", err)
			}
			u, err := getUser(tx, id)
			if err != nil {
				return err
			}
			changed = append(changed, u)
		}
		return nil
	})
	if err != nil || (loaded && ver == cur) {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.loaded && x.ver >= ver && !full {
		return nil // another search got there first
	}
	if full {
		x.users, x.slot, x.arr = nil, map[string]int32{}, [3][3][]entry{}
	}
	x.apply(changed, full || len(changed) > maxDelta)
	x.loaded, x.ver = true, ver
	return nil
}

// apply puts users into the index, replacing their old entries; with
// rebuild it sorts every array afresh instead.
func (x *searchIndex) apply(us []User, rebuild bool) {
	if x.slot == nil {
		x.slot = make(map[string]int32, len(us))
	}
	if rebuild {
		x.users = slices.Grow(x.users, len(us))
	}
	for _, u := range us {
		sl, ok := x.slot[u.ID]
		if !ok {
			sl = int32(len(x.users))
			x.users = append(x.users, sUser{})
			x.slot[u.ID] = sl
		}
		gen := x.users[sl].gen
		if ok && !rebuild {
			gen++ // the old entries stop counting
		}
		x.users[sl] = sUser{u: u, gen: gen}
		if !rebuild {
			for _, t := range termsOf(u) {
				a := &x.delta[u.Status.rank()][t.group]
				e := entry{t.text, sl, gen, t.field}
				i, found := slices.BinarySearchFunc(*a, e, cmpEntry)
				if found {
					(*a)[i] = e
				} else {
					*a = slices.Insert(*a, i, e)
					x.ndelta++
				}
			}
		}
	}
	switch {
	case rebuild:
		x.rebuild()
	case x.ndelta > maxDelta:
		x.compact()
	}
}

// rebuild makes the main arrays afresh from the users.
func (x *searchIndex) rebuild() {
	x.arr, x.delta, x.ndelta = [3][3][]entry{}, [3][3][]entry{}, 0
	terms := make([][]iTerm, len(x.users))
	var n [3][3]int
	for sl, su := range x.users {
		terms[sl] = termsOf(su.u)
		for _, t := range terms[sl] {
			n[su.u.Status.rank()][t.group]++
		}
	}
	for i := range x.arr {
		for j := range x.arr[i] {
			x.arr[i][j] = make([]entry, 0, n[i][j])
		}
	}
	for sl, su := range x.users {
		for _, t := range terms[sl] {
			a := &x.arr[su.u.Status.rank()][t.group]
			*a = append(*a, entry{t.text, int32(sl), su.gen, t.field})
		}
	}
	// The arrays sort independently: on as many cores as there are.
	var wg sync.WaitGroup
	for i := range x.arr {
		for j := range x.arr[i] {
			wg.Go(func() { slices.SortFunc(x.arr[i][j], cmpEntry) })
		}
	}
	wg.Wait()
}

// compact merges the live entries of the deltas into the main arrays and
// drops the dead ones, in one pass over each.
func (x *searchIndex) compact() {
	for i := range x.arr {
		for j := range x.arr[i] {
			a, d := x.arr[i][j], x.delta[i][j]
			out := make([]entry, 0, len(a)+len(d))
			for len(a) > 0 || len(d) > 0 {
				var e entry
				if len(d) == 0 || len(a) > 0 && cmpEntry(a[0], d[0]) <= 0 {
					e, a = a[0], a[1:]
				} else {
					e, d = d[0], d[1:]
				}
				if x.live(e) {
					out = append(out, e)
				}
			}
			x.arr[i][j] = out
		}
	}
	x.delta, x.ndelta = [3][3][]entry{}, 0
}

// find returns matches want deep in rank order from offset on: by
// status (active, suspended, left), then tier (exact or prefix of a
// whole field, of a later part, of the initials), then by matched text
// (so exact matches lead their tier) and user.
func (x *searchIndex) find(q parsedQuery, statuses [3]bool, kind UserKind, offset, want int) []Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	seen := make(map[int32]bool, want)
	var out []Match
	n := 0
	for rank := range 3 {
		if !statuses[rank] {
			continue
		}
		for g := range 3 {
			if q.mode != modeAny && g != groupPrimary {
				continue
			}
			a, d := x.arr[rank][g], x.delta[rank][g]
			byText := func(e entry, t string) int { return strings.Compare(e.text, t) }
			i, _ := slices.BinarySearchFunc(a, q.text, byText)
			j, _ := slices.BinarySearchFunc(d, q.text, byText)
			a, d = a[i:], d[j:]
			for {
				// The next entry of the merged arrays, if it still matches.
				var e entry
				switch {
				case len(a) > 0 && (len(d) == 0 || cmpEntry(a[0], d[0]) <= 0):
					e, a = a[0], a[1:]
				case len(d) > 0:
					e, d = d[0], d[1:]
				}
				if e.text == "" || !strings.HasPrefix(e.text, q.text) {
					break
				}
				if !x.live(e) {
					continue
				}
				f := fields[e.field]
				switch q.mode {
				case modeEmail:
					if f != MatchEmail {
						continue
					}
				case modePhone:
					if f != MatchPhone {
						continue
					}
				}
				if seen[e.slot] {
					continue
				}
				u := x.users[e.slot].u
				if kind != "" && u.Kind != kind {
					continue
				}
				seen[e.slot] = true
				n++
				if n <= offset {
					continue
				}
				out = append(out, Match{User: cloneUser(u), Field: f, Exact: len(e.text) == len(q.text)})
				if n >= want {
					return out
				}
			}
		}
	}
	return out
}

func cloneUser(u User) User {
	u.Departments = slices.Clone(u.Departments)
	u.Attributes = maps.Clone(u.Attributes)
	if u.WorkingHours != nil {
		w := *u.WorkingHours
		w.Days = slices.Clone(w.Days)
		u.WorkingHours = &w
	}
	return u
}
