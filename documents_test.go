package workspace_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/memstore"
)

// contents is an application's document store, as DocumentText reads it.
type contents struct {
	mu   sync.Mutex
	text map[string]string
	down bool
}

func (c *contents) set(id, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.text[id] = text
}

func (c *contents) read(_ context.Context, id string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return "", errors.New("content service unavailable")
	}
	return c.text[id], nil
}

func TestDocumentsAreFoundByTheirText(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			files := &contents{text: map[string]string{}}
			ws := open(t, b.open(t), "", func(o *workspace.Options) { o.DocumentText = files.read })
			addPeople(t, ws, "owner", "reader", "outsider")
			files.mu.Lock()
			files.down = true // the first read fails: the name is indexed alone
			files.mu.Unlock()
			doc, err := ws.Docs.Create(ctx, "owner", docacl.Resource{Kind: docacl.Document, Name: "周报 weekly report"})
			if err != nil {
				t.Fatal(err)
			}
			if err := ws.Docs.Grant(ctx, "owner", doc.ID, docacl.UserKey("reader"), docacl.Viewer, docacl.GrantOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := searchAs(t, ws, "reader", "周报").Total; got != 1 {
				t.Fatalf("by name: %d; want 1", got)
			}
			files.mu.Lock()
			files.down = false
			files.mu.Unlock()
			files.set(doc.ID, "本周完成了计费服务的上线 billing service deployed to production")
			if got := searchAs(t, ws, "reader", "billing").Total; got != 0 {
				t.Fatalf("found by text before DocumentChanged: %d", got)
			}
			if err := ws.DocumentChanged(ctx, doc.ID); err != nil {
				t.Fatal(err)
			}
			if got := searchAs(t, ws, "reader", "计费 deploy").Total; got != 1 {
				t.Errorf("by text after DocumentChanged: %d; want 1", got)
			}
			if got := searchAs(t, ws, "outsider", "billing").Total; got != 0 {
				t.Errorf("a user without access finds %d by text", got)
			}
			files.set(doc.ID, "下周计划 invoices for March")
			if err := ws.DocumentChanged(ctx, doc.ID); err != nil {
				t.Fatal(err)
			}
			if b, i := searchAs(t, ws, "reader", "billing").Total, searchAs(t, ws, "reader", "invoice").Total; b != 0 || i != 1 {
				t.Errorf("after a second change: old text finds %d, new text %d; want 0 and 1", b, i)
			}
			if err := ws.DocumentChanged(ctx, "no-such-document"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("DocumentChanged of an unknown id: %v; want ErrNotFound", err)
			}
		})
	}
}

func TestDocumentTextIsCapped(t *testing.T) {
	ctx := context.Background()
	files := &contents{text: map[string]string{}}
	ws := open(t, memstore.New(), "", func(o *workspace.Options) { o.DocumentText = files.read })
	addPeople(t, ws, "owner")
	doc, err := ws.Docs.Create(ctx, "owner", docacl.Resource{Kind: docacl.Document, Name: "log"})
	if err != nil {
		t.Fatal(err)
	}
	// Past the cap, in the middle of a three-byte character, then a word
	// that must not be found.
	files.set(doc.ID, "early "+strings.Repeat("字", workspace.MaxDocumentText/3)+" beyondthecap")
	if err := ws.DocumentChanged(ctx, doc.ID); err != nil {
		t.Fatal(err)
	}
	if got := searchAs(t, ws, "owner", "early").Total; got != 1 {
		t.Errorf("a word before the cap: %d; want 1", got)
	}
	if got := searchAs(t, ws, "owner", "beyondthecap").Total; got != 0 {
		t.Errorf("a word past the cap: %d; want 0", got)
	}
}
