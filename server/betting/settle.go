package betting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/betcity/betcity/server/apperr"
)

// Result is a match's score. Bets are decided on FT, the 90-minute result:
// extra time and penalties are recorded but never change a bet.
type Result struct {
	FT [2]int
	ET *[2]int
	P  *[2]int
}

func (r Result) validate() error {
	f := apperr.Fields{}
	check := func(field string, s *[2]int) {
		if s != nil && (s[0] < 0 || s[1] < 0 || s[0] > 99 || s[1] > 99) {
			f.Add(field, "goals must be between 0 and 99")
		}
	}
	check("ft", &r.FT)
	check("et", r.ET)
	check("p", r.P)
	if r.ET != nil && (r.ET[0] < r.FT[0] || r.ET[1] < r.FT[1]) {
		f.Add("et", "the score after extra time cannot be lower than at 90 minutes")
	}
	if r.P != nil && r.P[0] == r.P[1] {
		f.Add("p", "a penalty shoot-out has a winner")
	}
	return f.Err()
}

// Outcome is the winning pick of a 90-minute score.
func Outcome(home, away int) string {
	switch {
	case home > away:
		return PickHome
	case home < away:
		return PickAway
	}
	return PickDraw
}

// SettleSummary says what a result did.
type SettleSummary struct {
	Settled    int64
	Reversed   int64
	Unchanged  bool
	MatchID    int64
	Refunded   int64
	SettleTime time.Duration
}

// RecordResult stores a result and settles every bet on the match in one
// transaction with set-based statements. Recording the same 90-minute score
// again changes nothing; a different one reverses the previous settlement
// with correction rows, then settles afresh.
func (s *Service) RecordResult(ctx context.Context, matchID int64, r Result) (*SettleSummary, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	started := time.Now()
	sum := &SettleSummary{MatchID: matchID}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var m Match
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", matchID).Take(&m).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errMatchNotFound
			}
			return err
		}
		if m.Status == StatusCancelled {
			return apperr.Conflict("match_cancelled", "this match was cancelled and its stakes refunded")
		}
		if m.HomeTeamID == nil || m.AwayTeamID == nil {
			return apperr.Conflict("teams_undecided", "set both teams before recording a result")
		}
		now := s.clock.Now()
		if now.Before(m.Kickoff) {
			return apperr.Conflict("match_not_started", "a result can only be recorded after kickoff")
		}
		upd := map[string]any{"status": StatusFinished, "ft_home": r.FT[0], "ft_away": r.FT[1], "et_home": nil, "et_away": nil,
			"pen_home": nil, "pen_away": nil, "updated_at": now}
		if r.ET != nil {
			upd["et_home"], upd["et_away"] = r.ET[0], r.ET[1]
		}
		if r.P != nil {
			upd["pen_home"], upd["pen_away"] = r.P[0], r.P[1]
		}
		if m.SettledHome != nil && *m.SettledHome == r.FT[0] && *m.SettledAway == r.FT[1] {
			sum.Unchanged = true
			return tx.Model(&Match{}).Where("id = ?", m.ID).Updates(upd).Error
		}
		if m.SettledHome != nil {
			n, err := s.reverse(tx, &m, now)
			if err != nil {
				return err
			}
			sum.Reversed = n
		}
		n, err := s.settle(tx, &m, r.FT[0], r.FT[1], now)
		if err != nil {
			return err
		}
		sum.Settled = n
		upd["settled_home"], upd["settled_away"] = r.FT[0], r.FT[1]
		return tx.Model(&Match{}).Where("id = ?", m.ID).Updates(upd).Error
	})
	sum.SettleTime = time.Since(started)
	return sum, err
}

