package openfootball_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin must resolve on machines without zoneinfo

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/importer/openfootball"
)

func parseFile(t *testing.T, name string, opts ...openfootball.Option) *openfootball.Tournament {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tour, err := openfootball.Parse(f, opts...)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return tour
}

func berlin(t *testing.T) openfootball.Option {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return openfootball.WithZone(loc)
}

func utc(s string) time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return tm
}

func p(h, a int) *[2]int { return &[2]int{h, a} }

func TestParseWorldCup2018Shape(t *testing.T) {
	tour := parseFile(t, "worldcup2018.json")
	if tour.Name != "World Cup Fixture 2018-style" || len(tour.Matches) != 8 {
		t.Fatalf("got %q with %d matches", tour.Name, len(tour.Matches))
	}
	want := openfootball.Match{
		Key: "group:A:KSA-RUS", Round: "Matchday 1", Stage: "group", Group: "A",
		Kickoff: utc("2018-06-14T15:00:00Z"),
		Home:    openfootball.TeamRef{Name: "Russia", Code: "RUS"},
		Away:    openfootball.TeamRef{Name: "Saudi Arabia", Code: "KSA"},
		Venue:   "Luzhniki Stadium, Moscow",
		Score:   &openfootball.Score{FT: [2]int{2, 0}, HT: p(1, 0)},
		Goals: []openfootball.Goal{
			{Side: openfootball.Home, Player: "Gazinsky", Minute: 12},
			{Side: openfootball.Home, Player: "Golovin", Minute: 90, Offset: 4},
		},
	}
	if got := tour.Matches[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("match 0:\n got %+v\nwant %+v", got, want)
	}

	iran := tour.Matches[1]
	if iran.Home.Code != "IRN" || iran.Away.Code != "ESP" || iran.Group != "B" {
		t.Errorf("match 1 teams: %+v %+v group %q", iran.Home, iran.Away, iran.Group)
	}

	unplayed := tour.Matches[2]
	if unplayed.Score != nil || unplayed.Home.Code != "KOR" || unplayed.Key != "group:F:GER-KOR" {
		t.Errorf("unplayed group match: %+v", unplayed)
	}

	shootout := tour.Matches[3]
	wantScore := &openfootball.Score{FT: [2]int{1, 1}, HT: p(1, 1), ET: p(1, 1), P: p(3, 4)}
	if shootout.Stage != "round_of_16" || shootout.Key != "round_of_16:1" || !reflect.DeepEqual(shootout.Score, wantScore) {
		t.Errorf("shoot-out: %+v score %+v", shootout, shootout.Score)
	}
	if g := shootout.Goals; len(g) != 2 || !g[0].OwnGoal || g[0].Side != openfootball.Home || !g[1].Penalty || g[1].Side != openfootball.Away {
		t.Errorf("shoot-out goals: %+v", g)
	}

	tbd := tour.Matches[4]
	if !tbd.Home.TBD || !tbd.Away.TBD || tbd.Home.Name != "1E" || tbd.Home.Code != "" || tbd.Kickoff != utc("2018-07-02T14:00:00Z") {
		t.Errorf("placeholder match: %+v", tbd)
	}

	third := tour.Matches[6]
	if third.Stage != "third_place" || !third.TimeUnknown || third.Kickoff != utc("2018-07-14T00:00:00Z") {
		t.Errorf("third place without time: %+v", third)
	}
	final := tour.Matches[7]
	if final.Stage != "final" || final.Score != nil || final.Key != "final:1" || final.TimeUnknown {
		t.Errorf("final with empty score: %+v", final)
	}
}

