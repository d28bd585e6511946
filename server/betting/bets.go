package betting

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/paging"
)

// Member identifies the caller: the company comes from the host and the
// verified token, never from the request body.
type Member struct {
	CompanyID int64
	UserID    int64
}

// ScorePrediction is an optional exact-score guess.
type ScorePrediction struct {
	Home, Away int
}

// BetInput is a new or changed bet.
type BetInput struct {
	Pick  string
	Stake int64
	Score *ScorePrediction
}

// PlaceResult is the answer to a bet placement, stored verbatim for
// idempotent replays.
type PlaceResult struct {
	Bet     Bet   `json:"bet"`
	Balance int64 `json:"balance"`
}

var (
	errLocked     = &apperr.Error{Kind: apperr.KindConflict, Code: "match_locked", Message: "betting on this match closed at kickoff"}
	errNotOpen    = &apperr.Error{Kind: apperr.KindConflict, Code: "match_not_open", Message: "this match is not open for betting (no odds yet, teams not decided, or not scheduled)"}
	errNoBet      = &apperr.Error{Kind: apperr.KindNotFound, Code: "bet_not_found", Message: "you have no bet on this match"}
	errKeyReused  = &apperr.Error{Kind: apperr.KindUnprocessable, Code: "idempotency_key_reused", Message: "this Idempotency-Key was already used with a different request"}
	errInProgress = &apperr.Error{Kind: apperr.KindConflict, Code: "request_in_progress", Message: "the same request is still being processed; retry in a moment"}
	errReplay     = errors.New("idempotent replay")
)

func insufficient(balance int64) error {
	return &apperr.Error{Kind: apperr.KindUnprocessable, Code: "insufficient_balance",
		Message: fmt.Sprintf("not enough Betcoins: %d available", balance), Fields: map[string]string{"stake": "is more than your balance"}}
}

func (in *BetInput) validate() error {
	f := apperr.Fields{}
	switch in.Pick {
	case PickHome, PickDraw, PickAway:
	default:
		f.Add("pick", "must be home, draw or away")
	}
	if in.Stake < 1 {
		f.Add("stake", "must be at least 1 Betcoin")
	}
	if sc := in.Score; sc != nil {
		switch {
		case sc.Home < 0 || sc.Away < 0 || sc.Home > 30 || sc.Away > 30:
			f.Add("score", "goals must be between 0 and 30")
		case in.Pick == PickHome && sc.Home <= sc.Away,
			in.Pick == PickAway && sc.Home >= sc.Away,
			in.Pick == PickDraw && sc.Home != sc.Away:
			f.Add("score", "must agree with your pick")
		}
	}
	return f.Err()
}

