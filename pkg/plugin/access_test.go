package plugin

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// matrixRoles are the callers of the matrix: no user, a user without an org
// role, and Grafana's three org roles.
var matrixRoles = []string{"", "None", RoleViewer, RoleEditor, RoleAdmin}

// matrixRoute is one resource route and the weakest role that may call it
// when minRoleExplain is Viewer; "explain" follows minRoleExplain.
type matrixRoute struct {
	pattern string // as declared in routes()
	method  string
	path    string
	body    any
	minRole string
	// spends is true for the routes that may call the model.
	spends bool
}

const explainLevel = "explain"

func matrixRoutes(explanationID string) []matrixRoute {
	return []matrixRoute{
		{pattern: "GET /health", method: "GET", path: "health", minRole: RoleAdmin},
		{pattern: "GET /settings", method: "GET", path: "settings", minRole: RoleAdmin},
		{pattern: "POST /explain", method: "POST", path: "explain?refresh=true", body: testAlert("Matrix"), minRole: explainLevel, spends: true},
		{pattern: "POST /summarize", method: "POST", path: "summarize", body: map[string]string{"logs": "2026-11-20T10:00:00Z ERROR boom"}, minRole: explainLevel, spends: true},
		{pattern: "GET /explanations", method: "GET", path: "explanations", minRole: explainLevel},
		{pattern: "GET /explanations/{id}", method: "GET", path: "explanations/" + explanationID, minRole: explainLevel},
		{pattern: "POST /explanations/{id}/feedback", method: "POST", path: "explanations/" + explanationID + "/feedback", body: map[string]any{"helpful": true}, minRole: explainLevel},
		{pattern: "POST /webhook/alertmanager", method: "POST", path: "webhook/alertmanager", body: map[string]any{"version": "4", "alerts": []any{testAlert("W")}}, minRole: RoleEditor},
		{pattern: "GET /providers", method: "GET", path: "providers", minRole: explainLevel},
		{pattern: "GET /models", method: "GET", path: "models", minRole: explainLevel},
		{pattern: "GET /usage", method: "GET", path: "usage", minRole: explainLevel},
		{pattern: "GET /watch/findings", method: "GET", path: "watch/findings", minRole: explainLevel},
	}
}

