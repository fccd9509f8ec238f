package file

import (
	"fmt"

	"github.com/workspace-go/workspace/store"
)

// Errors returned by the Service. Each wraps one of the store sentinels, so
// callers test either: errors.Is(err, file.ErrContentMissing) or
// errors.Is(err, store.ErrNotFound).
var (
	// ErrNotFound reports a file or version that does not exist, or one in
	// a container the actor may not read.
	ErrNotFound = fmt.Errorf("%w", store.ErrNotFound)

	// ErrInvalid reports bad input: an empty or malformed name, an empty
	// file, a bad cursor, a bad option. Nothing was written.
	ErrInvalid = fmt.Errorf("%w", store.ErrInvalid)

	// ErrTooLarge reports a file over the tenant's size limit, or another
	// input over a documented limit. It wraps ErrInvalid. Nothing was
	// stored: the partial upload was deleted.
	// It wraps both store.ErrTooLarge and this package's ErrInvalid; the
	// second verb prints nothing (precision 0), so the message stays
	// "too large: invalid argument".
	ErrTooLarge = fmt.Errorf("%w%.0w", store.ErrTooLarge, ErrInvalid)

	// ErrPermission reports that the actor may see the container but may
	// not change it.
	ErrPermission = fmt.Errorf("%w", store.ErrPermission)

	// ErrContentMissing reports a file whose metadata exists but whose
	// bytes are gone from the bucket (deleted behind the library's back,
	// or a bucket restored from an older backup). It wraps ErrNotFound.
	ErrContentMissing = fmt.Errorf("content missing from the bucket: %w", store.ErrNotFound)

	// ErrUnsupported reports a file a follower cannot process: an image
	// format it does not decode, a document format it does not read. It
	// wraps ErrInvalid. It is recorded on the version, never returned by
	// an upload.
	ErrUnsupported = fmt.Errorf("unsupported format: %w", store.ErrInvalid)

	// ErrCorrupt reports content that claims a format and breaks it: a
	// truncated PDF, an Office file that is not a valid zip, a zip bomb,
	// an image with declared dimensions over the limit. It wraps
	// ErrInvalid. Like ErrUnsupported it is recorded on the version.
	ErrCorrupt = fmt.Errorf("corrupt content: %w", store.ErrInvalid)
)
