package httpapi

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// The SPA only loads its own scripts; styles allow inline attributes because
// the brand colours are applied as CSS custom properties at run time. Images
// may come from a presigned S3 URL, hence https:.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) registerStatic() {
	e := s.echo
	if s.deps.Flags != nil {
		e.GET("/static/flags/:file", s.serveFlag)
	}
	e.GET("/*", s.serveSPA)
	e.HEAD("/*", s.serveSPA)
}

func (s *Server) serveFlag(c echo.Context) error {
	name := path.Base(c.Param("file"))
	b, err := fs.ReadFile(s.deps.Flags, "flags/"+name)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such flag")
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=604800")
	// Flags are SVG: forbid any script they might contain from running.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	return c.Blob(http.StatusOK, "image/svg+xml", b)
}

// serveSPA serves built files, with an index.html fallback for client-side
// routes. Unknown /api and /media paths stay JSON 404s.
func (s *Server) serveSPA(c echo.Context) error {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/media/") || p == "/api" {
		return echo.ErrNotFound
	}
	if s.deps.SPA == nil {
		return echo.ErrNotFound
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	h := c.Response().Header()
	if name != "" && name != "index.html" {
		if b, err := fs.ReadFile(s.deps.SPA, name); err == nil {
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in every file name under assets/.
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				h.Set("Cache-Control", "public, max-age=3600")
			}
			ct := mime.TypeByExtension(path.Ext(name))
			if ct == "" {
				ct = http.DetectContentType(b)
			}
			return c.Blob(http.StatusOK, ct, b)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if strings.HasPrefix(name, "assets/") {
			return echo.ErrNotFound
		}
	}
	index, err := fs.ReadFile(s.deps.SPA, "index.html")
	if err != nil {
		index, err = fs.ReadFile(s.deps.SPA, "placeholder.html")
		if err != nil {
			return echo.ErrNotFound
		}
	}
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	return c.HTMLBlob(http.StatusOK, index)
}
