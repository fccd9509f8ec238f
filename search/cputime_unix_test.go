//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package search

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used, user and system:
// on a machine shared with other work, it compares two ways of indexing
// more fairly than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