// joinUpdate writes "UPDATE target JOIN bets" in each dialect's syntax: MySQL
// has UPDATE ... JOIN, SQLite has UPDATE ... FROM. sets are "column = expr"
// with expr using t. (the target) and b. (bets).
func (s *Service) joinUpdate(tx *gorm.DB, table, on string, sets []string, where string, args ...any) (int64, error) {
	var sql string
	if s.db.IsMySQL() {
		qualified := make([]string, len(sets))
		for i, set := range sets {
			qualified[i] = "t." + set
		}
		sql = fmt.Sprintf("UPDATE %s t JOIN bets b ON %s SET %s WHERE %s", table, on, strings.Join(qualified, ", "), where)
	} else {
		sql = fmt.Sprintf("UPDATE %s AS t SET %s FROM bets AS b WHERE %s AND %s", table, strings.Join(sets, ", "), on, where)
	}
	res := tx.Exec(sql, args...)
	return res.RowsAffected, res.Error
}

const (
	walletJoin   = "b.wallet_id = t.id"
	standingJoin = "b.user_id = t.user_id AND b.tournament_id = t.tournament_id"
)

func (s *Service) settle(tx *gorm.DB, m *Match, home, away int, now time.Time) (int64, error) {
	win := Outcome(home, away)
	// One pass over the match's bets, each with its company's exact-score
	// bonus looked up per row (only for exact scores). A pass per company
	// scanned every bet of the match once per company.
	//
	// floor(x / 100) written as (x - x % 100) / 100 so MySQL (decimal
	// division) and SQLite (integer division) agree exactly.
	const pct = "(SELECT c.exact_score_bonus_pct FROM companies c WHERE c.id = bets.company_id)"
	res := tx.Exec(`UPDATE bets SET
  status = CASE WHEN pick = ? THEN ? ELSE ? END,
  payout = CASE WHEN pick = ? THEN (stake * odds - (stake * odds) % 100) / 100 ELSE 0 END,
  bonus = CASE WHEN pick = ? AND score_home = ? AND score_away = ? THEN (stake * `+pct+` - (stake * `+pct+`) % 100) / 100 ELSE 0 END,
  settled_at = ?, updated_at = ?
WHERE match_id = ? AND status = ? AND company_id IN (SELECT id FROM companies)`,
		win, BetWon, BetLost, win, win, home, away, now, now, m.ID, BetOpen)
	if res.Error != nil {
		return 0, res.Error
	}
	settled := res.RowsAffected
	if settled == 0 {
		return 0, nil
	}
	if err := tx.Exec(`INSERT INTO ledger (wallet_id, company_id, tournament_id, user_id, kind, amount, bet_id, match_id, created_at)
SELECT wallet_id, company_id, tournament_id, user_id, ?, payout, id, match_id, ? FROM bets WHERE match_id = ? AND status = ? AND payout > 0`,
		LedgerPayout, now, m.ID, BetWon).Error; err != nil {
		return 0, err
	}
	if err := tx.Exec(`INSERT INTO ledger (wallet_id, company_id, tournament_id, user_id, kind, amount, bet_id, match_id, created_at)
SELECT wallet_id, company_id, tournament_id, user_id, ?, bonus, id, match_id, ? FROM bets WHERE match_id = ? AND status = ? AND bonus > 0`,
		LedgerBonus, now, m.ID, BetWon).Error; err != nil {
		return 0, err
	}
	if _, err := s.joinUpdate(tx, "wallets", walletJoin, []string{"balance = t.balance + b.payout + b.bonus", "updated_at = ?"},
		"b.match_id = ? AND b.status = ?", now, m.ID, BetWon); err != nil {
		return 0, err
	}
	if _, err := s.joinUpdate(tx, "standings", standingJoin, []string{
		"score = t.score + b.payout + b.bonus - b.stake",
		"correct_picks = t.correct_picks + CASE WHEN b.status = 'won' THEN 1 ELSE 0 END",
		"exact_scores = t.exact_scores + CASE WHEN b.score_home = ? AND b.score_away = ? THEN 1 ELSE 0 END",
		"settled_bets = t.settled_bets + 1",
	}, "b.match_id = ? AND b.status IN ?", home, away, m.ID, []string{BetWon, BetLost}); err != nil {
		return 0, err
	}
	return settled, nil
}

