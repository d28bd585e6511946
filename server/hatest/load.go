package hatest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// logicalBet is one bet as a person means it: one Idempotency-Key, retried
// with that same key until the server acknowledges it (200) or the bet's
// own deadline passes.
type logicalBet struct {
	user     int
	seq      int
	matchID  int64
	pick     string
	stake    int64
	key      string
	phase    string
	start    time.Time
	latency  time.Duration
	attempts int
	// failures seen before a retry, by kind (not visible to the person)
	raw5xx, rawConn, raw429, raw409 int
	// replays: Go's http.Transport itself re-sends a request carrying an
	// Idempotency-Key when a kept-alive connection dies before any answer;
	// counted through httptrace (one GotConn per connection used).
	replays int

	acked   bool
	betID   int64
	balance int64
	// lastStatus/lastCode describe the final failure of a bet never acked.
	lastStatus int
	lastCode   string
	// uncertain: never acked but a request may have reached the database.
	uncertain bool
}

type loadConfig struct {
	users       int
	thinkMin    time.Duration
	thinkMax    time.Duration
	betDeadline time.Duration
	attemptTO   time.Duration
}

type loadGen struct {
	cfg     loadConfig
	c       *client
	seed    *seeded
	runID   string
	phase   atomic.Value // string
	stopNew atomic.Bool
	wg      sync.WaitGroup
	bets    [][]*logicalBet // per user, in order
}

func newLoadGen(cfg loadConfig, base string, s *seeded, runID string) *loadGen {
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}
	g := &loadGen{cfg: cfg, c: &client{base: base, hc: &http.Client{Transport: tr, Timeout: cfg.attemptTO}}, seed: s, runID: runID,
		bets: make([][]*logicalBet, cfg.users)}
	g.phase.Store("warm-up")
	return g
}

func (g *loadGen) setPhase(p string) { g.phase.Store(p) }

// start launches the virtual users; hard bounds every loop.
func (g *loadGen) start(ctx context.Context) {
	for u := 0; u < g.cfg.users; u++ {
		g.wg.Add(1)
		go func(u int) {
			defer g.wg.Done()
			g.user(ctx, u)
		}(u)
	}
}

// stop ends new bets and waits for the ones in flight to finish retrying.
func (g *loadGen) stop() {
	g.stopNew.Store(true)
	g.wg.Wait()
}

func (g *loadGen) user(ctx context.Context, u int) {
	rng := rand.New(rand.NewPCG(uint64(u)+1, uint64(time.Now().UnixNano())))
	picks := []string{"home", "draw", "away"}
	nm := len(g.seed.matchIDs)
	for seq := 0; !g.stopNew.Load() && ctx.Err() == nil; seq++ {
		b := &logicalBet{user: u, seq: seq, matchID: g.seed.matchIDs[(u*7+seq)%nm], pick: picks[rng.IntN(3)],
			stake: 1 + rng.Int64N(50), key: fmt.Sprintf("ha-%s-u%d-%d", g.runID, u, seq), phase: g.phase.Load().(string)}
		g.bets[u] = append(g.bets[u], b)
		g.place(ctx, rng, b)
		think := g.cfg.thinkMin + time.Duration(rng.Int64N(int64(g.cfg.thinkMax-g.cfg.thinkMin)+1))
		select {
		case <-ctx.Done():
			return
		case <-time.After(think):
		}
	}
}

// place sends the bet like a browser would: the same key on every retry,
// small growing backoff, honouring Retry-After.
func (g *loadGen) place(ctx context.Context, rng *rand.Rand, b *logicalBet) {
	m := g.seed.members[b.user]
	path := "/api/v1/matches/" + strconv.FormatInt(b.matchID, 10) + "/bet"
	body := map[string]any{"pick": b.pick, "stake": b.stake}
	hdr := map[string]string{"Idempotency-Key": b.key}
	b.start = time.Now()
	deadline := b.start.Add(g.cfg.betDeadline)
	backoff := 50 * time.Millisecond
	for {
		b.attempts++
		var conns atomic.Int32
		tctx := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { conns.Add(1) }})
		r, err := g.c.do(tctx, http.MethodPut, companyHost, path, m.token, body, hdr)
		if n := int(conns.Load()); n > 1 {
			b.replays += n - 1
		}
		wait := backoff
		switch {
		case err != nil:
			if errors.Is(err, context.Canceled) {
				b.uncertain = true
				return
			}
			b.rawConn++
			b.uncertain = true
			b.lastStatus, b.lastCode = 0, err.Error()
		case r.status == http.StatusOK:
			var out struct {
				Bet struct {
					ID    int64 `json:"id"`
					Stake int64 `json:"stake"`
				} `json:"bet"`
				Balance int64 `json:"balance"`
			}
			if err := r.decode(&out); err != nil || out.Bet.ID == 0 {
				b.lastStatus, b.lastCode = r.status, "unreadable 200 body"
				return
			}
			b.acked, b.betID, b.balance, b.uncertain = true, out.Bet.ID, out.Balance, false
			b.latency = time.Since(b.start)
			return
		case r.status >= 500:
			b.raw5xx++
			b.uncertain = true
			b.lastStatus, b.lastCode = r.status, r.errorCode()
		case r.status == http.StatusTooManyRequests:
			b.raw429++
			b.lastStatus, b.lastCode = r.status, r.errorCode()
			if s, err := strconv.Atoi(r.header.Get("Retry-After")); err == nil && s > 0 {
				wait = min(time.Duration(s)*time.Second, 2*time.Second)
			}
		case r.status == http.StatusConflict && r.errorCode() == "request_in_progress":
			b.raw409++
			b.uncertain = true
			b.lastStatus, b.lastCode = r.status, r.errorCode()
		default:
			// A refusal a person would see (validation, key reused...): not retried.
			b.lastStatus, b.lastCode = r.status, r.errorCode()
			return
		}
		if time.Now().Add(wait).After(deadline) {
			return
		}
		jitter := time.Duration(rng.Int64N(int64(wait)/2 + 1))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait + jitter):
		}
		backoff = min(backoff*2, time.Second)
	}
}

// all returns every logical bet, user by user in order.
func (g *loadGen) all() []*logicalBet {
	var out []*logicalBet
	for _, bs := range g.bets {
		out = append(out, bs...)
	}
	return out
}
