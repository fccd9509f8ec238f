package file

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/workspace-go/workspace/store"
)

// SweepResult counts what Sweep did.
type SweepResult struct {
	// Promoted is how many committed uploads it made live (their
	// uploader died between the commit and the copy).
	Promoted int `json:"promoted"`
	// Temporary is how many abandoned uploads it deleted (their uploader
	// died, or failed, before the commit).
	Temporary int `json:"temporary"`
	// Blobs is how many live blobs nothing referenced (a delete whose
	// process died after its commit).
	Blobs int `json:"blobs"`
	// Thumbnails is how many thumbnails of deleted files it deleted.
	Thumbnails int `json:"thumbnails"`
}

// Sweep brings the bucket back in step with the store after crashes: it
// finishes every committed upload that is not live yet, and deletes the
// objects under the Service's prefix that nothing references and that are
// older than the grace period (WithGrace) by the Service's clock, so an
// upload in flight is never taken for an orphan. It lists the whole
// prefix; run it from a periodic job (one at a time per tenant is enough,
// though concurrent sweeps are safe).
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	type pend struct {
		upload string
		p      pending
	}
	var ps []pend
	err := s.st.View(ctx, func(tx store.Tx) error {
		for k, b := range tx.Scan(store.Prefix(kPendingAll())) {
			id, err := lastPart(k)
			if err != nil {
				return err
			}
			var p pending
			if err := jsonUnmarshal(b, &p); err != nil {
				return err
			}
			ps = append(ps, pend{id, p})
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for _, p := range ps {
		if err := s.promote(ctx, p.upload, p.p); err != nil {
			return res, err
		}
		res.Promoted++
	}
	cutoff := s.o.now().Add(-s.o.grace)
	for o, err := range s.bucket.List(ctx, s.o.prefix) {
		if err != nil {
			return res, err
		}
		if !o.ModTime.Before(cutoff) {
			continue
		}
		rest := strings.TrimPrefix(o.Key, s.o.prefix)
		dir, name, _ := strings.Cut(rest, "/")
		var orphan bool
		switch dir {
		case "tmp":
			orphan, err = s.absent(ctx, func(tx store.Tx) (bool, error) {
				_, err := tx.Get(kPending(name))
				return isNotFound(err)
			})
			if orphan && err == nil {
				res.Temporary++
			}
		case "blobs":
			sha, _, _ := strings.Cut(name, "/")
			orphan, err = s.absent(ctx, func(tx store.Tx) (bool, error) {
				var b blobRef
				gone, err := isNotFound(getJSON(tx, kBlob(sha), &b))
				return gone || err == nil && b.Key != o.Key, err
			})
			if orphan && err == nil {
				res.Blobs++
			}
		case "thumbs":
			id, num, _ := strings.Cut(name, "/")
			n, _ := strconv.Atoi(num)
			orphan, err = s.absent(ctx, func(tx store.Tx) (bool, error) {
				_, err := tx.Get(kVersion(id, n))
				return isNotFound(err)
			})
			if orphan && err == nil {
				res.Thumbnails++
			}
		}
		if err != nil {
			return res, err
		}
		if orphan {
			if err := s.bucket.Delete(ctx, o.Key); err != nil && !errors.Is(err, store.ErrNotFound) {
				return res, err
			}
		}
	}
	return res, nil
}

func (s *Service) absent(ctx context.Context, fn func(tx store.Tx) (bool, error)) (bool, error) {
	var gone bool
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		gone, err = fn(tx)
		return err
	})
	return gone, err
}

// isNotFound turns a not-found error into (true, nil).
func isNotFound(err error) (bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}
