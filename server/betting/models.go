// Package betting is the game: tournaments, matches and odds, Betcoin bets
// locked at kickoff by the server's clock, an append-only ledger, set-based
// settlement and leaderboards. It knows nothing of HTTP.
package betting

import (
	"github.com/betcity/betcity/server/database"
	"strings"
	"time"
)

// Picks.
const (
	PickHome = "home"
	PickDraw = "draw"
	PickAway = "away"
)

// Match statuses.
const (
	StatusScheduled = "scheduled"
	StatusFinished  = "finished"
	StatusPostponed = "postponed"
	StatusCancelled = "cancelled"
)

// Bet statuses.
const (
	BetOpen      = "open"
	BetWon       = "won"
	BetLost      = "lost"
	BetRefunded  = "refunded"
	BetCancelled = "cancelled"
)

// Ledger kinds.
const (
	LedgerGrant      = "grant"
	LedgerStake      = "stake"
	LedgerRefund     = "refund"
	LedgerPayout     = "payout"
	LedgerBonus      = "bonus"
	LedgerCorrection = "correction"
)

// Stages, in tournament order.
var Stages = []string{"group", "round_of_32", "round_of_16", "quarter_final", "semi_final", "third_place", "final"}

type Tournament struct {
	ID        int64
	Name      string
	Stages    string // comma-separated
	CreatedAt time.Time
	UpdatedAt time.Time

	StartsAt database.NullTime `gorm:"->;-:migration"`
	EndsAt   database.NullTime `gorm:"->;-:migration"`
}

func (t *Tournament) StageList() []string {
	if t.Stages == "" {
		return nil
	}
	return strings.Split(t.Stages, ",")
}

// FootballTeam is a national (or club) side; not to be confused with a
// company's internal teams.
type FootballTeam struct {
	ID        int64
	Name      string
	Code      string
	Flag      *string
	CreatedAt time.Time
}

type Match struct {
	ID           int64
	TournamentID int64
	ExternalKey  *string
	Stage        string
	GroupName    string
	Round        string
	Kickoff      time.Time
	HomeTeamID   *int64
	AwayTeamID   *int64
	HomeLabel    string
	AwayLabel    string
	Venue        string
	// Odds are stored in hundredths (2.35 → 235) so payouts are exact
	// integer arithmetic.
	OddsHome    *int
	OddsDraw    *int
	OddsAway    *int
	Status      string
	FtHome      *int
	FtAway      *int
	EtHome      *int
	EtAway      *int
	PenHome     *int
	PenAway     *int
	SettledHome *int
	SettledAway *int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	HomeTeam *FootballTeam `gorm:"foreignKey:HomeTeamID"`
	AwayTeam *FootballTeam `gorm:"foreignKey:AwayTeamID"`
}

// HasOdds reports whether all three odds are set.
func (m *Match) HasOdds() bool { return m.OddsHome != nil && m.OddsDraw != nil && m.OddsAway != nil }

// OddsFor returns the odds (hundredths) of a pick.
func (m *Match) OddsFor(pick string) int {
	switch pick {
	case PickHome:
		return deref(m.OddsHome)
	case PickDraw:
		return deref(m.OddsDraw)
	case PickAway:
		return deref(m.OddsAway)
	}
	return 0
}

// OpenAt reports whether bets are accepted at now: scheduled, with odds, and
// strictly before kickoff by the server's clock.
func (m *Match) OpenAt(now time.Time) bool {
	return m.Status == StatusScheduled && m.HasOdds() && now.Before(m.Kickoff) &&
		m.HomeTeamID != nil && m.AwayTeamID != nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

type Enrollment struct {
	ID            int64
	TournamentID  int64
	CompanyID     int64
	StartingCoins int
	CreatedAt     time.Time
}

type Wallet struct {
	ID           int64
	CompanyID    int64
	TournamentID int64
	UserID       int64
	Balance      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// LedgerEntry is one Betcoin movement. Rows are only ever inserted.
type LedgerEntry struct {
	ID           int64
	WalletID     int64
	CompanyID    int64
	TournamentID int64
	UserID       int64
	Kind         string
	Amount       int64
	BetID        *int64
	MatchID      *int64
	CreatedAt    time.Time
}

func (LedgerEntry) TableName() string { return "ledger" }

type Bet struct {
	ID           int64
	CompanyID    int64
	TournamentID int64
	MatchID      int64
	UserID       int64
	WalletID     int64
	Pick         string
	Stake        int64
	Odds         int
	ScoreHome    *int
	ScoreAway    *int
	Status       string
	Payout       int64
	Bonus        int64
	PlacedAt     time.Time
	UpdatedAt    time.Time
	SettledAt    *time.Time
}

// Payout is floor(stake × odds): odds are in hundredths, so integer division
// is the floor.
func Payout(stake int64, oddsHundredths int) int64 { return stake * int64(oddsHundredths) / 100 }

type IdempotencyKey struct {
	ID          int64
	UserID      int64
	IdemKey     string
	RequestHash string
	StatusCode  int
	Response    *string
	CreatedAt   time.Time
}

type Standing struct {
	ID           int64
	TournamentID int64
	CompanyID    int64
	UserID       int64
	Score        int64
	CorrectPicks int
	ExactScores  int
	SettledBets  int
	SortKey      int64 `gorm:"->"`
}

// LeaderboardSize counts a company's standings in a tournament; the wallet
// creation that adds a standing increments it in the same transaction.
type LeaderboardSize struct {
	TournamentID int64 `gorm:"primaryKey;autoIncrement:false"`
	CompanyID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Members      int64
}
