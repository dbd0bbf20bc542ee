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

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
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
				if !strings.Contains(sent, "/order-service] ") {
					t.Errorf("lines lost their pod and container: %.300s", sent)
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

// TestFeedReadsPreviousRunsAndReportsUnreadableContainers serves a pod
// whose app container restarted and whose sidecar's log cannot be read.
func TestFeedReadsPreviousRunsAndReportsUnreadableContainers(t *testing.T) {
	pods := `{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"order-1","namespace":"shop"},
		"spec":{"containers":[{"name":"app"},{"name":"proxy"}]},
		"status":{"containerStatuses":[{"name":"app","restartCount":2},{"name":"proxy","restartCount":0}]}}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v1/namespaces/shop/pods":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, pods)
		case r.URL.Path == "/api/v1/namespaces/shop/pods/order-1/log" && r.URL.Query().Get("container") == "proxy":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"container proxy is waiting to start","code":400}`)
		case r.URL.Path == "/api/v1/namespaces/shop/pods/order-1/log" && r.URL.Query().Get("previous") == "true":
			io.WriteString(w, "2026-12-06T10:00:01Z panic: nil map\n")
		case r.URL.Path == "/api/v1/namespaces/shop/pods/order-1/log":
			io.WriteString(w, "2026-12-06T10:00:05Z starting\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	logs, n, problems, err := collectFeedLogs(context.Background(), cs, "shop", "app=order", 600, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-12-06T10:00:01Z [order-1/app previous] panic: nil map\n2026-12-06T10:00:05Z [order-1/app] starting\n"
	if n != 1 || logs != want {
		t.Errorf("%d pods, logs:\n%s\nwant:\n%s", n, logs, want)
	}
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "order-1/proxy: ") {
		t.Errorf("problems %v", problems)
	}
}
