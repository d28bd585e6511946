package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/auth"
)

const refreshCookie = "betcity_refresh"

type sessionJSON struct {
	AccessToken string   `json:"access_token"`
	TokenType   string   `json:"token_type"`
	ExpiresIn   int      `json:"expires_in"`
	User        userJSON `json:"user"`
}

// startSession answers with the access token and sets the refresh cookie.
// The cookie is scoped to /api/v1/auth so no other request carries it.
func (s *Server) startSession(c echo.Context, status int, sess *accounts.Session) error {
	s.setRefreshCookie(c, sess.RefreshToken, auth.RefreshTTL)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, sessionJSON{AccessToken: sess.AccessToken, TokenType: "Bearer",
		ExpiresIn: int(sess.ExpiresIn.Seconds()), User: s.presentUser(tenantOf(c), sess.User)})
}

func (s *Server) setRefreshCookie(c echo.Context, value string, ttl time.Duration) {
	ck := &http.Cookie{
		Name:     refreshCookie,
		Value:    value,
		Path:     "/api/v1/auth",
		HttpOnly: true,
		// Plain http is only allowed on localhost development hosts.
		Secure:   !isLocalHost(c.Request().Host),
		SameSite: http.SameSiteStrictMode,
		MaxAge:   int(ttl.Seconds()),
	}
	if ttl <= 0 {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

func refreshToken(c echo.Context) string {
	if ck, err := c.Cookie(refreshCookie); err == nil {
		return ck.Value
	}
	return ""
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	sess, err := s.deps.Accounts.Login(c.Request().Context(), tenantOf(c).Scope,
		accounts.LoginInput{Email: req.Email, Password: req.Password, IP: c.RealIP()})
	if err != nil {
		return err
	}
	return s.startSession(c, http.StatusOK, sess)
}

type signupRequest struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
	Invite      string `json:"invite"`
}

func (s *Server) signup(c echo.Context) error {
	var req signupRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	sess, err := s.deps.Accounts.Signup(c.Request().Context(), tenantOf(c).Scope, accounts.SignupInput{
		Email: req.Email, Password: req.Password, DisplayName: req.DisplayName, Invite: req.Invite, IP: c.RealIP()})
	if err != nil {
		return err
	}
	return s.startSession(c, http.StatusCreated, sess)
}

func (s *Server) refresh(c echo.Context) error {
	sess, err := s.deps.Accounts.Refresh(c.Request().Context(), tenantOf(c).Scope, refreshToken(c))
	if err != nil {
		s.setRefreshCookie(c, "", 0)
		return err
	}
	return s.startSession(c, http.StatusOK, sess)
}

func (s *Server) logout(c echo.Context) error {
	err := s.deps.Accounts.Logout(c.Request().Context(), tenantOf(c).Scope, refreshToken(c))
	s.setRefreshCookie(c, "", 0)
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type resetPasswordRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (s *Server) resetPassword(c echo.Context) error {
	var req resetPasswordRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.deps.Accounts.ResetPassword(c.Request().Context(), tenantOf(c).Scope, req.Token, req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
