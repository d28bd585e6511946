package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/importer"
)

// maxImportBytes bounds an uploaded openfootball file; the biggest upstream
// file is well under 1 MB.
const maxImportBytes = 8 << 20

type importSummaryJSON struct {
	TournamentID     int64    `json:"tournament_id"`
	MatchesCreated   int      `json:"matches_created"`
	MatchesUpdated   int      `json:"matches_updated"`
	MatchesUnchanged int      `json:"matches_unchanged"`
	TeamsCreated     int      `json:"teams_created"`
	MatchesSettled   int      `json:"matches_settled"`
	Skipped          []string `json:"skipped"`
}

var errImportTooLarge = apperr.New(apperr.KindTooLarge, "file_too_large",
	fmt.Sprintf("the file must be at most %d MB", maxImportBytes>>20))

// importOpenfootball takes an openfootball JSON file as the raw request body
// and imports it; ?tz= names the zone of times written without an offset.
func (s *Server) importOpenfootball(c echo.Context) error {
	req := c.Request()
	var zone *time.Location
	if tz := strings.TrimSpace(c.QueryParam("tz")); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return apperr.Invalid("tz", "unknown time zone; use an IANA name such as Europe/Berlin")
		}
		zone = loc
	}
	if req.ContentLength > maxImportBytes {
		return errImportTooLarge
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, maxImportBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errImportTooLarge
		}
		return fmt.Errorf("read import body: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return apperr.New(apperr.KindValidation, "bad_request", "send the openfootball JSON file as the request body")
	}
	sum, err := importer.ParseAndImport(req.Context(), s.deps.Betting, bytes.NewReader(data), zone, nil)
	if err != nil {
		return err
	}
	skipped := sum.Skipped
	if skipped == nil {
		skipped = []string{}
	}
	return c.JSON(http.StatusOK, importSummaryJSON{TournamentID: sum.TournamentID, MatchesCreated: sum.MatchesCreated,
		MatchesUpdated: sum.MatchesUpdated, MatchesUnchanged: sum.MatchesUnchanged, TeamsCreated: sum.TeamsCreated,
		MatchesSettled: sum.MatchesSettled, Skipped: skipped})
}
