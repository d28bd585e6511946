package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
)

// PLACEHOLDER: replaced by the real handlers in progress.
func (s *Server) individualLeaderboard(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) teamLeaderboard(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) companyLeaderboard(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) missingBets(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) missingBetsCSV(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) activity(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) activityCSV(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
