package httpapi

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	mysqldrv "github.com/go-sql-driver/mysql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/apperr"
)

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func statusFor(k apperr.Kind) int {
	switch k {
	case apperr.KindValidation, apperr.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case apperr.KindUnauthorized:
		return http.StatusUnauthorized
	case apperr.KindForbidden:
		return http.StatusForbidden
	case apperr.KindNotFound:
		return http.StatusNotFound
	case apperr.KindConflict:
		return http.StatusConflict
	case apperr.KindRateLimited:
		return http.StatusTooManyRequests
	case apperr.KindUnavailable:
		return http.StatusServiceUnavailable
	case apperr.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	default:
		return http.StatusInternalServerError
	}
}

// errorHandler is the single place where errors become HTTP responses. Only
// 5xx are logged as errors; 4xx are the client's business.
func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, body := toErrorBody(err)
		if body.Error.Code == "database_unavailable" {
			c.Response().Header().Set("Retry-After", "2")
		}
		if ae, ok := apperr.As(err); ok && ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(ae.RetryAfter.Seconds())))
		}
		if status >= 500 {
			logger.ErrorContext(c.Request().Context(), "request failed",
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Path(), "status", status, "err", err.Error())
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		_ = c.JSON(status, body)
	}
}

func toErrorBody(err error) (int, ErrorBody) {
	if ae, ok := apperr.As(err); ok {
		st := statusFor(ae.Kind)
		msg := ae.Message
		if st >= 500 && ae.Kind != apperr.KindUnavailable {
			msg = "something went wrong on our side; please try again"
		}
		return st, ErrorBody{ErrorDetail{Code: ae.Code, Message: msg, Fields: ae.Fields}}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code := "http_error"
		switch he.Code {
		case http.StatusNotFound:
			code = "route_not_found"
		case http.StatusMethodNotAllowed:
			code = "method_not_allowed"
		case http.StatusRequestEntityTooLarge:
			code = "body_too_large"
		case http.StatusBadRequest:
			code = "bad_request"
		case http.StatusUnauthorized:
			code = "unauthorized"
		case http.StatusForbidden:
			code = "forbidden"
		case http.StatusServiceUnavailable:
			code = "unavailable"
		case http.StatusTooManyRequests:
			code = "too_many_requests"
		}
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && he.Code < 500 {
			msg = s
		}
		return he.Code, ErrorBody{ErrorDetail{Code: code, Message: msg}}
	}
	if isDatabaseDown(err) {
		return http.StatusServiceUnavailable, ErrorBody{ErrorDetail{Code: "database_unavailable",
			Message: "the service is briefly unavailable; please try again in a moment"}}
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		// A truncated body is as malformed as a syntax error.
		return http.StatusBadRequest, ErrorBody{ErrorDetail{Code: "bad_json", Message: "the request body is not valid JSON"}}
	case errors.As(err, &te):
		return http.StatusBadRequest, ErrorBody{ErrorDetail{Code: "bad_json", Message: "a field has the wrong type",
			Fields: map[string]string{te.Field: "must be " + te.Type.String()}}}
	}
	return http.StatusInternalServerError, ErrorBody{ErrorDetail{Code: "internal", Message: "something went wrong on our side; please try again"}}
}

// isDatabaseDown spots a database that cannot be reached (restart, failover):
// the request did nothing and may be retried, which 503 tells the client
// and the load balancer.
func isDatabaseDown(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysqldrv.ErrInvalidConn) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op)
}
