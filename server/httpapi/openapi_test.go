package httpapi_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

// routeKey normalises Echo (":id", "*") and OpenAPI ("{id}") parameters.
var paramRe = regexp.MustCompile(`:[A-Za-z_][A-Za-z0-9_]*|\{[^}]+\}|\*`)

func routeKey(method, path string) string {
	return strings.ToUpper(method) + " " + paramRe.ReplaceAllString(path, "{}")
}

// notInSpec are registered routes that the document leaves out on purpose:
// the SPA catch-all, static flag images, and test-only routes.
func notInSpec(path string) bool {
	return path == "/*" || strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/api/v1/test/")
}

type specOp struct {
	Description string           `json:"description"`
	XRole       string           `json:"x-role"`
	Parameters  []map[string]any `json:"parameters"`
	Responses   map[string]any   `json:"responses"`
	Security    *[]any           `json:"security"`
	RequestBody map[string]any   `json:"requestBody"`
}

func fetchSpec(t *testing.T, a *testutil.TestApp) map[string]any {
	t.Helper()
	r := a.Do(t, testutil.Req{Path: "/api/openapi.json"})
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	var doc map[string]any
	r.JSON(t, &doc)
	// The document answers on company hosts too.
	if r := a.Do(t, testutil.Req{Host: "acme.localhost", Path: "/api/openapi.json"}); r.Status != http.StatusNotFound && r.Status != http.StatusOK {
		t.Errorf("openapi.json on a company host: %d", r.Status)
	}
	return doc
}

// resolve follows a local $ref ("#/components/...").
func resolve(t *testing.T, doc map[string]any, v map[string]any) map[string]any {
	t.Helper()
	ref, ok := v["$ref"].(string)
	if !ok {
		return v
	}
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("$ref %s does not resolve", ref)
		}
		cur = m[part]
	}
	m, ok := cur.(map[string]any)
	if !ok {
		t.Fatalf("$ref %s does not resolve", ref)
	}
	return m
}

// TestOpenAPIMatchesRoutes keeps the hand-written document and the route
// table in step: every registered route is documented with the role the
// table gives it, and every documented operation is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, config.SQLite)
	doc := fetchSpec(t, a)
	if doc["openapi"] != "3.0.3" {
		t.Errorf("openapi version %v", doc["openapi"])
	}

	access := map[string]string{}
	for _, rt := range a.Server.RouteTable() {
		access[routeKey(rt.Method, rt.Path)] = rt.Access
	}
	registered := map[string]string{}
	for _, r := range a.Server.Echo().Routes() {
		if r.Method == http.MethodHead || notInSpec(r.Path) {
			continue
		}
		registered[routeKey(r.Method, r.Path)] = r.Method + " " + r.Path
	}
	for k := range access {
		if _, ok := registered[k]; !ok && !notInSpec(strings.SplitN(k, " ", 2)[1]) {
			t.Errorf("RouteTable lists %s but Echo does not serve it", k)
		}
	}

	paths, _ := doc["paths"].(map[string]any)
	documented := map[string]string{}
	for path, item := range paths {
		pi := item.(map[string]any)
		var shared []any
		if p, ok := pi["parameters"].([]any); ok {
			shared = p
		}
		for _, m := range httpMethods {
			raw, ok := pi[m]
			if !ok {
				continue
			}
			b, _ := json.Marshal(raw)
			var op specOp
			if err := json.Unmarshal(b, &op); err != nil {
				t.Fatalf("%s %s: %v", m, path, err)
			}
			key := routeKey(m, path)
			name := strings.ToUpper(m) + " " + path
			documented[key] = name
			if op.XRole == "" || !strings.Contains(op.Description, "Role: "+op.XRole) {
				t.Errorf("%s: x-role %q and a description saying \"Role: %s\" are required", name, op.XRole, op.XRole)
			}
			if want, ok := access[key]; ok && op.XRole != want {
				t.Errorf("%s: the document says role %q, the route table %q", name, op.XRole, want)
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", name)
			}
			for code, resp := range op.Responses {
				resolve(t, doc, resp.(map[string]any))
				// The probes answer plain JSON for the load balancer; the API answers the one error shape.
				if code >= "400" && code < "600" && strings.HasPrefix(path, "/api/v1/") {
					r := resolve(t, doc, resp.(map[string]any))
					c, _ := r["content"].(map[string]any)
					j, _ := c["application/json"].(map[string]any)
					if sch, _ := j["schema"].(map[string]any); sch == nil || sch["$ref"] != "#/components/schemas/Error" {
						t.Errorf("%s: response %s does not use the Error schema", name, code)
					}
				}
			}
			public := op.XRole == "public" || op.XRole == "company-public"
			if public != (op.Security != nil && !hasBearer(*op.Security)) {
				t.Errorf("%s: role %s but security %v", name, op.XRole, op.Security)
			}
			// Every {param} of the path is declared.
			declared := map[string]bool{}
			for _, p := range append(shared, anySlice(op.Parameters)...) {
				pm := resolve(t, doc, p.(map[string]any))
				if pm["in"] == "path" {
					declared[pm["name"].(string)] = true
				}
			}
			for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter %q is not declared", name, m[1])
				}
			}
		}
	}

	var undocumented, unserved []string
	for k, name := range registered {
		if _, ok := documented[k]; !ok {
			undocumented = append(undocumented, name)
		}
	}
	for k, name := range documented {
		if _, ok := registered[k]; !ok {
			unserved = append(unserved, name)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unserved)
	for _, n := range undocumented {
		t.Errorf("route %s is served but not in openapi.yaml", n)
	}
	for _, n := range unserved {
		t.Errorf("openapi.yaml documents %s, which is not a registered route", n)
	}
}

