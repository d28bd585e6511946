package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/clock"
)

// PlaceConfig sizes the bet placement benchmark.
type PlaceConfig struct {
	AdminDSN  string
	ServerBin string // the built betcity binary
	Clients   int
	Runs      int // repetitions of each side; medians are reported
	Warmup    time.Duration
	Duration  time.Duration
	// UsersPerClient members per client per run; every run uses fresh members.
	UsersPerClient int
	Matches        int
	Log            io.Writer
}

// LoadStats is one timed run.
type LoadStats struct {
	TPS      float64
	P50, P99 time.Duration
	N        int
	Errors   int64
	FirstErr string
}

func (s LoadStats) String() string {
	e := ""
	if s.Errors > 0 {
		e = fmt.Sprintf(" errors=%d (first: %s)", s.Errors, s.FirstErr)
	}
	return fmt.Sprintf("%7.1f tx/s  p50 %6.2f ms  p99 %6.2f ms  (n=%d)%s", s.TPS, Ms(s.P50), Ms(s.P99), s.N, e)
}

// runLoad runs clients workers calling do in a loop for warmup+dur and
// measures the calls that start inside the window after the warm-up.
func runLoad(clients int, warmup, dur time.Duration, do func(client, i int) error) LoadStats {
	start := time.Now()
	from, until := start.Add(warmup), start.Add(warmup+dur)
	var (
		mu       sync.Mutex
		lat      []time.Duration
		errs     atomic.Int64
		firstErr atomic.Value
		wg       sync.WaitGroup
	)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine []time.Duration
			for i := 0; ; i++ {
				t0 := time.Now()
				if !t0.Before(until) {
					break
				}
				err := do(c, i)
				d := time.Since(t0)
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				if !t0.Before(from) {
					mine = append(mine, d)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	// Calls that started in the window but ended after it are counted: with
	// a closed loop of clients, that is the throughput of the window.
	st := LoadStats{N: len(lat), TPS: float64(len(lat)) / dur.Seconds(), Errors: errs.Load()}
	if v, ok := firstErr.Load().(string); ok {
		st.FirstErr = v
	}
	st.P50, st.P99 = Quantile(lat, 0.5), Quantile(lat, 0.99)
	return st
}

// betPlan decides client c's i-th bet: its own members in turn, a different
// match each time, and once every match is used, a change of stake.
type betPlan struct {
	users   []member // clients × UsersPerClient
	per     int
	matches []int64
}

func (p *betPlan) bet(c, i int) (m member, matchID int64, pick string, stake int64) {
	m = p.users[c*p.per+i%p.per]
	j := i / p.per
	matchID = p.matches[(j+c*7)%len(p.matches)]
	pick = [...]string{"home", "draw", "away"}[i%3]
	stake = int64(1 + (j/len(p.matches))%9)
	return
}

// RunPlace measures bet placement through a real `betcity serve` process at
// cfg.Clients concurrent clients, against the same SQL statements run
// directly with database/sql, alternating the two sides cfg.Runs times.
func RunPlace(ctx context.Context, cfg PlaceConfig) ([]Result, error) {
	logf := func(format string, a ...any) { fmt.Fprintf(cfg.Log, format+"\n", a...) }
	f, err := NewFixture(ctx, cfg.AdminDSN, "place")
	if err != nil {
		return nil, err
	}
	defer f.Drop()
	t0 := time.Now()
	const coins = 1_000_000
	s, err := seedBase(ctx, f.SQL, []int{50}, coins)
	if err != nil {
		return nil, err
	}
	matches, err := seedMatches(ctx, f.SQL, s, cfg.Matches, time.Now().Add(30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	nUsers := cfg.Clients * cfg.UsersPerClient
	plans := make([]*betPlan, 2*cfg.Runs)
	for r := range plans {
		prefix := fmt.Sprintf("r%dx", r)
		if err := seedMembers(ctx, f.SQL, s, prefix, nUsers, coins); err != nil {
			return nil, err
		}
		us, err := loadMembers(ctx, f.SQL, s.TournamentID, prefix)
		if err != nil {
			return nil, err
		}
		plans[r] = &betPlan{users: us, per: cfg.UsersPerClient, matches: matches}
	}
	logf("  server: %s", ServerInfo(ctx, f.SQL))
	logf("  seeded 1 company, %d matches, %d members with wallets in %s", len(matches), nUsers*len(plans), time.Since(t0).Round(time.Millisecond))

	secret := "bench-secret-" + auth.RandomID(24)
	srv, err := startServer(ctx, cfg.ServerBin, f.DSN, secret)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	logf("  betcity serve (pid %d) on %s", srv.cmd.Process.Pid, srv.base)

	tokens := auth.NewTokens(secret, clock.System{})
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: cfg.Clients * 2, MaxIdleConnsPerHost: cfg.Clients * 2, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}, Timeout: 30 * time.Second}
	direct := newDirectPlacer(f.SQL)

	var httpRuns, baseRuns []LoadStats
	for r := 0; r < cfg.Runs; r++ {
		hp, bp := plans[2*r], plans[2*r+1]
		toks := make([]string, len(hp.users))
		for i, u := range hp.users {
			if toks[i], _, err = tokens.Issue(u.UserID, "employee", auth.CompanyAudience(u.CompanyID)); err != nil {
				return nil, err
			}
		}
		st := runLoad(cfg.Clients, cfg.Warmup, cfg.Duration, func(c, i int) error {
			_, matchID, pick, stake := hp.bet(c, i)
			return putBet(ctx, client, srv.base, toks[c*hp.per+i%hp.per], matchID, pick, stake, fmt.Sprintf("h%d-%d-%d", r, c, i))
		})
		logf("  run %d  HTTP     %s", r+1, st)
		httpRuns = append(httpRuns, st)

		st = runLoad(cfg.Clients, cfg.Warmup, cfg.Duration, func(c, i int) error {
			m, matchID, pick, stake := bp.bet(c, i)
			return direct.place(ctx, "bench0", m, matchID, pick, stake, fmt.Sprintf("d%d-%d-%d", r, c, i))
		})
		logf("  run %d  baseline %s", r+1, st)
		baseRuns = append(baseRuns, st)
	}
	if err := checkBalances(ctx, f.SQL, s.TournamentID); err != nil {
		return nil, err
	}
	logf("  check: every wallet balance equals the sum of its ledger rows")
	med := func(rs []LoadStats, f func(LoadStats) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		return Median(xs)
	}
	tps := func(s LoadStats) float64 { return s.TPS }
	p50 := func(s LoadStats) float64 { return Ms(s.P50) }
	p99 := func(s LoadStats) float64 { return Ms(s.P99) }
	var errs int64
	for _, r := range append(append([]LoadStats{}, httpRuns...), baseRuns...) {
		errs += r.Errors
	}
	httpTPS, baseTPS := med(httpRuns, tps), med(baseRuns, tps)
	pairs := make([]float64, len(httpRuns))
	for i := range httpRuns {
		if baseRuns[i].TPS > 0 {
			pairs[i] = httpRuns[i].TPS / baseRuns[i].TPS
		}
	}
	logf("  tx/s ratio per adjacent pair %.2f, median %.2f; ratio of the medians %.2f", pairs, Median(pairs), httpTPS/baseTPS)
	httpP99 := med(httpRuns, p99)
	out := []Result{
		{Name: "place.tps", Value: httpTPS, Baseline: baseTPS, Unit: "tx/s", Goal: "ratio >= 0.60", Pass: pass(errs == 0 && httpTPS >= 0.6*baseTPS)},
		{Name: "place.p50", Value: med(httpRuns, p50), Baseline: med(baseRuns, p50), Unit: "ms", Goal: ""},
		{Name: "place.p99", Value: httpP99, Baseline: med(baseRuns, p99), Unit: "ms", Goal: "HTTP p99 <= 50 ms", Pass: pass(errs == 0 && httpP99 <= 50)},
	}
	if errs > 0 {
		logf("  %d failed placements: the figures are not valid", errs)
	}
	return out, nil
}

func putBet(ctx context.Context, client *http.Client, base, token string, matchID int64, pick string, stake int64, key string) error {
	body := fmt.Sprintf(`{"pick":%q,"stake":%d}`, pick, stake)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/api/v1/matches/"+strconv.FormatInt(matchID, 10)+"/bet", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Host = "bench0.localhost"
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("PUT bet: %d %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return nil
}

// checkBalances is the books' invariant: every wallet's balance is the sum
// of its ledger rows, and so are the totals.
func checkBalances(ctx context.Context, db *sql.DB, tournamentID int64) error {
	var bad int64
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM wallets w
LEFT JOIN (SELECT wallet_id, SUM(amount) AS s FROM ledger WHERE tournament_id = ? GROUP BY wallet_id) l ON l.wallet_id = w.id
WHERE w.tournament_id = ? AND w.balance <> COALESCE(l.s, 0)`, tournamentID, tournamentID).Scan(&bad); err != nil {
		return err
	}
	var wsum, lsum int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT COALESCE(SUM(balance),0) FROM wallets WHERE tournament_id = ?), (SELECT COALESCE(SUM(amount),0) FROM ledger WHERE tournament_id = ?)`,
		tournamentID, tournamentID).Scan(&wsum, &lsum); err != nil {
		return err
	}
	if bad != 0 || wsum != lsum {
		return fmt.Errorf("books do not balance: %d wallets differ from their ledger; SUM(balance)=%d SUM(ledger)=%d", bad, wsum, lsum)
	}
	return nil
}

// ---- the server process ----

type server struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer runs `betcity serve` on a free loopback port, logging to a
// temporary file as production logs to stdout, and waits for /readyz.
func startServer(ctx context.Context, bin, dsn, secret string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "betcity-bench-")
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(dir + "/serve.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+dsn, "BETCITY_JWT_SECRET="+secret, "BETCITY_BASE_DOMAIN=localhost",
		"PORT="+strconv.Itoa(port), "BETCITY_DATA_DIR="+dir)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); logFile.Close(); os.RemoveAll(dir) }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			b, _ := os.ReadFile(dir + "/serve.log")
			return nil, fmt.Errorf("betcity serve exited (%v): %s", err, b)
		default:
		}
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("betcity serve was not ready within 30s")
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// ---- the baseline: the same statements without HTTP ----

