package directory

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestIndexIncrementalMatchesRebuild applies random user writes to the
// search index one by one, as catch-up does after small writes, and
// checks that the arrays equal those of an index rebuilt from scratch.
func TestIndexIncrementalMatchesRebuild(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	names := []string{"张伟", "张伟华", "单雄信", "Bob Smith", "曾国藩", "李 Lei", "王芳"}
	statuses := []Status{Active, Suspended, Left}
	var inc searchIndex
	latest := map[string]User{}
	for i := range 2000 {
		u := User{
			ID:     fmt.Sprint("u", r.IntN(60)),
			Name:   names[r.IntN(len(names))],
			Status: statuses[r.IntN(3)],
		}
		if r.IntN(2) == 0 {
			u.Email = fmt.Sprintf("p%d@example.com", r.IntN(5))
		}
		if r.IntN(3) == 0 {
			u.Phone = fmt.Sprintf("+86 13%d", r.IntN(1000))
		}
		u.Pinyin, u.Initials = romanize(u.Name)
		inc.apply([]User{u}, false)
		if i%7 == 0 {
			// A search over the merged arrays finds the user as written.
			got := inc.find(parsedQuery{text: squash(u.Name)}, [3]bool{true, true, true}, "", 0, 1000)
			found := false
			for _, m := range got {
				found = found || m.User.ID == u.ID && m.User.Name == u.Name
			}
			if !found {
				t.Fatalf("write %d: %q not found by its name", i, u.ID)
			}
		}
		latest[u.ID] = u
		if i%300 == 150 {
			inc.compact() // as a full delta would
		}
		if i%100 != 99 {
			continue
		}
		var all []User
		for _, sl := range inc.users {
			all = append(all, latest[sl.u.ID])
		}
		var fresh searchIndex
		fresh.apply(all, true)
		if !reflect.DeepEqual(liveView(&inc), liveView(&fresh)) {
			t.Fatalf("after %d writes the incremental index differs from a rebuild", i+1)
		}
	}
}

type liveEntry struct {
	text  string
	slot  int32
	field uint8
}

// liveView returns the entries that count in x, in search order.
func liveView(x *searchIndex) [3][3][]liveEntry {
	var out [3][3][]liveEntry
	y := searchIndex{users: x.users, arr: x.arr, delta: x.delta}
	for i := range y.arr {
		for j := range y.arr[i] {
			y.arr[i][j] = slices.Clone(x.arr[i][j])
		}
	}
	y.compact()
	for i := range y.arr {
		for j := range y.arr[i] {
			for _, e := range y.arr[i][j] {
				out[i][j] = append(out[i][j], liveEntry{e.text, e.slot, e.field})
			}
		}
	}
	return out
}
