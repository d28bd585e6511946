package hatest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for whatever the server serves back
	_ "image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Config is what scripts/ha-test.sh passes in.
type Config struct {
	Work       string // throwaway folder: data, uploads, logs, pids
	OldBin     string
	OldVersion string
	NewBin     string
	NewVersion string
	InstallDB  string // mariadb-install-db
	MariaDBD   string
	HAProxy    string
	Report     string // where the final table is written

	Instances int
	Members   int
	Users     int
	Matches   int
	Warmup    time.Duration
	Phase     time.Duration // length of phases a and c
	// RequireAvatar turns a missing avatar upload into a failure instead of PENDING.
	RequireAvatar bool
	Log           io.Writer
}

// phaseResult is one line of the final table plus its own checks.
type phaseResult struct {
	name   string
	checks []check
	lb     lbCounters // haproxy counters during the phase
}

type check struct {
	what    string
	ok      bool
	pending bool
	detail  string
}

type rehearsal struct {
	cfg     Config
	ctx     context.Context
	db      *mariadb
	ins     []*instance
	hap     *haproxy
	load    *loadGen
	seed    *seeded
	phases  []*phaseResult
	started time.Time
}

func (r *rehearsal) logf(format string, a ...any) {
	fmt.Fprintf(r.cfg.Log, "[%6.1fs] %s\n", time.Since(r.started).Seconds(), fmt.Sprintf(format, a...))
}

// Run performs the whole rehearsal and returns an error when any check fails.
func Run(ctx context.Context, cfg Config) error {
	r := &rehearsal{cfg: cfg, ctx: ctx, started: time.Now()}
	for _, d := range []string{"logs", "pids", "uploads"} {
		if err := os.MkdirAll(filepath.Join(cfg.Work, d), 0o755); err != nil {
			return err
		}
	}
	defer r.teardown()
	if err := r.setUp(); err != nil {
		return err
	}
	runID := fmt.Sprint(time.Now().Unix())
	r.load = newLoadGen(loadConfig{users: cfg.Users, thinkMin: 50 * time.Millisecond, thinkMax: 100 * time.Millisecond,
		betDeadline: 30 * time.Second, attemptTO: 10 * time.Second}, r.hap.base(), r.seed, runID)
	// Hard bound on the load, whatever happens to the phases.
	loadCtx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	r.logf("load: %d virtual users betting through haproxy %s (think time 50-100 ms, retries with the same Idempotency-Key)", cfg.Users, r.hap.base())
	r.load.start(loadCtx)

	r.phase("warm-up", func(p *phaseResult) { r.sleep(cfg.Warmup) })
	r.phase("a kill -9", r.phaseKill)
	r.phase("b rolling", r.phaseRolling)
	r.phase("c db restart", r.phaseDBRestart)
	r.phase("d avatar", r.phaseAvatar)

	r.logf("stopping the load: no new bets, in-flight ones finish their retries")
	r.load.stop()
	bets := r.load.all()
	iv, err := verify(ctx, r.db.dsn("betcity"), r.seed, bets)
	if err != nil {
		return fmt.Errorf("verification queries: %w", err)
	}
	report := r.report(bets, iv)
	fmt.Fprint(cfg.Log, "\n"+report)
	if cfg.Report != "" {
		_ = os.MkdirAll(filepath.Dir(cfg.Report), 0o755)
		if err := os.WriteFile(cfg.Report, []byte(report), 0o644); err != nil {
			return err
		}
	}
	if !r.passed(bets, iv) {
		return fmt.Errorf("the rehearsal failed; logs are in %s/logs", cfg.Work)
	}
	return nil
}

