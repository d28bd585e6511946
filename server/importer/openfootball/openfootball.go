// Package openfootball reads the fixture files published by the openfootball
// project (github.com/openfootball/worldcup.json and euro.json) into a
// domain-neutral Tournament. It only parses and validates; storing matches
// is the importer's job.
//
// Two shapes are accepted:
//
//   - worldcup.json: {"name", "matches": [...]}, each match carrying its
//     own "round";
//   - euro.json: {"name", "rounds": [{"name", "matches": [...]}]}.
//
// Within a match the fields have changed over the years, and all the
// variants below are read:
//
//   - team1/team2 as a string ("Mexico") or an object ({"name","code"});
//   - score as {"ft","ht","et","p"}, as a bare [h, a] full-time pair, or
//     as the older flat score1/score2, score1i/score2i (half time),
//     score1et/score2et and score1p/score2p fields;
//   - time as "13:00 UTC-6", "19:45 UTC±0", "20:45 CET", or a bare "19:00"
//     in the host's local time (see WithZone), or missing; the older files
//     put the offset in a separate "timezone" field;
//   - goal minutes as 90 with "offset": 6, or as the string "90+6";
//   - the venue as "ground", or "stadium" (string or {"name"}) plus "city".
package openfootball

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/fifa"
)

// Stages a match can belong to, normalised from the file's round names.
const (
	StageGroup        = "group"
	StageRoundOf32    = "round_of_32"
	StageRoundOf16    = "round_of_16"
	StageQuarterFinal = "quarter_final"
	StageSemiFinal    = "semi_final"
	StageThirdPlace   = "third_place"
	StageFinal        = "final"
)

// Tournament is the parsed file.
type Tournament struct {
	Name    string
	Matches []Match
}

// Match is one fixture, played or not.
type Match struct {
	// Key identifies the match across re-imports of updated versions of the
	// same file, so the importer can upsert instead of duplicating. Upstream
	// edits kick-off times and replaces placeholders ("W49") with teams as
	// the tournament goes on, so neither may be part of the key:
	//
	//   - "num:49" when the file numbers its matches (euro.json, and the
	//     knockout matches of worldcup.json 2026);
	//   - "group:A:ENG-USA" for an unnumbered group match: two teams meet
	//     once in a group, so the group and the pair (FIFA codes when known,
	//     sorted, so a home/away swap or a respelt name keeps the key)
	//     identify it whatever its date;
	//   - "final:1", "round_of_16:3": the match's position within its
	//     stage for unnumbered knockout matches, whose labels change from
	//     "W49" to a team. This relies on upstream keeping the order of
	//     fixtures inside a stage, which the schedule-generated files do.
	Key   string
	Round string // as written: "Matchday 1", "Round of 16", "Final"
	Stage string // one of the Stage constants
	Group string // "A", or "" outside the group stage

	// Kickoff is in UTC. When the file gives no time of day, Kickoff is the
	// start of the date (in the WithZone zone, else UTC) and TimeUnknown is
	// set: a kick-off lock then closes betting early rather than after the
	// match has started.
	Kickoff     time.Time
	TimeUnknown bool

	Home, Away TeamRef
	Venue      string
	Score      *Score // nil until full time is known
	Goals      []Goal
}

// TeamRef is one side of a match. TBD is set when the file holds a
// placeholder ("W49", "1A", "3A/B/C/D/F", "Winner Group B") instead of a
// team; Name then keeps the placeholder and Code is empty.
type TeamRef struct {
	Name string
	Code string // FIFA code from the file, else from the fifa table; "" if unknown
	TBD  bool
}

// Score holds results as [home, away]. FT is after 90 minutes, ET after
// extra time (cumulative, as upstream writes it), P the shoot-out alone.
type Score struct {
	FT [2]int
	HT *[2]int
	ET *[2]int
	P  *[2]int
}

// Side says which team a goal counts for.
type Side int

const (
	Home Side = iota
	Away
)

