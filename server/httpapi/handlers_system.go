package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.deps.Version})
}

// readyz tells the load balancer whether this instance can serve: it is
// ready only while the database answers.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if s.draining.Load() {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "draining", "reason": "shutting down"})
	}
	if err := s.deps.DB.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "database unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) getCompany(c echo.Context) error {
	t := tenantOf(c)
	c.Response().Header().Set("Cache-Control", "no-cache")
	if t.Company == nil {
		return c.JSON(http.StatusOK, companyPublicJSON{Kind: "operator", Name: "BetCity", PrimaryColor: "#1f4fd1", AccentColor: "#f5a623"})
	}
	co := t.Company
	return c.JSON(http.StatusOK, companyPublicJSON{Kind: "company", Slug: co.Slug, Name: co.Name, PrimaryColor: co.PrimaryColor,
		AccentColor: co.AccentColor, LogoURL: s.mediaURL(co.LogoKey), AllowTeamChoice: co.AllowTeamChoice})
}

func (s *Server) getInvite(c echo.Context) error {
	t := tenantOf(c)
	inv, err := s.deps.Accounts.InviteInfo(c.Request().Context(), t.Scope, c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"company_name": t.Company.Name, "expires_at": inv.ExpiresAt, "role": inv.Role, "valid": true})
}
