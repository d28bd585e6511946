package deploy

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// runSmoke runs the real postdeploy hook against handler, with PORT pointing
// at it as EB would set it.
func runSmoke(t *testing.T, handler http.HandlerFunc, attempts int) (string, error) {
	t.Helper()
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to run the hook (it is on AL2023): %v", tool, err)
		}
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(repoRoot(t), ".platform/hooks/postdeploy/01-smoke.sh"))
	cmd.Env = []string{"PATH=/usr/bin:/bin:/usr/local/bin", "PORT=" + port, "BETCITY_SMOKE_ATTEMPTS=" + strconv.Itoa(attempts)}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestSmokeHookWaitsUntilReady(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	out, err := runSmoke(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		// Not ready twice (database still connecting), then ready.
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}, 5)
	if err != nil {
		t.Fatalf("hook failed: %v\n%s", err, out)
	}
	if calls.Load() != 3 || !strings.Contains(out, "ready after 3 attempt(s)") {
		t.Errorf("calls = %d, output %q", calls.Load(), out)
	}
}

func TestSmokeHookFailsWhenNeverReady(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	out, err := runSmoke(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}, 2)
	if err == nil {
		t.Fatalf("hook passed against a server that is never ready:\n%s", out)
	}
	if calls.Load() != 2 || !strings.Contains(out, "not ready after 2 attempts") {
		t.Errorf("calls = %d, output %q", calls.Load(), out)
	}
}
