package file

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// ChangeType names what a change record says happened.
type ChangeType string

// Change types. Every mutation appends one record of kind ChangeKind in
// its own transaction; the followers append TextReady and ThumbnailReady
// with their results.
const (
	FileCreated     ChangeType = "file.created"       // first version uploaded
	VersionAdded    ChangeType = "file.version"       // a new version uploaded
	VersionRestored ChangeType = "file.restored"      // an old version made current (as a new version)
	FileMoved       ChangeType = "file.moved"         // to another container
	FileDeleted     ChangeType = "file.deleted"       // file and its versions gone
	FilePurged      ChangeType = "file.purged"        // deleted, and its earlier records rewritten
	TextReady       ChangeType = "file.text_ready"    // text extracted (or failed): index it
	ThumbnailReady  ChangeType = "file.thumb_ready"   // dimensions and thumbnail (or failed)
	purgedRecord    ChangeType = "file.purged_record" // what a purged record reads as
)

// Change is one change record of the package, as DecodeChange returns it.
type Change struct {
	Type   ChangeType `json:"type"`
	FileID string     `json:"file_id"`
	// Container is the file's container after the change; From is the
	// one it left (FileMoved).
	Container string    `json:"container,omitempty"`
	From      string    `json:"from,omitempty"`
	Actor     string    `json:"actor,omitempty"`
	At        time.Time `json:"at"`
	// Version is the version concerned (created, added, restored, text
	// or thumbnail ready).
	Version int `json:"version,omitempty"`
	// File is the file after the change; nil for deletes and purged
	// records.
	File *File `json:"file,omitempty"`
}

// DecodeChange decodes a change record. ok is false (and err nil) for
// another package's record; for this package's kind it returns the change
// or an error wrapping store.ErrInvalid when the record is malformed.
func DecodeChange(c store.Change) (ch Change, ok bool, err error) {
	if c.Kind != ChangeKind {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return Change{}, true, fmt.Errorf("file: decode change %d: %v: %w", c.Seq, err, store.ErrInvalid)
	}
	if ch.Type == "" || ch.FileID == "" {
		return Change{}, true, fmt.Errorf("file: decode change %d: no type or file: %w", c.Seq, store.ErrInvalid)
	}
	return ch, true, nil
}

// appendChange appends ch and remembers its seq on f, for Purge.
func appendChange(tx store.Tx, f *stored, ch Change) error {
	b, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	seq, err := tx.Append(ChangeKind, b)
	if err != nil {
		return err
	}
	if f != nil {
		f.Seqs = append(f.Seqs, seq)
	}
	return nil
}