func (r *rehearsal) setUp() error {
	cfg := r.cfg
	r.logf("starting a throwaway mariadbd in %s", filepath.Join(cfg.Work, "mariadb"))
	var err error
	if r.db, err = newMariaDB(r.ctx, cfg.Work, cfg.InstallDB, cfg.MariaDBD); err != nil {
		return err
	}
	r.logf("mariadbd pid %d on 127.0.0.1:%d", r.db.p.pid(), r.db.port)
	db, err := sql.Open("mysql", r.db.dsn(""))
	if err != nil {
		return err
	}
	_, err = db.ExecContext(r.ctx, "CREATE DATABASE betcity CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	db.Close()
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	env := []string{
		"DATABASE_URL=" + fmt.Sprintf("root:@tcp(127.0.0.1:%d)/betcity", r.db.port),
		"BETCITY_JWT_SECRET=" + hex.EncodeToString(secret),
		"BETCITY_BASE_DOMAIN=localhost",
		"BETCITY_STORAGE=file://" + filepath.Join(cfg.Work, "uploads"),
		"BETCITY_SHUTDOWN_TIMEOUT=20s",
		"BETCITY_ADMIN_EMAIL=operator@betcity.localhost",
		"BETCITY_ADMIN_PASSWORD=" + password,
	}
	out, err := runCmd(cfg.OldBin, append(os.Environ(), env...), "migrate")
	if err != nil {
		return fmt.Errorf("betcity migrate: %v\n%s", err, out)
	}
	r.logf("betcity migrate: %s", strings.TrimSpace(out))
	for i := 0; i < cfg.Instances; i++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		in := &instance{slot: fmt.Sprintf("s%d", i+1), port: port, bin: cfg.OldBin, version: cfg.OldVersion,
			env: append(env, "BETCITY_DATA_DIR="+filepath.Join(cfg.Work, fmt.Sprintf("data-s%d", i+1)))}
		r.ins = append(r.ins, in)
		if err := in.start(cfg.Work); err != nil {
			return err
		}
		// The first one creates the operator account; then the others.
		if err := in.waitReady(30 * time.Second); err != nil {
			return err
		}
		r.logf("%s: betcity %s pid %d on 127.0.0.1:%d", in.slot, in.version, in.p.pid(), in.port)
	}
	if r.hap, err = newHAProxy(cfg.Work, cfg.HAProxy, r.ins); err != nil {
		return err
	}
	for _, in := range r.ins {
		if err := r.hap.waitStatus(in.slot, "UP", 15*time.Second); err != nil {
			return err
		}
	}
	r.logf("haproxy pid %d on 127.0.0.1:%d, all servers UP (config %s)", r.hap.p.pid(), r.hap.port, r.hap.cfg)
	c := &client{base: r.hap.base(), hc: &http.Client{Timeout: 15 * time.Second}}
	t0 := time.Now()
	if r.seed, err = seed(r.ctx, c, "operator@betcity.localhost", cfg.Members, cfg.Matches); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	r.logf("seeded through haproxy in %.1fs: company %q, %d members, tournament with %d matches (odds set, kickoff tomorrow), enrolment",
		time.Since(t0).Seconds(), companySlug, cfg.Members, cfg.Matches)
	return nil
}

func runCmd(bin string, env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *rehearsal) teardown() {
	if r.load != nil && !r.load.stopNew.Load() {
		r.load.stopNew.Store(true)
	}
	if r.hap != nil {
		r.hap.p.stop(5 * time.Second)
	}
	for _, in := range r.ins {
		if in.p != nil {
			in.p.stop(5 * time.Second)
		}
	}
	if r.db != nil && r.db.p != nil {
		r.db.p.stop(30 * time.Second)
	}
}

func (r *rehearsal) sleep(d time.Duration) {
	select {
	case <-r.ctx.Done():
	case <-time.After(d):
	}
}

func (r *rehearsal) phase(name string, f func(p *phaseResult)) {
	p := &phaseResult{name: name}
	r.phases = append(r.phases, p)
	if r.ctx.Err() != nil {
		p.checks = append(p.checks, check{what: "run", detail: "interrupted"})
		return
	}
	r.logf("=== phase %s", name)
	r.load.setPhase(name)
	before := r.hap.counters()
	f(p)
	p.lb = r.hap.counters().minus(before)
}

func (p *phaseResult) add(what string, ok bool, format string, a ...any) {
	p.checks = append(p.checks, check{what: what, ok: ok, detail: fmt.Sprintf(format, a...)})
}