// Goal is one goal as listed in goals1/goals2. The file lists own goals
// under the team credited with them, so Side is the team that benefits.
type Goal struct {
	Side    Side
	Player  string
	Minute  int // 90 for "90+6"
	Offset  int // 6 for "90+6"
	Penalty bool
	OwnGoal bool
}

// Option tunes Parse.
type Option func(*options)

type options struct {
	zone *time.Location
}

// WithZone gives the zone of times written without a UTC offset. Euro
// 2020/2024 and World Cup 2022 write the host's local time ("21:00"), so
// importing them needs, for example, time.LoadLocation("Europe/Berlin") or
// "Asia/Qatar". A named location, unlike a fixed offset, applies summer
// time for the date of each match.
func WithZone(loc *time.Location) Option {
	return func(o *options) { o.zone = loc }
}

// Parse reads one openfootball file. Errors are *apperr.Error of kind
// validation whose message and single field name the offending element,
// e.g. `matches[12].date: invalid date "2018-13-01"`.
func Parse(r io.Reader, opts ...Option) (*Tournament, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("openfootball: read: %w", err)
	}
	var file struct {
		Name    string            `json:"name"`
		Matches []json.RawMessage `json:"matches"`
		Rounds  []struct {
			Name    string            `json:"name"`
			Matches []json.RawMessage `json:"matches"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, jsonError("", err)
	}
	if file.Matches == nil && file.Rounds == nil {
		return nil, invalid("", `neither "matches" nor "rounds" found; not an openfootball file`)
	}
	if file.Matches != nil && file.Rounds != nil {
		return nil, invalid("", `both "matches" and "rounds" present; expected one shape`)
	}

	t := &Tournament{Name: strings.TrimSpace(file.Name)}
	p := parser{opts: o, keys: map[string]string{}, stageCount: map[string]int{}}
	for i, raw := range file.Matches {
		m, err := p.match(fmt.Sprintf("matches[%d]", i), raw, "")
		if err != nil {
			return nil, err
		}
		t.Matches = append(t.Matches, m)
	}
	for ri, round := range file.Rounds {
		for i, raw := range round.Matches {
			m, err := p.match(fmt.Sprintf("rounds[%d].matches[%d]", ri, i), raw, round.Name)
			if err != nil {
				return nil, err
			}
			t.Matches = append(t.Matches, m)
		}
	}
	return t, nil
}

type parser struct {
	opts       options
	keys       map[string]string // key -> path of the match that took it
	stageCount map[string]int    // unnumbered knockout matches seen per stage
}

// rawMatch holds every field any shape uses. Fields whose type varies
// between years stay raw and are decoded by hand.
type rawMatch struct {
	Num      json.RawMessage `json:"num"`
	Round    string          `json:"round"`
	Date     string          `json:"date"`
	Time     string          `json:"time"`
	Timezone string          `json:"timezone"`
	Team1    json.RawMessage `json:"team1"`
	Team2    json.RawMessage `json:"team2"`
	Group    string          `json:"group"`
	Ground   json.RawMessage `json:"ground"`
	Stadium  json.RawMessage `json:"stadium"`
	City     string          `json:"city"`
	Score    json.RawMessage `json:"score"`
	Score1   *int            `json:"score1"`
	Score2   *int            `json:"score2"`
	Score1i  *int            `json:"score1i"`
	Score2i  *int            `json:"score2i"`
	Score1et *int            `json:"score1et"`
	Score2et *int            `json:"score2et"`
	Score1p  *int            `json:"score1p"`
	Score2p  *int            `json:"score2p"`
	Goals1   []rawGoal       `json:"goals1"`
	Goals2   []rawGoal       `json:"goals2"`
}

type rawGoal struct {
	Name    string          `json:"name"`
	Minute  json.RawMessage `json:"minute"`
	Offset  json.RawMessage `json:"offset"`
	Penalty bool            `json:"penalty"`
	OwnGoal bool            `json:"owngoal"`
}

func (p *parser) match(path string, raw json.RawMessage, roundName string) (Match, error) {
	var rm rawMatch
	if err := json.Unmarshal(raw, &rm); err != nil {
		return Match{}, jsonError(path, err)
	}
	m := Match{Round: strings.TrimSpace(rm.Round)}
	if m.Round == "" {
		m.Round = strings.TrimSpace(roundName)
	}
	if m.Round == "" {
		return Match{}, invalid(path+".round", "missing round")
	}

	var err error
	if m.Group, err = parseGroup(rm.Group, m.Round); err != nil {
		return Match{}, invalid(path+".group", err.Error())
	}
	if m.Stage, err = parseStage(m.Round, m.Group); err != nil {
		return Match{}, invalid(path+".round", err.Error())
	}
	if m.Home, err = parseTeam(rm.Team1); err != nil {
		return Match{}, invalid(path+".team1", err.Error())
	}
	if m.Away, err = parseTeam(rm.Team2); err != nil {
		return Match{}, invalid(path+".team2", err.Error())
	}
	if m.Kickoff, m.TimeUnknown, err = p.kickoff(path, rm); err != nil {
		return Match{}, err
	}
	if m.Venue, err = parseVenue(rm); err != nil {
		return Match{}, invalid(path+".ground", err.Error())
	}
	if m.Score, err = parseScore(path, rm); err != nil {
		return Match{}, err
	}
	for side, goals := range [][]rawGoal{rm.Goals1, rm.Goals2} {
		for i, g := range goals {
			goal, err := parseGoal(g)
			if err != nil {
				return Match{}, invalid(fmt.Sprintf("%s.goals%d[%d].minute", path, side+1, i), err.Error())
			}
			goal.Side = Side(side)
			m.Goals = append(m.Goals, goal)
		}
	}
	if m.Key, err = p.key(rm.Num, m); err != nil {
		return Match{}, invalid(path+".num", err.Error())
	}
	if prev, dup := p.keys[m.Key]; dup {
		return Match{}, invalid(path, fmt.Sprintf("same identity %q as %s", m.Key, prev))
	}
	p.keys[m.Key] = path
	return m, nil
}

func (p *parser) key(rawNum json.RawMessage, m Match) (string, error) {
	if len(rawNum) > 0 && string(rawNum) != "null" {
		n, err := intOrString(rawNum)
		if err != nil {
			return "", err
		}
		if n <= 0 {
			return "", fmt.Errorf("match number %d must be positive", n)
		}
		return "num:" + strconv.Itoa(n), nil
	}
	if m.Stage == StageGroup && !m.Home.TBD && !m.Away.TBD {
		pair := []string{teamKey(m.Home), teamKey(m.Away)}
		slices.Sort(pair)
		scope := m.Group
		if scope == "" {
			scope = m.Round
		}
		return "group:" + scope + ":" + pair[0] + "-" + pair[1], nil
	}
	p.stageCount[m.Stage]++
	return m.Stage + ":" + strconv.Itoa(p.stageCount[m.Stage]), nil
}

func teamKey(t TeamRef) string {
	if t.Code != "" {
		return t.Code
	}
	return t.Name
}

var groupRe = regexp.MustCompile(`^(?i:group\s+)?([A-Z])$`)

// parseGroup reads "Group A" (or "A") from the group field, or from a round
// named "Group A" as the Club World Cup file does.
func parseGroup(group, round string) (string, error) {
	group = strings.TrimSpace(group)
	if group == "" {
		if g := groupRe.FindStringSubmatch(round); g != nil && strings.Contains(strings.ToLower(round), "group") {
			return g[1], nil
		}
		return "", nil
	}
	g := groupRe.FindStringSubmatch(group)
	if g == nil {
		return "", fmt.Errorf("invalid group %q", group)
	}
	return g[1], nil
}

var (
	matchdayRe = regexp.MustCompile(`^(matchday|group)\b`)
	roundRe    = regexp.MustCompile(`^round of (32|16)$`)
)

func parseStage(round, group string) (string, error) {
	r := strings.ToLower(strings.Join(strings.Fields(round), " "))
	r = strings.ReplaceAll(r, "-", " ")
	switch {
	case group != "" || matchdayRe.MatchString(r):
		return StageGroup, nil
	case roundRe.MatchString(r):
		return "round_of_" + roundRe.FindStringSubmatch(r)[1], nil
	case r == "quarter finals" || r == "quarter final" || r == "quarterfinals" || r == "quarterfinal":
		return StageQuarterFinal, nil
	case r == "semi finals" || r == "semi final" || r == "semifinals" || r == "semifinal":
		return StageSemiFinal, nil
	case r == "match for third place" || r == "third place" || r == "third place play off" ||
		r == "3rd place" || r == "third place match" || r == "3rd place play off":
		return StageThirdPlace, nil
	case r == "final":
		return StageFinal, nil
	}
	return "", fmt.Errorf("unknown round %q", round)
}

// placeholderRe matches the labels upstream writes before a knockout slot
// is decided: W49/L61 (winner/loser of match n), 1A/2B (group position),
// 3A/B/C/D/F (best third of one of those groups), and spelled-out forms.
var placeholderRe = regexp.MustCompile(`(?i)^(?:[WL]\d{1,3}|[1-4][A-L]|3[A-L](?:/[A-L])+|tbd|tba|n\.?n\.?|\?+)$|(?i)\b(?:winners?|losers?|runners?-up|play-?off)\b`)

func parseTeam(raw json.RawMessage) (TeamRef, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return TeamRef{}, errors.New("missing team")
	}
	var t TeamRef
	switch raw[0] {
	case '"':
		if err := json.Unmarshal(raw, &t.Name); err != nil {
			return TeamRef{}, err
		}
	case '{':
		var obj struct {
			Name string `json:"name"`
			Code string `json:"code"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return TeamRef{}, fmt.Errorf("invalid team object: %v", err)
		}
		t.Name, t.Code = obj.Name, strings.ToUpper(strings.TrimSpace(obj.Code))
	default:
		return TeamRef{}, fmt.Errorf("team must be a string or an object, got %s", raw)
	}
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return TeamRef{}, errors.New("empty team name")
	}
	if placeholderRe.MatchString(t.Name) {
		return TeamRef{Name: t.Name, TBD: true}, nil
	}
	if t.Code == "" {
		t.Code, _ = fifa.CodeForName(t.Name)
	}
	return t, nil
}

