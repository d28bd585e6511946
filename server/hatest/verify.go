package hatest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// invariants are read from the database directly, not through the API.
type invariants struct {
	acked          int
	lost           int // acknowledged bets missing or different in the database
	lostByPhase    map[string]int
	duplicated     int // stake charges beyond one per committed Idempotency-Key
	wallets        int
	walletMismatch int // wallets whose balance differs from the sum of their ledger
	lastBalanceBad int // users whose final balance differs from their last acknowledged balance
	uncertain      int // bets never acknowledged that may have been committed
	details        []string
}

func (iv *invariants) ok() bool {
	return iv.lost == 0 && iv.duplicated == 0 && iv.walletMismatch == 0 && iv.lastBalanceBad == 0
}

func (iv *invariants) note(format string, a ...any) {
	if len(iv.details) < 20 {
		iv.details = append(iv.details, fmt.Sprintf(format, a...))
	}
}

type pair struct{ user, match int64 }

func verify(ctx context.Context, dsn string, s *seeded, bets []*logicalBet) (*invariants, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	iv := &invariants{lostByPhase: map[string]int{}}

	type betRow struct {
		id, user, match, stake int64
		pick, status           string
	}
	dbBets := map[int64]betRow{}
	byPair := map[pair]betRow{}
	rows, err := db.QueryContext(ctx, "SELECT id, user_id, match_id, stake, pick, status FROM bets WHERE company_id = ?", s.companyID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r betRow
		if err := rows.Scan(&r.id, &r.user, &r.match, &r.stake, &r.pick, &r.status); err != nil {
			rows.Close()
			return nil, err
		}
		dbBets[r.id] = r
		byPair[pair{r.user, r.match}] = r
	}
	rows.Close()

	stakeRows := map[int64]int{}
	rows, err = db.QueryContext(ctx, "SELECT bet_id, COUNT(*) FROM ledger WHERE company_id = ? AND kind = 'stake' GROUP BY bet_id", s.companyID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		stakeRows[id] = n
	}
	rows.Close()

	// Committed idempotency keys and the bet each one answered with.
	userIDs := make([]string, len(s.members))
	for i, m := range s.members {
		userIDs[i] = fmt.Sprint(m.userID)
	}
	keyBet := map[string]int64{}  // user|key -> bet id
	keysPerBet := map[int64]int{} // committed keys per bet
	rows, err = db.QueryContext(ctx, "SELECT user_id, idem_key, status_code, COALESCE(response, '') FROM idempotency_keys WHERE user_id IN ("+strings.Join(userIDs, ",")+")")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var uid int64
		var key, resp string
		var code int
		if err := rows.Scan(&uid, &key, &code, &resp); err != nil {
			rows.Close()
			return nil, err
		}
		if code != 200 {
			continue
		}
		var r struct {
			Bet struct {
				ID int64 `json:"id"`
			} `json:"bet"`
		}
		_ = json.Unmarshal([]byte(resp), &r)
		keyBet[fmt.Sprintf("%d|%s", uid, key)] = r.Bet.ID
		keysPerBet[r.Bet.ID]++
	}
	rows.Close()

	// Lost: every acknowledged bet has its committed key, answering with the
	// same bet, and the bet row exists on the same match; the last
	// acknowledged bet of a (member, match) is what the database holds.
	lastOnPair := map[pair]*logicalBet{}
	lastOfUser := map[int]*logicalBet{}
	for _, b := range bets {
		uid := s.members[b.user].userID
		p := pair{uid, b.matchID}
		if b.acked || b.uncertain {
			lastOnPair[p] = b
		}
		if b.acked || b.uncertain {
			lastOfUser[b.user] = b
		}
		if b.uncertain {
			iv.uncertain++
		}
		if !b.acked {
			continue
		}
		iv.acked++
		lost := ""
		if kb, ok := keyBet[fmt.Sprintf("%d|%s", uid, b.key)]; !ok {
			lost = "its Idempotency-Key is not committed"
		} else if kb != b.betID {
			lost = fmt.Sprintf("its key answered with bet %d", kb)
		} else if r, ok := dbBets[b.betID]; !ok {
			lost = "the bet row is missing"
		} else if r.match != b.matchID || r.user != uid {
			lost = fmt.Sprintf("bet row is on match %d user %d", r.match, r.user)
		}
		if lost != "" {
			iv.lost++
			iv.lostByPhase[b.phase]++
			iv.note("lost: user %d key %s bet %d match %d stake %d (%s): %s", uid, b.key, b.betID, b.matchID, b.stake, b.phase, lost)
		}
	}
	for p, b := range lastOnPair {
		if !b.acked {
			continue // never acknowledged: either outcome is allowed
		}
		r, ok := byPair[p]
		if !ok || r.stake != b.stake || r.pick != b.pick || r.status != "open" {
			iv.lost++
			iv.lostByPhase[b.phase]++
			iv.note("lost: user %d match %d: last acknowledged %s %d (key %s), database has %+v", p.user, p.match, b.pick, b.stake, b.key, r)
		}
	}
	// Duplicated: each committed key charges one stake, no more.
	for id, n := range stakeRows {
		if n > keysPerBet[id] {
			iv.duplicated += n - keysPerBet[id]
			iv.note("duplicated: bet %d has %d stake rows for %d committed keys", id, n, keysPerBet[id])
		}
		if n < keysPerBet[id] {
			iv.lost += keysPerBet[id] - n
			iv.note("lost charge: bet %d has %d stake rows for %d committed keys", id, n, keysPerBet[id])
		}
	}

	// Wallet balance == SUM(its ledger), for every wallet of the company.
	rows, err = db.QueryContext(ctx, `SELECT w.id, w.user_id, w.balance, COALESCE(SUM(l.amount), 0)
		FROM wallets w LEFT JOIN ledger l ON l.wallet_id = w.id
		WHERE w.company_id = ? AND w.tournament_id = ? GROUP BY w.id, w.user_id, w.balance`, s.companyID, s.tournamentID)
	if err != nil {
		return nil, err
	}
	balances := map[int64]int64{}
	for rows.Next() {
		var id, uid, bal, sum int64
		if err := rows.Scan(&id, &uid, &bal, &sum); err != nil {
			rows.Close()
			return nil, err
		}
		iv.wallets++
		balances[uid] = bal
		if bal != sum {
			iv.walletMismatch++
			iv.note("wallet %d (user %d): balance %d, ledger sum %d", id, uid, bal, sum)
		}
	}
	rows.Close()
	for u, b := range lastOfUser {
		if !b.acked {
			continue
		}
		uid := s.members[u].userID
		if balances[uid] != b.balance {
			iv.lastBalanceBad++
			iv.note("user %d: wallet %d, last acknowledged balance %d (key %s)", uid, balances[uid], b.balance, b.key)
		}
	}
	return iv, nil
}
