package httpapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/betting"
)

// ---- leaderboards ----

type leaderRowJSON struct {
	Rank         int64   `json:"rank"`
	UserID       int64   `json:"user_id"`
	DisplayName  string  `json:"display_name"`
	AvatarURL    *string `json:"avatar_url"`
	TeamName     *string `json:"team_name"`
	Score        int64   `json:"score"`
	CorrectPicks int     `json:"correct_picks"`
	ExactScores  int     `json:"exact_scores"`
	SettledBets  int     `json:"settled_bets"`
}

func (s *Server) presentLeaderRow(r *betting.LeaderRow) leaderRowJSON {
	return leaderRowJSON{Rank: r.Rank, UserID: r.UserID, DisplayName: r.DisplayName, AvatarURL: s.mediaURL(r.AvatarKey),
		TeamName: r.TeamName, Score: r.Score, CorrectPicks: r.CorrectPicks, ExactScores: r.ExactScores, SettledBets: r.SettledBets}
}

type teamRowJSON struct {
	Rank    *int64   `json:"rank"`
	TeamID  int64    `json:"team_id"`
	Name    string   `json:"name"`
	Score   *float64 `json:"score"`
	Bettors int64    `json:"bettors"`
	Members int64    `json:"members"`
}

func presentTeamRow(r *betting.TeamRow) teamRowJSON {
	return teamRowJSON{Rank: r.Rank, TeamID: r.TeamID, Name: r.Name, Score: roundScore(r.Score), Bettors: r.Bettors, Members: r.Members}
}

type companyRowJSON struct {
	Rank         *int64   `json:"rank"`
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	LogoURL      *string  `json:"logo_url"`
	Score        *float64 `json:"score"`
	Participants int64    `json:"participants"`
}

func (s *Server) presentCompanyRow(r *betting.CompanyRow) companyRowJSON {
	return companyRowJSON{Rank: r.Rank, Slug: r.Slug, Name: r.Name, LogoURL: s.mediaURL(r.LogoKey), Score: roundScore(r.Score),
		Participants: r.Participants}
}

// roundScore shows an average to two decimals; ranks were decided on the
// exact value.
func roundScore(v *float64) *float64 {
	if v == nil {
		return nil
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(*v, 'f', 2, 64), 64)
	return &r
}

// board is a ranked page: the usual list plus the caller's own row.
type board[T any] struct {
	list[T]
	Me *T `json:"me"`
}

func ptrMap[A, B any](a *A, f func(*A) B) *B {
	if a == nil {
		return nil
	}
	b := f(a)
	return &b
}

func (s *Server) individualLeaderboard(c echo.Context) error {
	m := memberOf(c)
	tid, err := queryID(c, "tournament_id")
	if err != nil {
		return err
	}
	p := pageOf(c)
	b, err := s.deps.Betting.IndividualLeaderboard(c.Request().Context(), m.CompanyID, m.UserID, tid, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, board[leaderRowJSON]{list: newList(mapSlice(b.Items, s.presentLeaderRow), p, b.Total),
		Me: ptrMap(b.Me, s.presentLeaderRow)})
}

func (s *Server) teamLeaderboard(c echo.Context) error {
	m := memberOf(c)
	tid, err := queryID(c, "tournament_id")
	if err != nil {
		return err
	}
	p := pageOf(c)
	b, err := s.deps.Betting.TeamLeaderboard(c.Request().Context(), m.CompanyID, m.UserID, tid, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, board[teamRowJSON]{list: newList(mapSlice(b.Items, presentTeamRow), p, b.Total),
		Me: ptrMap(b.Me, presentTeamRow)})
}

func (s *Server) companyLeaderboard(c echo.Context) error {
	m := memberOf(c)
	tid, err := queryID(c, "tournament_id")
	if err != nil {
		return err
	}
	p := pageOf(c)
	b, err := s.deps.Betting.CompanyLeaderboard(c.Request().Context(), m.CompanyID, m.UserID, tid, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, struct {
		board[companyRowJSON]
		MinParticipants int `json:"min_participants"`
	}{board[companyRowJSON]{list: newList(mapSlice(b.Items, s.presentCompanyRow), p, b.Total), Me: ptrMap(b.Me, s.presentCompanyRow)},
		b.MinParticipants})
}

// ---- participation (HR, admins) ----

type missingMemberJSON struct {
	UserID      int64     `json:"user_id"`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email"`
	TeamName    *string   `json:"team_name"`
	Missing     int       `json:"missing"`
	NextKickoff time.Time `json:"next_kickoff"`
}

type missingTeamJSON struct {
	TeamID         *int64 `json:"team_id"`
	Name           string `json:"name"`
	MissingMembers int    `json:"missing_members"`
}

type participationQuery struct {
	TournamentID int64
	Window       time.Duration
	Days         int
	Loc          *time.Location
	Lang         string
}

