package betting

import (
	"context"
	"sort"
	"time"

	// The HR exports show times in the reader's zone (Europe/Paris by
	// default); embedding the zone database means a slim container without
	// /usr/share/zoneinfo still knows it. It lives here, next to the
	// participation views that need it, rather than in main.
	_ "time/tzdata"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/database"
)

// Participation defaults and bounds.
const (
	DefaultMissingWindow = 48 * time.Hour
	MaxMissingWindow     = 30 * 24 * time.Hour
	DefaultActivityDays  = 30
	MaxActivityDays      = 366
)

// MissingMember is an active member who has not bet on every open match of
// the window.
type MissingMember struct {
	UserID      int64
	DisplayName string
	Email       string
	TeamID      *int64
	TeamName    *string
	// Missing is how many of the window's open matches they have no bet on.
	Missing int
	// NextKickoff is the kickoff of the earliest of those matches.
	NextKickoff time.Time
}

// MissingTeam counts a team's members missing at least one bet. TeamID nil
// is the members who are in no team.
type MissingTeam struct {
	TeamID         *int64
	Name           string
	MissingMembers int
}

// MissingReport is who still has to bet on the coming matches.
type MissingReport struct {
	TournamentID int64
	From, To     time.Time
	Matches      []Match
	Members      []MissingMember
	Teams        []MissingTeam
}

// MissingBets lists the matches open for betting that kick off within window
// from the server's clock (0 = 48 hours), the company's active members
// (every role) who have no bet on at least one of them, and per team how
// many members miss at least one. A withdrawn bet counts as missing.
// Members are listed by most missing, then by name.
func (s *Service) MissingBets(ctx context.Context, companyID, tournamentID int64, window time.Duration) (*MissingReport, error) {
	if window == 0 {
		window = DefaultMissingWindow
	}
	if window < time.Hour || window > MaxMissingWindow {
		return nil, apperr.Invalid("hours", "must be between 1 and 720")
	}
	e, err := s.ResolveTournament(ctx, companyID, tournamentID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	rep := &MissingReport{TournamentID: e.TournamentID, From: now, To: now.Add(window), Matches: []Match{}, Members: []MissingMember{}}
	db := s.db.WithContext(ctx)
	var candidates []Match
	if err := db.Preload("HomeTeam").Preload("AwayTeam").
		Where("tournament_id = ? AND status = ? AND kickoff > ? AND kickoff <= ?", e.TournamentID, StatusScheduled, now, rep.To).
		Order("kickoff, id").Find(&candidates).Error; err != nil {
		return nil, err
	}
	for _, m := range candidates {
		// Only matches a member can actually bet on count: a match without
		// odds or teams is not missing anyone's bet.
		if m.OpenAt(now) {
			rep.Matches = append(rep.Matches, m)
		}
	}
	var members []MissingMember
	if err := db.Raw(`SELECT u.id AS user_id, u.display_name, u.email, u.team_id, t.name AS team_name
FROM users u LEFT JOIN teams t ON t.id = u.team_id
WHERE u.company_id = ? AND u.active = ?`, companyID, true).Scan(&members).Error; err != nil {
		return nil, err
	}
	var teams []MissingTeam
	if err := db.Raw(`SELECT id AS team_id, name FROM teams WHERE company_id = ? ORDER BY name`, companyID).Scan(&teams).Error; err != nil {
		return nil, err
	}
	if len(rep.Matches) > 0 {
		ids := make([]int64, len(rep.Matches))
		for i, m := range rep.Matches {
			ids[i] = m.ID
		}
		var bets []struct{ UserID, MatchID int64 }
		if err := db.Raw(`SELECT user_id, match_id FROM bets WHERE company_id = ? AND match_id IN ? AND status <> ?`,
			companyID, ids, BetCancelled).Scan(&bets).Error; err != nil {
			return nil, err
		}
		placed := map[[2]int64]bool{}
		for _, b := range bets {
			placed[[2]int64{b.UserID, b.MatchID}] = true
		}
		for _, mem := range members {
			for _, m := range rep.Matches {
				if !placed[[2]int64{mem.UserID, m.ID}] {
					if mem.Missing == 0 {
						mem.NextKickoff = m.Kickoff
					}
					mem.Missing++
				}
			}
			if mem.Missing > 0 {
				rep.Members = append(rep.Members, mem)
			}
		}
	}
	sort.SliceStable(rep.Members, func(i, j int) bool {
		a, b := rep.Members[i], rep.Members[j]
		if a.Missing != b.Missing {
			return a.Missing > b.Missing
		}
		if a.DisplayName != b.DisplayName {
			return a.DisplayName < b.DisplayName
		}
		return a.UserID < b.UserID
	})
	perTeam := map[int64]int{}
	noTeam := 0
	for _, m := range rep.Members {
		if m.TeamID == nil {
			noTeam++
		} else {
			perTeam[*m.TeamID]++
		}
	}
	for i := range teams {
		teams[i].MissingMembers = perTeam[*teams[i].TeamID]
	}
	if noTeam > 0 {
		teams = append(teams, MissingTeam{Name: "", MissingMembers: noTeam})
	}
	// Most missing first; among equals, named teams by name, then "no team".
	sort.SliceStable(teams, func(i, j int) bool { return teams[i].MissingMembers > teams[j].MissingMembers })
	rep.Teams = teams
	if rep.Teams == nil {
		rep.Teams = []MissingTeam{}
	}
	return rep, nil
}

// DayActivity is how many members were active on one UTC day.
type DayActivity struct {
	Day           time.Time
	ActiveMembers int64
}

// Activity counts, for each of the last days UTC days up to today by the
// server's clock (0 = 30), the distinct members who placed, changed or
// withdrew a bet that day: ledger stake and refund rows tied to a bet. The
// refunds the platform makes when a match is cancelled are not a member's
// doing and are left out (they are the refunded bet's last change, at the
// same instant). Days without activity are included with zero, oldest first.
func (s *Service) Activity(ctx context.Context, companyID, tournamentID int64, days int) ([]DayActivity, error) {
	if days == 0 {
		days = DefaultActivityDays
	}
	if days < 1 || days > MaxActivityDays {
		return nil, apperr.Invalid("days", "must be between 1 and 366")
	}
	e, err := s.ResolveTournament(ctx, companyID, tournamentID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	from := today.AddDate(0, 0, -(days - 1))
	// DATE() exists in MySQL, MariaDB and SQLite and yields the UTC day (the
	// connection is UTC on MySQL; SQLite stores UTC text). SQLite returns it
	// as text, hence NullTime.
	var rows []struct {
		Day database.NullTime
		N   int64
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT DATE(l.created_at) AS day, COUNT(DISTINCT l.user_id) AS n
FROM ledger l JOIN bets b ON b.id = l.bet_id
WHERE l.company_id = ? AND l.tournament_id = ? AND l.created_at >= ? AND l.kind IN ?
  AND NOT (l.kind = ? AND b.status = ? AND l.created_at = b.updated_at)
GROUP BY DATE(l.created_at)`, companyID, e.TournamentID, from, []string{LedgerStake, LedgerRefund},
		LedgerRefund, BetRefunded).Scan(&rows).Error; err != nil {
		return nil, err
	}
	byDay := map[time.Time]int64{}
	for _, r := range rows {
		if r.Day.Valid {
			d := r.Day.Time
			byDay[time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)] = r.N
		}
	}
	out := make([]DayActivity, days)
	for i := range out {
		d := from.AddDate(0, 0, i)
		out[i] = DayActivity{Day: d, ActiveMembers: byDay[d]}
	}
	return out, nil
}