func hasBearer(sec []any) bool {
	for _, s := range sec {
		if m, ok := s.(map[string]any); ok {
			if _, ok := m["bearer"]; ok {
				return true
			}
		}
	}
	return false
}

func anySlice(in []map[string]any) []any {
	out := make([]any, len(in))
	for i := range in {
		out[i] = in[i]
	}
	return out
}

// The document is usable on its own: its references resolve, it declares
// the bearer scheme and the error shape, and it states the betting rule.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, config.SQLite)
	doc := fetchSpec(t, a)
	raw, _ := json.Marshal(doc)
	for _, ref := range regexp.MustCompile(`"\$ref":"([^"]+)"`).FindAllStringSubmatch(string(raw), -1) {
		resolve(t, doc, map[string]any{"$ref": ref[1]})
	}
	comp := doc["components"].(map[string]any)
	bearer := comp["securitySchemes"].(map[string]any)["bearer"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("bearer scheme: %v", bearer)
	}
	if !hasBearer(doc["security"].([]any)) {
		t.Error("bearer is not the default security")
	}
	errSchema := comp["schemas"].(map[string]any)["Error"].(map[string]any)
	inner := errSchema["properties"].(map[string]any)["error"].(map[string]any)["properties"].(map[string]any)
	for _, f := range []string{"code", "message", "fields"} {
		if inner[f] == nil {
			t.Errorf("Error schema lacks %s", f)
		}
	}
	const rule = "bets are decided on the 90-minute result (regular time); extra time and penalties do not count"
	flat := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	if !strings.Contains(flat(doc["info"].(map[string]any)["description"].(string)), rule) {
		t.Error("the document's description does not state the betting rule")
	}
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/matches", "/api/v1/matches/{id}", "/api/v1/matches/{id}/bet", "/api/v1/operator/matches/{id}/result"} {
		for m, op := range paths[p].(map[string]any) {
			if m != "get" && m != "put" {
				continue
			}
			if d, _ := op.(map[string]any)["description"].(string); !strings.Contains(flat(d), rule) {
				t.Errorf("%s %s does not state the betting rule", strings.ToUpper(m), p)
			}
		}
	}
	// Uploads take the raw image.
	for _, p := range []string{"/api/v1/me/avatar", "/api/v1/company/logo"} {
		body := resolve(t, doc, paths[p].(map[string]any)["put"].(map[string]any)["requestBody"].(map[string]any))
		for _, ct := range []string{"image/png", "image/jpeg", "image/webp", "image/gif"} {
			if body["content"].(map[string]any)[ct] == nil {
				t.Errorf("PUT %s does not accept %s", p, ct)
			}
		}
	}
}

