package betting_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// TestIdempotentRetryAfterKickoff: a bet accepted just before kickoff whose
// answer was lost is retried by the bet slip with the same key after
// kickoff. The retry must tell the truth (the bet was placed), not
// match_locked, which the SPA shows as "your bet was not placed".
func TestIdempotentRetryAfterKickoff(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newWorld(t, d)
		acme := w.company("acme", 50, 1000)
		kickoff := w.a.Clock.Now().Add(2 * time.Minute).Truncate(time.Second)
		mid := w.match(kickoff, &betting.Odds{Home: 2.35, Draw: 3.1, Away: 2.9})
		w.a.Clock.Set(kickoff.Add(-time.Second))
		body := map[string]any{"pick": "draw", "stake": 200, "score": map[string]int{"home": 1, "away": 1}}
		first := w.put(acme.Host, acme.EmpTok, mid, body, "slip-1")
		if first.Status != http.StatusOK {
			t.Fatalf("bet before kickoff: %d %s", first.Status, first.Body)
		}
		w.a.Clock.Set(kickoff)
		retry := w.put(acme.Host, acme.EmpTok, mid, body, "slip-1")
		if retry.Status != http.StatusOK || !bytes.Equal(retry.Body, first.Body) {
			t.Errorf("retry after kickoff: %d %s, want the first answer %s", retry.Status, retry.Body, first.Body)
		}
		// Anything new is still locked, with or without a key.
		expectErr(t, "new key after kickoff", w.put(acme.Host, acme.EmpTok, mid, body, "slip-2"), http.StatusConflict, "match_locked")
		expectErr(t, "no key after kickoff", w.put(acme.Host, acme.EmpTok, mid, body, ""), http.StatusConflict, "match_locked")
		var n int64
		w.a.DB.Raw("SELECT COUNT(*) FROM ledger WHERE kind = 'stake'").Scan(&n)
		if n != 1 {
			t.Errorf("%d stake rows, want 1", n)
		}
		assertLedgerConsistent(t, w.a.DB)
	})
}

// TestSameMemberConcurrentFirstBets: a member double-submits (two tabs,
// a double click) different bets on a match they have no bet on yet, mixed
// with cancels. Every answer is a rule's answer, never a 500; the member
// ends with at most one bet, charged once.
func TestSameMemberConcurrentFirstBets(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newWorld(t, d)
		const starting = 1000
		acme := w.company("acme", 50, starting)
		kickoff := w.a.Clock.Now().Add(time.Hour).Truncate(time.Second)
		const nMatches = 3
		ms := w.members(acme, 4, true)
		for round := 0; round < nMatches; round++ {
			mid := w.match(kickoff.Add(time.Duration(round)*time.Minute), &betting.Odds{Home: 2, Draw: 3, Away: 4})
			type ans struct {
				member int
				del    bool
				r      *testutil.Resp
			}
			var mu sync.Mutex
			var answers []ans
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, m := range ms {
				for k := 0; k < 4; k++ {
					wg.Add(1)
					go func(i, k int, m member) {
						defer wg.Done()
						<-start
						var r *testutil.Resp
						if k == 3 {
							r = w.del(acme.Host, m.Tok, mid)
						} else {
							r = w.put(acme.Host, m.Tok, mid, map[string]any{"pick": "home", "stake": 10 * (k + 1)}, "")
						}
						mu.Lock()
						answers = append(answers, ans{i, k == 3, r})
						mu.Unlock()
					}(i, k, m)
				}
			}
			close(start)
			wg.Wait()
			for _, a := range answers {
				ok := a.r.Status == http.StatusOK || (a.del && a.r.Status == http.StatusNotFound && a.r.ErrorCode() == "bet_not_found")
				if !ok {
					t.Errorf("match %d member %d (delete %v): %d %s", round, a.member, a.del, a.r.Status, a.r.Body)
				}
			}
			for i, m := range ms {
				var open struct{ N, S int64 }
				w.a.DB.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(stake), 0) AS s FROM bets WHERE user_id = ? AND match_id = ? AND status = 'open'", m.UserID, mid).Scan(&open)
				if open.N > 1 {
					t.Errorf("match %d member %d: %d open bets", round, i, open.N)
				}
			}
		}
		// Balances: starting − all open stakes (checked by the helper).
		assertLedgerConsistent(t, w.a.DB)
	})
}
