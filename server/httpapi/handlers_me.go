package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/accounts"
)

func (s *Server) getMe(c echo.Context) error {
	id := identityOf(c)
	return c.JSON(http.StatusOK, s.presentUser(id.Tenant, id.User))
}

// optionalID distinguishes an absent field from an explicit null, so
// {"team_id":null} leaves a team while {} changes nothing.
type optionalID struct {
	Set   bool
	Value *int64
}

func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.Set = true
	return json.Unmarshal(b, &o.Value)
}

func (o optionalID) ptr() **int64 {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}

type patchMeRequest struct {
	DisplayName *string    `json:"display_name"`
	TeamID      optionalID `json:"team_id"`
}

func (s *Server) patchMe(c echo.Context) error {
	id := identityOf(c)
	var req patchMeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.deps.Accounts.UpdateProfile(c.Request().Context(), id.Scope, id.User.ID,
		accounts.ProfilePatch{DisplayName: req.DisplayName, TeamID: req.TeamID.ptr()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentUser(id.Tenant, u))
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword ends every other session and hands this one a fresh token.
func (s *Server) changePassword(c echo.Context) error {
	id := identityOf(c)
	var req changePasswordRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	sess, err := s.deps.Accounts.ChangePassword(c.Request().Context(), id.Scope, id.User.ID, req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	return s.startSession(c, http.StatusOK, sess)
}

func (s *Server) listTeamsForMember(c echo.Context) error {
	id := identityOf(c)
	ts, err := s.deps.Accounts.Teams(c.Request().Context(), id.Scope)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": mapSlice(ts, presentTeam)})
}
