package docacl

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"
)

// Option configures New. New skips nil options and fails with an error
// wrapping ErrInvalid when an option's argument is bad.
type Option func(*options) error

type options struct {
	now             func() time.Time
	ids             func() string
	tokens          func() string
	admins          []string
	argon           argonParams
	editorsCanShare bool
	sweepBatch      int // expiries per Sweep transaction; tests lower it
	dir             Directory
}

func defaultOptions() options {
	return options{
		now:        time.Now,
		tokens:     randomToken,
		argon:      defaultArgon,
		sweepBatch: sweepBatch,
	}
}

// WithClock sets the clock used for grant times, expiry and the audit
// trail. The default is time.Now. A write at a time the clock gives
// outside years MinYear–MaxYear fails with ErrInvalid.
func WithClock(now func() time.Time) Option {
	return func(c *options) error {
		if now == nil {
			return fmt.Errorf("docacl: WithClock(nil): %w", ErrInvalid)
		}
		c.now = now
		return nil
	}
}

// WithIDs sets the generator of resource and audit ids. The default is
// ids.New (time-ordered UUIDv7) over the service's clock.
func WithIDs(gen func() string) Option {
	return func(c *options) error {
		if gen == nil {
			return fmt.Errorf("docacl: WithIDs(nil): %w", ErrInvalid)
		}
		c.ids = gen
		return nil
	}
}

// WithLinkTokens sets the generator of share link ids. Link ids are the
// secret part of a link's URL, so the default draws 128 random bits from
// crypto/rand; replace it only in tests.
func WithLinkTokens(gen func() string) Option {
	return func(c *options) error {
		if gen == nil {
			return fmt.Errorf("docacl: WithLinkTokens(nil): %w", ErrInvalid)
		}
		c.tokens = gen
		return nil
	}
}

// WithAdmins names users who are tenant admins whatever the directory says:
// they may manage users, groups, departments and tenant settings, and
// offboard users. They need not be users of the directory themselves (an
// application may act as "system"). Admins get no implicit access to
// resources. The default is none: then only directory users marked admin
// (User.Admin, set with PutUser) are admins, and a new store needs at
// least one WithAdmins to bootstrap its directory.
//
// Each id must be a valid id (see MaxIDLen); New fails with ErrInvalid
// otherwise.
func WithAdmins(ids ...string) Option {
	return func(c *options) error {
		for _, a := range ids {
			if err := checkID(a); err != nil {
				return fmt.Errorf("docacl: WithAdmins: admin %q: %w", a, err)
			}
		}
		c.admins = append(c.admins, ids...)
		return nil
	}
}

// WithPasswordHashing sets the argon2id cost for new link passwords: time
// (passes), memory in KiB and threads. The default is 2 passes over 19 MiB
// with 1 thread (the OWASP minimum). Existing links keep the cost they were
// hashed with. Tests may lower it; production should not. time and
// threads must be at least 1 and memoryKiB at least 8 per thread (argon2's
// own minimum); New fails with ErrInvalid otherwise.
func WithPasswordHashing(time, memoryKiB uint32, threads uint8) Option {
	return func(c *options) error {
		if time < 1 || threads < 1 || memoryKiB < 8*uint32(threads) {
			return fmt.Errorf("docacl: WithPasswordHashing(%d, %d, %d): %w", time, memoryKiB, threads, ErrInvalid)
		}
		c.argon = argonParams{Time: time, Memory: memoryKiB, Threads: threads}
		return nil
	}
}

// WithEditorsCanShare lets editors add grants of up to Editor, as Google
// Drive's "editors can change permissions and share" does. Changing or
// removing others' access still needs Manager. The default is false: only
// managers and owners share (Feishu's default).
func WithEditorsCanShare(on bool) Option {
	return func(c *options) error {
		c.editorsCanShare = on
		return nil
	}
}

func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
