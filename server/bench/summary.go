package bench

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseResults reads the TSV lines Result.TSV wrote.
func ParseResults(r io.Reader) (map[string]Result, error) {
	out := map[string]Result{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 7 {
			continue
		}
		res := Result{Name: f[0], Unit: f[4], Goal: f[5]}
		res.Value, _ = strconv.ParseFloat(f[1], 64)
		res.Baseline, _ = strconv.ParseFloat(f[2], 64)
		switch f[6] {
		case "ok":
			res.Pass = pass(true)
		case "FAIL":
			res.Pass = pass(false)
		}
		out[res.Name] = res
	}
	return out, sc.Err()
}

// unitToMs is the factor from a benchmark metric's unit to milliseconds,
// judged from its name (p99_ms, p99-µs, ns/p50...); 0 when it has none.
func unitToMs(unit string) float64 {
	u := strings.ToLower(unit)
	switch {
	case strings.Contains(u, "ns"):
		return 1e-6
	case strings.Contains(u, "us"), strings.Contains(u, "µs"), strings.Contains(u, "μs"):
		return 1e-3
	case strings.Contains(u, "ms"):
		return 1
	case strings.HasSuffix(u, "_s"), strings.HasSuffix(u, "-s"), strings.HasPrefix(u, "s/"):
		return 1000
	}
	return 0
}

// ParseGoBench finds the custom p50 and p99 metrics (in milliseconds) of
// the named benchmark in `go test -bench` output; with several result lines
// (-count) it returns the medians. ok is false when no line reported both.
func ParseGoBench(r io.Reader, name string) (p50, p99 float64, lines int, ok bool) {
	var p50s, p99s []float64
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		var a, b float64
		var hasA, hasB bool
		// f[1] is the iteration count; then value/unit pairs.
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			unit := strings.ToLower(f[i+1])
			k := unitToMs(strings.NewReplacer("p50", "", "p99", "").Replace(unit))
			if k == 0 {
				k = 1 // a bare "p50" metric is taken to be in milliseconds
			}
			switch {
			case strings.Contains(unit, "p50"):
				a, hasA = v*k, true
			case strings.Contains(unit, "p99"):
				b, hasB = v*k, true
			}
		}
		if hasA && hasB {
			p50s, p99s = append(p50s, a), append(p99s, b)
		}
	}
	if len(p50s) == 0 {
		return 0, 0, 0, false
	}
	return Median(p50s), Median(p99s), len(p50s), true
}

// WriteSummary prints the final table: each figure with its same-run
// baseline, the ratio and the goal. lbNote explains a missing leaderboard.
func WriteSummary(w io.Writer, rs map[string]Result, lbP50, lbP99 float64, lbOK bool, lbNote string) (allPass bool) {
	allPass = true
	line := func(figure, measured, baseline, ratio, goal, status string) {
		fmt.Fprintf(w, "%-44s %14s %14s %8s  %-22s %s\n", figure, measured, baseline, ratio, goal, status)
	}
	status := func(r Result) string {
		if r.Pass == nil {
			return ""
		}
		if !*r.Pass {
			allPass = false
			return "BELOW GOAL"
		}
		return "ok"
	}
	num := func(v float64, unit string) string { return fmt.Sprintf("%.2f %s", v, unit) }
	missing := func(figure, why string) {
		allPass = false
		line(figure, "missing", "", "", "", why)
	}
	line("figure", "measured", "baseline", "ratio", "goal", "status")
	line(strings.Repeat("-", 44), strings.Repeat("-", 14), strings.Repeat("-", 14), strings.Repeat("-", 8), strings.Repeat("-", 22), "------")
	if r, ok := rs["place.tps"]; ok {
		line("1. place bet, HTTP vs direct SQL (64 cl.)", num(r.Value, "tx/s"), num(r.Baseline, "tx/s"), fmt.Sprintf("%.2fx", r.Ratio()), r.Goal, status(r))
		if p, ok := rs["place.p50"]; ok {
			line("   p50 latency, HTTP vs direct", num(p.Value, "ms"), num(p.Baseline, "ms"), fmt.Sprintf("%.2fx", p.Ratio()), "", "")
		}
		if p, ok := rs["place.p99"]; ok {
			line("   p99 latency, HTTP vs direct", num(p.Value, "ms"), num(p.Baseline, "ms"), fmt.Sprintf("%.2fx", p.Ratio()), p.Goal, status(p))
		}
	} else {
		missing("1. place bet, HTTP vs direct SQL", "not run or failed (see above)")
	}
	for _, k := range []struct{ key, figure string }{
		{"settle.first", "2. settle 100k bets (RecordResult)"},
		{"settle.correction", "   correction re-settle (reverse+settle)"},
	} {
		if r, ok := rs[k.key]; ok {
			line(k.figure, num(r.Value, "ms"), num(r.Baseline, "ms"), fmt.Sprintf("%.2fx", r.Ratio()), r.Goal, status(r))
		} else {
			missing(k.figure, "not run or failed (see above)")
		}
	}
	b50, ok50 := rs["leaderboard.bare_p50"]
	b99, ok99 := rs["leaderboard.bare_p99"]
	switch {
	case lbOK && ok50 && ok99:
		line("3. leaderboard page p50 (join+rank vs bare)", num(lbP50, "ms"), num(b50.Value, "ms"), fmt.Sprintf("%.2fx", lbP50/b50.Value), "", "")
		line("   leaderboard page p99", num(lbP99, "ms"), num(b99.Value, "ms"), fmt.Sprintf("%.2fx", lbP99/b99.Value), "", "")
	case ok50 && ok99:
		allPass = false
		line("3. leaderboard page p50 (join+rank vs bare)", "missing", num(b50.Value, "ms"), "", "", lbNote)
		line("   leaderboard page p99", "missing", num(b99.Value, "ms"), "", "", "")
	default:
		missing("3. leaderboard page (join+rank vs bare)", lbNote)
	}
	return allPass
}
