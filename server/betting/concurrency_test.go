package betting_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// TestConcurrentBetsCannotOverspend: one member sends 100 bets at once on
// 100 different matches. Exactly the affordable ones are accepted, whatever
// the interleaving: staking the whole balance, exactly one; a tenth, exactly
// ten. The first bets also race
// to create the wallet.
func TestConcurrentBetsCannotOverspend(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newWorld(t, d)
		const starting = 1000
		acme := w.company("acme", 50, starting)
		kickoff := w.a.Clock.Now().Add(2 * time.Hour).Truncate(time.Second)
		// 100 open matches in one batch (the operator path that creates
		// them one by one is exercised by the other tests).
		rows := make([]betting.Match, 100)
		for i := range rows {
			odds := []int{200, 300, 400}
			now := w.a.Clock.Now()
			rows[i] = betting.Match{TournamentID: w.tid, Stage: "group", Kickoff: kickoff.Add(time.Duration(i) * time.Minute),
				HomeTeamID: &w.home, AwayTeamID: &w.away, OddsHome: &odds[0], OddsDraw: &odds[1], OddsAway: &odds[2],
				Status: betting.StatusScheduled, CreatedAt: now, UpdatedAt: now}
		}
		if err := w.a.DB.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		matches := make([]int64, len(rows))
		for i := range rows {
			matches[i] = rows[i].ID
		}
		cases := []struct {
			stake    int64
			accepted int
		}{{starting, 1}, {starting / 10, 10}}
		ms := w.members(acme, len(cases), true)
		for ci, c := range cases {
			m := ms[ci]
			t.Run(fmt.Sprintf("stake_%d", c.stake), func(t *testing.T) {
				resps := make([]*testutil.Resp, len(matches))
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i, mid := range matches {
					wg.Add(1)
					go func(i int, mid int64) {
						defer wg.Done()
						<-start
						resps[i] = w.put(acme.Host, m.Tok, mid, map[string]any{"pick": "home", "stake": c.stake}, fmt.Sprintf("k%d", i))
					}(i, mid)
				}
				close(start)
				wg.Wait()
				ok := 0
				for i, r := range resps {
					switch {
					case r.Status == http.StatusOK:
						ok++
					case r.Status == http.StatusUnprocessableEntity && r.ErrorCode() == "insufficient_balance":
					default:
						t.Errorf("bet %d: unexpected %d %s", i, r.Status, r.Body)
					}
				}
				if ok != c.accepted {
					t.Errorf("accepted %d bets of %d, want exactly %d", ok, c.stake, c.accepted)
				}
				var open struct{ N, S int64 }
				w.a.DB.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(stake), 0) AS s FROM bets WHERE user_id = ? AND status = 'open'", m.UserID).Scan(&open)
				if open.N != int64(ok) || open.S != int64(ok)*c.stake {
					t.Errorf("%d open bets staking %d, want %d staking %d", open.N, open.S, ok, int64(ok)*c.stake)
				}
				var wal struct {
					Balance int64 `json:"balance"`
				}
				w.get(acme.Host, m.Tok, "/api/v1/me/wallet").JSON(t, &wal)
				if want := starting - int64(c.accepted)*c.stake; wal.Balance != want {
					t.Errorf("balance %d, want %d", wal.Balance, want)
				}
				var wallets int64
				w.a.DB.Raw("SELECT COUNT(*) FROM wallets WHERE user_id = ?", m.UserID).Scan(&wallets)
				if wallets != 1 {
					t.Errorf("%d wallets for one member in one tournament", wallets)
				}
			})
		}
		assertLedgerConsistent(t, w.a.DB)
	})
}