// declaredRoutes reads the patterns routes() registers, so that a route
// added without a row in the matrix fails the test.
func declaredRoutes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("app.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`a\.handle\(mux, "([A-Z]+ /[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatal("no routes found in app.go")
	}
	return out
}

// TestRoleMatrixOverEveryRoute calls every resource route as every role,
// through the SDK's CallResource with the role in PluginContext.User, for
// both values of minRoleExplain. A refused call answers 401/403 in the error
// envelope and never reaches the model; an allowed one succeeds.
func TestRoleMatrixOverEveryRoute(t *testing.T) {
	covered := map[string]bool{}
	for _, r := range matrixRoutes("ex_x") {
		covered[r.pattern] = true
	}
	for _, p := range declaredRoutes(t) {
		if !covered[p] {
			t.Errorf("route %q has no row in the access matrix", p)
		}
	}
	ctx := context.Background()
	for _, minExplain := range []string{RoleViewer, RoleEditor} {
		model := newFakeModel(t)
		h := newHarness(t, model.settings(fmt.Sprintf(`,"minRoleExplain":%q`, minExplain)), map[string]string{"openaiApiKey": "sk-test"})
		status, body, _ := h.call(ctx, RoleAdmin, "POST", "explain", testAlert("Seed"), nil)
		if status != http.StatusOK {
			t.Fatalf("seed explanation: %d %s", status, body)
		}
		seedID := decode[incident.Explanation](t, body).ID
		for _, rt := range matrixRoutes(seedID) {
			want := rt.minRole
			if want == explainLevel {
				want = minExplain
			}
			for _, role := range matrixRoles {
				before := model.requests.Load()
				status, body, _ := h.call(ctx, role, rt.method, rt.path, rt.body, nil)
				allowed := want == "" || hasRole(user(role), want)
				if allowed {
					if status >= 400 {
						t.Errorf("min %s: %s %s as %q: %d %s, want success", minExplain, rt.method, rt.path, role, status, body)
					}
					continue
				}
				wantStatus := http.StatusForbidden
				if role == "" {
					wantStatus = http.StatusUnauthorized
				}
				if status != wantStatus {
					t.Errorf("min %s: %s %s as %q: %d %s, want %d", minExplain, rt.method, rt.path, role, status, body, wantStatus)
				}
				if e := decode[envelope](t, body); e.Error.Status != status || e.Error.Message == "" || e.Error.RequestID == "" {
					t.Errorf("refusal outside the error envelope: %s", body)
				}
				if rt.spends && model.requests.Load() != before {
					t.Errorf("min %s: refused %s as %q still called the model", minExplain, rt.path, role)
				}
			}
		}
		for _, role := range matrixRoles {
			resp, err := h.app().SubscribeStream(ctx, &backend.SubscribeStreamRequest{PluginContext: withUser(h.pc, role), Path: "explain/matrix-" + strings.ToLower(orNone(role)) + "-" + strings.ToLower(minExplain)})
			if err != nil {
				t.Fatal(err)
			}
			wantOK := hasRole(user(role), minExplain)
			if (resp.Status == backend.SubscribeStreamStatusOK) != wantOK {
				t.Errorf("min %s: subscribe as %q: status %v, want allowed=%v", minExplain, role, resp.Status, wantOK)
			}
		}
	}
}

func withUser(pc backend.PluginContext, role string) backend.PluginContext {
	pc.User = user(role)
	return pc
}

// TestSettingsChangeOnlyThroughGrafana: the plugin has no route that writes
// settings, for any role; Grafana's own plugin settings API, which needs an
// org Admin, is the only way in. Reading them is Admin only and shows
// secrets as set or unset, never their values.
func TestSettingsChangeOnlyThroughGrafana(t *testing.T) {
	h := newHarness(t, `{}`, map[string]string{"openaiApiKey": "sk-planted-settings-key"})
	ctx := context.Background()
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		for _, role := range matrixRoles {
			status, body, hdr := h.call(ctx, role, method, "settings", map[string]any{"provider": "openai", "allowLinkLocalUpstreams": true}, nil)
			if status != http.StatusMethodNotAllowed || hdr.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s settings as %q: %d %s (Allow %q), want 405 allowing only GET and HEAD", method, role, status, body, hdr.Get("Allow"))
			}
		}
	}
	status, body, _ := h.call(ctx, RoleAdmin, "GET", "settings", nil, nil)
	if status != http.StatusOK || strings.Contains(string(body), "sk-planted-settings-key") || !strings.Contains(string(body), `"openaiApiKey":true`) {
		t.Errorf("admin settings view: %d %s", status, body)
	}
	if s, _ := h.app().Settings(); s.AllowLinkLocalUpstreams {
		t.Error("a resource call changed the settings")
	}
}

// TestHistoryIsSharedWithinTheOrg pins the history policy: it is the org's
// record, so anyone allowed to explain reads explanations others asked for
// and may rate them; the record keeps who asked and who rated.
func TestHistoryIsSharedWithinTheOrg(t *testing.T) {
	h := newHarness(t, `{"minRoleExplain":"Editor"}`, nil)
	ctx := context.Background()
	_, body, _ := h.call(ctx, RoleAdmin, "POST", "explain", testAlert("AdminAsked"), nil)
	id := decode[incident.Explanation](t, body).ID
	status, body, _ := h.call(ctx, RoleEditor, "GET", "explanations/"+id, nil, nil)
	if item := decode[historyItem](t, body); status != http.StatusOK || item.User != "admin-user" {
		t.Fatalf("editor reading the admin's explanation: %d %s", status, body)
	}
	_, body, _ = h.call(ctx, RoleEditor, "POST", "explanations/"+id+"/feedback", map[string]any{"helpful": false, "comment": "wrong pod"}, nil)
	if item := decode[historyItem](t, body); item.User != "admin-user" || item.Feedback == nil || item.Feedback.User != "editor-user" {
		t.Errorf("feedback on another's explanation: %s", body)
	}
	for _, path := range []string{"explanations", "explanations/" + id} {
		if status, _, _ := h.call(ctx, RoleViewer, "GET", path, nil, nil); status != http.StatusForbidden {
			t.Errorf("viewer below minRoleExplain read %s: %d", path, status)
		}
	}
	_, body, _ = h.call(ctx, RoleEditor, "GET", "explanations", nil, nil)
	page := decode[historyPage](t, body)
	users := []string{}
	for _, it := range page.Items {
		users = append(users, it.User)
	}
	if !slices.Contains(users, "admin-user") {
		t.Errorf("history list hides other users' explanations: %v", users)
	}
}
