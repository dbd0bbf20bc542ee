package hosttest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
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

// TestEveryRouteChecksTheCallerOverGRPC calls every resource route of the
// built binary, over gRPC as Grafana does, with no user, with a user who has
// no org role, and as an Admin: the first two are refused (401, 403) in the
// error envelope on every route, the Admin on none. The finer matrix
// (Viewer, Editor, the minRoleExplain setting, the model never called when
// refused) is pkg/plugin's TestRoleMatrixOverEveryRoute, through the same
// handlers in-process; this shows the identity Grafana sends across the
// process boundary is the one those checks see.
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
		for _, caller := range []struct {
			role string
			want int32 // 0: anything but a refusal
		}{{"", 401}, {"None", 403}, {"Admin", 0}} {
			pc := appContext(`{}`, nil)
			if caller.role != "" {
				pc.User = &pluginv2.User{Login: "sre", Role: caller.role}
			}
			code, body := callResource(t, res, pc, method, path, []byte(bodies[path]))
			switch {
			case caller.want == 0 && (code == 401 || code == 403):
				t.Errorf("%s /%s as Admin: refused %d %s", method, path, code, body)
			case caller.want != 0 && code != caller.want:
				t.Errorf("%s /%s as %q: %d %s, want %d", method, path, caller.role, code, body, caller.want)
			case caller.want != 0:
				var env struct {
					Error struct {
						Status    int32  `json:"status"`
						RequestID string `json:"requestId"`
					} `json:"error"`
				}
				if err := json.Unmarshal(body, &env); err != nil || env.Error.Status != code || env.Error.RequestID == "" {
					t.Errorf("%s /%s as %q: refusal outside the error envelope: %s", method, path, caller.role, body)
				}
			}
		}
	}
}
