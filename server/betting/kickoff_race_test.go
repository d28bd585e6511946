package betting_test

import (
	"fmt"
	"math/rand"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// TestKickoffRace storms one match with bets, changes and cancels from 30
// members through the API while the server clock is moved to kickoff in the
// middle of the storm. The clock is pinned, so "before kickoff" is exactly
// "before the move":
//   - the clock is moved first, then a flag is set: any request that starts
//     after the flag saw the moved clock and must get 409 match_locked;
//     equivalently, every success was issued before the move;
//   - every bet and ledger row of the match carries a decision time before
//     kickoff (the server stamps them with its clock);
//   - each member's operations are sequential, so the last success tells
//     their final state: balance == starting − open stake, and every
//     successful answer carried that balance at its time;
//   - finally assertLedgerConsistent.
func TestKickoffRace(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newWorld(t, d)
		const starting = 1000
		acme := w.company("acme", 50, starting)
		kickoff := w.a.Clock.Now().Add(3 * time.Minute).Truncate(time.Second)
		mid := w.match(kickoff, &betting.Odds{Home: 2.35, Draw: 3.1, Away: 2.9})
		ms := w.members(acme, 30, true)
		// Pinned one second before kickoff: tokens issued just now stay valid.
		w.a.Clock.Set(kickoff.Add(-time.Second))

		const opsPerMember = 8
		type opResult struct {
			kind       string // put, del
			stake      int64
			afterMove  bool
			status     int
			code       string
			balance    int64
			hasBalance bool
		}
		results := make([][]opResult, len(ms))
		var moved atomic.Bool
		var done atomic.Int64
		total := int64(len(ms) * opsPerMember)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range ms {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				rng := rand.New(rand.NewSource(int64(i + 1)))
				<-start
				for k := 0; k < opsPerMember; k++ {
					var op opResult
					op.afterMove = moved.Load()
					var r *testutil.Resp
					if rng.Intn(3) == 0 {
						op.kind = "del"
						r = w.del(acme.Host, ms[i].Tok, mid)
					} else {
						op.kind = "put"
						op.stake = int64(1 + rng.Intn(400))
						pick := []string{"home", "draw", "away"}[rng.Intn(3)]
						// A fresh key per operation: each is a new request.
						key := fmt.Sprintf("m%d-op%d", i, k)
						r = w.put(acme.Host, ms[i].Tok, mid, map[string]any{"pick": pick, "stake": op.stake}, key)
					}
					op.status, op.code = r.Status, r.ErrorCode()
					if r.Status == http.StatusOK {
						var b struct {
							Balance *int64 `json:"balance"`
						}
						r.JSON(t, &b)
						if b.Balance != nil {
							op.balance, op.hasBalance = *b.Balance, true
						}
					}
					results[i] = append(results[i], op)
					done.Add(1)
				}
			}(i)
		}
		close(start)
		// Move the clock once a quarter of the storm is answered.
		for done.Load() < total/4 {
			time.Sleep(time.Millisecond)
		}
		w.a.Clock.Set(kickoff)
		moved.Store(true)
		wg.Wait()

		var okBefore, lockedAfter int
		for i, ops := range results {
			balance := int64(starting) // the member's model: sequential ops
			var open int64
			for k, op := range ops {
				what := fmt.Sprintf("member %d op %d (%s, after move %v)", i, k, op.kind, op.afterMove)
				if op.afterMove {
					if op.status != http.StatusConflict || op.code != "match_locked" {
						t.Errorf("%s: got %d %s, want 409 match_locked", what, op.status, op.code)
					}
					lockedAfter++
					continue
				}
				switch {
				case op.status == http.StatusOK:
					okBefore++
					if op.kind == "put" {
						open = op.stake
					} else {
						open = 0
					}
					balance = starting - open
					if !op.hasBalance || op.balance != balance {
						t.Errorf("%s: answered balance %d, want %d", what, op.balance, balance)
					}
				case op.status == http.StatusConflict && op.code == "match_locked":
				case op.kind == "del" && op.status == http.StatusNotFound && op.code == "bet_not_found":
				default:
					t.Errorf("%s: unexpected answer %d %s", what, op.status, op.code)
				}
			}
			var wal struct {
				Balance int64 `json:"balance"`
			}
			w.get(acme.Host, ms[i].Tok, "/api/v1/me/wallet").JSON(t, &wal)
			if wal.Balance != balance {
				t.Errorf("member %d: wallet %d, want %d (starting − open stake %d)", i, wal.Balance, balance, open)
			}
			var stakes struct{ N, S int64 }
			w.a.DB.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(stake), 0) AS s FROM bets WHERE user_id = ? AND status = ?", ms[i].UserID, "open").Scan(&stakes)
			if stakes.S != open || stakes.N > 1 {
				t.Errorf("member %d: %d open bets staking %d, want stake %d", i, stakes.N, stakes.S, open)
			}
		}
		if okBefore == 0 || lockedAfter == 0 {
			t.Fatalf("the storm did not straddle kickoff: %d successes before, %d refusals after", okBefore, lockedAfter)
		}
		// After the storm: every further operation is refused.
		for i, m := range ms[:5] {
			expectErr(t, fmt.Sprintf("member %d bet after storm", i), w.put(acme.Host, m.Tok, mid, map[string]any{"pick": "home", "stake": 1}, ""), http.StatusConflict, "match_locked")
			expectErr(t, fmt.Sprintf("member %d cancel after storm", i), w.del(acme.Host, m.Tok, mid), http.StatusConflict, "match_locked")
		}
		// The server stamps every decision with its clock: none at or after kickoff.
		var late int64
		w.a.DB.Raw("SELECT COUNT(*) FROM bets WHERE match_id = ? AND (updated_at >= ? OR placed_at >= ?)", mid, kickoff, kickoff).Scan(&late)
		if late != 0 {
			t.Errorf("%d bets were written at or after kickoff", late)
		}
		w.a.DB.Raw("SELECT COUNT(*) FROM ledger WHERE match_id = ? AND created_at >= ?", mid, kickoff).Scan(&late)
		if late != 0 {
			t.Errorf("%d ledger rows were written at or after kickoff", late)
		}
		t.Logf("%d successes before kickoff, %d refusals after", okBefore, lockedAfter)
		assertLedgerConsistent(t, w.a.DB)
	})
}
