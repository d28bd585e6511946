//go:build testclock

package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
)

// extraRoutes adds the clock control used by end-to-end tests to move time
// past a kickoff. It is compiled only with -tags testclock.
func (s *Server) extraRoutes() []route {
	return []route{{http.MethodPost, "/api/v1/test/clock", public, s.moveClock}}
}

type clockRequest struct {
	AdvanceSeconds int64  `json:"advance_seconds"`
	Set            string `json:"set"`
}

func (s *Server) moveClock(c echo.Context) error {
	if s.deps.ClockControl == nil {
		return apperr.NotFound("route")
	}
	var req clockRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Set != "" {
		t, err := time.Parse(time.RFC3339, req.Set)
		if err != nil {
			return apperr.Invalid("set", "must be an RFC 3339 time")
		}
		s.deps.ClockControl.SetOffset(time.Until(t))
	}
	if req.AdvanceSeconds != 0 {
		s.deps.ClockControl.Advance(time.Duration(req.AdvanceSeconds) * time.Second)
	}
	return c.JSON(http.StatusOK, map[string]any{"now": s.deps.ClockControl.Now()})
}
