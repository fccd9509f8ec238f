package file

import (
	"fmt"
	"time"

	"github.com/workspace-go/workspace/store"
)

// Option configures a Service. New skips nil options and fails with an
// error wrapping ErrInvalid when an option's argument is bad.
type Option func(*options) error

type options struct {
	now       func() time.Time
	newID     func() string
	access    Access
	maxSize   int64
	prefix    string
	grace     time.Duration
	backoff   *store.Backoff
	maxText   int
	maxPixels int64
	thumbSize int
	onError   func(follower string, err error)
}

// Defaults and limits.
const (
	// DefaultMaxSize is the largest file a tenant may upload unless
	// WithMaxSize says otherwise: 2 GiB.
	DefaultMaxSize = 2 << 30
	// DefaultGrace is how old an orphaned blob must be before Sweep
	// deletes it: longer than any upload takes.
	DefaultGrace = 24 * time.Hour
	// DefaultMaxText is the most extracted text kept per version, in bytes.
	DefaultMaxText = 1 << 20
	// DefaultMaxPixels is the largest image (width × height) the
	// thumbnail follower decodes: 50 megapixels.
	DefaultMaxPixels = 50_000_000
	// DefaultThumbnailSize is the longest side of a thumbnail, in pixels.
	DefaultThumbnailSize = 256
)

// WithClock makes the Service read the time from now instead of time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("file: WithClock(nil): %w", ErrInvalid)
		}
		o.now = now
		return nil
	}
}

// WithIDs makes the Service name files and uploads with gen instead of
// time-ordered UUIDv7s. Ids must be unique, non-empty, at most MaxIDLen
// bytes.
func WithIDs(gen func() string) Option {
	return func(o *options) error {
		if gen == nil {
			return fmt.Errorf("file: WithIDs(nil): %w", ErrInvalid)
		}
		o.newID = gen
		return nil
	}
}

// WithAccess sets who may read and write each container. The default is
// [Open]: everyone, everything.
func WithAccess(a Access) Option {
	return func(o *options) error {
		if a == nil {
			return fmt.Errorf("file: WithAccess(nil): %w", ErrInvalid)
		}
		o.access = a
		return nil
	}
}

// WithMaxSize sets the tenant's largest file, in bytes (default
// DefaultMaxSize). An upload over it is refused with ErrTooLarge after
// reading at most n+1 bytes, and nothing is kept.
func WithMaxSize(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("file: max size %d: %w", n, ErrInvalid)
		}
		o.maxSize = n
		return nil
	}
}

// WithBlobPrefix puts every object the Service writes under prefix in the
// bucket (default ""), so tenants can share one bucket: the root passes
// "tenants/<tenant>/". The Service lists, sweeps and deletes only under
// it.
func WithBlobPrefix(prefix string) Option {
	return func(o *options) error {
		if len(prefix) > MaxIDLen {
			return fmt.Errorf("file: blob prefix of %d bytes: %w", len(prefix), ErrTooLarge)
		}
		o.prefix = prefix
		return nil
	}
}

// WithGrace sets how old an orphaned blob must be before Sweep deletes it
// (default DefaultGrace). It must exceed the longest upload.
func WithGrace(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("file: grace %v: %w", d, ErrInvalid)
		}
		o.grace = d
		return nil
	}
}

// WithBackoff sets how the followers (RunText, RunThumbnails) retry
// transient store and bucket errors. nil means the store defaults.
func WithBackoff(b *store.Backoff) Option {
	return func(o *options) error {
		o.backoff = b
		return nil
	}
}

// WithMaxText sets the most extracted text kept per version, in bytes
// (default DefaultMaxText); longer text is cut at a rune boundary.
func WithMaxText(n int) Option {
	return func(o *options) error {
		if n <= 0 || n > store.MaxValueSize/2 {
			return fmt.Errorf("file: max text %d: %w", n, ErrInvalid)
		}
		o.maxText = n
		return nil
	}
}

// WithMaxPixels sets the largest image, in pixels, the thumbnail follower
// decodes (default DefaultMaxPixels); larger ones are recorded as
// ErrCorrupt without being decoded.
func WithMaxPixels(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("file: max pixels %d: %w", n, ErrInvalid)
		}
		o.maxPixels = n
		return nil
	}
}

// WithThumbnailSize sets the longest side of thumbnails, 16 to 2048
// pixels (default DefaultThumbnailSize).
func WithThumbnailSize(px int) Option {
	return func(o *options) error {
		if px < 16 || px > 2048 {
			return fmt.Errorf("file: thumbnail size %d: %w", px, ErrInvalid)
		}
		o.thumbSize = px
		return nil
	}
}

// WithErrorHook makes the followers report the error that stopped them
// to fn (besides returning it), with the follower's name.
func WithErrorHook(fn func(follower string, err error)) Option {
	return func(o *options) error {
		o.onError = fn
		return nil
	}
}