func requestHash(matchID int64, in BetInput) string {
	s := fmt.Sprintf("%d|%s|%d", matchID, in.Pick, in.Stake)
	if in.Score != nil {
		s += fmt.Sprintf("|%d-%d", in.Score.Home, in.Score.Away)
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Wallet returns the member's wallet in a tournament, creating it with the
// starting grant on first use.
func (s *Service) Wallet(ctx context.Context, m Member, tournamentID int64) (*Wallet, error) {
	var w Wallet
	err := s.db.WithContext(ctx).Where("tournament_id = ? AND user_id = ? AND company_id = ?", tournamentID, m.UserID, m.CompanyID).Take(&w).Error
	if err == nil {
		return &w, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	e, err := s.ResolveTournament(ctx, m.CompanyID, tournamentID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		w = Wallet{CompanyID: m.CompanyID, TournamentID: tournamentID, UserID: m.UserID, Balance: int64(e.StartingCoins), CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&w).Error; err != nil {
			return err
		}
		if err := tx.Create(&LedgerEntry{WalletID: w.ID, CompanyID: m.CompanyID, TournamentID: tournamentID, UserID: m.UserID,
			Kind: LedgerGrant, Amount: int64(e.StartingCoins), CreatedAt: now}).Error; err != nil {
			return err
		}
		if err := tx.Create(&Standing{TournamentID: tournamentID, CompanyID: m.CompanyID, UserID: m.UserID, Score: int64(e.StartingCoins)}).Error; err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "tournament_id"}, {Name: "company_id"}},
			DoUpdates: clause.Assignments(map[string]any{"members": gorm.Expr("leaderboard_sizes.members + 1")}),
		}).Create(&LeaderboardSize{TournamentID: tournamentID, CompanyID: m.CompanyID, Members: 1}).Error
	})
	if database.IsDuplicate(err) {
		// Another request created it first.
		err = s.db.WithContext(ctx).Where("tournament_id = ? AND user_id = ?", tournamentID, m.UserID).Take(&w).Error
	}
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// PlaceBet creates or changes the member's bet on a match. With an
// idempotency key, a repeat returns the first result and never charges
// twice; the same key with another body is refused.
func (s *Service) PlaceBet(ctx context.Context, m Member, matchID int64, in BetInput, idemKey string) (*PlaceResult, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if len(idemKey) > 100 {
		return nil, apperr.Invalid("Idempotency-Key", "must be at most 100 characters")
	}
	match, err := s.memberMatch(ctx, m, matchID)
	if err != nil {
		return nil, err
	}
	hash := requestHash(matchID, in)
	if idemKey != "" {
		// A retry of a request already answered gets that answer, even
		// once the match has locked: the bet was placed before kickoff and
		// the client (whose first answer was lost) must be told so.
		r, err := s.replay(ctx, m.UserID, idemKey, hash)
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return r, err
		}
	}
	if !s.clock.Now().Before(match.Kickoff) {
		return nil, errLocked
	}
	w, err := s.Wallet(ctx, m, match.TournamentID)
	if err != nil {
		return nil, err
	}
	var result PlaceResult
	// Two first bets of one member on one match can race past the locked
	// read (there is no row to lock yet): the loser's insert hits the
	// (match_id, user_id) key. Its transaction rolled back entirely, so it
	// runs again and finds the winner's bet to change.
	for attempt := 0; attempt < 3; attempt++ {
		err = s.tx(ctx, func(tx *gorm.DB) error {
			return s.placeTx(tx, m, matchID, in, idemKey, hash, w, &result)
		})
		if !database.IsDuplicate(err) {
			break
		}
	}
	if errors.Is(err, errReplay) {
		return s.replay(ctx, m.UserID, idemKey, hash)
	}
	if err != nil {
		return nil, err
	}
	return &result, nil
}