var clockRe = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?:\s+(\S.*))?$`)

func (p *parser) kickoff(path string, rm rawMatch) (time.Time, bool, error) {
	date, err := time.Parse(time.DateOnly, strings.TrimSpace(rm.Date))
	if err != nil {
		return time.Time{}, false, invalid(path+".date", fmt.Sprintf("invalid date %q", rm.Date))
	}
	clock := strings.TrimSpace(rm.Time)
	if clock == "" {
		loc := p.opts.zone
		if loc == nil {
			loc = time.UTC
		}
		return time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, loc).UTC(), true, nil
	}
	c := clockRe.FindStringSubmatch(clock)
	if c == nil {
		return time.Time{}, false, invalid(path+".time", fmt.Sprintf("invalid time %q", rm.Time))
	}
	hour, _ := strconv.Atoi(c[1])
	minute, _ := strconv.Atoi(c[2])
	if hour > 23 || minute > 59 {
		return time.Time{}, false, invalid(path+".time", fmt.Sprintf("invalid time %q", rm.Time))
	}
	zone, zonePath := c[3], path+".time"
	if zone == "" && strings.TrimSpace(rm.Timezone) != "" {
		zone, zonePath = strings.TrimSpace(rm.Timezone), path+".timezone"
	}
	var loc *time.Location
	if zone != "" {
		offset, err := parseOffset(zone)
		if err != nil {
			return time.Time{}, false, invalid(zonePath, err.Error())
		}
		loc = time.FixedZone(zone, offset)
	} else if loc = p.opts.zone; loc == nil {
		return time.Time{}, false, invalid(path+".time",
			fmt.Sprintf("time %q has no UTC offset; the file uses local time, so give its zone with WithZone", rm.Time))
	}
	return time.Date(date.Year(), date.Month(), date.Day(), hour, minute, 0, 0, loc).UTC(), false, nil
}

var offsetRe = regexp.MustCompile(`^(?:UTC|GMT)(?:([+\-±−])(\d{1,2})(?::?(\d{2}))?)?$`)

// namedZones are the abbreviations upstream has used instead of an offset
// (the 2026 play-off file writes "20:45 CET"). Only unambiguous European
// ones are listed; anything else is rejected rather than guessed.
var namedZones = map[string]int{
	"Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
}

// parseOffset returns the offset in seconds east of UTC for "UTC+3",
// "UTC-6", "UTC+5:30", "UTC±0", "UTC" or a known abbreviation.
func parseOffset(zone string) (int, error) {
	zone = strings.ToUpper(strings.TrimSpace(zone))
	if h, ok := namedZones[zone]; ok {
		return h * 3600, nil
	}
	m := offsetRe.FindStringSubmatch(zone)
	if m == nil {
		return 0, fmt.Errorf("unknown time zone %q", zone)
	}
	if m[1] == "" {
		return 0, nil
	}
	hours, _ := strconv.Atoi(m[2])
	mins := 0
	if m[3] != "" {
		mins, _ = strconv.Atoi(m[3])
	}
	if hours > 14 || mins > 59 {
		return 0, fmt.Errorf("UTC offset out of range in %q", zone)
	}
	offset := hours*3600 + mins*60
	if m[1] == "-" || m[1] == "−" {
		offset = -offset
	}
	return offset, nil
}

func parseVenue(rm rawMatch) (string, error) {
	venue := ""
	for _, raw := range []json.RawMessage{rm.Ground, rm.Stadium} {
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		name, err := stringOrName(raw)
		if err != nil {
			return "", err
		}
		if name = strings.TrimSpace(name); name != "" {
			venue = name
			break
		}
	}
	city := strings.TrimSpace(rm.City)
	switch {
	case city == "" || strings.Contains(venue, city):
		return venue, nil
	case venue == "":
		return city, nil
	}
	return venue + ", " + city, nil
}

func stringOrName(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var obj struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", fmt.Errorf("venue must be a string or an object with a name, got %s", raw)
	}
	return obj.Name, nil
}

func parseScore(path string, rm rawMatch) (*Score, error) {
	raw := bytes.TrimSpace(rm.Score)
	if len(raw) == 0 || string(raw) == "null" {
		return flatScore(path, rm)
	}
	if raw[0] == '[' {
		ft, err := pair(raw)
		if err != nil {
			return nil, invalid(path+".score", err.Error())
		}
		return &Score{FT: *ft}, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, invalid(path+".score", fmt.Sprintf("score must be an object or a pair, got %s", raw))
	}
	parts := map[string]*[2]int{}
	for _, k := range []string{"ft", "ht", "et", "p"} {
		v, ok := obj[k]
		if !ok || string(v) == "null" {
			continue
		}
		p, err := pair(v)
		if err != nil {
			return nil, invalid(path+".score."+k, err.Error())
		}
		parts[k] = p
	}
	return buildScore(path+".score", parts["ft"], parts["ht"], parts["et"], parts["p"])
}

// flatScore reads the pre-2022 score1/score2 fields; null scores mean the
// match has not been played.
func flatScore(path string, rm rawMatch) (*Score, error) {
	get := func(name string, a, b *int) (*[2]int, error) {
		if a == nil && b == nil {
			return nil, nil
		}
		if a == nil || b == nil {
			return nil, invalid(path+"."+name, "only one side of the score is set")
		}
		if *a < 0 || *b < 0 {
			return nil, invalid(path+"."+name, "negative score")
		}
		return &[2]int{*a, *b}, nil
	}
	ft, err := get("score1", rm.Score1, rm.Score2)
	if err != nil {
		return nil, err
	}
	ht, err := get("score1i", rm.Score1i, rm.Score2i)
	if err != nil {
		return nil, err
	}
	et, err := get("score1et", rm.Score1et, rm.Score2et)
	if err != nil {
		return nil, err
	}
	pen, err := get("score1p", rm.Score1p, rm.Score2p)
	if err != nil {
		return nil, err
	}
	return buildScore(path+".score1", ft, ht, et, pen)
}

// buildScore returns nil for a match without a full-time result (not
// played, or only a half-time score while it is in progress). Extra time
// or penalties without a full-time score cannot be settled and are an
// error rather than a guess.
func buildScore(path string, ft, ht, et, pen *[2]int) (*Score, error) {
	if ft == nil {
		if et != nil || pen != nil {
			return nil, invalid(path, "extra time or penalties given without a full-time score")
		}
		return nil, nil
	}
	if et != nil && (et[0] < ft[0] || et[1] < ft[1]) {
		return nil, invalid(path, fmt.Sprintf("extra-time score %v is below full-time score %v", *et, *ft))
	}
	if pen != nil && (et == nil || et[0] != et[1]) {
		return nil, invalid(path, "penalties given without a drawn extra time")
	}
	return &Score{FT: *ft, HT: ht, ET: et, P: pen}, nil
}

func pair(raw json.RawMessage) (*[2]int, error) {
	var v []int
	if err := json.Unmarshal(raw, &v); err != nil || len(v) != 2 {
		return nil, fmt.Errorf("want a pair of goal counts like [2, 1], got %s", raw)
	}
	if v[0] < 0 || v[1] < 0 {
		return nil, fmt.Errorf("negative score %s", raw)
	}
	return &[2]int{v[0], v[1]}, nil
}

var minuteRe = regexp.MustCompile(`^(\d{1,3})(?:\+(\d{1,2}))?'?$`)

