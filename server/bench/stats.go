// Package bench holds BetCity's load runner: bet placement through the whole
// HTTP stack against the same SQL run directly, settlement of one match with
// 100,000 bets, and the bare leaderboard page query. Every figure is reported
// with a baseline measured in the same run, because the machines we measure
// on are small and noisy: ratios travel, absolute numbers do not.
package bench

import (
	"fmt"
	"slices"
	"time"
)

// Quantile returns the q-quantile (0..1) of ds by the nearest-rank method.
// ds is sorted in place.
func Quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(q*float64(len(ds))+0.999999) - 1
	i = max(0, min(i, len(ds)-1))
	return ds[i]
}

// Median returns the median of xs (the mean of the middle two for an even
// count). xs is not modified.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Ms renders a duration in milliseconds with two decimals.
func Ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Result is one line of the final summary: a figure, its baseline, their
// ratio and the goal it is judged against.
type Result struct {
	Name     string  // e.g. "place.http_tps"
	Value    float64 // the measured figure
	Baseline float64 // the same-run baseline (0 when none)
	Unit     string
	Goal     string // human-readable, e.g. "ratio >= 0.60"
	Pass     *bool  // nil when there is no goal
}

// Ratio is Value / Baseline (0 without a baseline).
func (r Result) Ratio() float64 {
	if r.Baseline == 0 {
		return 0
	}
	return r.Value / r.Baseline
}

// TSV is the line the runner appends to its results file; scripts/bench.sh
// turns these lines into the summary table.
func (r Result) TSV() string {
	status := "-"
	if r.Pass != nil {
		status = "FAIL"
		if *r.Pass {
			status = "ok"
		}
	}
	return fmt.Sprintf("%s\t%.2f\t%.2f\t%.2f\t%s\t%s\t%s", r.Name, r.Value, r.Baseline, r.Ratio(), r.Unit, r.Goal, status)
}

func pass(b bool) *bool { return &b }
