package search

import (
	"context"
	"encoding/json"
	"github.com/workspace-go/workspace/internal/wiretest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workspace-go/workspace/store"
)

// wireTypes are the package's types an application sends to its clients.
var wireTypes = []any{Request{}, Results{}, Hit{}}

func TestWireTypesHaveSnakeCaseJSONTags(t *testing.T) {
	seen := wiretest.Tags(t, append(wireTypes, &Index{})...)
	if !seen[reflect.TypeFor[Hit]()] {
		t.Error("the walk missed Hit")
	}
}

func TestResultsRoundTripThroughJSON(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	in := Results{
		Page: store.Page[Hit]{Items: []Hit{{
			Kind: KindDoc, ID: "d1", Title: "Q3 plan", Snippet: "the <mark>plan</mark>", Container: "f1",
			ContainerName: "Finance", Author: "alice", Time: at, Score: 1.5, Highlights: []string{"the <mark>plan</mark>"},
		}}, Next: "abc"},
		Total: 1, Kinds: map[string]int{KindDoc: 1},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"items":[`, `"next":"abc"`, `"total":1`, `"container_name":"Finance"`, `"snippet":`, `"time":"2025-03-14T09:00:00Z"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var out Results
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: got %+v, want %+v", out, in)
	}
	req := Request{Query: "plan", Sort: ByNewest, Size: 5, After: "x", Keys: []string{"secret"}}
	b, err = json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "secret") || !strings.Contains(string(b), `"sort":"newest"`) {
		t.Errorf("request JSON %s: want the sort by name and no keys", b)
	}
	var back Request
	if err := json.Unmarshal([]byte(`{"query":"plan","sort":"oldest","keys":["conv:x"]}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.Sort != ByOldest || back.Keys != nil {
		t.Errorf("decoded %+v: want ByOldest and no keys from the client", back)
	}
	if err := json.Unmarshal([]byte(`{"sort":"best"}`), &back); err == nil {
		t.Error("an unknown sort decoded")
	}
}

func TestHitsCarryWhatAResultListShows(t *testing.T) {
	checkLeaks(t)
	ctx := context.Background()
	ix, err := New(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	at := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	err = ix.Apply(ctx,
		Upsert(Document{Kind: KindDoc, ID: "d1", Title: "Q3 budget", Body: "the budget for <Q3> is approved",
			Container: "f1", ContainerName: "Finance", Author: "alice", Time: at, AccessKeys: []string{"tenant"}}),
		Upsert(Document{Kind: KindMessage, ID: "m1", Body: strings.Repeat("long message ", 40),
			Container: "c1", ContainerName: "general", Author: "bob", Time: at, AccessKeys: []string{"tenant"}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, keys := range [][]string{{"tenant"}, append([]string{"tenant"}, make([]string, twoPhaseKeys)...)} {
		res, err := ix.Search(ctx, "u", Request{Query: "approved", Keys: keys})
		if err != nil || len(res.Items) != 1 {
			t.Fatalf("%d keys: %v, %v", len(keys), res, err)
		}
		h := res.Items[0]
		if h.Title != "Q3 budget" || h.ContainerName != "Finance" || h.Container != "f1" || h.Author != "alice" || !h.Time.Equal(at) {
			t.Errorf("%d keys: hit %+v", len(keys), h)
		}
		if !strings.Contains(h.Snippet, "<mark>approved</mark>") || !strings.Contains(h.Snippet, "&lt;Q3&gt;") {
			t.Errorf("%d keys: snippet %q, want the match marked and the text escaped", len(keys), h.Snippet)
		}
	}
	res, err := ix.Search(ctx, "u", Request{Query: "from:bob", Keys: []string{"tenant"}})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("%v, %v", res, err)
	}
	if s := res.Items[0].Snippet; !strings.HasPrefix(s, "long message") || len([]rune(s)) > SnippetLen+1 {
		t.Errorf("a hit without matched words: snippet %q, want the start of the text", s)
	}
}
