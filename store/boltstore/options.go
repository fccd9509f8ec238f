package boltstore

import (
	"os"
	"time"
)

// Options configure Open. A nil *Options means the defaults documented on
// each field.
type Options struct {
	// Timeout is how long Open waits for the file lock held by another
	// process before failing with an error wrapping ErrLocked. Zero means
	// one second; a negative value means wait forever.
	Timeout time.Duration

	// NoSync turns off the fsync after each commit. Faster, and a crash of
	// the machine (not just the process) may lose recent commits. Off by
	// default: an Update that returned nil is on disk.
	NoSync bool

	// MaxSize caps the data file in bytes. A commit that would grow it past
	// the cap fails with an error wrapping ErrFull. Zero means no cap.
	MaxSize int

	// MaxBatch is the most Update functions committed in one group. Zero
	// means 1024.
	MaxBatch int

	// InitialMmapSize is the size, in bytes, of the file's first memory
	// mapping: virtual memory, not disk. While the file fits in it, a long
	// View never delays a commit (bbolt must remap a growing file, and a
	// remap waits for open read transactions). Zero means 1 GiB.
	InitialMmapSize int

	// Mode is the file mode of a new data file. Zero means 0600.
	Mode os.FileMode
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.Timeout == 0 {
		v.Timeout = time.Second
	}
	if v.Timeout < 0 {
		v.Timeout = 0 // bbolt: wait forever
	}
	if v.MaxBatch <= 0 {
		v.MaxBatch = 1024
	}
	if v.InitialMmapSize <= 0 {
		v.InitialMmapSize = 1 << 30
	}
	if v.MaxSize > 0 && v.InitialMmapSize > v.MaxSize {
		v.InitialMmapSize = v.MaxSize
	}
	if v.Mode == 0 {
		v.Mode = 0o600
	}
	return v
}
