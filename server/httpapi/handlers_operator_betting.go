package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/betting"
)

func (s *Server) listTournaments(c echo.Context) error {
	p := pageOf(c)
	ts, total, err := s.deps.Betting.Tournaments(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(mapSlice(ts, presentTournament), p, total))
}

type tournamentRequest struct {
	Name   string   `json:"name"`
	Stages []string `json:"stages"`
}

func (s *Server) createTournament(c echo.Context) error {
	var req tournamentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	t, err := s.deps.Betting.CreateTournament(c.Request().Context(), betting.TournamentInput{Name: req.Name, Stages: req.Stages})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, presentTournament(t))
}

func (s *Server) patchTournament(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req tournamentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	t, err := s.deps.Betting.UpdateTournament(c.Request().Context(), id, betting.TournamentInput{Name: req.Name, Stages: req.Stages})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentTournament(t))
}

type enrollmentJSON struct {
	ID            int64     `json:"id"`
	TournamentID  int64     `json:"tournament_id"`
	CompanyID     int64     `json:"company_id"`
	CompanySlug   string    `json:"company_slug,omitempty"`
	CompanyName   string    `json:"company_name,omitempty"`
	StartingCoins int       `json:"starting_coins"`
	CreatedAt     time.Time `json:"created_at"`
}

func (s *Server) listEnrollments(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	es, err := s.deps.Betting.Enrollments(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": mapSlice(es, func(e *betting.EnrollmentView) enrollmentJSON {
		return enrollmentJSON{ID: e.ID, TournamentID: e.TournamentID, CompanyID: e.CompanyID, CompanySlug: e.CompanySlug,
			CompanyName: e.CompanyName, StartingCoins: e.StartingCoins, CreatedAt: e.CreatedAt}
	})})
}

type enrollRequest struct {
	CompanyID     int64 `json:"company_id"`
	StartingCoins int   `json:"starting_coins"`
}

func (s *Server) createEnrollment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req enrollRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.CompanyID <= 0 {
		return apperr.Invalid("company_id", "is required")
	}
	e, err := s.deps.Betting.Enroll(c.Request().Context(), id, req.CompanyID, req.StartingCoins)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, enrollmentJSON{ID: e.ID, TournamentID: e.TournamentID, CompanyID: e.CompanyID,
		StartingCoins: e.StartingCoins, CreatedAt: e.CreatedAt})
}

func (s *Server) listFootballTeams(c echo.Context) error {
	ts, err := s.deps.Betting.FootballTeams(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": mapSlice(ts, func(t *betting.FootballTeam) sideJSON { return side(t, "") })})
}

type footballTeamRequest struct {
	Name string  `json:"name"`
	Code string  `json:"code"`
	Flag *string `json:"flag"`
}

func (s *Server) createFootballTeam(c echo.Context) error {
	var req footballTeamRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	t, err := s.deps.Betting.UpsertFootballTeam(c.Request().Context(), req.Name, req.Code, req.Flag)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, side(t, ""))
}

func (s *Server) listTournamentMatches(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := matchFilter(c)
	if err != nil {
		return err
	}
	f.TournamentID = id
	p := pageOf(c)
	ms, total, err := s.deps.Betting.OperatorMatches(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(mapSlice(ms, presentMatch), p, total))
}

type matchRequest struct {
	ExternalKey *string    `json:"external_key"`
	Stage       *string    `json:"stage"`
	Group       *string    `json:"group"`
	Round       *string    `json:"round"`
	Kickoff     *time.Time `json:"kickoff"`
	HomeTeamID  optionalID `json:"home_team_id"`
	AwayTeamID  optionalID `json:"away_team_id"`
	HomeLabel   *string    `json:"home_label"`
	AwayLabel   *string    `json:"away_label"`
	Venue       *string    `json:"venue"`
	Status      *string    `json:"status"`
}

func (r *matchRequest) input() betting.MatchInput {
	return betting.MatchInput{ExternalKey: r.ExternalKey, Stage: r.Stage, Group: r.Group, Round: r.Round, Kickoff: r.Kickoff,
		HomeTeamID: r.HomeTeamID.ptr(), AwayTeamID: r.AwayTeamID.ptr(), HomeLabel: r.HomeLabel, AwayLabel: r.AwayLabel,
		Venue: r.Venue, Status: r.Status}
}

func (s *Server) createMatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req matchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	m, err := s.deps.Betting.CreateMatch(c.Request().Context(), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, presentMatch(m))
}

func (s *Server) patchMatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req matchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	m, err := s.deps.Betting.UpdateMatch(c.Request().Context(), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentMatch(m))
}

func (s *Server) putOdds(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req oddsJSON
	if err := bind(c, &req); err != nil {
		return err
	}
	m, err := s.deps.Betting.SetOdds(c.Request().Context(), id, betting.Odds{Home: req.Home, Draw: req.Draw, Away: req.Away})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentMatch(m))
}

type resultRequest struct {
	FT *goalsJSON `json:"ft"`
	ET *goalsJSON `json:"et"`
	P  *goalsJSON `json:"p"`
}

type settleJSON struct {
	Match     matchJSON `json:"match"`
	Settled   int64     `json:"bets_settled"`
	Reversed  int64     `json:"bets_reversed"`
	Refunded  int64     `json:"bets_refunded"`
	Unchanged bool      `json:"unchanged"`
}

func (s *Server) putResult(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req resultRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.FT == nil {
		return apperr.Invalid("ft", "the 90-minute score is required")
	}
	r := betting.Result{FT: [2]int{req.FT.Home, req.FT.Away}}
	if req.ET != nil {
		r.ET = &[2]int{req.ET.Home, req.ET.Away}
	}
	if req.P != nil {
		r.P = &[2]int{req.P.Home, req.P.Away}
	}
	sum, err := s.deps.Betting.RecordResult(c.Request().Context(), id, r)
	if err != nil {
		return err
	}
	return s.answerSettlement(c, sum)
}

func (s *Server) answerSettlement(c echo.Context, sum *betting.SettleSummary) error {
	m, err := s.deps.Betting.OperatorMatch(c.Request().Context(), sum.MatchID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settleJSON{Match: presentMatch(m), Settled: sum.Settled, Reversed: sum.Reversed,
		Refunded: sum.Refunded, Unchanged: sum.Unchanged})
}

func (s *Server) cancelMatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sum, err := s.deps.Betting.CancelMatch(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.answerSettlement(c, sum)
}
