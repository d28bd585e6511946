package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
)

// PLACEHOLDER: replaced by the real handlers in progress.
func (s *Server) importOpenfootball(c echo.Context) error {
	return apperr.New(apperr.KindInternal, "not_implemented", "not implemented yet")
}