// ---- response bodies against the document's schemas ----

// schemaValidator checks a decoded JSON value against an OpenAPI 3.0 schema:
// $ref, allOf, type, format (date, date-time), enum, nullable, required,
// items, and closed objects: a property the body has must be declared (by
// some allOf part) unless additionalProperties is given. It is small on
// purpose; it exists to catch drift between the presenters and the document.
type schemaValidator struct {
	doc  map[string]any
	errs []string
}

func (v *schemaValidator) errorf(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

func (v *schemaValidator) deref(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		var cur any = v.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[part]
		}
		next, ok := cur.(map[string]any)
		if !ok {
			v.errorf(ref, "unresolved $ref")
			return map[string]any{}
		}
		s = next
	}
}

// flat is a schema with its allOf parts merged: every part's constraints
// apply, so a property keeps the list of schemas it must satisfy.
type flat struct {
	types      map[string]bool
	nullable   bool
	enums      [][]any
	format     string
	required   []string
	props      map[string][]map[string]any
	items      []map[string]any
	additional []any // additionalProperties values seen
	object     bool
}

func (v *schemaValidator) flatten(s map[string]any, f *flat) {
	s = v.deref(s)
	if t, ok := s["type"].(string); ok {
		f.types[t] = true
	}
	if s["nullable"] == true {
		f.nullable = true
	}
	if e, ok := s["enum"].([]any); ok {
		f.enums = append(f.enums, e)
	}
	if fm, ok := s["format"].(string); ok {
		f.format = fm
	}
	for _, r := range anyList(s["required"]) {
		f.required = append(f.required, r.(string))
	}
	if ps, ok := s["properties"].(map[string]any); ok {
		f.object = true
		for name, p := range ps {
			f.props[name] = append(f.props[name], p.(map[string]any))
		}
	}
	if it, ok := s["items"].(map[string]any); ok {
		f.items = append(f.items, it)
	}
	if ap, ok := s["additionalProperties"]; ok {
		f.additional = append(f.additional, ap)
	}
	for _, part := range anyList(s["allOf"]) {
		v.flatten(part.(map[string]any), f)
	}
}

func anyList(v any) []any { l, _ := v.([]any); return l }

