package backends

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// OutageEnv names the environment variable that enables outage tests: with
// WORKSPACE_PG_OUTAGE=1, [PrivatePG] starts a PostgreSQL cluster of the
// test's own; without it, tests that need one skip.
const OutageEnv = "WORKSPACE_PG_OUTAGE"

// pgBinGlob is where Debian and Ubuntu install the server's programs.
const pgBinGlob = "/usr/lib/postgresql/*/bin"

// Cluster is a private PostgreSQL cluster started by [PrivatePG]: its own
// data directory and port, so a test may stop and restart it without
// disturbing anyone else's server. Its methods are safe for concurrent use
// and do nothing to the cluster once the test has ended.
type Cluster struct {
	// DSN reaches the cluster's "postgres" database as the superuser
	// postgres, with trust authentication over TCP on 127.0.0.1.
	DSN string

	bin  string // directory of initdb and pg_ctl
	dir  string // temporary directory: data/, the socket, log
	port int

	mu      sync.Mutex
	running bool
	ended   bool
}

// PrivatePG starts a fresh PostgreSQL cluster for the test and stops and
// removes it when the test ends. It skips the test unless
// WORKSPACE_PG_OUTAGE=1, and fails it (never skips) when the variable is
// set but the cluster cannot start.
//
// The cluster is initialised with initdb into a new temporary directory,
// owned by the postgres user when the test runs as root (the server
// refuses to run as root; the commands go through runuser), and started
// with pg_ctl on a free port with trust authentication and fsync off (a
// clean stop still keeps every commit). The server's programs are taken
// from the newest /usr/lib/postgresql/*/bin.
func PrivatePG(tb testing.TB) *Cluster {
	tb.Helper()
	if os.Getenv(OutageEnv) != "1" {
		tb.Skipf("stops and starts a private PostgreSQL cluster: set %s=1 to run it", OutageEnv)
	}
	c, err := newCluster()
	if c != nil {
		tb.Cleanup(func() {
			if err := c.end(); err != nil {
				tb.Errorf("private PostgreSQL cluster: %v (left in %s)", err, c.dir)
			}
		})
	}
	if err != nil {
		tb.Fatalf("private PostgreSQL cluster: %v", err)
	}
	return c
}

func newCluster() (*Cluster, error) {
	bins, _ := filepath.Glob(pgBinGlob)
	slices.SortFunc(bins, func(a, b string) int { return pgVersion(a) - pgVersion(b) })
	if len(bins) == 0 {
		return nil, fmt.Errorf("no PostgreSQL server programs in %s (apt-get install postgresql)", pgBinGlob)
	}
	// Not tb.TempDir: its parents are private to root, and the server
	// runs as postgres.
	dir, err := os.MkdirTemp("", "workspace-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{bin: bins[len(bins)-1], dir: dir}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chown", "postgres:postgres", dir).CombinedOutput(); err != nil {
			return c, fmt.Errorf("chown %s: %v: %s", dir, err, out)
		}
	}
	if err := c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		return c, err
	}
	if c.port, err = freePort(); err != nil {
		return c, err
	}
	c.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
	return c, c.Start()
}

// pgVersion returns the major version in a path like
// /usr/lib/postgresql/16/bin.
func pgVersion(bin string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return v
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }
func (c *Cluster) log() string  { return filepath.Join(c.dir, "log") }

// run runs one of the server's programs as the postgres user.
func (c *Cluster) run(prog string, args ...string) error {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		if b, rerr := os.ReadFile(c.log()); rerr == nil {
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			msg += "\nserver log:\n" + strings.Join(lines[max(0, len(lines)-10):], "\n")
		}
		return fmt.Errorf("%s %s: %v: %s", prog, strings.Join(args, " "), err, msg)
	}
	return nil
}

// Start starts the cluster (again) on its port and waits until it accepts
// connections. Starting a running cluster does nothing.
func (c *Cluster) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return errors.New("private PostgreSQL cluster: start after the test ended")
	}
	if c.running {
		return nil
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", c.port, c.dir)
	if err := c.run("pg_ctl", "-D", c.data(), "-l", c.log(), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return err
	}
	c.running = true
	return nil
}

// Stop stops the cluster with a fast shutdown: open sessions are ended
// (SQLSTATE 57P01), committed transactions are kept. Stopping a stopped
// cluster does nothing.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stop("fast")
}

func (c *Cluster) stop(mode string) error {
	if !c.running {
		return nil
	}
	if err := c.run("pg_ctl", "-D", c.data(), "-m", mode, "-w", "-t", "60", "stop"); err != nil {
		return err
	}
	c.running = false
	return nil
}

// Restart stops the cluster, keeps it down for down, and starts it again.
func (c *Cluster) Restart(down time.Duration) error {
	if err := c.Stop(); err != nil {
		return err
	}
	time.Sleep(down)
	return c.Start()
}

// end stops the cluster for good and removes its directory.
func (c *Cluster) end() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended = true
	if err := c.stop("immediate"); err != nil {
		return err // leave the directory for a look at the log
	}
	return os.RemoveAll(c.dir)
}
