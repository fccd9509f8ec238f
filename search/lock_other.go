//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package search

import "time"

// dirLock is a no-op where flock is unavailable: bleve's own bolt file
// lock (bolt_timeout) still makes a second opener fail after the timeout.
type dirLock struct{}

func lockDir(dir string, timeout time.Duration) (*dirLock, error) { return &dirLock{}, nil }

func (l *dirLock) unlock() error { return nil }
