package bench

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkIndividualLeaderboard100k-2   	    1000	   1200000 ns/op	         1.10 p50_ms	         3.00 p99_ms
BenchmarkIndividualLeaderboard100k-2   	    1000	   1200000 ns/op	      1300 p50-µs	      5000 p99-µs
BenchmarkIndividualLeaderboard100k-2   	    1000	   1200000 ns/op	   1200000 p50-ns	   4000000 p99-ns
BenchmarkOther-2 	 10	 5 ns/op	 9 p50_ms	 9 p99_ms
PASS`
	p50, p99, n, ok := ParseGoBench(strings.NewReader(out), "BenchmarkIndividualLeaderboard100k")
	if !ok || n != 3 {
		t.Fatalf("ok=%v n=%d", ok, n)
	}
	if math.Abs(p50-1.2) > 1e-9 || math.Abs(p99-4) > 1e-9 {
		t.Errorf("p50=%v p99=%v, want medians 1.2 and 4", p50, p99)
	}
	if _, _, _, ok := ParseGoBench(strings.NewReader("no tests to run\nPASS\n"), "BenchmarkIndividualLeaderboard100k"); ok {
		t.Error("parsed a result from output without the benchmark")
	}
}

func TestResultsRoundTripAndSummary(t *testing.T) {
	var buf bytes.Buffer
	for _, r := range []Result{
		{Name: "place.tps", Value: 300, Baseline: 400, Unit: "tx/s", Goal: "ratio >= 0.60", Pass: pass(true)},
		{Name: "place.p99", Value: 80, Baseline: 40, Unit: "ms", Goal: "HTTP p99 <= 50 ms", Pass: pass(false)},
		{Name: "settle.first", Value: 1500, Baseline: 500, Unit: "ms", Goal: "< 2000 ms", Pass: pass(true)},
		{Name: "leaderboard.bare_p50", Value: 0.5, Unit: "ms"},
		{Name: "leaderboard.bare_p99", Value: 1, Unit: "ms"},
	} {
		buf.WriteString(r.TSV() + "\n")
	}
	rs, err := ParseResults(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r := rs["place.tps"]; r.Value != 300 || r.Baseline != 400 || r.Pass == nil || !*r.Pass {
		t.Errorf("round trip: %+v", r)
	}
	var out bytes.Buffer
	if WriteSummary(&out, rs, 1, 2, true, "") {
		t.Error("a figure below its goal must fail the summary")
	}
	for _, want := range []string{"0.75x", "BELOW GOAL", "settle 100k", "2.00x", "missing"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}
