package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/betting"
)

func memberOf(c echo.Context) betting.Member {
	id := identityOf(c)
	return betting.Member{CompanyID: id.Scope.CompanyID, UserID: id.User.ID}
}

func queryID(c echo.Context, name string) (int64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Invalid(name, "must be a positive number")
	}
	return id, nil
}

func (s *Server) listMyTournaments(c echo.Context) error {
	ts, err := s.deps.Betting.CompanyTournaments(c.Request().Context(), memberOf(c).CompanyID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": mapSlice(ts, func(t *betting.EnrolledTournament) tournamentJSON {
		out := presentTournament(&t.Tournament)
		out.StartingCoins = &t.StartingCoins
		return out
	})})
}

func (s *Server) listMatches(c echo.Context) error {
	m := memberOf(c)
	f, err := matchFilter(c)
	if err != nil {
		return err
	}
	e, err := s.deps.Betting.ResolveTournament(c.Request().Context(), m.CompanyID, f.TournamentID)
	if err != nil {
		return err
	}
	f.TournamentID = e.TournamentID
	p := pageOf(c)
	views, total, err := s.deps.Betting.Matches(c.Request().Context(), m.CompanyID, m.UserID, f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(mapSlice(views, presentMatchView), p, total))
}

func matchFilter(c echo.Context) (betting.MatchFilter, error) {
	var f betting.MatchFilter
	var err error
	if f.TournamentID, err = queryID(c, "tournament_id"); err != nil {
		return f, err
	}
	if d := c.QueryParam("day"); d != "" {
		if f.Day, err = time.Parse(time.DateOnly, d); err != nil {
			return f, apperr.Invalid("day", "must be a date such as 2026-06-11")
		}
	}
	f.Stage = c.QueryParam("stage")
	return f, nil
}

func (s *Server) getMatch(c echo.Context) error {
	m := memberOf(c)
	matchID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.deps.Betting.Match(c.Request().Context(), m.CompanyID, m.UserID, matchID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentMatchView(v))
}

type betRequest struct {
	Pick  string     `json:"pick"`
	Stake int64      `json:"stake"`
	Score *goalsJSON `json:"score"`
}

func (s *Server) putBet(c echo.Context) error {
	matchID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req betRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	in := betting.BetInput{Pick: betting.ParsePick(req.Pick), Stake: req.Stake}
	if req.Score != nil {
		in.Score = &betting.ScorePrediction{Home: req.Score.Home, Away: req.Score.Away}
	}
	res, err := s.deps.Betting.PlaceBet(c.Request().Context(), memberOf(c), matchID, in, c.Request().Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"bet": presentBet(&res.Bet), "balance": res.Balance})
}

func (s *Server) deleteBet(c echo.Context) error {
	matchID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	bal, err := s.deps.Betting.CancelBet(c.Request().Context(), memberOf(c), matchID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"balance": bal})
}

func (s *Server) listMyBets(c echo.Context) error {
	tid, err := queryID(c, "tournament_id")
	if err != nil {
		return err
	}
	p := pageOf(c)
	bets, total, err := s.deps.Betting.MyBets(c.Request().Context(), memberOf(c), tid, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(mapSlice(bets, func(b *betting.BetView) betJSON {
		out := presentBet(&b.Bet)
		if b.Match != nil {
			mj := presentMatch(b.Match)
			mj.ExternalKey = nil
			out.Match = &mj
		}
		return out
	}), p, total))
}

func (s *Server) getWallet(c echo.Context) error {
	tid, err := queryID(c, "tournament_id")
	if err != nil {
		return err
	}
	p := pageOf(c)
	w, err := s.deps.Betting.WalletWithLedger(c.Request().Context(), memberOf(c), tid, p)
	if err != nil {
		return err
	}
	l := newList(mapSlice(w.Entries, presentLedger), p, w.Total)
	return c.JSON(http.StatusOK, map[string]any{"balance": w.Wallet.Balance, "tournament_id": w.Wallet.TournamentID,
		"items": l.Items, "page": l.Page, "per_page": l.PerPage, "total": l.Total})
}
