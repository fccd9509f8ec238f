//go:build !unix

package directory_test

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
