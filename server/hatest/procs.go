// Package hatest is BetCity's high-availability rehearsal: one MariaDB,
// three betcity instances and haproxy on loopback, a load of retrying
// virtual users, and failures injected while they bet (see docs/ha-test.md).
package hatest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	_ "github.com/go-sql-driver/mysql" // the verification queries read the database directly
)

// proc is one child process. Its PID is written to <work>/pids/<name>.pid so
// that scripts/ha-test.sh can kill it even if the orchestrator dies.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startProc(work, name, path string, args, env []string, logName string) (*proc, error) {
	logf, err := os.OpenFile(filepath.Join(work, "logs", logName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	_ = os.WriteFile(filepath.Join(work, "pids", name+".pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		logf.Close()
		_ = os.Remove(filepath.Join(work, "pids", name+".pid"))
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *proc) signal(sig syscall.Signal) { _ = p.cmd.Process.Signal(sig) }

// wait waits for the exit, up to d; false when still running.
func (p *proc) wait(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// stop asks politely, then insists.
func (p *proc) stop(grace time.Duration) {
	if p == nil || !p.alive() {
		return
	}
	p.signal(syscall.SIGTERM)
	if !p.wait(grace) {
		p.signal(syscall.SIGKILL)
		p.wait(5 * time.Second)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// mariadb is the throwaway database server the rehearsal owns, so that it
// can stop and start it.
type mariadb struct {
	work, bin, dataDir string
	port               int
	p                  *proc
}

func newMariaDB(ctx context.Context, work, installDB, bin string) (*mariadb, error) {
	m := &mariadb{work: work, bin: bin, dataDir: filepath.Join(work, "mariadb", "data")}
	if err := os.MkdirAll(m.dataDir, 0o755); err != nil {
		return nil, err
	}
	var err error
	if m.port, err = freePort(); err != nil {
		return nil, err
	}
	args := []string{"--no-defaults", "--datadir=" + m.dataDir, "--auth-root-authentication-method=normal", "--skip-test-db"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	out, err := exec.CommandContext(ctx, installDB, args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("mariadb-install-db: %v\n%s", err, out)
	}
	return m, m.start(ctx)
}

func (m *mariadb) start(ctx context.Context) error {
	dir := filepath.Dir(m.dataDir)
	args := []string{"--no-defaults", "--datadir=" + m.dataDir, "--port=" + strconv.Itoa(m.port), "--bind-address=127.0.0.1",
		"--socket=" + filepath.Join(dir, "mysqld.sock"), "--pid-file=" + filepath.Join(dir, "mysqld.pid"),
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--innodb-flush-log-at-trx-commit=1",
		"--max-connections=500", "--skip-log-bin", "--skip-name-resolve"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	p, err := startProc(m.work, "mariadbd", m.bin, args, os.Environ(), "mariadbd.log")
	if err != nil {
		return err
	}
	m.p = p
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if !p.alive() {
			return fmt.Errorf("mariadbd exited at start (%v); see %s", p.err, filepath.Join(m.work, "logs", "mariadbd.log"))
		}
		if m.ping(ctx) == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("mariadbd not answering on port %d after 60s", m.port)
}

func (m *mariadb) dsn(db string) string {
	return fmt.Sprintf("root:@tcp(127.0.0.1:%d)/%s?parseTime=true&timeout=2s", m.port, db)
}

func (m *mariadb) ping(ctx context.Context) error {
	db, err := sql.Open("mysql", m.dsn(""))
	if err != nil {
		return err
	}
	defer db.Close()
	c, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.PingContext(c)
}

// stopGracefully is a clean shutdown (SIGTERM: InnoDB flushes and exits).
func (m *mariadb) stopGracefully() error {
	m.p.signal(syscall.SIGTERM)
	if !m.p.wait(60 * time.Second) {
		return fmt.Errorf("mariadbd did not stop within 60s")
	}
	return nil
}

// instance is one betcity serve process; slot is its haproxy server name.
type instance struct {
	slot    string
	port    int
	bin     string
	version string
	env     []string
	p       *proc
	starts  int
}

func (in *instance) base() string { return fmt.Sprintf("http://127.0.0.1:%d", in.port) }

func (in *instance) start(work string) error {
	in.starts++
	env := append(os.Environ(), in.env...)
	env = append(env, "PORT="+strconv.Itoa(in.port))
	p, err := startProc(work, in.slot, in.bin, []string{"serve"}, env, in.slot+".log")
	if err != nil {
		return err
	}
	in.p = p
	return nil
}

// waitReady polls the instance's own /readyz until it answers 200.
func (in *instance) waitReady(d time.Duration) error {
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !in.p.alive() {
			return fmt.Errorf("%s exited: %v (see logs/%s.log)", in.slot, in.p.err, in.slot)
		}
		if code, _ := probe(hc, in.base()+"/readyz"); code == http.StatusOK {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after %s", in.slot, d)
}

func probe(hc *http.Client, url string) (int, error) {
	resp, err := hc.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
