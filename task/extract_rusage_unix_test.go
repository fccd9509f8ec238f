//go:build unix

package task

import (
	"syscall"
	"time"
)

// extractCPUTime returns the CPU time (user + system) the process has used,
// so a benchmark can report throughput per CPU-second on a shared machine
// where wall-clock time includes waiting for a core.
func extractCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
