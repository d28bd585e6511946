package httpapi

import (
	"database/sql/driver"
	"fmt"
	"net"
	"net/http"
	"testing"

	mysqldrv "github.com/go-sql-driver/mysql"
)

// A database restart must look like "try again" (503) to clients and the load
// balancer, not like a bug (500).
func TestDatabaseDownIs503(t *testing.T) {
	for name, err := range map[string]error{
		"bad conn":     fmt.Errorf("query: %w", driver.ErrBadConn),
		"invalid conn": mysqldrv.ErrInvalidConn,
		"refused":      &net.OpError{Op: "dial", Net: "tcp", Err: fmt.Errorf("connection refused")},
	} {
		status, body := toErrorBody(err)
		if status != http.StatusServiceUnavailable || body.Error.Code != "database_unavailable" {
			t.Errorf("%s: got %d %q", name, status, body.Error.Code)
		}
	}
	if status, _ := toErrorBody(fmt.Errorf("some bug")); status != http.StatusInternalServerError {
		t.Errorf("an unknown error must stay a 500, got %d", status)
	}
}
