package httpapi

import (
	"time"

	"github.com/betcity/betcity/server/betting"
)

type sideJSON struct {
	ID      *int64  `json:"id"`
	Name    string  `json:"name"`
	Code    string  `json:"code"`
	FlagURL *string `json:"flag_url"`
	TBD     bool    `json:"tbd"`
}

type oddsJSON struct {
	Home float64 `json:"home"`
	Draw float64 `json:"draw"`
	Away float64 `json:"away"`
}

type goalsJSON struct {
	Home int `json:"home"`
	Away int `json:"away"`
}

type scoreJSON struct {
	FT goalsJSON  `json:"ft"`
	ET *goalsJSON `json:"et,omitempty"`
	P  *goalsJSON `json:"p,omitempty"`
}

type distributionJSON struct {
	Home  int64 `json:"home"`
	Draw  int64 `json:"draw"`
	Away  int64 `json:"away"`
	Total int64 `json:"total"`
}

type matchJSON struct {
	ID           int64             `json:"id"`
	TournamentID int64             `json:"tournament_id"`
	Stage        string            `json:"stage"`
	Group        string            `json:"group"`
	Round        string            `json:"round"`
	Kickoff      time.Time         `json:"kickoff"`
	Home         sideJSON          `json:"home"`
	Away         sideJSON          `json:"away"`
	Venue        string            `json:"venue"`
	Odds         *oddsJSON         `json:"odds"`
	Status       string            `json:"status"`
	Score        *scoreJSON        `json:"score"`
	Open         bool              `json:"open"`
	MyBet        *betJSON          `json:"my_bet,omitempty"`
	Distribution *distributionJSON `json:"distribution,omitempty"`
	ExternalKey  *string           `json:"external_key,omitempty"`
}

type betJSON struct {
	ID              int64      `json:"id"`
	MatchID         int64      `json:"match_id"`
	Pick            string     `json:"pick"`
	Stake           int64      `json:"stake"`
	Odds            float64    `json:"odds"`
	PotentialPayout int64      `json:"potential_payout"`
	Score           *goalsJSON `json:"score"`
	Status          string     `json:"status"`
	Payout          int64      `json:"payout"`
	Bonus           int64      `json:"bonus"`
	PlacedAt        time.Time  `json:"placed_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Match           *matchJSON `json:"match,omitempty"`
}

func side(team *betting.FootballTeam, label string) sideJSON {
	if team == nil {
		if label == "" {
			label = "TBD"
		}
		return sideJSON{Name: label, TBD: true}
	}
	out := sideJSON{ID: &team.ID, Name: team.Name, Code: team.Code}
	if team.Flag != nil && *team.Flag != "" {
		u := "/static/flags/" + *team.Flag
		out.FlagURL = &u
	}
	return out
}

func goals(h, a *int) *goalsJSON {
	if h == nil || a == nil {
		return nil
	}
	return &goalsJSON{Home: *h, Away: *a}
}

func presentMatch(m *betting.Match) matchJSON {
	out := matchJSON{ID: m.ID, TournamentID: m.TournamentID, Stage: m.Stage, Group: m.GroupName, Round: m.Round,
		Kickoff: m.Kickoff.UTC(), Home: side(m.HomeTeam, m.HomeLabel), Away: side(m.AwayTeam, m.AwayLabel), Venue: m.Venue,
		Status: m.Status, ExternalKey: m.ExternalKey}
	if m.HasOdds() {
		out.Odds = &oddsJSON{Home: float64(*m.OddsHome) / 100, Draw: float64(*m.OddsDraw) / 100, Away: float64(*m.OddsAway) / 100}
	}
	if ft := goals(m.FtHome, m.FtAway); ft != nil {
		out.Score = &scoreJSON{FT: *ft, ET: goals(m.EtHome, m.EtAway), P: goals(m.PenHome, m.PenAway)}
	}
	return out
}

func presentMatchView(v *betting.MatchView) matchJSON {
	out := presentMatch(&v.Match)
	out.Open = v.Open
	out.ExternalKey = nil
	if v.MyBet != nil {
		b := presentBet(v.MyBet)
		out.MyBet = &b
	}
	if d := v.Distribution; d != nil {
		out.Distribution = &distributionJSON{Home: d.Home, Draw: d.Draw, Away: d.Away, Total: d.Total}
	}
	return out
}

func presentBet(b *betting.Bet) betJSON {
	return betJSON{ID: b.ID, MatchID: b.MatchID, Pick: b.Pick, Stake: b.Stake, Odds: float64(b.Odds) / 100,
		PotentialPayout: betting.Payout(b.Stake, b.Odds), Score: goals(b.ScoreHome, b.ScoreAway), Status: b.Status,
		Payout: b.Payout, Bonus: b.Bonus, PlacedAt: b.PlacedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC()}
}

type ledgerJSON struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Amount    int64     `json:"amount"`
	BetID     *int64    `json:"bet_id"`
	MatchID   *int64    `json:"match_id"`
	CreatedAt time.Time `json:"created_at"`
}

func presentLedger(e *betting.LedgerEntry) ledgerJSON {
	return ledgerJSON{ID: e.ID, Kind: e.Kind, Amount: e.Amount, BetID: e.BetID, MatchID: e.MatchID, CreatedAt: e.CreatedAt.UTC()}
}

type tournamentJSON struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Stages        []string   `json:"stages"`
	StartsAt      *time.Time `json:"starts_at"`
	EndsAt        *time.Time `json:"ends_at"`
	StartingCoins *int       `json:"starting_coins,omitempty"`
}

func presentTournament(t *betting.Tournament) tournamentJSON {
	st := t.StageList()
	if st == nil {
		st = []string{}
	}
	return tournamentJSON{ID: t.ID, Name: t.Name, Stages: st, StartsAt: t.StartsAt.Ptr(), EndsAt: t.EndsAt.Ptr()}
}