func (v *schemaValidator) validate(s map[string]any, val any, path string) {
	f := &flat{types: map[string]bool{}, props: map[string][]map[string]any{}}
	v.flatten(s, f)
	if val == nil {
		if !f.nullable && (len(f.types) > 0 || f.object) {
			v.errorf(path, "null, but the schema is not nullable")
		}
		return
	}
	for _, e := range f.enums {
		found := false
		for _, x := range e {
			found = found || fmt.Sprint(x) == fmt.Sprint(val)
		}
		if !found {
			v.errorf(path, "%v is not one of %v", val, e)
		}
	}
	for t := range f.types {
		ok := false
		switch t {
		case "object":
			_, ok = val.(map[string]any)
		case "array":
			_, ok = val.([]any)
		case "string":
			var str string
			if str, ok = val.(string); ok {
				switch f.format {
				case "date-time":
					if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
						v.errorf(path, "%q is not a date-time", str)
					}
				case "date":
					if _, err := time.Parse(time.DateOnly, str); err != nil {
						v.errorf(path, "%q is not a date", str)
					}
				}
			}
		case "integer":
			n, isNum := val.(float64)
			ok = isNum && n == math.Trunc(n)
		case "number":
			_, ok = val.(float64)
		case "boolean":
			_, ok = val.(bool)
		}
		if !ok {
			v.errorf(path, "%s expected, got %T %v", t, val, val)
			return
		}
	}
	if arr, ok := val.([]any); ok {
		for i, el := range arr {
			for _, it := range f.items {
				v.validate(it, el, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	obj, ok := val.(map[string]any)
	if !ok {
		return
	}
	for _, r := range f.required {
		if _, ok := obj[r]; !ok {
			v.errorf(path, "required property %q is missing", r)
		}
	}
	for name, pv := range obj {
		schemas, declared := f.props[name]
		if !declared {
			if len(f.additional) == 0 && f.object {
				v.errorf(path, "property %q is not in the document", name)
			}
			for _, ap := range f.additional {
				if m, ok := ap.(map[string]any); ok {
					v.validate(m, pv, path+"."+name)
				} else if ap == false {
					v.errorf(path, "property %q is not allowed", name)
				}
			}
			continue
		}
		for _, ps := range schemas {
			v.validate(ps, pv, path+"."+name)
		}
	}
}

// responseSchema finds the JSON schema the document gives for an answer.
func responseSchema(t *testing.T, doc map[string]any, method, path string, status int) map[string]any {
	t.Helper()
	v := &schemaValidator{doc: doc}
	item, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not in the document", method, path)
	}
	resp, _ := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if resp == nil {
		t.Fatalf("%s %s: status %d is not documented", method, path, status)
	}
	resp = v.deref(resp)
	sch, _ := resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	if sch == nil {
		t.Fatalf("%s %s %d: no application/json schema", method, path, status)
	}
	return sch
}

// TestOpenAPIResponsesMatchSchemas calls representative endpoints on a
// seeded app and checks each JSON body against the schema the document
// gives for it, so a presenter change that the document misses fails here.
func TestOpenAPIResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, config.SQLite)
	doc := fetchSpec(t, a)
	acme := a.SeedCompany(t, "acme")
	op := a.OperatorToken(t)
	do := func(r testutil.Req) *testutil.Resp {
		t.Helper()
		resp := a.Do(t, r)
		if resp.Status >= 300 {
			t.Fatalf("%s %s: %d %s", r.Method, r.Path, resp.Status, resp.Body)
		}
		return resp
	}
	opReq := func(method, path string, body any) map[string]any {
		t.Helper()
		return do(testutil.Req{Method: method, Path: path, Token: op, Body: body}).Map(t)
	}

	// A tournament with a settled match (a bet, extra time and penalties),
	// a match whose away side is not known and without odds, and a team.
	tour := opReq("POST", "/api/v1/operator/tournaments", map[string]any{"name": "Cup", "stages": []string{"group", "final"}})
	tid := int64(tour["id"].(float64))
	fra := opReq("POST", "/api/v1/operator/teams", map[string]any{"name": "France", "code": "FRA", "flag": "fr.svg"})
	bra := opReq("POST", "/api/v1/operator/teams", map[string]any{"name": "Brazil", "code": "BRA"})
	kickoff := a.Clock.Now().Add(time.Hour).Truncate(time.Second)
	m1 := opReq("POST", fmt.Sprintf("/api/v1/operator/tournaments/%d/matches", tid), map[string]any{
		"kickoff": kickoff, "home_team_id": fra["id"], "away_team_id": bra["id"], "stage": "final", "venue": "Lusail",
		"external_key": "cup-final"})
	mid := int64(m1["id"].(float64))
	opReq("POST", fmt.Sprintf("/api/v1/operator/tournaments/%d/matches", tid), map[string]any{
		"kickoff": kickoff.Add(48 * time.Hour), "home_team_id": fra["id"], "away_label": "Winner B", "group": "A"})
	opReq("POST", fmt.Sprintf("/api/v1/operator/tournaments/%d/enrollments", tid), map[string]any{"company_id": acme.ID})
	opReq("PUT", fmt.Sprintf("/api/v1/operator/matches/%d/odds", mid), map[string]any{"home": 2.35, "draw": 3.1, "away": 2.9})
	// Two bettors in one team (a fractional average) and a team without
	// bettors (no rank, no score).
	team := do(testutil.Req{Method: "POST", Host: acme.Host, Path: "/api/v1/admin/teams", Token: acme.AdminTok, Body: map[string]any{"name": "Sales"}}).Map(t)
	do(testutil.Req{Method: "POST", Host: acme.Host, Path: "/api/v1/admin/teams", Token: acme.AdminTok, Body: map[string]any{"name": "Idle"}})
	for _, id := range []int64{acme.EmpID, acme.HRID} {
		do(testutil.Req{Method: "PATCH", Host: acme.Host, Path: fmt.Sprintf("/api/v1/admin/members/%d", id), Token: acme.AdminTok,
			Body: map[string]any{"team_id": team["id"]}})
	}

	type call struct {
		method, host, path, specPath, token string
		body                                any
		status                              int
	}
	check := func(c call) *testutil.Resp {
		t.Helper()
		if c.method == "" {
			c.method = http.MethodGet
		}
		if c.status == 0 {
			c.status = http.StatusOK
		}
		if c.specPath == "" {
			c.specPath, _, _ = strings.Cut(c.path, "?")
		}
		r := a.Do(t, testutil.Req{Method: c.method, Host: c.host, Path: c.path, Token: c.token, Body: c.body,
			Header: map[string]string{"Idempotency-Key": "schema-test"}})
		if r.Status != c.status {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
			return r
		}
		var body any
		r.JSON(t, &body)
		v := &schemaValidator{doc: doc}
		v.validate(responseSchema(t, doc, c.method, c.specPath, c.status), body, c.method+" "+c.path)
		for _, e := range v.errs {
			t.Error(e)
		}
		return r
	}
	matchPath := fmt.Sprintf("/api/v1/matches/%d", mid)
	// Before kickoff: an open match, the bet itself.
	check(call{method: "PUT", host: acme.Host, path: matchPath + "/bet", specPath: "/api/v1/matches/{id}/bet", token: acme.EmpTok,
		body: map[string]any{"pick": "home", "stake": 100, "score": map[string]int{"home": 2, "away": 1}}})
	// Three bettors rank the company; the scores average to fractions.
	for _, tok := range []string{acme.HRTok, acme.AdminTok} {
		check(call{method: "PUT", host: acme.Host, path: matchPath + "/bet", specPath: "/api/v1/matches/{id}/bet", token: tok,
			body: map[string]any{"pick": "draw", "stake": 50}})
	}
	check(call{host: acme.Host, path: matchPath, specPath: "/api/v1/matches/{id}", token: acme.EmpTok})
	inv := check(call{method: "POST", host: acme.Host, path: "/api/v1/admin/invites", token: acme.AdminTok,
		body: map[string]any{"max_uses": 3}, status: http.StatusCreated}).Map(t)
	check(call{host: acme.Host, path: "/api/v1/invites/" + inv["token"].(string), specPath: "/api/v1/invites/{token}"})
	check(call{method: "POST", path: "/api/v1/operator/import/openfootball?tz=Europe/Berlin", token: op, body: bareTimeFile})
	check(call{host: acme.Host, path: "/api/v1/participation/missing?hours=720", token: acme.HRTok})

	// After the final: settled, with extra time and penalties.
	a.Clock.Set(kickoff.Add(3 * time.Hour))
	op = a.OperatorToken(t)
	acme.EmpTok, _ = a.Login(t, "acme", acme.Employee, testutil.Password)
	acme.AdminTok, _ = a.Login(t, "acme", acme.Admin, testutil.Password)
	acme.HRTok, _ = a.Login(t, "acme", acme.HR, testutil.Password)
	check(call{method: "PUT", path: fmt.Sprintf("/api/v1/operator/matches/%d/result", mid), specPath: "/api/v1/operator/matches/{id}/result",
		token: op, body: map[string]any{"ft": map[string]int{"home": 2, "away": 1}, "et": map[string]int{"home": 2, "away": 1},
			"p": map[string]int{"home": 4, "away": 3}}})

	for _, c := range []call{
		{path: "/api/v1/company"},
		{host: acme.Host, path: "/api/v1/company"},
		{host: acme.Host, path: "/api/v1/me", token: acme.EmpTok},
		{path: "/api/v1/me", token: op},
		{host: acme.Host, path: "/api/v1/teams", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/tournaments", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/matches", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/matches?tournament_id=" + fmt.Sprint(tid), specPath: "/api/v1/matches", token: acme.HRTok},
		{host: acme.Host, path: matchPath, specPath: "/api/v1/matches/{id}", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/me/wallet", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/me/bets", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/leaderboards/individual", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/leaderboards/teams", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/leaderboards/teams", token: acme.AdminTok},
		{host: acme.Host, path: "/api/v1/leaderboards/companies", token: acme.EmpTok},
		{host: acme.Host, path: "/api/v1/participation/activity?days=3", specPath: "/api/v1/participation/activity", token: acme.HRTok},
		{host: acme.Host, path: "/api/v1/admin/company", token: acme.AdminTok},
		{host: acme.Host, path: "/api/v1/admin/invites", token: acme.AdminTok},
		{host: acme.Host, path: "/api/v1/admin/members", token: acme.HRTok},
		{path: "/api/v1/operator/companies", token: op},
		{path: "/api/v1/operator/tournaments", token: op},
		{path: fmt.Sprintf("/api/v1/operator/tournaments/%d/matches", tid), specPath: "/api/v1/operator/tournaments/{id}/matches", token: op},
		{path: fmt.Sprintf("/api/v1/operator/tournaments/%d/enrollments", tid), specPath: "/api/v1/operator/tournaments/{id}/enrollments", token: op},
		{path: "/api/v1/operator/teams", token: op},
		// Errors answer the one error shape.
		{host: acme.Host, path: "/api/v1/matches/999999", specPath: "/api/v1/matches/{id}", token: acme.EmpTok, status: http.StatusNotFound},
		{host: acme.Host, path: "/api/v1/matches?day=tomorrow", specPath: "/api/v1/matches", token: acme.EmpTok, status: http.StatusUnprocessableEntity},
	} {
		check(c)
	}
	check(call{method: "POST", path: fmt.Sprintf("/api/v1/operator/matches/%d/cancel", mid), specPath: "/api/v1/operator/matches/{id}/cancel", token: op})
}

// The validator itself: it must reject what the document does not allow.
func TestOpenAPISchemaValidator(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"Row": map[string]any{"type": "object", "required": []any{"rank", "name"}, "properties": map[string]any{
			"rank": map[string]any{"type": "integer", "nullable": true},
			"name": map[string]any{"type": "string"},
			"at":   map[string]any{"type": "string", "format": "date-time"},
		}},
	}}}
	schema := map[string]any{"allOf": []any{
		map[string]any{"$ref": "#/components/schemas/Row"},
		map[string]any{"type": "object", "properties": map[string]any{"kind": map[string]any{"type": "string", "enum": []any{"a", "b"}}}},
	}}
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`{"rank":1,"name":"x"}`, true},
		{`{"rank":null,"name":"x","kind":"a","at":"2026-06-11T18:00:00Z"}`, true},
		{`{"rank":1.5,"name":"x"}`, false},
		{`{"name":"x"}`, false},
		{`{"rank":1,"name":null}`, false},
		{`{"rank":1,"name":"x","extra":true}`, false},
		{`{"rank":1,"name":"x","kind":"c"}`, false},
		{`{"rank":1,"name":"x","at":"yesterday"}`, false},
	} {
		var body any
		if err := json.Unmarshal([]byte(tc.body), &body); err != nil {
			t.Fatal(err)
		}
		v := &schemaValidator{doc: doc}
		v.validate(schema, body, "$")
		if (len(v.errs) == 0) != tc.ok {
			t.Errorf("%s: ok=%v, errors %v", tc.body, tc.ok, v.errs)
		}
	}
}
