package directory_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// FuzzImport imports charts decoded from arbitrary JSON: a chart is
// either refused with a typed error and nothing written, or imported, in
// which case importing it again changes nothing.
func FuzzImport(f *testing.F) {
	seed, _ := json.Marshal(orgChart(3, 6))
	f.Add(seed)
	f.Add([]byte(`{"departments":[{"id":"a","name":"A","parent":"a"}]}`))
	f.Add([]byte(`{"departments":[{"id":"a","name":"A","parent":"b"},{"id":"b","name":"B","parent":"a"}]}`))
	f.Add([]byte(`{"users":[{"id":"u","name":"张伟","departments":["root"],"manager":"u"}]}`))
	f.Add([]byte(`{"users":[{"id":"u","name":"x","departments":["root"],"time_zone":"Nowhere/X"}]}`))
	f.Add([]byte(`{"users":[{"id":"u","name":"x","departments":[]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var chart directory.OrgChart
		if json.Unmarshal(b, &chart) != nil || len(chart.Users) > 64 || len(chart.Departments) > 64 {
			return
		}
		ctx := context.Background()
		st := memstore.New()
		defer st.Close()
		s, err := directory.New(ctx, st, directory.WithAdmins(admin))
		if err != nil {
			t.Fatal(err)
		}
		before, _ := st.Last(ctx)
		rep, err := s.Import(ctx, admin, chart, nil)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
				t.Fatalf("untyped error: %v", err)
			}
			if after, _ := st.Last(ctx); after != before && rep.Created+rep.Updated == 0 {
				t.Fatalf("refused chart wrote %d records: %v", after-before, err)
			}
			return
		}
		again, err := s.Import(ctx, admin, chart, nil)
		if err != nil || again.Created+again.Updated != 0 {
			t.Fatalf("re-import: %+v, %v", again, err)
		}
		for _, u := range chart.Users {
			if _, err := s.System().User(ctx, u.ID); err != nil {
				t.Fatalf("imported user %q: %v", u.ID, err)
			}
		}
	})
}
