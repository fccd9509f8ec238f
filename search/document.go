package search

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of documents the workspace packages produce. An application may
// index its own kinds too: any string of 1 to 64 bytes without '/'.
const (
	KindMessage = "message"
	KindTask    = "task"
	KindEvent   = "event"
	KindDoc     = "doc"
)

// Values of Document.Has that the query modifier has: accepts.
const (
	HasLink     = "link"
	HasFile     = "file"
	HasReaction = "reaction"
)

// Document is one searchable thing: a message, a task, an event, a
// document or an application's own kind. The caller maps its records to
// Documents (see Mapper); the search package knows nothing of chat or
// tasks.
//
// Kind and ID identify the document: indexing a Document with the same
// Kind and ID again replaces it.
type Document struct {
	// Kind is "message", "task", "event", "doc" or an application's kind:
	// 1 to 64 bytes, no '/'. Matched by type:.
	Kind string
	// ID is the record's id within its kind (1 to 512 bytes).
	ID string
	// Container is where it lives: a conversation, a calendar, a folder.
	// Matched by in:.
	Container string
	// ContainerName is the container's name as people read it (a channel's
	// name, a calendar's, a folder's), stored for result lists; not
	// searched.
	ContainerName string
	// Title is the subject (a task title, an event summary, a document
	// name); may be empty for messages.
	Title string
	// Body is the text.
	Body string
	// Author is the user who wrote or owns it. Matched by from:.
	Author string
	// Time orders results by time and is matched by before:, after:, on:.
	Time time.Time
	// Has lists what it carries: HasLink, HasFile, HasReaction. Matched by
	// has:. Other values are indexed but no modifier reaches them.
	Has []string
	// Thread is the id of the thread root when the document is a thread
	// root with replies or a reply; empty otherwise. Non-empty matches
	// is:thread.
	Thread string
	// AccessKeys are the keys of everyone who may see it ("conv:c1",
	// "user:u7", "group:g3", "dept:d2", "tenant"). A searcher sees the
	// document only when it holds at least one of them: a document
	// without keys is found by nobody.
	AccessKeys []string
}

// Op is one change to the index: an upsert of a Document or the removal
// of one. Build it with Upsert or Delete.
type Op struct {
	doc    Document
	delete bool
}

// Upsert returns an Op that indexes d, replacing any document with the
// same Kind and ID.
func Upsert(d Document) Op { return Op{doc: d} }

// Delete returns an Op that removes the document kind/id. Removing an
// absent document is not an error.
func Delete(kind, id string) Op { return Op{doc: Document{Kind: kind, ID: id}, delete: true} }

// IsDelete reports whether o removes a document.
func (o Op) IsDelete() bool { return o.delete }

// Document returns the document o indexes (only Kind and ID for a delete).
func (o Op) Document() Document { return o.doc }

const (
	maxKindLen = 64
	maxIDLen   = 512
)

// docID returns the bleve document id of kind/id, after checking both.
func docID(kind, id string) (string, error) {
	switch {
	case kind == "" || len(kind) > maxKindLen || strings.Contains(kind, "/") || !utf8.ValidString(kind):
		return "", fmt.Errorf("search: kind %q: must be 1 to %d bytes of UTF-8 without '/': %w", kind, maxKindLen, ErrDocument)
	case id == "" || len(id) > maxIDLen || !utf8.ValidString(id):
		return "", fmt.Errorf("search: %s id %q: must be 1 to %d bytes of UTF-8: %w", kind, id, maxIDLen, ErrDocument)
	}
	return kind + "/" + id, nil
}

// splitID is the inverse of docID.
func splitID(s string) (kind, id string) {
	kind, id, _ = strings.Cut(s, "/")
	return kind, id
}

// clean makes s valid UTF-8, replacing bad bytes with U+FFFD, so that
// text from anywhere can be indexed and highlighted.
func clean(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
