//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package search

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// dirLock is an advisory lock on "<dir>.lock", held while an Index has dir
// open. It is released by the kernel if the process dies, so a crash never
// leaves a stale lock.
type dirLock struct{ f *os.File }

// lockDir takes the lock on dir, waiting at most timeout.
func lockDir(dir string, timeout time.Duration) (*dirLock, error) {
	f, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("search: open index %q: %w", dir, err)
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &dirLock{f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("search: lock index %q: %w", dir, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("search: open index %q after %v: %w", dir, timeout, ErrLocked)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (l *dirLock) unlock() error {
	if l == nil {
		return nil
	}
	return l.f.Close() // closing the descriptor releases the flock
}