func TestParseWorldCup2026Shape(t *testing.T) {
	tour := parseFile(t, "worldcup2026.json")
	keys := []string{}
	for _, m := range tour.Matches {
		keys = append(keys, m.Key)
	}
	wantKeys := []string{"group:A:MEX-RSA", "group:E:CIV-TUR", "group:D:CUW-USA", "num:74", "num:89", "num:101", "num:104"}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("keys = %v, want %v", keys, wantKeys)
	}

	opener := tour.Matches[0]
	if opener.Kickoff != utc("2026-06-11T19:00:00Z") {
		t.Errorf("13:00 UTC-6 gave %v", opener.Kickoff)
	}
	if g := opener.Goals[1]; g.Minute != 90 || g.Offset != 6 || g.Player != "Raúl Jiménez" {
		t.Errorf(`goal "90+6" = %+v`, g)
	}

	r32 := tour.Matches[3]
	if r32.Stage != "round_of_32" || r32.Home.TBD != true || r32.Away.Name != "3A/B/C/D/F" || !r32.Away.TBD {
		t.Errorf("round of 32 placeholders: %+v", r32)
	}
	if !reflect.DeepEqual(r32.Score, &openfootball.Score{FT: [2]int{1, 1}, HT: p(0, 0), ET: p(2, 1)}) {
		t.Errorf("extra time without penalties: %+v", r32.Score)
	}
	if g := r32.Goals[1]; g.Minute != 120 || g.Offset != 1 {
		t.Errorf(`goal "120+1" = %+v`, g)
	}
	if r32.Kickoff != utc("2026-06-29T20:30:00Z") {
		t.Errorf("16:30 UTC-4 gave %v", r32.Kickoff)
	}

	semi := tour.Matches[5]
	if semi.Stage != "semi_final" || semi.Score.P == nil || *semi.Score.P != [2]int{5, 4} {
		t.Errorf("semi-final: %+v", semi)
	}
}

func TestParseEuroShape(t *testing.T) {
	tour := parseFile(t, "euro.json", berlin(t))
	if len(tour.Matches) != 6 {
		t.Fatalf("%d matches", len(tour.Matches))
	}
	first := tour.Matches[0]
	if first.Key != "num:1" || first.Round != "Matchday 1" || first.Group != "A" ||
		first.Home != (openfootball.TeamRef{Name: "Germany", Code: "GER"}) ||
		first.Away != (openfootball.TeamRef{Name: "Scotland", Code: "SCO"}) ||
		first.Venue != "Football Arena Munich" {
		t.Errorf("euro opener: %+v", first)
	}
	// 21:00 in Berlin in June is CEST, UTC+2.
	if first.Kickoff != utc("2024-06-14T19:00:00Z") {
		t.Errorf("21:00 Europe/Berlin gave %v", first.Kickoff)
	}
	if tour.Matches[1].Venue != "Cologne Stadium" || tour.Matches[1].Score != nil {
		t.Errorf("stadium as string, unplayed: %+v", tour.Matches[1])
	}
	r16 := tour.Matches[2]
	if r16.Stage != "round_of_16" || !r16.Home.TBD || !r16.Away.TBD || r16.Key != "num:37" {
		t.Errorf("euro placeholders: %+v", r16)
	}
	qf := tour.Matches[3]
	if qf.Stage != "quarter_final" || !reflect.DeepEqual(qf.Score, &openfootball.Score{FT: [2]int{0, 0}, HT: p(0, 0), ET: p(0, 0), P: p(3, 5)}) {
		t.Errorf("quarter-final: %+v %+v", qf, qf.Score)
	}
	if last := tour.Matches[5]; last.Stage != "final" || last.Key != "num:51" {
		t.Errorf("final: %+v", last)
	}
}

func TestParseLegacyFlatScores(t *testing.T) {
	tour := parseFile(t, "worldcup-legacy.json")
	first := tour.Matches[0]
	if first.Kickoff != utc("2018-06-14T15:00:00Z") || first.Venue != "Luzhniki Stadium, Moscow" ||
		!reflect.DeepEqual(first.Score, &openfootball.Score{FT: [2]int{5, 0}, HT: p(2, 0)}) {
		t.Errorf("legacy opener: %+v score %+v", first, first.Score)
	}
	if m := tour.Matches[1]; m.Score != nil || m.Kickoff != utc("2018-06-15T12:00:00Z") {
		t.Errorf("legacy null score / UTC+5 timezone field: %+v", m)
	}
	want := &openfootball.Score{FT: [2]int{1, 1}, HT: p(1, 1), ET: p(1, 1), P: p(3, 4)}
	if m := tour.Matches[2]; !reflect.DeepEqual(m.Score, want) || m.Stage != "round_of_16" {
		t.Errorf("legacy shoot-out: %+v", m.Score)
	}
}