// TestIdempotentRetries: one Idempotency-Key sent 20 times at once charges
// once and answers the same bytes every time; the key with another body is
// refused; keys belong to their user.
func TestIdempotentRetries(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newWorld(t, d)
		const starting = 1000
		acme := w.company("acme", 50, starting)
		kickoff := w.a.Clock.Now().Add(2 * time.Hour).Truncate(time.Second)
		mid := w.match(kickoff, &betting.Odds{Home: 2.35, Draw: 3.1, Away: 2.9})
		other := w.match(kickoff.Add(time.Hour), &betting.Odds{Home: 2.35, Draw: 3.1, Away: 2.9})
		ms := w.members(acme, 2, true)
		alice, bob := ms[0], ms[1]
		body := map[string]any{"pick": "home", "stake": 120, "score": map[string]int{"home": 2, "away": 0}}

		storm := func(tok string, bodies []any, key string) []*testutil.Resp {
			out := make([]*testutil.Resp, len(bodies))
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range bodies {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					out[i] = w.put(acme.Host, tok, mid, bodies[i], key)
				}(i)
			}
			close(start)
			wg.Wait()
			return out
		}
		same := make([]any, 20)
		for i := range same {
			same[i] = body
		}
		resps := storm(alice.Tok, same, "retry-1")
		for i, r := range resps {
			if r.Status != http.StatusOK {
				t.Fatalf("retry %d: %d %s", i, r.Status, r.Body)
			}
			if !bytes.Equal(r.Body, resps[0].Body) {
				t.Errorf("retry %d answered differently:\n%s\nvs\n%s", i, r.Body, resps[0].Body)
			}
		}
		var first struct {
			Balance int64 `json:"balance"`
			Bet     struct {
				ID    int64 `json:"id"`
				Stake int64 `json:"stake"`
			} `json:"bet"`
		}
		resps[0].JSON(t, &first)
		if first.Balance != starting-120 || first.Bet.Stake != 120 {
			t.Errorf("first answer: %s", resps[0].Body)
		}
		stakeRows := func(userID int64) (n, sum int64) {
			var r struct{ N, S int64 }
			w.a.DB.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS s FROM ledger WHERE user_id = ? AND kind = 'stake'", userID).Scan(&r)
			return r.N, r.S
		}
		if n, s := stakeRows(alice.UserID); n != 1 || s != -120 {
			t.Errorf("20 retries made %d stake rows totalling %d, want one of -120", n, s)
		}
		var bal int64
		w.a.DB.Raw("SELECT balance FROM wallets WHERE user_id = ?", alice.UserID).Scan(&bal)
		if bal != starting-120 {
			t.Errorf("balance %d after 20 retries, want %d", bal, starting-120)
		}

		// A later retry still replays, even though the state moved on.
		if r := w.put(acme.Host, alice.Tok, mid, body, "retry-1"); r.Status != http.StatusOK || !bytes.Equal(r.Body, resps[0].Body) {
			t.Errorf("late retry: %d %s", r.Status, r.Body)
		}
		// The same key with another body, another match, or no score.
		expectErr(t, "same key, other stake", w.put(acme.Host, alice.Tok, mid, map[string]any{"pick": "home", "stake": 121, "score": map[string]int{"home": 2, "away": 0}}, "retry-1"),
			http.StatusUnprocessableEntity, "idempotency_key_reused")
		expectErr(t, "same key, no score", w.put(acme.Host, alice.Tok, mid, map[string]any{"pick": "home", "stake": 120}, "retry-1"),
			http.StatusUnprocessableEntity, "idempotency_key_reused")
		expectErr(t, "same key, other match", w.put(acme.Host, alice.Tok, other, body, "retry-1"),
			http.StatusUnprocessableEntity, "idempotency_key_reused")
		if n, _ := stakeRows(alice.UserID); n != 1 {
			t.Errorf("refused reuses charged: %d stake rows", n)
		}

		// Keys are per user: Bob's "retry-1" is his own first request.
		r := w.put(acme.Host, bob.Tok, mid, map[string]any{"pick": "away", "stake": 50}, "retry-1")
		if r.Status != http.StatusOK {
			t.Fatalf("bob with alice's key string: %d %s", r.Status, r.Body)
		}
		var bobAns struct {
			Balance int64 `json:"balance"`
			Bet     struct {
				Pick string `json:"pick"`
			} `json:"bet"`
		}
		r.JSON(t, &bobAns)
		if bobAns.Balance != starting-50 || bobAns.Bet.Pick != "away" {
			t.Errorf("bob got someone else's answer: %s", r.Body)
		}
		if n, s := stakeRows(bob.UserID); n != 1 || s != -50 {
			t.Errorf("bob: %d stake rows totalling %d", n, s)
		}

		// Two different bodies racing on one fresh key: one body wins and all
		// its copies answer alike; every copy of the other is refused.
		mixed := make([]any, 20)
		for i := range mixed {
			mixed[i] = map[string]any{"pick": "draw", "stake": 10 + 5*(i%2)}
		}
		resps = storm(alice.Tok, mixed, "retry-2")
		winner := -1
		for i, r := range resps {
			if r.Status == http.StatusOK {
				if winner < 0 {
					winner = i
				} else if i%2 != winner%2 || !bytes.Equal(r.Body, resps[winner].Body) {
					t.Errorf("both bodies of one key were accepted, or answers differ: %s vs %s", r.Body, resps[winner].Body)
				}
				continue
			}
			expectErr(t, fmt.Sprintf("mixed %d", i), r, http.StatusUnprocessableEntity, "idempotency_key_reused")
		}
		if winner < 0 {
			t.Fatal("no body was accepted for the fresh key")
		}
		for i, r := range resps {
			if i%2 == winner%2 && r.Status != http.StatusOK {
				t.Errorf("mixed %d has the winning body but got %d %s", i, r.Status, r.Body)
			}
		}
		// Alice changed her bet once (120 → 10 or 15): refund + stake, once.
		wantStake := int64(10 + 5*(winner%2))
		var rows []struct {
			Kind   string
			Amount int64
		}
		w.a.DB.Raw("SELECT kind, amount FROM ledger WHERE user_id = ? AND kind <> 'grant' ORDER BY id", alice.UserID).Scan(&rows)
		if len(rows) != 3 || rows[0].Amount != -120 || rows[1].Kind != "refund" || rows[1].Amount != 120 || rows[2].Kind != "stake" || rows[2].Amount != -wantStake {
			t.Errorf("alice's ledger: %+v, want stake -120, refund 120, stake -%d", rows, wantStake)
		}
		assertLedgerConsistent(t, w.a.DB)
	})
}
