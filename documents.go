package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
)

// MaxDocumentText is the most text of one document, in bytes, that the
// index takes from Options.DocumentText; the rest is not searchable.
const MaxDocumentText = 1 << 20

// DocumentChanged tells the Workspace that the application changed the
// text of document id, whose content it keeps (see Options.DocumentText).
// It appends a record to the change log, so that the index on every node
// reads the text again. id must be a resource docacl knows.
func (w *Workspace) DocumentChanged(ctx context.Context, id string) error {
	if _, err := w.Docs.System().Lookup(ctx, id); err != nil {
		return fmt.Errorf("workspace: document %q changed: %w", id, err)
	}
	rec, err := json.Marshal(Change{Type: ChangeDocumentText, Document: id})
	if err != nil {
		return err
	}
	err = w.st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Append(Kind, rec)
		return err
	})
	if err != nil {
		return fmt.Errorf("workspace: document %q changed: %w", id, err)
	}
	return nil
}

// emitDocument indexes resource id as it is now: its name, its folder's
// name, its text from Options.DocumentText, and the principals that may
// view it (docacl's ViewerKeys). A resource gone is removed; one that
// cannot be read now is skipped (the log's later records catch up),
// unless the failure is transient, which the indexer retries.
func (w *Workspace) emitDocument(ctx context.Context, id string, emit func(search.Op) error) error {
	sys := w.Docs.System()
	r, err := sys.Lookup(ctx, id)
	if isNotFound(err) {
		return emit(search.Delete(search.KindDoc, id))
	}
	if err != nil {
		return skip(err)
	}
	viewers, err := sys.ViewerKeys(ctx, id)
	if isNotFound(err) {
		return emit(search.Delete(search.KindDoc, id))
	}
	if err != nil {
		return skip(err)
	}
	var folder string
	if r.Parent != "" {
		if p, err := sys.Lookup(ctx, r.Parent); err == nil {
			folder = p.Name
		} else if store.Transient(err) {
			return err
		}
	}
	return emit(search.Upsert(search.Document{
		Kind:          search.KindDoc,
		ID:            r.ID,
		Container:     r.Parent,
		ContainerName: folder,
		Title:         r.Name,
		Body:          w.documentText(ctx, r),
		Author:        r.Owner,
		Time:          r.Created,
		AccessKeys:    viewers,
	}))
}

// documentText returns the searchable text of document r: valid UTF-8, at
// most MaxDocumentText bytes. A document whose text cannot be read now is
// indexed by its name until DocumentChanged is called again.
func (w *Workspace) documentText(ctx context.Context, r docacl.Resource) string {
	if w.opts.DocumentText == nil || r.Kind != docacl.Document {
		return ""
	}
	text, err := w.opts.DocumentText(ctx, r.ID)
	if err != nil {
		return ""
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	if len(text) > MaxDocumentText {
		cut := MaxDocumentText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return text
}
