//go:build !testclock

package httpapi

// extraRoutes is empty in production builds: the clock control route only
// exists in binaries built with -tags testclock.
func (s *Server) extraRoutes() []route { return nil }
