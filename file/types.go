package file

import "time"

// Kind is the family of a file's content, from its sniffed content type:
// what search's type: modifier and the client's icon go by. It encodes as
// its string.
type Kind string

// Kinds of content.
const (
	KindOther        Kind = "other"
	KindImage        Kind = "image"
	KindPDF          Kind = "pdf"
	KindText         Kind = "text"     // text/plain
	KindMarkdown     Kind = "markdown" // text/markdown (by extension over plain text)
	KindHTML         Kind = "html"
	KindCSV          Kind = "csv"
	KindDocument     Kind = "docx"
	KindSpreadsheet  Kind = "xlsx"
	KindPresentation Kind = "pptx"
	KindArchive      Kind = "zip"
	KindAudio        Kind = "audio"
	KindVideo        Kind = "video"
)

// State is where a follower's work on a version stands.
type State string

// States of a version's text and thumbnail.
const (
	StatePending State = "pending" // not processed yet
	StateReady   State = "ready"   // done
	StateNone    State = "none"    // nothing to do for this kind
	StateFailed  State = "failed"  // the content could not be processed: see the error
)

// File is a file in a container, as its current version says. It is the
// wire type clients see.
type File struct {
	ID        string `json:"id"`
	Container string `json:"container"`
	Name      string `json:"name"`
	// Version is the current version's number, from 1.
	Version     int       `json:"version"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Kind        Kind      `json:"kind"`
	SHA256      string    `json:"sha256"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedBy   string    `json:"updated_by"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Width, Height are an image's dimensions, once the thumbnail
	// follower has read them.
	Width     int   `json:"width,omitempty"`
	Height    int   `json:"height,omitempty"`
	Thumbnail State `json:"thumbnail"`
	Text      State `json:"text"`
	// ClientKey is the key the first upload was made with, if any.
	ClientKey string `json:"client_key,omitempty"`
}

// Version is one version of a file.
type Version struct {
	FileID      string    `json:"file_id"`
	Number      int       `json:"number"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Kind        Kind      `json:"kind"`
	SHA256      string    `json:"sha256"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	// RestoredFrom is the version this one restored, or 0.
	RestoredFrom int   `json:"restored_from,omitempty"`
	Width        int   `json:"width,omitempty"`
	Height       int   `json:"height,omitempty"`
	Thumbnail    State `json:"thumbnail"`
	Text         State `json:"text"`
	// TextError, ThumbnailError say why a follower failed on the content.
	TextError      string `json:"text_error,omitempty"`
	ThumbnailError string `json:"thumbnail_error,omitempty"`
}

// Upload describes a file to store. Content is read once, streaming.
type Upload struct {
	// Container is where the file goes: the caller's Access decides who
	// may write it. At most MaxIDLen bytes, not empty.
	Container string `json:"container"`
	// Name is the file name (see ValidName). The extension helps tell
	// Markdown and Office files apart; the content type is sniffed from
	// the bytes, never taken from the client.
	Name string `json:"name"`
	// ClientKey makes the upload idempotent: a second Upload with the
	// same actor and key returns the first file, stores nothing and does
	// not read its reader.
	ClientKey string `json:"client_key,omitempty"`
}

// blobRef is the stored reference count of one content-addressed blob.
type blobRef struct {
	Key    string `json:"key"`    // live bucket key
	Upload string `json:"upload"` // upload that created it: its pending record
	Size   int64  `json:"size"`
	Refs   int    `json:"refs"`
}

// pending is a blob whose metadata committed before it was made live.
type pending struct {
	Tmp  string    `json:"tmp"`
	Live string    `json:"live"`
	At   time.Time `json:"at"`
}

// stored is the stored form of a file.
type stored struct {
	File
	Seqs []uint64 `json:"seqs,omitempty"` // change records that name it, for Purge
}

// storedVersion is the stored form of a version.
type storedVersion struct {
	Version
	BlobKey string `json:"blob_key"`
}
