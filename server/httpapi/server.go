// Package httpapi is the HTTP transport: Echo set-up, the route table,
// middleware, thin handlers and the one error mapping.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/storage"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the HTTP layer needs, wired once in package app.
type Deps struct {
	Logger     *slog.Logger
	BaseDomain string
	Accounts   *accounts.Service
	Betting    *betting.Service
	Tokens     *auth.Tokens
	Clock      clock.Clock
	DB         Pinger
	// Storage keeps avatars and logos where every instance sees them.
	Storage storage.Store
	// MediaKey signs avatar URLs (capability links for <img> tags); every
	// instance must derive the same key, e.g. from the shared JWT secret.
	MediaKey []byte
	// SPA is the built web app (web/dist); nil serves no UI.
	SPA fs.FS
	// Flags holds the team flag images (assets/flags).
	Flags fs.FS
	// ClockControl is non-nil only in binaries built with -tags testclock.
	ClockControl *clock.Adjustable
	Version      string
}

type Server struct {
	deps Deps
	echo *echo.Echo
	// draining flips /readyz to 503 once shutdown starts, so a load balancer
	// polling it stops sending new work while in-flight requests finish.
	draining atomic.Bool
	// imageSlots bounds how many uploads are decoded at once (memory).
	imageSlots chan struct{}
}

// New builds the Echo instance with every route registered.
func New(deps Deps) *Server {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	// The ALB terminates TLS and forwards the client address.
	e.IPExtractor = echo.ExtractIPFromXFFHeader(echo.TrustLoopback(true), echo.TrustPrivateNet(true))
	s := &Server{deps: deps, echo: e, imageSlots: make(chan struct{}, 2)}

	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: func() string { return auth.RandomID(12) },
	}))
	e.Use(s.requestLogger())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		deps.Logger.Error("panic", "err", err, "stack", string(stack), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		return err
	}}))
	e.Use(securityHeaders)
	// Bodies larger than this are refused while reading; uploads have their
	// own, tighter limit in the storage layer.
	e.Use(middleware.BodyLimit("8M"))

	s.registerRoutes()
	return s
}

// Handler is the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router for the route/OpenAPI consistency test.
func (s *Server) Echo() *echo.Echo { return s.echo }

func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		LogRemoteIP: true, LogResponseSize: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []slog.Attr{
				slog.String("request_id", v.RequestID),
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.String("route", c.Path()),
				slog.Int("status", v.Status),
				slog.Float64("latency_ms", float64(v.Latency.Microseconds())/1000),
				slog.String("ip", v.RemoteIP),
				slog.Int64("bytes", v.ResponseSize),
				slog.String("host", c.Request().Host),
			}
			if id, ok := c.Get(ctxIdentity).(*Identity); ok {
				attrs = append(attrs, slog.Int64("user_id", id.User.ID), slog.Int64("company_id", id.Scope.CompanyID))
			}
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.deps.Logger.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !isLocalHost(c.Request().Host) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

func isLocalHost(host string) bool {
	h := hostOnly(host)
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || h == "127.0.0.1" || h == "::1"
}

// tenantFromHost maps the Host header to a tenant: the bare base domain is
// the operator console, one label below it is a company slug.
func (s *Server) tenantFromHost(ctx context.Context, host string) (accounts.Scope, *accounts.Company, error) {
	h := hostOnly(host)
	base := s.deps.BaseDomain
	if h == base {
		return accounts.Scope{}, nil, nil
	}
	if sub, ok := strings.CutSuffix(h, "."+base); ok && sub != "" && !strings.Contains(sub, ".") {
		c, err := s.deps.Accounts.CompanyBySlug(ctx, sub)
		if err != nil {
			return accounts.Scope{}, nil, err
		}
		return accounts.CompanyScope(c.ID), c, nil
	}
	return accounts.Scope{}, nil, &apperr.Error{Kind: apperr.KindNotFound, Code: "unknown_host",
		Message: "this address is not a BetCity site; use " + base + " or <company>." + base}
}

// StartDraining makes /readyz answer 503 from now on.
func (s *Server) StartDraining() { s.draining.Store(true) }

// Run serves until ctx ends, then drains in-flight requests for up to
// shutdownTimeout. onDrain, when set, runs as shutdown begins.
func Run(ctx context.Context, logger *slog.Logger, addr string, h http.Handler, shutdownTimeout time.Duration, ready func(net.Addr), onDrain func()) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if onDrain != nil {
		onDrain()
	}
	logger.Info("shutting down: no new connections, draining in-flight requests", "timeout", shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	logger.Info("shutdown complete")
	return nil
}
