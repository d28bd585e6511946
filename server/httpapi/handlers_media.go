package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
)

// PLACEHOLDER: replaced by the real handlers in progress.
func (s *Server) putAvatar(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) deleteAvatar(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) putLogo(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) deleteLogo(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
func (s *Server) serveMedia(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
