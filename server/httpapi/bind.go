package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/paging"
)

// bind decodes a JSON body strictly: unknown fields are refused so a typo in
// a field name is an error, not a silently ignored value.
func bind(c echo.Context, dst any) error {
	body := c.Request().Body
	if body == nil {
		return apperr.New(apperr.KindValidation, "bad_request", "a JSON body is required")
	}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if errors.Is(err, io.EOF) {
			return &apperr.Error{Kind: apperr.KindValidation, Code: "bad_request", Message: "a JSON body is required"}
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return echo.NewHTTPError(http.StatusBadRequest, "unknown field "+field)
		}
		var me *echo.HTTPError
		if errors.As(err, &me) {
			return err
		}
		return err
	}
	return nil
}

func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound(strings.TrimSuffix(name, "_id"))
	}
	return id, nil
}

func pageOf(c echo.Context) paging.Page {
	n, _ := strconv.Atoi(c.QueryParam("page"))
	pp, _ := strconv.Atoi(c.QueryParam("per_page"))
	return paging.Page{Number: n, PerPage: pp}.Normalize()
}

// list is the shape of every paginated answer.
type list[T any] struct {
	Items   []T   `json:"items"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
	Total   int64 `json:"total"`
}

func newList[T any](items []T, p paging.Page, total int64) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Page: p.Number, PerPage: p.PerPage, Total: total}
}

func mapSlice[A, B any](in []A, f func(*A) B) []B {
	out := make([]B, 0, len(in))
	for i := range in {
		out = append(out, f(&in[i]))
	}
	return out
}
