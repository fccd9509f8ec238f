package file

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workspace-go/workspace/internal/backends"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/store/pgstore"
)

// The crash test re-executes the test binary as a helper that uploads a
// file and SIGKILLs itself at one step of the upload; the parent then
// reopens the store and the bucket and checks that the two are in step:
// the file is either wholly there (and readable) or wholly absent (and
// its bytes swept away).

const (
	envStep    = "FILE_CRASH_STEP"
	envDir     = "FILE_CRASH_DIR"
	envBackend = "FILE_CRASH_BACKEND"
	envSchema  = "FILE_CRASH_SCHEMA"
	envBucket  = "FILE_CRASH_BUCKET"
	crashBody  = "content that must survive a crash, or vanish whole"
)

var crashSteps = []string{"staged", "committed", "copied", "tmp deleted"}

func openCrashStore(tb testing.TB, backend, dir, schema string) store.Store {
	tb.Helper()
	switch backend {
	case "pgstore":
		st, err := pgstore.Open(context.Background(), os.Getenv(backends.DSNEnv), &pgstore.Options{Schema: schema})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		return st
	default:
		st, err := boltstore.Open(filepath.Join(dir, "db"), nil)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		return st
	}
}

// TestCrashHelper is the helper process; it does nothing in a normal run.
func TestCrashHelper(t *testing.T) {
	step := os.Getenv(envStep)
	if step == "" {
		t.Skip("helper process for TestCrashSafety")
	}
	dir := os.Getenv(envDir)
	st := openCrashStore(t, os.Getenv(envBackend), dir, os.Getenv(envSchema))
	s, err := New(context.Background(), st, crashBucket(t, os.Getenv(envBucket), filepath.Join(dir, "bucket")))
	if err != nil {
		t.Fatal(err)
	}
	hook = func(at string) {
		if at == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
	if _, err := s.Upload(context.Background(), "alice", Upload{Container: "c", Name: "crash.txt"}, strings.NewReader(crashBody)); err != nil {
		t.Fatal(err)
	}
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	bes := []string{"boltstore"}
	if os.Getenv(backends.DSNEnv) != "" {
		bes = append(bes, "pgstore")
	}
	for _, be := range bes {
		for _, bk := range []string{"fileblob", "dir"} {
			for _, step := range crashSteps {
				t.Run(be+"/"+bk+"/killed after "+step, func(t *testing.T) {
					dir := t.TempDir()
					schema := ""
					if be == "pgstore" {
						schema = backends.FreshSchema(t)
					}
					cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
					cmd.Env = append(os.Environ(), envStep+"="+step, envDir+"="+dir, envBackend+"="+be, envSchema+"="+schema, envBucket+"="+bk)
					out, err := cmd.CombinedOutput()
					var ee *exec.ExitError
					if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
						t.Fatalf("helper was not killed: %v\n%s", err, out)
					}

					ctx := context.Background()
					st := openCrashStore(t, be, dir, schema)
					b := crashBucket(t, bk, filepath.Join(dir, "bucket"))
					later := func() time.Time { return time.Now().Add(48 * time.Hour) }
					s, err := New(ctx, st, b, WithClock(later))
					if err != nil {
						t.Fatal(err)
					}
					p, err := s.List(ctx, "alice", "c", "", 0)
					if err != nil {
						t.Fatal(err)
					}
					committed := step != "staged"
					if got := len(p.Items) == 1; got != committed {
						t.Fatalf("after a crash at %q the file is listed: %v, want %v", step, got, committed)
					}
					if committed {
						// Readable at once, before any sweep: the download
						// finishes a promotion the crash interrupted.
						r, err := s.Open(ctx, "alice", p.Items[0].ID, Range{})
						if err != nil {
							t.Fatal(err)
						}
						if got := readAll(t, r); got != crashBody {
							t.Errorf("reads %q", got)
						}
					}
					if _, err := s.Sweep(ctx); err != nil {
						t.Fatal(err)
					}
					objs := objects(t, b)
					switch {
					case !committed && len(objs) != 0:
						t.Errorf("an upload that never committed left %q", objs)
					case committed && (len(objs) != 1 || !strings.HasPrefix(objs[0], "blobs/")):
						t.Errorf("a committed upload left %q, want its one live blob", objs)
					}
					err = st.View(ctx, func(tx store.Tx) error {
						for k := range tx.Scan(store.Prefix(kPendingAll())) {
							t.Errorf("pending record %q left after the sweep", k)
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					if committed {
						r, err := s.Open(ctx, "alice", p.Items[0].ID, Range{})
						if err != nil {
							t.Fatal(err)
						}
						if got := readAll(t, r); got != crashBody {
							t.Errorf("after the sweep reads %q", got)
						}
					}
				})
			}
		}
	}
}

func crashBucket(tb testing.TB, kind, dir string) Bucket {
	if kind == "dir" {
		return dirBucket(tb, dir)
	}
	return fileBucket(tb, dir)
}
