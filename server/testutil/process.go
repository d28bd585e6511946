package testutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/betcity/betcity/server/config"
)

// The betcity binary is built once per test package (per set of build tags)
// into a folder removed by RunWithBinaries, or left in the OS temp folder.
var (
	binMu    sync.Mutex
	binDir   string
	binPaths = map[string]string{}
	binErrs  = map[string]error{}
)

// RunWithBinaries runs the package's tests and then removes the binaries
// BuildBinary made. Use it from TestMain: os.Exit(testutil.RunWithBinaries(m)).
func RunWithBinaries(m interface{ Run() int }) int {
	code := m.Run()
	binMu.Lock()
	defer binMu.Unlock()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// ModuleRoot finds the folder holding go.mod, from the test's working folder up.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// BuildBinary builds server/cmd/betcity with the given build tags, once per
// test binary, and returns its path.
func BuildBinary(t testing.TB, tags ...string) string {
	t.Helper()
	sort.Strings(tags)
	key := strings.Join(tags, ",")
	binMu.Lock()
	defer binMu.Unlock()
	if p, ok := binPaths[key]; ok {
		return p
	}
	if err, ok := binErrs[key]; ok {
		t.Fatal(err)
	}
	if binDir == "" {
		d, err := os.MkdirTemp("", "betcity-test-bin-")
		if err != nil {
			t.Fatal(err)
		}
		binDir = d
	}
	out := filepath.Join(binDir, "betcity-"+strconv.Itoa(len(binPaths)))
	args := []string{"build", "-o", out}
	if key != "" {
		args = append(args, "-tags", key)
	}
	args = append(args, "./server/cmd/betcity")
	cmd := exec.Command("go", args...)
	cmd.Dir = ModuleRoot(t)
	if b, err := cmd.CombinedOutput(); err != nil {
		binErrs[key] = fmt.Errorf("go build betcity: %v\n%s", err, b)
		t.Fatal(binErrs[key])
	}
	binPaths[key] = out
	return out
}

// ProcessEnv is the environment of a betcity process for a database: the
// same variables testutil.Env gives an in-process app, plus extra. The
// process does not inherit the test's environment, except PATH, HOME and TMPDIR.
func ProcessEnv(t testing.TB, driver config.Driver, dsn string, extra map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{
		"BETCITY_JWT_SECRET":  strings.Repeat("s3cr3t-for-tests-", 3),
		"BETCITY_BASE_DOMAIN": "localhost",
		"BETCITY_DATA_DIR":    t.TempDir(),
		"BETCITY_LOG_LEVEL":   "info",
	}
	switch driver {
	case config.MySQL:
		env["DATABASE_URL"] = dsn
	case config.SQLite:
		env["DATABASE_URL"] = "sqlite:" + dsn
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func envList(env map[string]string) []string {
	var out []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			if _, set := env[k]; !set {
				out = append(out, k+"="+v)
			}
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// syncBuffer is a bytes.Buffer safe for a process writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// CmdResult is the outcome of a finished betcity command.
type CmdResult struct {
	ExitCode int
	Stdout   string
	Stderr   string
}

// RunCommand runs the binary with args to completion (at most 2 minutes).
func RunCommand(t testing.TB, bin string, env map[string]string, args ...string) CmdResult {
	t.Helper()
	return RunCommandFor(t, 2*time.Minute, bin, env, args...)
}

// RunCommandFor runs the binary with args, killing it after timeout (which
// fails the test).
func RunCommandFor(t testing.TB, timeout time.Duration, bin string, env map[string]string, args ...string) CmdResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = envList(env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("betcity %v still running after %s:\n%s%s", args, timeout, stdout.String(), stderr.String())
	}
	res := CmdResult{Stdout: stdout.String(), Stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.ExitCode = ee.ExitCode()
	default:
		t.Fatalf("run %s %v: %v", bin, args, err)
	}
	return res
}

// Process is a running `betcity serve`.
type Process struct {
	URL    string
	Port   int
	cmd    *exec.Cmd
	out    *syncBuffer
	done   chan struct{}
	waitEr error
}

// Output is everything the process wrote to stdout and stderr so far.
func (p *Process) Output() string { return p.out.String() }

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Stop sends SIGTERM and waits for the process to end (killing it after 15 s).
func (p *Process) Stop(t testing.TB) {
	t.Helper()
	if p.Exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Errorf("betcity on port %d did not stop within 15s of SIGTERM", p.Port)
	}
}

// FreePort asks the kernel for a free TCP port.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// StartProcess runs `betcity serve` (plus args) on a free port with env and
// waits until /readyz answers 200. The process is stopped when the test ends.
func StartProcess(t testing.TB, bin string, env map[string]string, args ...string) *Process {
	t.Helper()
	port := FreePort(t)
	full := map[string]string{}
	for k, v := range env {
		full[k] = v
	}
	full["PORT"] = strconv.Itoa(port)
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = envList(full)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Process{URL: "http://127.0.0.1:" + strconv.Itoa(port), Port: port, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.waitEr = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.Stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		if p.Exited() {
			t.Fatalf("betcity exited before it was ready (%v):\n%s", p.waitEr, out.String())
		}
		res, err := client.Get(p.URL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("betcity on port %d not ready within 30s:\n%s", port, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Wait waits for the process to exit on its own (up to timeout) and returns
// its exit code.
func (p *Process) Wait(t testing.TB, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		t.Fatalf("betcity still running after %s:\n%s", timeout, p.Output())
	}
	var ee *exec.ExitError
	if errors.As(p.waitEr, &ee) {
		return ee.ExitCode()
	}
	return 0
}