func parseGoal(g rawGoal) (Goal, error) {
	goal := Goal{Player: strings.TrimSpace(g.Name), Penalty: g.Penalty, OwnGoal: g.OwnGoal}
	raw := bytes.TrimSpace(g.Minute)
	if len(raw) == 0 || string(raw) == "null" {
		return Goal{}, errors.New("missing minute")
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return Goal{}, err
		}
	}
	m := minuteRe.FindStringSubmatch(strings.ReplaceAll(strings.TrimSpace(text), " ", ""))
	if m == nil {
		return Goal{}, fmt.Errorf("invalid minute %s", raw)
	}
	goal.Minute, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		goal.Offset, _ = strconv.Atoi(m[2])
	}
	if len(g.Offset) > 0 && string(g.Offset) != "null" {
		off, err := intOrString(g.Offset)
		if err != nil || off < 0 {
			return Goal{}, fmt.Errorf("invalid offset %s", g.Offset)
		}
		if goal.Offset != 0 && off != goal.Offset {
			return Goal{}, fmt.Errorf("minute %s disagrees with offset %d", raw, off)
		}
		goal.Offset = off
	}
	if goal.Minute < 1 || goal.Minute > 120 {
		return Goal{}, fmt.Errorf("minute %s out of range 1-120", raw)
	}
	return goal, nil
}

func intOrString(raw json.RawMessage) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("want a number, got %s", raw)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("want a number, got %s", raw)
	}
	return n, nil
}

// invalid builds the validation error Parse returns: the message carries
// the path for logs and the CLI, and Fields carries it for the HTTP layer.
func invalid(path, msg string) error {
	text := msg
	if path != "" {
		text = path + ": " + msg
	}
	field := path
	if field == "" {
		field = "file"
	}
	return &apperr.Error{
		Kind:    apperr.KindValidation,
		Code:    "invalid_openfootball",
		Message: text,
		Fields:  map[string]string{field: msg},
	}
}

// jsonError turns a decoding error into a validation error that names the
// element: json reports the offending field, we add where the match sits.
func jsonError(path string, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		field := typeErr.Field
		if path != "" {
			field = path + "." + field
		}
		return invalid(field, fmt.Sprintf("want %s, got JSON %s", typeErr.Type, typeErr.Value))
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return invalid(path, fmt.Sprintf("invalid JSON at byte %d: %v", syntaxErr.Offset, err))
	}
	return invalid(path, "invalid JSON: "+err.Error())
}
