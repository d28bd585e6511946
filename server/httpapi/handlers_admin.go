package httpapi

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/accounts"
)

func (s *Server) getCompanySettings(c echo.Context) error {
	id := identityOf(c)
	co, err := s.deps.Accounts.Company(c.Request().Context(), id.Scope)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentCompany(co))
}

type companyPatchRequest struct {
	Name               *string   `json:"name"`
	PrimaryColor       *string   `json:"primary_color"`
	AccentColor        *string   `json:"accent_color"`
	AllowedDomains     *[]string `json:"allowed_domains"`
	StartingCoins      *int      `json:"starting_coins"`
	InCompanyRanking   *bool     `json:"in_company_ranking"`
	AllowTeamChoice    *bool     `json:"allow_team_choice"`
	ExactScoreBonusPct *int      `json:"exact_score_bonus_pct"`
}

func (r companyPatchRequest) patch() accounts.CompanyPatch {
	return accounts.CompanyPatch{Name: r.Name, PrimaryColor: r.PrimaryColor, AccentColor: r.AccentColor,
		AllowedDomains: r.AllowedDomains, StartingCoins: r.StartingCoins, InCompanyRanking: r.InCompanyRanking,
		AllowTeamChoice: r.AllowTeamChoice, ExactScoreBonusPct: r.ExactScoreBonusPct}
}

func (s *Server) patchCompanySettings(c echo.Context) error {
	id := identityOf(c)
	var req companyPatchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	// The company comes from the host, never from the body.
	co, err := s.deps.Accounts.UpdateCompany(c.Request().Context(), id.Scope.CompanyID, req.patch())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentCompany(co))
}

func (s *Server) presentInvite(c echo.Context, inv *accounts.Invite) inviteJSON {
	u := url.URL{Scheme: c.Scheme(), Host: c.Request().Host, Path: "/signup", RawQuery: url.Values{"invite": {inv.Token}}.Encode()}
	return inviteJSON{ID: inv.ID, Token: inv.Token, URL: u.String(), Role: inv.Role, MaxUses: inv.MaxUses, Uses: inv.Uses,
		ExpiresAt: inv.ExpiresAt, CreatedAt: inv.CreatedAt}
}

func (s *Server) listInvites(c echo.Context) error {
	id := identityOf(c)
	is, err := s.deps.Accounts.Invites(c.Request().Context(), id.Scope)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": mapSlice(is, func(i *accounts.Invite) inviteJSON { return s.presentInvite(c, i) })})
}

type createInviteRequest struct {
	MaxUses        *int   `json:"max_uses"`
	ExpiresInHours int    `json:"expires_in_hours"`
	Role           string `json:"role"`
}

func (s *Server) createInvite(c echo.Context) error {
	id := identityOf(c)
	var req createInviteRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	inv, err := s.deps.Accounts.CreateInvite(c.Request().Context(), id.Scope, id.User.ID,
		accounts.InviteInput{MaxUses: req.MaxUses, ExpiresInHours: req.ExpiresInHours, Role: req.Role})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.presentInvite(c, inv))
}

func (s *Server) revokeInvite(c echo.Context) error {
	id := identityOf(c)
	inviteID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.deps.Accounts.RevokeInvite(c.Request().Context(), id.Scope, inviteID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listTeams(c echo.Context) error { return s.listTeamsForMember(c) }

type teamRequest struct {
	Name string `json:"name"`
}

func (s *Server) createTeam(c echo.Context) error {
	id := identityOf(c)
	var req teamRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	t, err := s.deps.Accounts.CreateTeam(c.Request().Context(), id.Scope, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, presentTeam(t))
}

func (s *Server) renameTeam(c echo.Context) error {
	id := identityOf(c)
	teamID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req teamRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	t, err := s.deps.Accounts.RenameTeam(c.Request().Context(), id.Scope, teamID, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentTeam(t))
}

func (s *Server) deleteTeam(c echo.Context) error {
	id := identityOf(c)
	teamID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.deps.Accounts.DeleteTeam(c.Request().Context(), id.Scope, teamID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listMembers(c echo.Context) error {
	id := identityOf(c)
	p := pageOf(c)
	us, total, err := s.deps.Accounts.Members(c.Request().Context(), id.Scope, c.QueryParam("q"), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(mapSlice(us, func(u *accounts.User) userJSON { return s.presentUser(id.Tenant, u) }), p, total))
}

type memberPatchRequest struct {
	Role   *string    `json:"role"`
	Active *bool      `json:"active"`
	TeamID optionalID `json:"team_id"`
}

func (s *Server) patchMember(c echo.Context) error {
	id := identityOf(c)
	memberID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req memberPatchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.deps.Accounts.UpdateMember(c.Request().Context(), id.Scope, memberID,
		accounts.MemberPatch{Role: req.Role, Active: req.Active, TeamID: req.TeamID.ptr()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentUser(id.Tenant, u))
}

func (s *Server) createResetLink(c echo.Context) error {
	id := identityOf(c)
	memberID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	link, err := s.deps.Accounts.CreateResetLink(c.Request().Context(), id.Scope, memberID)
	if err != nil {
		return err
	}
	u := url.URL{Scheme: c.Scheme(), Host: c.Request().Host, Path: "/reset-password", RawQuery: url.Values{"token": {link.Token}}.Encode()}
	return c.JSON(http.StatusCreated, map[string]any{"url": u.String(), "token": link.Token, "expires_at": link.ExpiresAt})
}
