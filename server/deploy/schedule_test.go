package deploy

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func ts(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPlanMergesOverlappingAndAdjacentMatches(t *testing.T) {
	now := ts(t, "2026-11-20T09:00:00Z")
	kick := []time.Time{
		ts(t, "2026-11-21T18:00:00Z"), // overlaps the 15:00 match: [17:30, 20:30]
		ts(t, "2026-11-21T15:00:00Z"), // [14:30, 17:30]; given out of order on purpose
		ts(t, "2026-11-21T15:00:00Z"), // same match twice from two competitions
		ts(t, "2026-11-21T23:30:00Z"), // [23:00, 02:00] touches nothing
		ts(t, "2026-11-22T05:00:00Z"), // [04:30, 07:30]
		ts(t, "2026-11-22T10:00:00Z"), // [09:30, 12:30]
		ts(t, "2026-11-22T13:00:00Z"), // [12:30, 15:30] starts exactly where the last ends
	}
	got := Plan(kick, 30*time.Minute, 150*time.Minute, now, 3, 4)
	want := [][2]string{
		{"2026-11-21T14:30:00Z", "2026-11-21T20:30:00Z"},
		{"2026-11-21T23:00:00Z", "2026-11-22T02:00:00Z"},
		{"2026-11-22T04:30:00Z", "2026-11-22T07:30:00Z"},
		{"2026-11-22T09:30:00Z", "2026-11-22T15:30:00Z"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d windows %v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if !got[i].Start.Equal(ts(t, w[0])) || !got[i].End.Equal(ts(t, w[1])) {
			t.Errorf("window %d = %s..%s, want %s..%s", i, got[i].Start, got[i].End, w[0], w[1])
		}
		if got[i].MinSize != 3 || got[i].MaxSize != 4 {
			t.Errorf("window %d capacity %d..%d, want 3..4", i, got[i].MinSize, got[i].MaxSize)
		}
	}
	if n := len(got[0].Kickoffs); n != 2 {
		t.Errorf("first window covers %d distinct kickoffs, want 2", n)
	}
}

func TestPlanSkipsPastAndClampsStarted(t *testing.T) {
	now := ts(t, "2026-11-21T16:10:30Z")
	kick := []time.Time{
		ts(t, "2026-11-21T12:00:00Z"), // [11:30, 14:30] over
		ts(t, "2026-11-21T16:00:00Z"), // [15:30, 18:30] under way
		ts(t, "2026-11-21T13:40:00Z"), // [13:10, 16:10] ended 30 s ago
		ts(t, "2026-11-22T16:00:00Z"),
	}
	got := Plan(kick, 30*time.Minute, 150*time.Minute, now, 2, 4)
	if len(got) != 2 {
		t.Fatalf("got %v, want 2 windows", got)
	}
	if want := ts(t, "2026-11-21T16:11:00Z"); !got[0].Start.Equal(want) {
		t.Errorf("started window begins %s, want the next minute %s", got[0].Start, want)
	}
	if !got[0].End.Equal(ts(t, "2026-11-21T18:30:00Z")) {
		t.Errorf("started window ends %s", got[0].End)
	}
	for _, w := range got {
		if !w.Start.After(now) {
			t.Errorf("window starts at %s, not after now", w.Start)
		}
	}

	// A window closing within the current minute is not worth scaling for.
	if got := Plan([]time.Time{ts(t, "2026-11-21T16:00:30Z")}, time.Hour, 10*time.Minute+15*time.Second, now, 2, 4); len(got) != 0 {
		t.Errorf("window ending at 16:11 planned: %v", got)
	}
}

func TestPlanRoundsToWholeMinutes(t *testing.T) {
	now := ts(t, "2026-11-01T00:00:00Z")
	got := Plan([]time.Time{ts(t, "2026-11-21T15:00:00Z")}, 29*time.Minute+30*time.Second, 10*time.Second, now, 2, 3)
	if len(got) != 1 || !got[0].Start.Equal(ts(t, "2026-11-21T14:30:00Z")) || !got[0].End.Equal(ts(t, "2026-11-21T15:01:00Z")) {
		t.Errorf("got %v, want 14:30..15:01 (start rounded down, end up)", got)
	}
}

func TestScheduledActionsHaveUniqueStartTimes(t *testing.T) {
	now := ts(t, "2026-11-20T09:00:00Z")
	var kick []time.Time
	for d := 0; d < 10; d++ {
		for _, h := range []int{12, 14, 15, 18, 21} { // many overlapping matches a day
			kick = append(kick, ts(t, "2026-11-21T00:00:00Z").AddDate(0, 0, d).Add(time.Duration(h)*time.Hour))
		}
	}
	windows := Plan(kick, 30*time.Minute, 150*time.Minute, now, 3, 4)
	settings, err := ScheduledActions(windows)
	if err != nil {
		t.Fatal(err)
	}
	starts := map[string]string{}
	names := map[string]bool{}
	for _, s := range settings {
		names[s.ResourceName] = true
		if s.OptionName != "StartTime" {
			continue
		}
		if other, dup := starts[s.Value]; dup {
			t.Errorf("%s and %s both start at %s", other, s.ResourceName, s.Value)
		}
		starts[s.Value] = s.ResourceName
	}
	if len(names) != 2*len(windows) || len(starts) != len(names) {
		t.Errorf("%d actions, %d start times for %d windows", len(names), len(starts), len(windows))
	}
	// The checker agrees, on the same rule, from the .ebextensions rendering.
	var buf bytes.Buffer
	if err := WriteSchedule(&buf, windows, FormatEBExtensions); err != nil {
		t.Fatal(err)
	}
	c, probs := ParseConfig("04-scheduled.config", buf.Bytes())
	probs = append(probs, CheckSettings(c.Settings)...)
	for _, p := range probs {
		t.Errorf("generated config: %s", p)
	}
}

func TestScheduledActionsScaleUpThenBackToBaseline(t *testing.T) {
	w := Window{Start: ts(t, "2026-11-21T14:30:00Z"), End: ts(t, "2026-11-21T17:30:00Z"), MinSize: 3, MaxSize: 4}
	settings, err := ScheduledActions([]Window{w})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]string{}
	for _, s := range settings {
		if s.Namespace != "aws:autoscaling:scheduledaction" {
			t.Errorf("namespace %q", s.Namespace)
		}
		if got[s.ResourceName] == nil {
			got[s.ResourceName] = map[string]string{}
		}
		got[s.ResourceName][s.OptionName] = s.Value
	}
	want := map[string]map[string]string{
		"BetCityUp20261121T1430":   {"MinSize": "3", "MaxSize": "4", "DesiredCapacity": "3", "StartTime": "2026-11-21T14:30:00Z"},
		"BetCityDown20261121T1730": {"MinSize": "1", "MaxSize": "4", "DesiredCapacity": "1", "StartTime": "2026-11-21T17:30:00Z"},
	}
	for name, opts := range want {
		for k, v := range opts {
			if got[name][k] != v {
				t.Errorf("%s %s = %q, want %q (all: %v)", name, k, got[name][k], v, got)
			}
		}
	}
	if len(got) != 2 {
		t.Errorf("got actions %v", got)
	}
}

func TestWriteScheduleFormatsParse(t *testing.T) {
	windows := Plan([]time.Time{ts(t, "2026-11-21T15:00:00Z"), ts(t, "2026-11-28T15:00:00Z")},
		30*time.Minute, 150*time.Minute, ts(t, "2026-11-20T00:00:00Z"), 3, 4)

	var js bytes.Buffer
	if err := WriteSchedule(&js, windows, FormatJSON); err != nil {
		t.Fatal(err)
	}
	// The shape of update-environment --option-settings.
	var list []map[string]string
	if err := json.Unmarshal(js.Bytes(), &list); err != nil {
		t.Fatalf("JSON output does not parse: %v\n%s", err, js.String())
	}
	if len(list) != 16 {
		t.Errorf("%d settings, want 2 windows × 2 actions × 4 options", len(list))
	}
	for _, item := range list {
		for _, k := range []string{"Namespace", "ResourceName", "OptionName", "Value"} {
			if item[k] == "" {
				t.Errorf("setting %v lacks %s", item, k)
			}
		}
	}

	var ym bytes.Buffer
	if err := WriteSchedule(&ym, windows, FormatEBExtensions); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OptionSettings []map[string]string `yaml:"option_settings"`
	}
	if err := yaml.Unmarshal(ym.Bytes(), &doc); err != nil {
		t.Fatalf("YAML output does not parse: %v\n%s", err, ym.String())
	}
	if len(doc.OptionSettings) != 16 || doc.OptionSettings[0]["resource_name"] == "" || doc.OptionSettings[0]["option_name"] == "" {
		t.Errorf("YAML settings %v", doc.OptionSettings)
	}

	var empty bytes.Buffer
	if err := WriteSchedule(&empty, nil, FormatJSON); err != nil || strings.TrimSpace(empty.String()) != "[]" {
		t.Errorf("no windows gives %q, %v; want []", empty.String(), err)
	}
	if err := WriteSchedule(&empty, windows, "toml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestWriteScheduleRejectsInvalidWindows(t *testing.T) {
	at := ts(t, "2026-11-21T14:30:00Z")
	cases := map[string][]Window{
		"min above max":   {{Start: at, End: at.Add(time.Hour), MinSize: 4, MaxSize: 3}},
		"zero min":        {{Start: at, End: at.Add(time.Hour), MinSize: 0, MaxSize: 3}},
		"empty window":    {{Start: at, End: at, MinSize: 2, MaxSize: 3}},
		"same start time": {{Start: at, End: at.Add(time.Hour), MinSize: 2, MaxSize: 3}, {Start: at.Add(time.Hour), End: at.Add(2 * time.Hour), MinSize: 2, MaxSize: 3}},
	}
	for name, ws := range cases {
		if err := WriteSchedule(&bytes.Buffer{}, ws, FormatJSON); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	var many []Window
	for i := 0; i < MaxScheduledActions/2+1; i++ {
		s := at.Add(time.Duration(i) * 24 * time.Hour)
		many = append(many, Window{Start: s, End: s.Add(time.Hour), MinSize: 2, MaxSize: 4})
	}
	if err := WriteSchedule(&bytes.Buffer{}, many, FormatJSON); err == nil || !strings.Contains(err.Error(), "125") {
		t.Errorf("%d windows accepted or wrong error: %v", len(many), err)
	}
}
