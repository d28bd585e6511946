package betting

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/paging"
)

var errMatchNotFound = &apperr.Error{Kind: apperr.KindNotFound, Code: "match_not_found", Message: "match not found"}

// MatchInput creates or changes a match. Nil fields are left alone on update.
type MatchInput struct {
	ExternalKey *string
	Stage       *string
	Group       *string
	Round       *string
	Kickoff     *time.Time
	HomeTeamID  **int64
	AwayTeamID  **int64
	HomeLabel   *string
	AwayLabel   *string
	Venue       *string
	Status      *string
}

func (in *MatchInput) validate(f apperr.Fields) {
	if in.Stage != nil {
		if err := validStages([]string{*in.Stage}); err != nil {
			f.Add("stage", "unknown stage; use "+strings.Join(Stages, ", "))
		}
	}
	if in.Status != nil {
		switch *in.Status {
		case StatusScheduled, StatusPostponed:
		case StatusFinished:
			f.Add("status", "record a result to finish a match")
		case StatusCancelled:
			f.Add("status", "use the cancel action to cancel a match")
		default:
			f.Add("status", "must be scheduled or postponed")
		}
	}
	if in.Venue != nil && len([]rune(*in.Venue)) > 120 {
		f.Add("venue", "must be at most 120 characters")
	}
	if in.HomeTeamID != nil && in.AwayTeamID != nil && *in.HomeTeamID != nil && *in.AwayTeamID != nil && **in.HomeTeamID == **in.AwayTeamID {
		f.Add("away_team_id", "must differ from the home team")
	}
}

func (in *MatchInput) updates() map[string]any {
	u := map[string]any{}
	if in.ExternalKey != nil {
		u["external_key"] = *in.ExternalKey
	}
	if in.Stage != nil {
		u["stage"] = *in.Stage
	}
	if in.Group != nil {
		u["group_name"] = *in.Group
	}
	if in.Round != nil {
		u["round"] = *in.Round
	}
	if in.Kickoff != nil {
		u["kickoff"] = in.Kickoff.UTC()
	}
	if in.HomeTeamID != nil {
		u["home_team_id"] = *in.HomeTeamID
	}
	if in.AwayTeamID != nil {
		u["away_team_id"] = *in.AwayTeamID
	}
	if in.HomeLabel != nil {
		u["home_label"] = *in.HomeLabel
	}
	if in.AwayLabel != nil {
		u["away_label"] = *in.AwayLabel
	}
	if in.Venue != nil {
		u["venue"] = *in.Venue
	}
	if in.Status != nil {
		u["status"] = *in.Status
	}
	return u
}

// CreateMatch adds a match to a tournament. A taken external key is a 409.
func (s *Service) CreateMatch(ctx context.Context, tournamentID int64, in MatchInput) (*Match, error) {
	m, err := s.insertMatch(ctx, tournamentID, in)
	if database.IsDuplicate(err) {
		return nil, apperr.Conflict("match_exists", "another match of this tournament has this external key")
	}
	return m, err
}

// UpdateMatch changes a match's schedule, teams or status.
func (s *Service) UpdateMatch(ctx context.Context, matchID int64, in MatchInput) (*Match, error) {
	f := apperr.Fields{}
	in.validate(f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	u := in.updates()
	u["updated_at"] = s.clock.Now()
	res := s.db.WithContext(ctx).Model(&Match{}).Where("id = ?", matchID).Updates(u)
	if res.Error != nil {
		if database.IsDuplicate(res.Error) {
			return nil, apperr.Conflict("match_exists", "another match of this tournament has this external key")
		}
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, errMatchNotFound
	}
	return s.OperatorMatch(ctx, matchID)
}

// Odds are decimal odds as the operator types them (e.g. 2.35).
type Odds struct {
	Home, Draw, Away float64
}

func toHundredths(f apperr.Fields, field string, v float64) int {
	if math.IsNaN(v) || v < 1.01 || v > 1000 {
		f.Add(field, "must be decimal odds between 1.01 and 1000")
		return 0
	}
	return int(math.Round(v * 100))
}

// SetOdds sets the three odds. Bets already placed keep the odds they were
// placed at.
func (s *Service) SetOdds(ctx context.Context, matchID int64, o Odds) (*Match, error) {
	f := apperr.Fields{}
	h, d, a := toHundredths(f, "home", o.Home), toHundredths(f, "draw", o.Draw), toHundredths(f, "away", o.Away)
	if err := f.Err(); err != nil {
		return nil, err
	}
	res := s.db.WithContext(ctx).Model(&Match{}).Where("id = ?", matchID).
		Updates(map[string]any{"odds_home": h, "odds_draw": d, "odds_away": a, "updated_at": s.clock.Now()})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, errMatchNotFound
	}
	return s.OperatorMatch(ctx, matchID)
}