// directPlacer replays, statement for statement, what one PUT
// /api/v1/matches/:id/bet runs on MySQL for a first bet on a match: the
// middleware's tenant and user lookups, PlaceBet's match, enrolment and
// wallet reads, then its READ COMMITTED transaction. database/sql is used
// with the service's DSN, so the driver round trips are the same too.
type directPlacer struct{ db *sql.DB }

func newDirectPlacer(db *sql.DB) *directPlacer { return &directPlacer{db: db} }

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// take runs a SELECT and returns its first row as column → raw text, reading
// every row and column as GORM does.
func take(ctx context.Context, q querier, query string, args ...any) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	raw := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range raw {
		dest[i] = &raw[i]
	}
	var out map[string]string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if out == nil {
			out = make(map[string]string, len(cols))
			for i, c := range cols {
				out[c] = string(raw[i])
			}
		}
	}
	return out, rows.Err()
}

var errNoRow = errors.New("no row")

func (p *directPlacer) place(ctx context.Context, slug string, m member, matchID int64, pick string, stake int64, idemKey string) error {
	// guard: tenant from host, then the token's user.
	c, err := take(ctx, p.db, "SELECT * FROM `companies` WHERE slug = ? AND active = ? LIMIT 1", slug, true)
	if err != nil {
		return err
	}
	if c == nil {
		return errNoRow
	}
	if _, err := take(ctx, p.db, "SELECT users.*, teams.name AS team_name FROM `users` LEFT JOIN teams ON teams.id = users.team_id WHERE users.id = ? AND users.company_id = ? LIMIT 1", m.UserID, m.CompanyID); err != nil {
		return err
	}
	// PlaceBet: memberMatch, then Wallet.
	match, err := take(ctx, p.db, "SELECT * FROM `matches` WHERE id = ? LIMIT 1", matchID)
	if err != nil {
		return err
	}
	if match == nil {
		return errNoRow
	}
	tournamentID, _ := strconv.ParseInt(match["tournament_id"], 10, 64)
	if _, err := take(ctx, p.db, "SELECT * FROM `enrollments` WHERE company_id = ? AND tournament_id = ? ORDER BY tournament_id DESC LIMIT 1", m.CompanyID, tournamentID); err != nil {
		return err
	}
	w, err := take(ctx, p.db, "SELECT * FROM `wallets` WHERE tournament_id = ? AND user_id = ? AND company_id = ? LIMIT 1", tournamentID, m.UserID, m.CompanyID)
	if err != nil {
		return err
	}
	if w == nil {
		return errNoRow
	}
	walletID, _ := strconv.ParseInt(w["id"], 10, 64)
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d|%s|%d", matchID, pick, stake)))
	hash := hex.EncodeToString(sum[:])
	// The service's tx(): READ COMMITTED, retried on deadlock.
	for attempt := 0; ; attempt++ {
		err = p.tx(ctx, m, matchID, tournamentID, walletID, pick, stake, idemKey, hash)
		if attempt == 4 || err == nil || !(strings.Contains(err.Error(), "Error 1213") || strings.Contains(err.Error(), "Error 1205")) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
}

func (p *directPlacer) tx(ctx context.Context, m member, matchID, tournamentID, walletID int64, pick string, stake int64, idemKey, hash string) error {
	tx, err := p.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	res, err := tx.ExecContext(ctx, "INSERT INTO `idempotency_keys` (`user_id`,`idem_key`,`request_hash`,`status_code`,`response`,`created_at`) VALUES (?,?,?,?,?,?)",
		m.UserID, idemKey, hash, 0, nil, now)
	if err != nil {
		return err
	}
	idemID, _ := res.LastInsertId()
	cur, err := take(ctx, tx, "SELECT * FROM `matches` WHERE id = ? LIMIT 1", matchID)
	if err != nil {
		return err
	}
	odds, _ := strconv.Atoi(cur["odds_"+pick])
	existing, err := take(ctx, tx, "SELECT * FROM `bets` WHERE match_id = ? AND user_id = ? LIMIT 1 FOR UPDATE", matchID, m.UserID)
	if err != nil {
		return err
	}
	var oldStake, betID int64
	placedAt := now
	if existing != nil && existing["status"] == "open" {
		oldStake, _ = strconv.ParseInt(existing["stake"], 10, 64)
		placedAt, _ = time.Parse("2006-01-02 15:04:05.999", existing["placed_at"])
	}
	delta := stake - oldStake
	if delta > 0 {
		res, err := tx.ExecContext(ctx, "UPDATE `wallets` SET `balance`=balance - ?,`updated_at`=? WHERE id = ? AND balance >= ?", delta, now, walletID, delta)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errors.New("insufficient balance")
		}
	} else if delta < 0 {
		if _, err := tx.ExecContext(ctx, "UPDATE `wallets` SET `balance`=balance - ?,`updated_at`=? WHERE id = ?", delta, now, walletID); err != nil {
			return err
		}
	}
	if existing != nil {
		betID, _ = strconv.ParseInt(existing["id"], 10, 64)
		if _, err := tx.ExecContext(ctx, "UPDATE `bets` SET `bonus`=?,`odds`=?,`payout`=?,`pick`=?,`placed_at`=?,`score_away`=?,`score_home`=?,`settled_at`=?,`stake`=?,`status`=?,`updated_at`=? WHERE id = ?",
			0, odds, 0, pick, placedAt, nil, nil, nil, stake, "open", now, betID); err != nil {
			return err
		}
	} else {
		res, err := tx.ExecContext(ctx, "INSERT INTO `bets` (`company_id`,`tournament_id`,`match_id`,`user_id`,`wallet_id`,`pick`,`stake`,`odds`,`score_home`,`score_away`,`status`,`payout`,`bonus`,`placed_at`,`updated_at`,`settled_at`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			m.CompanyID, tournamentID, matchID, m.UserID, walletID, pick, stake, odds, nil, nil, "open", 0, 0, now, now, nil)
		if err != nil {
			return err
		}
		betID, _ = res.LastInsertId()
	}
	const ledgerHead = "INSERT INTO `ledger` (`wallet_id`,`company_id`,`tournament_id`,`user_id`,`kind`,`amount`,`bet_id`,`match_id`,`created_at`) VALUES "
	const ledgerRow = "(?,?,?,?,?,?,?,?,?)"
	if oldStake > 0 {
		_, err = tx.ExecContext(ctx, ledgerHead+ledgerRow+","+ledgerRow,
			walletID, m.CompanyID, tournamentID, m.UserID, "refund", oldStake, betID, matchID, now,
			walletID, m.CompanyID, tournamentID, m.UserID, "stake", -stake, betID, matchID, now)
	} else {
		_, err = tx.ExecContext(ctx, ledgerHead+ledgerRow, walletID, m.CompanyID, tournamentID, m.UserID, "stake", -stake, betID, matchID, now)
	}
	if err != nil {
		return err
	}
	var bal int64
	if err := tx.QueryRowContext(ctx, "SELECT balance FROM `wallets` WHERE id = ?", walletID).Scan(&bal); err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"bet": map[string]any{"ID": betID, "MatchID": matchID, "UserID": m.UserID, "Pick": pick, "Stake": stake, "Odds": odds,
		"Status": "open", "PlacedAt": placedAt, "UpdatedAt": now}, "balance": bal})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE `idempotency_keys` SET `response`=?,`status_code`=? WHERE id = ?", string(body), 200, idemID); err != nil {
		return err
	}
	return tx.Commit()
}