// participationParams reads the query parameters the participation views
// share; the domain checks the ranges.
func participationParams(c echo.Context) (participationQuery, error) {
	var q participationQuery
	var err error
	f := apperr.Fields{}
	if q.TournamentID, err = queryID(c, "tournament_id"); err != nil {
		return q, err
	}
	if v := c.QueryParam("hours"); v != "" {
		h, err := strconv.Atoi(v)
		if err != nil || h < 1 {
			f.Add("hours", "must be a whole number of hours between 1 and 720")
		}
		q.Window = time.Duration(h) * time.Hour
	}
	if v := c.QueryParam("days"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 1 {
			f.Add("days", "must be a whole number of days between 1 and 366")
		}
		q.Days = d
	}
	tz := c.QueryParam("tz")
	if tz == "" {
		tz = "Europe/Paris"
	}
	if q.Loc, err = time.LoadLocation(tz); err != nil || tz == "Local" {
		f.Add("tz", "must be an IANA time zone such as Europe/Paris")
	}
	switch q.Lang = strings.ToLower(c.QueryParam("lang")); q.Lang {
	case "":
		q.Lang = "fr"
	case "fr", "en":
	default:
		f.Add("lang", "must be fr or en")
	}
	return q, f.Err()
}

func (s *Server) missingReport(c echo.Context) (*betting.MissingReport, participationQuery, error) {
	q, err := participationParams(c)
	if err != nil {
		return nil, q, err
	}
	rep, err := s.deps.Betting.MissingBets(c.Request().Context(), identityOf(c).Scope.CompanyID, q.TournamentID, q.Window)
	return rep, q, err
}

func (s *Server) missingBets(c echo.Context) error {
	rep, _, err := s.missingReport(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"matches": mapSlice(rep.Matches, func(m *betting.Match) matchJSON {
			out := presentMatch(m)
			out.ExternalKey = nil
			out.Open = true
			return out
		}),
		"members": mapSlice(rep.Members, func(m *betting.MissingMember) missingMemberJSON {
			return missingMemberJSON{UserID: m.UserID, DisplayName: m.DisplayName, Email: m.Email, TeamName: m.TeamName,
				Missing: m.Missing, NextKickoff: m.NextKickoff.UTC()}
		}),
		"teams": mapSlice(rep.Teams, func(t *betting.MissingTeam) missingTeamJSON {
			return missingTeamJSON{TeamID: t.TeamID, Name: t.Name, MissingMembers: t.MissingMembers}
		}),
	})
}

func (s *Server) activity(c echo.Context) error {
	q, err := participationParams(c)
	if err != nil {
		return err
	}
	days, err := s.deps.Betting.Activity(c.Request().Context(), identityOf(c).Scope.CompanyID, q.TournamentID, q.Days)
	if err != nil {
		return err
	}
	type dayJSON struct {
		Day           string `json:"day"`
		ActiveMembers int64  `json:"active_members"`
	}
	return c.JSON(http.StatusOK, map[string]any{"items": mapSlice(days, func(d *betting.DayActivity) dayJSON {
		return dayJSON{Day: d.Day.Format(time.DateOnly), ActiveMembers: d.ActiveMembers}
	})})
}

// ---- CSV exports ----

// Excel with French settings opens a file directly when it is UTF-8 with a
// byte-order mark (without it, accents are mangled), separated by ';'
// (',' is the decimal separator there), with CRLF line ends and dates as
// dd/mm/yyyy hh:mm.
const (
	csvDateTime = "02/01/2006 15:04"
	csvDate     = "02/01/2006"
	utf8BOM     = "\ufeff"
)

var csvHeaders = map[string]map[string][]string{
	"missing": {
		"fr": {"Nom", "E-mail", "Équipe", "Paris manquants", "Prochain match sans pari"},
		"en": {"Name", "Email", "Team", "Missing bets", "Next match without a bet"},
	},
	"activity": {
		"fr": {"Jour (UTC)", "Membres actifs"},
		"en": {"Day (UTC)", "Active members"},
	},
}

// csvText neutralises cells that a spreadsheet would run as a formula: a
// display name such as "=HYPERLINK(...)" is typed by a member, not trusted.
func csvText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func writeCSV(c echo.Context, name string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func csvName(c echo.Context, what string, now time.Time, loc *time.Location) string {
	slug := "company"
	if co := identityOf(c).Company; co != nil {
		slug = co.Slug
	}
	return fmt.Sprintf("betcity-%s-%s-%s.csv", slug, what, now.In(loc).Format(time.DateOnly))
}

func (s *Server) missingBetsCSV(c echo.Context) error {
	rep, q, err := s.missingReport(c)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(rep.Members))
	for _, m := range rep.Members {
		team := ""
		if m.TeamName != nil {
			team = *m.TeamName
		}
		rows = append(rows, []string{csvText(m.DisplayName), csvText(m.Email), csvText(team), strconv.Itoa(m.Missing),
			m.NextKickoff.In(q.Loc).Format(csvDateTime)})
	}
	return writeCSV(c, csvName(c, "missing-bets", rep.From, q.Loc), csvHeaders["missing"][q.Lang], rows)
}

func (s *Server) activityCSV(c echo.Context) error {
	q, err := participationParams(c)
	if err != nil {
		return err
	}
	days, err := s.deps.Betting.Activity(c.Request().Context(), identityOf(c).Scope.CompanyID, q.TournamentID, q.Days)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(days))
	for _, d := range days {
		rows = append(rows, []string{d.Day.Format(csvDate), strconv.FormatInt(d.ActiveMembers, 10)})
	}
	// The domain always answers at least one day; the last one is today.
	return writeCSV(c, csvName(c, "activity", days[len(days)-1].Day, time.UTC), csvHeaders["activity"][q.Lang], rows)
}