// OperatorMatch loads a match with its teams.
func (s *Service) OperatorMatch(ctx context.Context, matchID int64) (*Match, error) {
	var m Match
	err := s.db.WithContext(ctx).Preload("HomeTeam").Preload("AwayTeam").Where("id = ?", matchID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errMatchNotFound
	}
	return &m, err
}

// MatchFilter narrows a match list.
type MatchFilter struct {
	TournamentID int64
	// Day is a UTC calendar day (YYYY-MM-DD); zero means every day.
	Day   time.Time
	Stage string
}

func (s *Service) matchQuery(ctx context.Context, f MatchFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Match{}).Where("tournament_id = ?", f.TournamentID)
	if !f.Day.IsZero() {
		start := time.Date(f.Day.Year(), f.Day.Month(), f.Day.Day(), 0, 0, 0, 0, time.UTC)
		q = q.Where("kickoff >= ? AND kickoff < ?", start, start.Add(24*time.Hour))
	}
	if f.Stage != "" {
		q = q.Where("stage = ?", f.Stage)
	}
	return q
}

// OperatorMatches lists a tournament's matches in kickoff order.
func (s *Service) OperatorMatches(ctx context.Context, f MatchFilter, p paging.Page) ([]Match, int64, error) {
	p = p.Normalize()
	var total int64
	if err := s.matchQuery(ctx, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ms []Match
	err := s.matchQuery(ctx, f).Preload("HomeTeam").Preload("AwayTeam").Order("kickoff, id").
		Limit(p.PerPage).Offset(p.Offset()).Find(&ms).Error
	return ms, total, err
}

// Distribution is how a company's members picked on a match.
type Distribution struct {
	Home, Draw, Away, Total int64
}

// MatchView is a match as a member sees it.
type MatchView struct {
	Match
	Open         bool
	MyBet        *Bet
	Distribution *Distribution
}

// Matches lists a tournament's matches for a member, with their own bet and,
// after kickoff only, the company's pick distribution.
func (s *Service) Matches(ctx context.Context, companyID, userID int64, f MatchFilter, p paging.Page) ([]MatchView, int64, error) {
	if _, err := s.ResolveTournament(ctx, companyID, f.TournamentID); err != nil {
		return nil, 0, err
	}
	ms, total, err := s.OperatorMatches(ctx, f, p)
	if err != nil {
		return nil, 0, err
	}
	views, err := s.decorate(ctx, companyID, userID, ms)
	return views, total, err
}

// Match loads one match for a member of an enrolled company.
func (s *Service) Match(ctx context.Context, companyID, userID, matchID int64) (*MatchView, error) {
	m, err := s.OperatorMatch(ctx, matchID)
	if err != nil {
		return nil, err
	}
	if _, err := s.ResolveTournament(ctx, companyID, m.TournamentID); err != nil {
		if apperr.Is(err, "not_enrolled") {
			return nil, errMatchNotFound
		}
		return nil, err
	}
	views, err := s.decorate(ctx, companyID, userID, []Match{*m})
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

func (s *Service) decorate(ctx context.Context, companyID, userID int64, ms []Match) ([]MatchView, error) {
	now := s.clock.Now()
	views := make([]MatchView, len(ms))
	ids := make([]int64, 0, len(ms))
	var started []int64
	for i := range ms {
		views[i] = MatchView{Match: ms[i], Open: ms[i].OpenAt(now)}
		ids = append(ids, ms[i].ID)
		if !now.Before(ms[i].Kickoff) {
			started = append(started, ms[i].ID)
		}
	}
	if len(ids) == 0 {
		return views, nil
	}
	var bets []Bet
	if err := s.db.WithContext(ctx).Where("user_id = ? AND company_id = ? AND match_id IN ? AND status <> ?", userID, companyID, ids, BetCancelled).
		Find(&bets).Error; err != nil {
		return nil, err
	}
	byMatch := map[int64]*Bet{}
	for i := range bets {
		byMatch[bets[i].MatchID] = &bets[i]
	}
	dist := map[int64]*Distribution{}
	if len(started) > 0 {
		// Others' picks stay hidden until kickoff; after it, only the
		// aggregate of the caller's own company is shown.
		var rows []struct {
			MatchID int64
			Pick    string
			N       int64
		}
		if err := s.db.WithContext(ctx).Model(&Bet{}).Select("match_id, pick, COUNT(*) AS n").
			Where("company_id = ? AND match_id IN ? AND status <> ?", companyID, started, BetCancelled).
			Group("match_id, pick").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, id := range started {
			dist[id] = &Distribution{}
		}
		for _, r := range rows {
			d := dist[r.MatchID]
			switch r.Pick {
			case PickHome:
				d.Home = r.N
			case PickDraw:
				d.Draw = r.N
			case PickAway:
				d.Away = r.N
			}
			d.Total += r.N
		}
	}
	for i := range views {
		views[i].MyBet = byMatch[views[i].ID]
		views[i].Distribution = dist[views[i].ID]
	}
	return views, nil
}
