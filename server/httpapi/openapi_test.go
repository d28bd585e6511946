package httpapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

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
