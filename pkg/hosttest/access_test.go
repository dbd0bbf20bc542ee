package hosttest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// appRoutes reads the resource routes the app registers (pkg/plugin's
// app.go), so that a route added later is covered here without a new row.
func appRoutes(t *testing.T) [][2]string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "plugin", "app.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, m := range regexp.MustCompile(`a\.handle\(mux, "([A-Z]+) /([^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, [2]string{m[1], strings.ReplaceAll(m[2], "{id}", "ex_matrix")})
	}
	if len(out) < 10 {
		t.Fatalf("found %d routes in app.go, want the app's dozen", len(out))
	}
	return out
}

// minRoleOverGRPC is the weakest org role each route admits with the default
// settings (minRoleExplain Viewer): the health report and the settings are
// the Configuration page's, the webhook needs an Editor's token, every other
// route a Viewer.
func minRoleOverGRPC(method, path string) string {
	switch method + " " + path {
	case "GET health", "GET settings":
		return "Admin"
	case "POST webhook/alertmanager":
		return "Editor"
	}
	return "Viewer"
}

// roleLadder orders Grafana's org roles; a caller without a user is 401.
var roleLadder = []string{"", "None", "Viewer", "Editor", "Admin"}

// TestEveryRouteChecksTheCallerOverGRPC calls every resource route of the
// built binary, over gRPC as Grafana does, as each rung of roleLadder: a
// caller below the route's role is refused (401 without a user, else 403) in
// the error envelope, one at or above it is not. pkg/plugin's
// TestRoleMatrixOverEveryRoute adds the minRoleExplain setting and checks
// that a refused call never reaches the model, through the same handlers
// in-process; this shows the identity Grafana sends across the process
// boundary is the one those checks see.
func TestEveryRouteChecksTheCallerOverGRPC(t *testing.T) {
	rpc := startPlugin(t, distBinary(t, "", "gpx_aiops"), appID)
	res := dispense[grpcplugin.ResourceClient](t, rpc, "resource")
	bodies := map[string]string{
		"explain":              `{"labels":{"alertname":"Matrix","namespace":"shop"},"status":"firing"}`,
		"summarize":            `{"logs":"2026-11-20T10:00:00Z ERROR boom"}`,
		"webhook/alertmanager": `{"version":"4","alerts":[{"labels":{"alertname":"W"},"status":"firing"}]}`,
	}
	for _, route := range appRoutes(t) {
		method, path := route[0], route[1]
		allowedFrom := slices.Index(roleLadder, minRoleOverGRPC(method, path))
		for rung, role := range roleLadder {
			pc := appContext(`{}`, nil)
			if role != "" {
				pc.User = &pluginv2.User{Login: "sre", Role: role}
			}
			code, body := callResource(t, res, pc, method, path, []byte(bodies[path]))
			if rung >= allowedFrom {
				if code == 401 || code == 403 {
					t.Errorf("%s /%s as %s: refused %d %s", method, path, role, code, body)
				}
				continue
			}
			want := int32(403)
			if role == "" {
				want = 401
			}
			var env struct {
				Error struct {
					Status    int32  `json:"status"`
					RequestID string `json:"requestId"`
				} `json:"error"`
			}
			switch {
			case code != want:
				t.Errorf("%s /%s as %q: %d %s, want %d", method, path, role, code, body, want)
			case json.Unmarshal(body, &env) != nil || env.Error.Status != code || env.Error.RequestID == "":
				t.Errorf("%s /%s as %q: refusal outside the error envelope: %s", method, path, role, body)
			}
		}
	}
}
