package docacl

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// Option configures New.
type Option func(*config)

type config struct {
	now             func() time.Time
	ids             func() string
	tokens          func() string
	admins          []string
	argon           argonParams
	editorsCanShare bool
	sweepBatch      int // expiries per Sweep transaction; tests lower it
}

func defaultConfig() config {
	return config{
		now:        time.Now,
		tokens:     randomToken,
		argon:      defaultArgon,
		sweepBatch: sweepBatch,
	}
}

// WithClock sets the clock used for grant times, expiry and the audit
// trail. The default is time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithIDs sets the generator of resource and audit ids. The default is
// ids.New (time-ordered UUIDv7) over the service's clock.
func WithIDs(gen func() string) Option { return func(c *config) { c.ids = gen } }

// WithLinkTokens sets the generator of share link ids. Link ids are the
// secret part of a link's URL, so the default draws 128 random bits from
// crypto/rand; replace it only in tests.
func WithLinkTokens(gen func() string) Option { return func(c *config) { c.tokens = gen } }

// WithAdmins names users who are tenant admins whatever the directory says:
// they may manage users, groups, departments and tenant settings, and
// offboard users. They need not be users of the directory themselves (an
// application may act as "system"). Admins get no implicit access to
// resources. The default is none: then only directory users marked admin
// (User.Admin, set with PutUser) are admins, and a new store needs at
// least one WithAdmins to bootstrap its directory.
func WithAdmins(ids ...string) Option {
	return func(c *config) { c.admins = append(c.admins, ids...) }
}

// WithPasswordHashing sets the argon2id cost for new link passwords: time
// (passes), memory in KiB and threads. The default is 2 passes over 19 MiB
// with 1 thread (the OWASP minimum). Existing links keep the cost they were
// hashed with. Tests may lower it; production should not.
func WithPasswordHashing(time, memoryKiB uint32, threads uint8) Option {
	return func(c *config) {
		c.argon = argonParams{Time: max(time, 1), Memory: max(memoryKiB, 8), Threads: max(threads, 1)}
	}
}

// WithEditorsCanShare lets editors add grants of up to Editor, as Google
// Drive's "editors can change permissions and share" does. Changing or
// removing others' access still needs Manager. The default is false: only
// managers and owners share (Feishu's default).
func WithEditorsCanShare(on bool) Option { return func(c *config) { c.editorsCanShare = on } }

func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
