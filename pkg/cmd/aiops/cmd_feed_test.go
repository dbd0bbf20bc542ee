package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeGrafana stands in for Grafana's resource proxy: it checks the path and
// the service-account token and answers like the app's /summarize.
type fakeGrafana struct {
	mu   sync.Mutex
	logs string
}

func (g *fakeGrafana) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path != summarizePath || r.Method != http.MethodPost {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"Not found"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer glsa_test" {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"invalid API key"}`)
		return
	}
	var req struct {
		Logs string `json:"logs"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Logs == "" {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":{"status":400,"message":"\"logs\" is empty","requestId":"r1"}}`)
		return
	}
	g.mu.Lock()
	g.logs = req.Logs
	g.mu.Unlock()
	io.WriteString(w, `{"summary":"order-service is OOMKilled","rootCause":"memory leak","nextSteps":["raise the limit"],
		"explanation":{"id":"ex_1","summary":"order-service is OOMKilled","rootCause":{"category":"OOMKilled","description":"memory leak"},
		"nextSteps":[{"text":"raise the limit"}]}}`)
}

func TestFeedCommand(t *testing.T) {
	kubeconfig, _, _ := replayCluster(t, "oom-order-service-leak")
	grafana := &fakeGrafana{}
	srv := httptest.NewServer(grafana)
	defer srv.Close()
	env := map[string]string{"GRAFANA_TOKEN": "glsa_test"}
	getenv := func(k string) string { return env[k] }

	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  string
		stderr  string
		viaGraf bool
	}{
		{"locally by selector", []string{"--namespace", "shop", "--selector", "app.kubernetes.io/name=order-service", "--since", "10000h"}, 0, `"summary"`, "from 3 pods", false},
		{"locally by service name", []string{"--namespace", "shop", "--services", "order-service", "--since", "10000h", "--format", "markdown"}, 0, "#", "from 3 pods", false},
		{"through grafana", []string{"--namespace", "shop", "--services", "order-service", "--since", "10000h", "--grafana-url", srv.URL}, 0, `"category": "OOMKilled"`, "", true},
		{"bad token", []string{"--namespace", "shop", "--services", "order-service", "--since", "10000h", "--grafana-url", srv.URL, "--token", "nope"}, 1, "", "grafana answered 401: invalid API key (check the service-account token", false},
		{"no pods", []string{"--namespace", "shop", "--selector", "app=ghost"}, 1, "", "no pods match app=ghost", false},
		{"no selector", []string{"--namespace", "shop"}, 2, "", "--selector or --services is required", false},
		{"both", []string{"--namespace", "shop", "--selector", "a=b", "--services", "x"}, 2, "", "not both", false},
		{"no namespace", []string{"--services", "x"}, 2, "", "--namespace is required", false},
		{"bad url", []string{"--namespace", "shop", "--services", "x", "--grafana-url", "ftp://x"}, 2, "", "--grafana-url must be", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"feed", "--kubeconfig", kubeconfig}, tc.args...)
			code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: getenv})
			if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errOut.String(), tc.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out.String(), errOut.String())
			}
			if tc.viaGraf {
				grafana.mu.Lock()
				sent := grafana.logs
				grafana.mu.Unlock()
				if !strings.Contains(sent, "request completed") || len(sent) > feedMaxSendBytes {
					t.Errorf("grafana received %d bytes of logs", len(sent))
				}
			}
		})
	}
}

func TestKeepNewest(t *testing.T) {
	in := "line1\nline2\nline3\n"
	for _, tc := range []struct {
		max  int
		want string
	}{{100, in}, {12, "line2\nline3\n"}, {11, "line3\n"}, {6, "line3\n"}, {5, ""}} {
		if got := keepNewest(in, tc.max); got != tc.want {
			t.Errorf("keepNewest(%d) = %q, want %q", tc.max, got, tc.want)
		}
	}
}
