package search

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

var (
	minTime = time.Unix(0, -1<<63+1)
	maxTime = time.Unix(0, 1<<63-1)
)

const (
	optText       = index.IndexField | index.StoreField | index.IncludeTermVectors
	optKeyword    = index.IndexField
	optStored     = index.IndexField | index.StoreField
	optStoredOnly = index.StoreField
	optKind       = index.IndexField | index.DocValues // facets
	optAccess     = index.IndexField | index.DocValues // the hash-set permission filter
	optTime       = index.IndexField | index.StoreField | index.DocValues
)

// bleveDoc builds the bleve document for d directly, field by field, the
// same document the mapping would build by reflection, at a fraction of
// the cost.
func (a analyzers) bleveDoc(d Document) (*document.Document, error) {
	id, err := docID(d.Kind, d.ID)
	if err != nil {
		return nil, err
	}
	t := d.Time
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	if t.Before(minTime) || t.After(maxTime) {
		return nil, fmt.Errorf("search: %s: time %v outside 1678..2262: %w", id, d.Time, ErrDocument)
	}
	doc := document.NewDocument(id)
	kw := func(name, v string, opt index.FieldIndexingOptions) {
		doc.AddField(document.NewTextFieldCustom(name, nil, []byte(clean(v)), opt, a.keyword))
	}
	kw(fieldKind, d.Kind, optKind)
	if d.Container != "" {
		kw(fieldContainer, d.Container, optStored)
	}
	if d.ContainerName != "" {
		doc.AddField(document.NewTextFieldCustom(fieldContainerName, nil, []byte(clean(d.ContainerName)), optStoredOnly, a.keyword))
	}
	if d.Title != "" {
		doc.AddField(document.NewTextFieldCustom(fieldTitle, nil, []byte(clean(d.Title)), optStoredOnly, a.keyword))
	}
	if text := joinText(d.Title, d.Body); text != "" {
		doc.AddField(document.NewTextFieldCustom(fieldText, nil, []byte(clean(text)), optText, a.text))
	}
	if d.Author != "" {
		kw(fieldAuthor, d.Author, optStored)
	}
	kw(fieldTime, timeTerm(t), optTime)
	for i, term := range trieTerms(t) {
		doc.AddField(document.NewTextFieldCustom(fieldTimeTrie, []uint64{uint64(i)}, []byte(term), optKeyword, a.keyword))
	}
	for i, h := range d.Has {
		if h != "" {
			doc.AddField(document.NewTextFieldCustom(fieldHas, []uint64{uint64(i)}, []byte(clean(h)), optKeyword, a.keyword))
		}
	}
	if d.Thread != "" {
		kw(fieldThread, d.Thread, optStored)
		kw(fieldIs, "thread", optKeyword)
	}
	for i, k := range d.AccessKeys {
		if k != "" {
			doc.AddField(document.NewTextFieldCustom(fieldAccess, []uint64{uint64(i)}, []byte(clean(k)), optAccess, a.keyword))
		}
	}
	return doc, nil
}

// joinText is the searchable text of a document: its title and body on
// separate lines. One field instead of two halves the term searchers of
// every query (measured: a third of the time of a two-word query went to
// or-ing title and body); the price is that a phrase may run from the end
// of the title into the body.
func joinText(title, body string) string {
	switch {
	case title == "":
		return body
	case body == "":
		return title
	}
	return title + "\n" + body
}

// indexType is the bleve index implementation used on disk and in memory.
const indexType = scorch.Name
