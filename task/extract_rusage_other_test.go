//go:build !unix

package task

import "time"

// extractCPUTime is unavailable here; benchmarks report wall-clock rates only.
func extractCPUTime() (time.Duration, bool) { return 0, false }