// TestFixtureTeamsResolve checks that every real team in the fixtures gets
// a FIFA code, including the spellings that differ between sources.
func TestFixtureTeamsResolve(t *testing.T) {
	for _, name := range []string{"worldcup2018.json", "worldcup2026.json", "euro.json", "worldcup-legacy.json"} {
		tour := parseFile(t, name, berlin(t))
		for _, m := range tour.Matches {
			for _, team := range []openfootball.TeamRef{m.Home, m.Away} {
				if !team.TBD && len(team.Code) != 3 {
					t.Errorf("%s %s: team %q has no FIFA code", name, m.Key, team.Name)
				}
			}
		}
	}
}

// match wraps one match object into a worldcup.json-shaped file.
func match(fields map[string]any) string {
	m := map[string]any{
		"round": "Matchday 1", "date": "2026-06-11", "time": "13:00 UTC-6",
		"team1": "Mexico", "team2": "South Africa", "group": "Group A",
	}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	data, err := json.Marshal(map[string]any{"name": "T", "matches": []any{m}})
	if err != nil {
		panic(err)
	}
	return string(data)
}

func parseOne(t *testing.T, fields map[string]any, opts ...openfootball.Option) (openfootball.Match, error) {
	t.Helper()
	tour, err := openfootball.Parse(strings.NewReader(match(fields)), opts...)
	if err != nil {
		return openfootball.Match{}, err
	}
	return tour.Matches[0], nil
}

func TestKickoffTimeZones(t *testing.T) {
	cases := []struct {
		date, time string
		opts       []openfootball.Option
		want       string
	}{
		{"2026-06-11", "13:00 UTC-6", nil, "2026-06-11T19:00:00Z"},
		{"2018-06-14", "18:00 UTC+3", nil, "2018-06-14T15:00:00Z"},
		{"2026-06-20", "22:00 UTC-6", nil, "2026-06-21T04:00:00Z"}, // crosses midnight
		{"2026-03-26", "19:45 UTC±0", nil, "2026-03-26T19:45:00Z"},
		{"2026-03-26", "20:45 CET", nil, "2026-03-26T19:45:00Z"},
		{"2026-03-26", "12:00 UTC", nil, "2026-03-26T12:00:00Z"},
		{"2026-03-26", "12:00 UTC+5:30", nil, "2026-03-26T06:30:00Z"},
		{"2024-06-14", "21:00", []openfootball.Option{berlin(t)}, "2024-06-14T19:00:00Z"}, // CEST
		{"2024-01-14", "21:00", []openfootball.Option{berlin(t)}, "2024-01-14T20:00:00Z"}, // CET
		{"2022-11-20", "19:00", []openfootball.Option{openfootball.WithZone(time.FixedZone("AST", 3*3600))}, "2022-11-20T16:00:00Z"},
	}
	for _, c := range cases {
		m, err := parseOne(t, map[string]any{"date": c.date, "time": c.time}, c.opts...)
		if err != nil {
			t.Errorf("%s %s: %v", c.date, c.time, err)
			continue
		}
		if want := utc(c.want); m.Kickoff != want || m.Kickoff.Location() != time.UTC || m.TimeUnknown {
			t.Errorf("%s %s: kickoff %v (%v), want %v", c.date, c.time, m.Kickoff, m.Kickoff.Location(), want)
		}
	}
}

func TestMissingTimeIsStartOfDay(t *testing.T) {
	m, err := parseOne(t, map[string]any{"time": nil})
	if err != nil {
		t.Fatal(err)
	}
	if !m.TimeUnknown || m.Kickoff != utc("2026-06-11T00:00:00Z") {
		t.Errorf("no time: %v unknown=%v", m.Kickoff, m.TimeUnknown)
	}
	m, err = parseOne(t, map[string]any{"time": nil, "date": "2024-06-14"}, berlin(t))
	if err != nil {
		t.Fatal(err)
	}
	if !m.TimeUnknown || m.Kickoff != utc("2024-06-13T22:00:00Z") {
		t.Errorf("no time with zone: %v", m.Kickoff)
	}
}

