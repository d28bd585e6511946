// Package s3server starts a real S3-compatible server (versitygw, Apache-2.0)
// for tests, so the S3 storage backend is exercised against actual S3
// semantics (signing, path-style addressing, error codes) rather than a fake.
//
// The versitygw binary is built from the Go module proxy at a pinned version
// the first time it is needed and cached under the user cache directory, so
// a fresh CI machine needs nothing installed by hand and later runs pay only
// the start-up of the process.
package s3server

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const (
	// Version is the pinned versitygw release; bump it deliberately.
	Version = "v1.8.0"
	pkg     = "github.com/versity/versitygw/cmd/versitygw"

	// Fixed test credentials: the server is bound to loopback and lives only
	// for one test, so there is nothing to protect.
	AccessKey = "betcitytest"
	SecretKey = "betcitytestsecret"
	Region    = "us-east-1"
)

// Server is a running versitygw process serving a posix directory.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Bucket   string // created before Start returns

	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
}

// Start builds (or reuses) versitygw, runs it on a free loopback port over a
// fresh temp directory, creates a bucket and registers cleanup. It fails the
// test, never skips it: a missing S3 server would otherwise hide a broken
// backend behind a green run.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatalf("s3server: cannot build versitygw %s: %v", Version, err)
	}
	root := t.TempDir()
	var lastErr error
	// A port picked by listening on :0 can be taken by someone else before
	// versitygw binds it; retry a couple of times rather than flake.
	for range 3 {
		s, err := start(bin, root)
		if err == nil {
			t.Cleanup(s.Stop)
			s.Bucket = "betcity-test"
			if err := s.createBucket(s.Bucket); err != nil {
				t.Fatalf("s3server: create bucket: %v", err)
			}
			return s
		}
		lastErr = err
	}
	t.Fatalf("s3server: cannot start versitygw: %v", lastErr)
	return nil
}

func start(bin, root string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var logs bytes.Buffer
	cmd := exec.Command(bin, "--access", AccessKey, "--secret", SecretKey,
		"--region", Region, "--port", addr, "posix", root)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Endpoint: "http://" + addr, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()

	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return nil, fmt.Errorf("versitygw exited early: %s", logs.String())
		default:
		}
		// Any HTTP answer (even 403 for an unsigned request) means it serves.
		if resp, err := http.Get(s.Endpoint + "/"); err == nil {
			resp.Body.Close()
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("versitygw did not answer on %s within 20s: %s", addr, logs.String())
}

// Stop kills the server and waits for it; safe to call more than once, so
// tests can simulate an outage and still rely on cleanup.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
}

// Client returns an S3 client with the test credentials, for assertions
// that look behind the storage package's back.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
	})
}

func (s *Server) createBucket(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	return err
}

// Binary returns the path of the cached versitygw binary, building it first
// if needed. An exclusive flock serialises builds across the parallel test
// binaries that `go test ./...` runs, so it is built once.
func Binary() (string, error) {
	cache, err := os.UserCacheDir() // honours XDG_CACHE_HOME, else ~/.cache
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "betcity", "tools")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "versitygw-"+Version)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}

	lock, err := os.OpenFile(bin+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	// Another process may have built it while we waited for the lock.
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}

	built, cleanup, err := build()
	defer cleanup()
	if err != nil {
		return "", err
	}
	// Rename is atomic, so a concurrent Stat never sees a half-written file.
	return bin, os.Rename(built, bin)
}

// build compiles versitygw into a temp dir and returns its path.
func build() (string, func(), error) {
	tmp, err := os.MkdirTemp("", "versitygw-build-")
	if err != nil {
		return "", func() {}, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	bin, installErr := buildInstall(tmp)
	if installErr == nil {
		return bin, cleanup, nil
	}
	bin, err = buildTool(tmp)
	if err != nil {
		return "", cleanup, fmt.Errorf("go install failed: %v\nfallback build failed: %w", installErr, err)
	}
	return bin, cleanup, nil
}

// buildInstall is the usual path: go install pkg@version, outside any module.
func buildInstall(tmp string) (string, error) {
	gobin := filepath.Join(tmp, "bin")
	return filepath.Join(gobin, "versitygw"), goCmd(tmp, []string{"GOBIN=" + gobin}, "install", pkg+"@"+Version)
}

// buildTool is the fallback: some proxies refuse the @v/list query that
// `go install` may make, while a scratch module naming the exact version
// as a tool only fetches that version.
func buildTool(tmp string) (string, error) {
	mod := filepath.Join(tmp, "mod")
	out := filepath.Join(tmp, "versitygw-tool")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return "", err
	}
	for _, args := range [][]string{
		{"mod", "init", "betcity.local/versitygw-build"},
		{"get", "-tool", pkg + "@" + Version},
		{"build", "-o", out, pkg},
	} {
		if err := goCmd(mod, nil, args...); err != nil {
			return "", err
		}
	}
	return out, nil
}

func goCmd(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	// Isolate from whatever module or workspace the tests run in; static
	// binary so it does not depend on the machine's libc.
	cmd.Env = append(os.Environ(), append(env, "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
