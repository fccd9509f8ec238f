// Package file stores files — chat attachments, files in folders — with
// their bytes in a blob bucket (gocloud.dev/blob: local files, memory,
// S3, GCS, Azure) and their metadata in the store, and makes their text
// and thumbnails off the write path.
//
// # Overview
//
// A [Service] serves one tenant: it runs over the tenant's store
// namespace and, with [WithBlobPrefix], over the tenant's part of a shared
// bucket. Files live in containers, opaque strings the application picks
// ("conv:c_1", "folder:f_9"); who may read and write a container is the
// caller's [Access] (the root package wires chat membership and docacl
// roles). What the actor may not read is not found.
//
// [Service.Upload] streams from an io.Reader through one 256 KiB buffer
// (never the whole file in memory), refuses a file over the tenant's
// limit ([WithMaxSize], default [DefaultMaxSize]) after reading at most
// limit+1 bytes, sniffs the content type from the bytes (never from the
// client: net/http.DetectContentType plus the zip entries of DOCX, XLSX
// and PPTX), and records a SHA-256. Identical content within a tenant is
// one blob with a reference count kept in the store transaction; a blob
// is deleted once nothing references it. [Service.Open] streams a version
// or a byte range after the access check. Versions: [Service.UploadVersion],
// [Service.Versions], [Service.Restore].
//
// # Crash safety
//
// An upload writes its bytes under tmp/<upload>; the transaction commits
// the file, its version, the blob's reference and a pending record; then
// the blob is copied (or renamed) to its content address
// blobs/<sha256>/<upload> and
// the pending record removed. A crash before the commit leaves a
// temporary blob that [Service.Sweep] deletes once older than the grace
// period ([WithGrace]); a crash after it leaves a pending record that the
// first download or the next Sweep finishes. Blobs without a reference (a
// delete that died after its commit) are swept the same way. A download
// whose blob is gone anyway is [ErrContentMissing].
//
// # Followers
//
// [Service.RunText] and [Service.RunThumbnails] tail the change log under
// the library's fault model ([store.Backoff] with a durable position in
// the store, transient errors retried, permanent ones returned and given
// to [WithErrorHook]). The text follower extracts plain text, Markdown,
// HTML, CSV, PDF (parsed by github.com/pdfcpu/pdfcpu, text operators read
// by this package) and Office Open XML (archive/zip + encoding/xml),
// stores it ([System.Text]) and announces it with a [TextReady] record
// for the search indexer. The thumbnail follower reads an image's declared
// dimensions first (image.DecodeConfig), refuses huge ones undecoded,
// then scales it with golang.org/x/image/draw and stores a PNG thumbnail.
// Content that cannot be processed is recorded on the version (state
// failed, with the reason) and never stops a follower.
//
// # Governance
//
// [Service.System] returns the trusted handle for what skips the actor
// check: [System.Files] and [System.Open] (streamed export),
// [System.Delete] (retention, a deleted message), [System.Purge] (also
// rewrites the change records that named the file), [System.MoveContainer]
// (files follow their folder or an offboarded owner).
//
// # Wire format
//
// [File], [Version], [Change] and the other exported types are the wire
// format (snake_case JSON); listings are [store.Page]. The stored records
// are JSON of the same types plus internal fields.
//
// # Caveats
//
//   - A Service, its System and its followers are safe for concurrent use.
//     A follower runs on its caller's goroutine until its context ends.
//   - Making an upload live copies the blob once inside the bucket
//     (gocloud has no rename; S3, GCS and Azure copy server-side), except
//     on a bucket that implements [Renamer] ([OpenDir] renames); a
//     duplicate skips it.
//   - The text follower reads at most [MaxExtractInput] bytes of a file
//     into memory; bigger files get no text (state failed, ErrTooLarge).
//   - PDF text comes from the Tj/TJ operators of each page's content
//     stream: text in fonts with custom encodings (many CJK PDFs) comes
//     out as raw codes. pdfcpu takes no context, so one PDF is abandoned
//     after [MaxPDFTime] (its goroutine finishes on its own). The package
//     disables pdfcpu's configuration directory process-wide.
//   - Sweep lists the whole prefix of the bucket: run it from a periodic
//     job, not on a request path.
//   - The zero configuration's [Open] lets everyone read and write
//     everything: an application with more than one team passes
//     [WithAccess].
package file