// a. kill -9 one instance; haproxy routes around it; restart it.
func (r *rehearsal) phaseKill(p *phaseResult) {
	start := time.Now()
	victim := r.ins[1]
	r.sleep(3 * time.Second)
	// Kill while haproxy has a request in flight on it, so that a request is
	// cut mid-way (not only new connections refused).
	inflight := "0"
	for t := time.Now(); time.Since(t) < 3*time.Second; {
		if st, err := r.hap.stat(); err == nil && st["be/"+victim.slot]["scur"] != "0" && st["be/"+victim.slot]["scur"] != "" {
			inflight = st["be/"+victim.slot]["scur"]
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.logf("kill -9 %s (pid %d) with %s request(s) in flight on it", victim.slot, victim.p.pid(), inflight)
	p.add("kill -9 "+victim.slot, true, "pid %d, %s request(s) in flight on it per haproxy", victim.p.pid(), inflight)
	victim.p.signal(syscall.SIGKILL)
	victim.p.wait(5 * time.Second)
	killed := time.Now()
	err := r.hap.waitStatus(victim.slot, "DOWN", 10*time.Second)
	p.add("haproxy marks the killed server DOWN", err == nil, "after %s%s", time.Since(killed).Round(10*time.Millisecond), errSuffix(err))
	r.logf("haproxy: %s DOWN after %s", victim.slot, time.Since(killed).Round(10*time.Millisecond))
	r.sleep(8 * time.Second)
	if err := victim.start(r.cfg.Work); err != nil {
		p.add("restart the killed instance", false, "%v", err)
		return
	}
	err = victim.waitReady(30 * time.Second)
	if err == nil {
		err = r.hap.waitStatus(victim.slot, "UP", 10*time.Second)
	}
	p.add("restarted instance back in rotation", err == nil, "%s pid %d%s", victim.slot, victim.p.pid(), errSuffix(err))
	r.logf("%s restarted (pid %d) and UP in haproxy", victim.slot, victim.p.pid())
	r.sleep(r.cfg.Phase - time.Since(start))
}

// b. rolling replacement with the new binary, one instance at a time, with
// the drain sequence an ALB deregistration performs.
func (r *rehearsal) phaseRolling(p *phaseResult) {
	for _, in := range r.ins {
		t0 := time.Now()
		if err := r.hap.setState(in.slot, "drain"); err != nil {
			p.add("drain "+in.slot, false, "%v", err)
			return
		}
		r.sleep(time.Second) // in-flight requests finish; no new ones arrive
		if err := r.hap.setState(in.slot, "maint"); err != nil {
			p.add("maint "+in.slot, false, "%v", err)
			return
		}
		old := in.p.pid()
		in.p.signal(syscall.SIGTERM)
		if !in.p.wait(25 * time.Second) {
			p.add("graceful exit of "+in.slot, false, "pid %d still running 25s after SIGTERM", old)
			return
		}
		exitOK := in.p.err == nil
		in.bin, in.version = r.cfg.NewBin, r.cfg.NewVersion
		if err := in.start(r.cfg.Work); err != nil {
			p.add("start new "+in.slot, false, "%v", err)
			return
		}
		if err := in.waitReady(30 * time.Second); err != nil {
			p.add("new "+in.slot+" ready", false, "%v", err)
			return
		}
		if err := r.hap.setState(in.slot, "ready"); err != nil {
			p.add("ready "+in.slot, false, "%v", err)
			return
		}
		err := r.hap.waitStatus(in.slot, "UP", 10*time.Second)
		p.add("replace "+in.slot, err == nil && exitOK, "old pid %d exited %s, new pid %d UP in %s%s",
			old, exitText(exitOK), in.p.pid(), time.Since(t0).Round(10*time.Millisecond), errSuffix(err))
		r.logf("%s replaced: pid %d -> %d (%s) in %s", in.slot, old, in.p.pid(), in.version, time.Since(t0).Round(10*time.Millisecond))
		r.sleep(2 * time.Second)
	}
	hc := &http.Client{Timeout: 2 * time.Second}
	var got []string
	all := true
	for _, in := range r.ins {
		v := healthVersion(hc, in.base())
		got = append(got, in.slot+"="+v)
		all = all && v == r.cfg.NewVersion
	}
	p.add("/healthz reports the new version on every instance", all, "%s (want %s)", strings.Join(got, " "), r.cfg.NewVersion)
	r.sleep(3 * time.Second)
}

func exitText(ok bool) string {
	if ok {
		return "cleanly"
	}
	return "with an error"
}

func healthVersion(hc *http.Client, base string) string {
	resp, err := hc.Get(base + "/healthz")
	if err != nil {
		return "unreachable"
	}
	defer resp.Body.Close()
	var h struct {
		Version string `json:"version"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&h)
	return h.Version
}

// c. MariaDB restart: every instance stops being ready, then recovers by
// itself, without a restart.
func (r *rehearsal) phaseDBRestart(p *phaseResult) {
	start := time.Now()
	pids := map[string]int{}
	for _, in := range r.ins {
		pids[in.slot] = in.p.pid()
	}
	r.sleep(3 * time.Second)
	// Watch every instance's own /readyz throughout.
	type obs struct{ saw503, sawRecover bool }
	seen := map[string]*obs{}
	for _, in := range r.ins {
		seen[in.slot] = &obs{}
	}
	stopWatch := make(chan struct{})
	watchDone := make(chan struct{})
	var dbDown time.Time
	var dbUpNano atomic.Int64
	recovered := map[string]time.Duration{}
	go func() {
		defer close(watchDone)
		hc := &http.Client{Timeout: 3 * time.Second}
		for {
			select {
			case <-stopWatch:
				return
			case <-time.After(200 * time.Millisecond):
			}
			for _, in := range r.ins {
				code, _ := probe(hc, in.base()+"/readyz")
				o := seen[in.slot]
				if code == http.StatusServiceUnavailable {
					o.saw503 = true
				}
				if o.saw503 && code == http.StatusOK && !o.sawRecover {
					o.sawRecover = true
					if up := dbUpNano.Load(); up != 0 {
						recovered[in.slot] = time.Since(time.Unix(0, up))
					}
				}
			}
		}
	}()
	r.logf("stopping mariadbd gracefully (pid %d)", r.db.p.pid())
	dbDown = time.Now()
	err := r.db.stopGracefully()
	r.logf("mariadbd stopped in %s; down for 4s", time.Since(dbDown).Round(10*time.Millisecond))
	if err != nil {
		p.add("stop mariadbd", false, "%v", err)
	}
	r.sleep(4 * time.Second)
	err = r.db.start(r.ctx)
	dbUp := time.Now()
	dbUpNano.Store(dbUp.UnixNano())
	p.add("mariadbd restarted on the same port and datadir", err == nil, "pid %d, outage %s%s", r.db.p.pid(), dbUp.Sub(dbDown).Round(10*time.Millisecond), errSuffix(err))
	r.logf("mariadbd back (pid %d) after %s", r.db.p.pid(), dbUp.Sub(dbDown).Round(10*time.Millisecond))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		done := true
		for _, in := range r.ins {
			done = done && seen[in.slot].sawRecover
		}
		if done {
			break
		}
		r.sleep(200 * time.Millisecond)
	}
	close(stopWatch)
	<-watchDone
	for _, in := range r.ins {
		o := seen[in.slot]
		same := in.p.alive() && in.p.pid() == pids[in.slot]
		p.add(in.slot+" /readyz 503 during the outage, 200 after, same process", o.saw503 && o.sawRecover && same,
			"saw 503: %v, ready again %s after the database, pid %d -> %d", o.saw503, recovered[in.slot].Round(10*time.Millisecond), pids[in.slot], in.p.pid())
	}
	for _, in := range r.ins {
		err := r.hap.waitStatus(in.slot, "UP", 10*time.Second)
		if err != nil {
			p.add("haproxy: "+in.slot+" UP again", false, "%v", err)
		}
	}
	r.sleep(r.cfg.Phase - time.Since(start))
}

// d. An avatar uploaded through one instance is served by the others:
// the uploads folder is shared (EFS in production).
func (r *rehearsal) phaseAvatar(p *phaseResult) {
	defer r.sleep(5 * time.Second)
	m := r.seed.members[len(r.seed.members)-1]
	img := testPNG()
	up := &client{base: r.ins[0].base(), hc: &http.Client{Timeout: 10 * time.Second}}
	resp, err := up.do(r.ctx, http.MethodPut, companyHost, "/api/v1/me/avatar", m.token, img, map[string]string{"Content-Type": "image/png"})
	if err != nil {
		p.add("upload avatar to s1", false, "%v", err)
		return
	}
	if resp.status == http.StatusNotFound || resp.status == http.StatusNotImplemented || resp.errorCode() == "not_implemented" {
		msg := fmt.Sprintf("PUT /api/v1/me/avatar answers %d %s: avatar upload is not implemented in this build yet", resp.status, resp.errorCode())
		if r.cfg.RequireAvatar {
			p.add("avatar shared across instances", false, "%s", msg)
		} else {
			p.checks = append(p.checks, check{what: "avatar shared across instances", pending: true, detail: msg})
		}
		r.logf("phase d PENDING: %s", msg)
		return
	}
	var u struct {
		AvatarURL *string `json:"avatar_url"`
	}
	if resp.status != http.StatusOK || resp.decode(&u) != nil || u.AvatarURL == nil || *u.AvatarURL == "" {
		p.add("upload avatar to s1", false, "%d %s", resp.status, trim(resp.body))
		return
	}
	p.add("upload avatar to s1", true, "%d bytes PNG -> %s", len(img), *u.AvatarURL)
	path := *u.AvatarURL
	if i := strings.Index(path, "://"); i >= 0 { // absolute URL: keep the path
		if j := strings.Index(path[i+3:], "/"); j >= 0 {
			path = path[i+3+j:]
		}
	}
	var first []byte
	for _, in := range r.ins {
		cl := &client{base: in.base(), hc: &http.Client{Timeout: 10 * time.Second}}
		g, err := cl.do(r.ctx, http.MethodGet, companyHost, path, m.token, nil, nil)
		if err != nil {
			p.add("GET avatar from "+in.slot, false, "%v", err)
			continue
		}
		ok := g.status == http.StatusOK && len(g.body) > 0
		_, _, decErr := image.DecodeConfig(bytes.NewReader(g.body))
		ok = ok && decErr == nil
		if first == nil && ok {
			first = g.body
		}
		same := ok && bytes.Equal(first, g.body)
		p.add("GET avatar from "+in.slot, same, "%d, %d bytes, %s, identical to upload: %v, same bytes as s1: %v",
			g.status, len(g.body), g.header.Get("Content-Type"), bytes.Equal(g.body, img), same)
	}
}

func testPNG() []byte {
	im := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			im.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 4), 160, 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, im)
	return b.Bytes()
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

// stats of one row of the table.
type stats struct {
	bets, requests, errors, retries, raw5xx, rawConn, raw429, raw409, replays int
	lat                                                                       []time.Duration
}

func (s *stats) add(b *logicalBet) {
	s.bets++
	s.requests += b.attempts
	s.retries += b.attempts - 1
	s.raw5xx += b.raw5xx
	s.rawConn += b.rawConn
	s.raw429 += b.raw429
	s.raw409 += b.raw409
	s.replays += b.replays
	if b.acked {
		s.lat = append(s.lat, b.latency)
	} else {
		s.errors++
	}
}

func (s *stats) pct(q float64) string {
	if len(s.lat) == 0 {
		return "-"
	}
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	i := int(q * float64(len(s.lat)-1))
	return fmt.Sprintf("%dms", s.lat[i].Milliseconds())
}

func (r *rehearsal) byPhase(bets []*logicalBet) (map[string]*stats, *stats) {
	m := map[string]*stats{}
	total := &stats{}
	for _, b := range bets {
		if m[b.phase] == nil {
			m[b.phase] = &stats{}
		}
		m[b.phase].add(b)
		total.add(b)
	}
	return m, total
}

func (r *rehearsal) report(bets []*logicalBet, iv *invariants) string {
	var b strings.Builder
	per, total := r.byPhase(bets)
	fmt.Fprintf(&b, "BetCity HA rehearsal — %s — %d instances behind haproxy, %d virtual users, %s → %s\n",
		time.Now().UTC().Format(time.RFC3339), len(r.ins), r.cfg.Users, r.cfg.OldVersion, r.cfg.NewVersion)
	fmt.Fprintf(&b, "requests = HTTP attempts; errors = bets never acknowledged (what a person sees); retries = attempts beyond the first;\n")
	fmt.Fprintf(&b, "raw 5xx / conn / 429 / 409 = failures seen by the client before a retry;\nreplays = requests Go's http.Transport re-sent by itself on a fresh connection (it does so for requests carrying an Idempotency-Key); p50/p99/max = acknowledged bets, first attempt to 200.\n\n")
	fmt.Fprintf(&b, "%-14s %6s %8s %7s %8s %8s %6s %5s %5s %7s %7s %7s %7s\n", "phase", "bets", "requests", "errors", "retries", "raw 5xx", "conn", "429", "409", "replays", "p50", "p99", "max")
	row := func(name string, s *stats) {
		if s == nil {
			s = &stats{}
		}
		fmt.Fprintf(&b, "%-14s %6d %8d %7d %8d %8d %6d %5d %5d %7d %7s %7s %7s\n", name, s.bets, s.requests, s.errors, s.retries, s.raw5xx, s.rawConn, s.raw429, s.raw409, s.replays, s.pct(0.5), s.pct(0.99), s.pct(1))
	}
	for _, p := range r.phases {
		row(p.name, per[p.name])
	}
	row("total", total)
	fmt.Fprintf(&b, "\nhaproxy's own counters per phase (the load balancer's view):\n")
	fmt.Fprintf(&b, "%-14s %12s %10s %10s %10s %8s %13s\n", "phase", "5xx to client", "conn errs", "resp errs", "srv aborts", "retries", "redispatches")
	for _, p := range r.phases {
		fmt.Fprintf(&b, "%-14s %12d %10d %10d %10d %8d %13d\n", p.name, p.lb.fe5xx, p.lb.econ, p.lb.eresp, p.lb.srvAbort, p.lb.retries, p.lb.redispatches)
	}
	fmt.Fprintf(&b, "\nInvariants (read from MariaDB directly after the load stopped):\n")
	mark := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "FAIL"
	}
	fmt.Fprintf(&b, "  %s lost acknowledged bets = %d (of %d acknowledged; per phase %v)\n", mark(iv.lost == 0), iv.lost, iv.acked, iv.lostByPhase)
	fmt.Fprintf(&b, "  %s duplicated charges      = %d (stake ledger rows beyond one per committed Idempotency-Key)\n", mark(iv.duplicated == 0), iv.duplicated)
	fmt.Fprintf(&b, "  %s wallets == SUM(ledger)  : %d mismatches of %d wallets\n", mark(iv.walletMismatch == 0), iv.walletMismatch, iv.wallets)
	fmt.Fprintf(&b, "  %s final balance == last acknowledged balance: %d mismatches\n", mark(iv.lastBalanceBad == 0), iv.lastBalanceBad)
	fmt.Fprintf(&b, "  info: %d bets never acknowledged (outcome uncertain to the client)\n", iv.uncertain)
	for _, d := range iv.details {
		fmt.Fprintf(&b, "    %s\n", d)
	}
	fmt.Fprintf(&b, "\nPhase checks:\n")
	for _, p := range r.phases {
		s := per[p.name]
		if s != nil && p.name != "warm-up" {
			fmt.Fprintf(&b, "  %s [%s] %s: 0 client-visible errors (%d)\n", mark(s.errors == 0), p.name, "load", s.errors)
		}
		for _, c := range p.checks {
			m := mark(c.ok)
			if c.pending {
				m = "PENDING"
			}
			fmt.Fprintf(&b, "  %s [%s] %s: %s\n", m, p.name, c.what, c.detail)
		}
	}
	verdict := "PASSED"
	if !r.passed(bets, iv) {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "\nResult: %s in %s\n", verdict, time.Since(r.started).Round(time.Second))
	return b.String()
}

func (r *rehearsal) passed(bets []*logicalBet, iv *invariants) bool {
	if !iv.ok() {
		return false
	}
	_, total := r.byPhase(bets)
	if total.errors > 0 || total.bets == 0 {
		return false
	}
	for _, p := range r.phases {
		for _, c := range p.checks {
			if !c.ok && !c.pending {
				return false
			}
		}
	}
	return true
}