// reverse undoes a previous settlement of m: correction rows take back
// payouts and bonuses, standings lose what they gained, bets reopen.
func (s *Service) reverse(tx *gorm.DB, m *Match, now time.Time) (int64, error) {
	home, away := *m.SettledHome, *m.SettledAway
	if err := tx.Exec(`INSERT INTO ledger (wallet_id, company_id, tournament_id, user_id, kind, amount, bet_id, match_id, created_at)
SELECT wallet_id, company_id, tournament_id, user_id, ?, -(payout + bonus), id, match_id, ? FROM bets WHERE match_id = ? AND status = ? AND payout + bonus > 0`,
		LedgerCorrection, now, m.ID, BetWon).Error; err != nil {
		return 0, err
	}
	if _, err := s.joinUpdate(tx, "wallets", walletJoin, []string{"balance = t.balance - b.payout - b.bonus", "updated_at = ?"},
		"b.match_id = ? AND b.status = ?", now, m.ID, BetWon); err != nil {
		return 0, err
	}
	if _, err := s.joinUpdate(tx, "standings", standingJoin, []string{
		"score = t.score - (b.payout + b.bonus - b.stake)",
		"correct_picks = t.correct_picks - CASE WHEN b.status = 'won' THEN 1 ELSE 0 END",
		"exact_scores = t.exact_scores - CASE WHEN b.score_home = ? AND b.score_away = ? THEN 1 ELSE 0 END",
		"settled_bets = t.settled_bets - 1",
	}, "b.match_id = ? AND b.status IN ?", home, away, m.ID, []string{BetWon, BetLost}); err != nil {
		return 0, err
	}
	res := tx.Exec(`UPDATE bets SET status = ?, payout = 0, bonus = 0, settled_at = NULL, updated_at = ? WHERE match_id = ? AND status IN ?`,
		BetOpen, now, m.ID, []string{BetWon, BetLost})
	return res.RowsAffected, res.Error
}

// CancelMatch cancels a match and refunds every stake on it, reversing a
// settlement first if there was one.
func (s *Service) CancelMatch(ctx context.Context, matchID int64) (*SettleSummary, error) {
	sum := &SettleSummary{MatchID: matchID}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var m Match
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", matchID).Take(&m).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errMatchNotFound
			}
			return err
		}
		if m.Status == StatusCancelled {
			sum.Unchanged = true
			return nil
		}
		now := s.clock.Now()
		if m.SettledHome != nil {
			n, err := s.reverse(tx, &m, now)
			if err != nil {
				return err
			}
			sum.Reversed = n
		}
		if err := tx.Exec(`INSERT INTO ledger (wallet_id, company_id, tournament_id, user_id, kind, amount, bet_id, match_id, created_at)
SELECT wallet_id, company_id, tournament_id, user_id, ?, stake, id, match_id, ? FROM bets WHERE match_id = ? AND status = ?`,
			LedgerRefund, now, m.ID, BetOpen).Error; err != nil {
			return err
		}
		if _, err := s.joinUpdate(tx, "wallets", walletJoin, []string{"balance = t.balance + b.stake", "updated_at = ?"},
			"b.match_id = ? AND b.status = ?", now, m.ID, BetOpen); err != nil {
			return err
		}
		res := tx.Exec(`UPDATE bets SET status = ?, updated_at = ?, settled_at = ? WHERE match_id = ? AND status = ?`, BetRefunded, now, now, m.ID, BetOpen)
		if res.Error != nil {
			return res.Error
		}
		sum.Refunded = res.RowsAffected
		return tx.Model(&Match{}).Where("id = ?", m.ID).Updates(map[string]any{"status": StatusCancelled, "settled_home": nil, "settled_away": nil, "updated_at": now}).Error
	})
	return sum, err
}