func TestGoalMinutes(t *testing.T) {
	cases := []struct {
		goal           map[string]any
		minute, offset int
	}{
		{map[string]any{"name": "A", "minute": 9}, 9, 0},
		{map[string]any{"name": "A", "minute": "67"}, 67, 0},
		{map[string]any{"name": "A", "minute": "90+6"}, 90, 6},
		{map[string]any{"name": "A", "minute": "45+1"}, 45, 1},
		{map[string]any{"name": "A", "minute": 90, "offset": 4}, 90, 4},
		{map[string]any{"name": "A", "minute": "90+4", "offset": 4}, 90, 4},
		{map[string]any{"name": "A", "minute": "118'"}, 118, 0},
	}
	for _, c := range cases {
		m, err := parseOne(t, map[string]any{"score": map[string]any{"ft": []int{1, 0}}, "goals1": []any{c.goal}})
		if err != nil {
			t.Errorf("%v: %v", c.goal, err)
			continue
		}
		if g := m.Goals[0]; g.Minute != c.minute || g.Offset != c.offset {
			t.Errorf("%v: got %d+%d, want %d+%d", c.goal, g.Minute, g.Offset, c.minute, c.offset)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	cases := []struct {
		label string
		tbd   bool
	}{
		{"W49", true}, {"L61", true}, {"W101", true}, {"1A", true}, {"2B", true}, {"4L", true},
		{"3A/B/C/D/F", true}, {"3C/E/F/H/I", true}, {"Winner Group B", true}, {"Runner-up Group A", true},
		{"Winner Match 49", true}, {"UEFA Path A winner", true}, {"TBD", true},
		{"Wales", false}, {"Mexico", false}, {"USA", false}, {"Ivory Coast", false}, {"Lebanon", false},
	}
	for _, c := range cases {
		m, err := parseOne(t, map[string]any{"round": "Round of 16", "group": nil, "team1": c.label})
		if err != nil {
			t.Errorf("%q: %v", c.label, err)
			continue
		}
		if m.Home.TBD != c.tbd || m.Home.Name != c.label {
			t.Errorf("%q: TBD=%v name %q, want TBD=%v", c.label, m.Home.TBD, m.Home.Name, c.tbd)
		}
		if c.tbd && m.Home.Code != "" {
			t.Errorf("%q: placeholder got code %q", c.label, m.Home.Code)
		}
	}
}

func TestStages(t *testing.T) {
	cases := map[string]string{
		"Round of 32": "round_of_32", "Round of 16": "round_of_16",
		"Quarter-finals": "quarter_final", "Quarter-final": "quarter_final",
		"Semi-finals": "semi_final", "Semi-final": "semi_final",
		"Match for third place": "third_place", "Third place play-off": "third_place", "Final": "final",
	}
	for round, want := range cases {
		m, err := parseOne(t, map[string]any{"round": round, "group": nil})
		if err != nil {
			t.Errorf("%q: %v", round, err)
			continue
		}
		if m.Stage != want || m.Group != "" {
			t.Errorf("%q: stage %q group %q, want %q", round, m.Stage, m.Group, want)
		}
	}
	m, err := parseOne(t, map[string]any{"round": "Group C", "group": nil})
	if err != nil || m.Stage != "group" || m.Group != "C" {
		t.Errorf(`round "Group C": %+v %v`, m, err)
	}
}

// TestKeysSurviveUpstreamEdits re-parses a fixture after the edits upstream
// makes during a tournament: kick-offs move and placeholders become teams.
// The keys must not change, or a re-import would duplicate matches.
func TestKeysSurviveUpstreamEdits(t *testing.T) {
	for _, name := range []string{"worldcup2018.json", "worldcup2026.json"} {
		before := parseFile(t, name)
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		edited := string(data)
		for old, repl := range map[string]string{
			`"18:00 UTC+3"`: `"20:00 UTC+3"`, `"17:00 UTC+4"`: `"16:00 UTC+4"`, `"17:00 UTC-4"`: `"18:00 UTC-4"`,
			`"W49"`: `"France"`, `"W50"`: `"Uruguay"`, `"1E"`: `"Brazil"`, `"2F"`: `"Mexico"`,
			`"W74"`: `"Germany"`, `"W101"`: `"Spain"`, `"3A/B/C/D/F"`: `"USA"`,
			`"date": "2018-07-14"`: `"date": "2018-07-13"`,
		} {
			edited = strings.ReplaceAll(edited, old, repl)
		}
		after, err := openfootball.Parse(strings.NewReader(edited))
		if err != nil {
			t.Fatalf("%s edited: %v", name, err)
		}
		changed := 0
		for i := range before.Matches {
			b, a := before.Matches[i], after.Matches[i]
			if b.Key != a.Key {
				t.Errorf("%s match %d: key %q became %q", name, i, b.Key, a.Key)
			}
			if !b.Kickoff.Equal(a.Kickoff) || b.Home != a.Home {
				changed++
			}
		}
		if changed == 0 {
			t.Fatalf("%s: the edits changed nothing; the test is not testing", name)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		path   string
		inText string
	}{
		{"bad date", match(map[string]any{"date": "2018-13-01"}), "matches[0].date", `invalid date "2018-13-01"`},
		{"bad time", match(map[string]any{"time": "25:00 UTC+1"}), "matches[0].time", `invalid time "25:00 UTC+1"`},
		{"unknown zone", match(map[string]any{"time": "18:00 PST"}), "matches[0].time", `unknown time zone "PST"`},
		{"local time without zone", match(map[string]any{"time": "21:00"}), "matches[0].time", "WithZone"},
		{"unknown round", match(map[string]any{"round": "Play-off", "group": nil}), "matches[0].round", `unknown round "Play-off"`},
		{"bad group", match(map[string]any{"group": "Group 7"}), "matches[0].group", `invalid group "Group 7"`},
		{"missing team", match(map[string]any{"team2": nil}), "matches[0].team2", "missing team"},
		{"team number", match(map[string]any{"team1": 7}), "matches[0].team1", "string or an object"},
		{"short score", match(map[string]any{"score": map[string]any{"ft": []int{1}}}), "matches[0].score.ft", "pair"},
		{"negative score", match(map[string]any{"score": map[string]any{"ft": []int{1, -1}}}), "matches[0].score.ft", "negative"},
		{"penalties without ft", match(map[string]any{"score": map[string]any{"et": []int{1, 1}, "p": []int{3, 2}}}), "matches[0].score", "without a full-time score"},
		{"penalties after decisive et", match(map[string]any{"score": map[string]any{"ft": []int{1, 1}, "et": []int{2, 1}, "p": []int{3, 2}}}), "matches[0].score", "penalties"},
		{"half a legacy score", match(map[string]any{"score1": 1}), "matches[0].score1", "one side"},
		{"bad minute", match(map[string]any{"goals2": []any{map[string]any{"name": "X", "minute": "ninety"}}}), "matches[0].goals2[0].minute", `invalid minute "ninety"`},
		{"minute out of range", match(map[string]any{"goals1": []any{map[string]any{"name": "X", "minute": 0}}}), "matches[0].goals1[0].minute", "out of range"},
		{"num of wrong type", match(map[string]any{"num": map[string]any{}}), "matches[0].num", "number"},
		{"date of wrong type", match(map[string]any{"date": 20180614}), "matches[0].date", "want string"},
		{"not openfootball", `{"name": "x", "teams": []}`, "file", "not an openfootball file"},
		{"syntax", `{"name": "x", "matches": [`, "file", "invalid JSON"},
		{"duplicate group match", `{"name":"x","matches":[
			{"round":"Matchday 1","date":"2026-06-11","time":"13:00 UTC-6","team1":"Mexico","team2":"Qatar","group":"Group A"},
			{"round":"Matchday 2","date":"2026-06-18","time":"13:00 UTC-6","team1":"Qatar","team2":"Mexico","group":"Group A"}]}`,
			"matches[1]", `same identity "group:A:MEX-QAT" as matches[0]`},
		{"euro path", `{"name":"x","rounds":[{"name":"Final","matches":[{"num":51,"date":"2024-07-14","time":"21:00 UTC+2","team1":{"name":"W49"},"team2":{"name":"W50"},"score":{"ft":"2-1"}}]}]}`,
			"rounds[0].matches[0].score.ft", "pair"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := openfootball.Parse(strings.NewReader(c.input))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != apperr.KindValidation {
				t.Fatalf("error %v is not a validation apperr", err)
			}
			msg, ok := ae.Fields[c.path]
			if !ok {
				t.Fatalf("fields %v lack path %q (error %v)", ae.Fields, c.path, err)
			}
			if !strings.Contains(msg, c.inText) || !strings.Contains(err.Error(), c.inText) {
				t.Errorf("error %q / field %q does not mention %q", err, msg, c.inText)
			}
			if c.path != "file" && !strings.Contains(err.Error(), c.path+": ") {
				t.Errorf("error %q does not start with its path", err)
			}
		})
	}
}
