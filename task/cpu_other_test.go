//go:build !unix

package task

import "time"

func svcCPUTime() (time.Duration, bool) { return 0, false }