// placeTx is PlaceBet's transaction.
func (s *Service) placeTx(tx *gorm.DB, m Member, matchID int64, in BetInput, idemKey, hash string, w *Wallet, out *PlaceResult) error {
	var idem *IdempotencyKey
	if idemKey != "" {
		// Inserted first: a concurrent twin blocks on the unique key
		// until this transaction ends, then replays its answer.
		idem = &IdempotencyKey{UserID: m.UserID, IdemKey: idemKey, RequestHash: hash, CreatedAt: s.clock.Now()}
		if err := tx.Create(idem).Error; err != nil {
			if database.IsDuplicate(err) {
				return errReplay
			}
			return err
		}
	}
	// Re-read the match inside the transaction: odds and status as of now.
	var cur Match
	if err := tx.Where("id = ?", matchID).Take(&cur).Error; err != nil {
		return err
	}
	now := s.clock.Now()
	if !now.Before(cur.Kickoff) {
		return errLocked
	}
	if !cur.OpenAt(now) {
		return errNotOpen
	}
	var existing Bet
	found := true
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("match_id = ? AND user_id = ?", matchID, m.UserID).Take(&existing).Error; err != nil {
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		found = false
	}
	var oldStake int64
	if found && existing.Status == BetOpen {
		oldStake = existing.Stake
	}
	delta := in.Stake - oldStake
	if delta > 0 {
		// The conditional update is what keeps a balance from going
		// negative under any concurrency.
		res := tx.Model(&Wallet{}).Where("id = ? AND balance >= ?", w.ID, delta).
			Updates(map[string]any{"balance": gorm.Expr("balance - ?", delta), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			var bal int64
			tx.Model(&Wallet{}).Where("id = ?", w.ID).Select("balance").Scan(&bal)
			return insufficient(bal + oldStake)
		}
	} else if delta < 0 {
		if err := tx.Model(&Wallet{}).Where("id = ?", w.ID).
			Updates(map[string]any{"balance": gorm.Expr("balance - ?", delta), "updated_at": now}).Error; err != nil {
			return err
		}
	}
	bet := Bet{CompanyID: m.CompanyID, TournamentID: cur.TournamentID, MatchID: matchID, UserID: m.UserID, WalletID: w.ID,
		Pick: in.Pick, Stake: in.Stake, Odds: cur.OddsFor(in.Pick), Status: BetOpen, PlacedAt: now, UpdatedAt: now}
	if in.Score != nil {
		h, a := in.Score.Home, in.Score.Away
		bet.ScoreHome, bet.ScoreAway = &h, &a
	}
	if found {
		bet.ID = existing.ID
		if existing.Status == BetOpen {
			bet.PlacedAt = existing.PlacedAt
		}
		if err := tx.Model(&Bet{}).Where("id = ?", existing.ID).Updates(map[string]any{
			"pick": bet.Pick, "stake": bet.Stake, "odds": bet.Odds, "score_home": bet.ScoreHome, "score_away": bet.ScoreAway,
			"status": BetOpen, "payout": 0, "bonus": 0, "placed_at": bet.PlacedAt, "updated_at": now, "settled_at": nil,
		}).Error; err != nil {
			return err
		}
	} else if err := tx.Create(&bet).Error; err != nil {
		return err
	}
	entries := []LedgerEntry{}
	if oldStake > 0 {
		entries = append(entries, LedgerEntry{Kind: LedgerRefund, Amount: oldStake})
	}
	entries = append(entries, LedgerEntry{Kind: LedgerStake, Amount: -in.Stake})
	for i := range entries {
		e := &entries[i]
		e.WalletID, e.CompanyID, e.TournamentID, e.UserID, e.CreatedAt = w.ID, m.CompanyID, cur.TournamentID, m.UserID, now
		e.BetID, e.MatchID = &bet.ID, &matchID
	}
	if err := tx.Create(&entries).Error; err != nil {
		return err
	}
	var bal int64
	if err := tx.Model(&Wallet{}).Where("id = ?", w.ID).Select("balance").Scan(&bal).Error; err != nil {
		return err
	}
	*out = PlaceResult{Bet: bet, Balance: bal}
	if idem != nil {
		body, err := json.Marshal(out)
		if err != nil {
			return err
		}
		resp := string(body)
		return tx.Model(&IdempotencyKey{}).Where("id = ?", idem.ID).Updates(map[string]any{"status_code": 200, "response": resp}).Error
	}
	return nil
}

func (s *Service) replay(ctx context.Context, userID int64, key, hash string) (*PlaceResult, error) {
	var k IdempotencyKey
	if err := s.db.WithContext(ctx).Where("user_id = ? AND idem_key = ?", userID, key).Take(&k).Error; err != nil {
		return nil, err
	}
	if k.RequestHash != hash {
		return nil, errKeyReused
	}
	if k.StatusCode == 0 || k.Response == nil {
		return nil, errInProgress
	}
	var r PlaceResult
	if err := json.Unmarshal([]byte(*k.Response), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// memberMatch loads a match of a tournament the member's company is in.
func (s *Service) memberMatch(ctx context.Context, m Member, matchID int64) (*Match, error) {
	var match Match
	err := s.db.WithContext(ctx).Where("id = ?", matchID).Take(&match).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errMatchNotFound
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.ResolveTournament(ctx, m.CompanyID, match.TournamentID); err != nil {
		if apperr.Is(err, "not_enrolled") {
			// Another company's tournament is not even acknowledged.
			return nil, errMatchNotFound
		}
		return nil, err
	}
	return &match, nil
}

// CancelBet withdraws the member's open bet before kickoff and refunds it.
func (s *Service) CancelBet(ctx context.Context, m Member, matchID int64) (balance int64, err error) {
	match, err := s.memberMatch(ctx, m, matchID)
	if err != nil {
		return 0, err
	}
	if !s.clock.Now().Before(match.Kickoff) {
		return 0, errLocked
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var b Bet
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("match_id = ? AND user_id = ? AND company_id = ? AND status = ?", matchID, m.UserID, m.CompanyID, BetOpen).Take(&b).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errNoBet
			}
			return err
		}
		var cur Match
		if err := tx.Where("id = ?", matchID).Take(&cur).Error; err != nil {
			return err
		}
		now := s.clock.Now()
		if !now.Before(cur.Kickoff) {
			return errLocked
		}
		if err := tx.Model(&Bet{}).Where("id = ?", b.ID).Updates(map[string]any{"status": BetCancelled, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Wallet{}).Where("id = ?", b.WalletID).
			Updates(map[string]any{"balance": gorm.Expr("balance + ?", b.Stake), "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Create(&LedgerEntry{WalletID: b.WalletID, CompanyID: m.CompanyID, TournamentID: b.TournamentID, UserID: m.UserID,
			Kind: LedgerRefund, Amount: b.Stake, BetID: &b.ID, MatchID: &matchID, CreatedAt: now}).Error; err != nil {
			return err
		}
		return tx.Model(&Wallet{}).Where("id = ?", b.WalletID).Select("balance").Scan(&balance).Error
	})
	return balance, err
}

// BetView is a bet with its match, for "my bets".
type BetView struct {
	Bet
	Match *Match `gorm:"foreignKey:MatchID"`
}

func (BetView) TableName() string { return "bets" }

// MyBets lists the member's bets in a tournament, newest kickoff first.
func (s *Service) MyBets(ctx context.Context, m Member, tournamentID int64, p paging.Page) ([]BetView, int64, error) {
	e, err := s.ResolveTournament(ctx, m.CompanyID, tournamentID)
	if err != nil {
		return nil, 0, err
	}
	p = p.Normalize()
	q := s.db.WithContext(ctx).Model(&BetView{}).Where("user_id = ? AND company_id = ? AND tournament_id = ? AND status <> ?", m.UserID, m.CompanyID, e.TournamentID, BetCancelled)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []BetView
	err = q.Preload("Match").Preload("Match.HomeTeam").Preload("Match.AwayTeam").
		Order("placed_at DESC, id DESC").Limit(p.PerPage).Offset(p.Offset()).Find(&out).Error
	return out, total, err
}

// WalletPage is a wallet with one page of its ledger, newest first.
type WalletPage struct {
	Wallet  Wallet
	Entries []LedgerEntry
	Total   int64
}

func (s *Service) WalletWithLedger(ctx context.Context, m Member, tournamentID int64, p paging.Page) (*WalletPage, error) {
	e, err := s.ResolveTournament(ctx, m.CompanyID, tournamentID)
	if err != nil {
		return nil, err
	}
	w, err := s.Wallet(ctx, m, e.TournamentID)
	if err != nil {
		return nil, err
	}
	p = p.Normalize()
	out := &WalletPage{Wallet: *w}
	q := s.db.WithContext(ctx).Model(&LedgerEntry{}).Where("wallet_id = ?", w.ID)
	if err := q.Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = q.Order("id DESC").Limit(p.PerPage).Offset(p.Offset()).Find(&out.Entries).Error
	return out, err
}

// ParsePick is a helper for transports: it normalises case and spaces.
func ParsePick(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
