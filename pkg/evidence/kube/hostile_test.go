package kube

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/httpauth/httpauthtest"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// collectFromAPI resolves an alert, collects its state and fetches logs
// from an API server that answers body to everything.
func collectFromAPI(t *testing.T, status int, body []byte) {
	t.Helper()
	c, err := New(Config{RESTConfig: &rest.Config{Host: "http://kube.test", Transport: httpauthtest.Canned{Status: status, Body: body}, QPS: 1e6, Burst: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, _ = c.Ping(ctx)
	now := time.Date(2026, 11, 20, 10, 5, 0, 0, time.UTC)
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "order-7d9c5-x2x1q"}}, 5)
	if err != nil {
		return
	}
	_, _ = c.CollectState(ctx, res, now.Add(-time.Hour), now)
	_, _ = c.LogSource().Fetch(ctx, logsource.Request{Target: res.Target, Pods: res.Pods, Since: now.Add(-time.Hour), Until: now})
}

// FuzzKubeResponses: the API server's answers are outside input to the
// collector. Any body under any status must give state or an error.
func FuzzKubeResponses(f *testing.F) {
	f.Add(200, []byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"order-7d9c5-x2x1q","namespace":"shop","labels":{"app":"order"},"ownerReferences":[{"kind":"ReplicaSet","name":"order-7d9c5","controller":true}]},"status":{"phase":"Running","containerStatuses":[{"name":"app","restartCount":7,"lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}}`))
	f.Add(200, []byte(`{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"p"}}]}`))
	f.Add(200, []byte(`{"kind":"EventList","items":[{"reason":"BackOff","message":"\xff","count":-1}]}`))
	f.Add(403, []byte(`{"kind":"Status","status":"Failure","reason":"Forbidden","code":403}`))
	f.Add(200, []byte("2026-11-20T10:00:00Z line one\nnot a timestamp\n"))
	f.Add(200, []byte(`{"kind":"Secret","data":{"k":"djE="}}`))
	f.Add(200, []byte(`{"kind":"Status","status":"Failure","reason":"NotFound","code":404}`))
	f.Add(200, []byte(`{"kind":"Pod","metadata":{"name":"p","namespace":"shop"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"lots","memory":1e400}},"livenessProbe":{"httpGet":{"port":{"x":1}}}}]}}`))
	f.Add(200, []byte(`{"kind":"PodList","metadata":{"continue":"9"},"items":[{"status":{"containerStatuses":[{"restartCount":99999999999}]}}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		collectFromAPI(t, status, body)
	})
}

// TestKubeHostileResponses: deep nesting and invalid UTF-8 from the API
// server, and a single 10 MB log line, are refused or bounded.
func TestKubeHostileResponses(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	for name, body := range map[string]string{
		"100k nested arrays":            deep,
		"100k nested arrays in a field": `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":` + deep + `}}`,
		"invalid UTF-8":                 "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\xff\",\"namespace\":\"shop\"}}",
	} {
		t.Run(name, func(t *testing.T) { collectFromAPI(t, http.StatusOK, []byte(body)) })
	}
	line := "2026-11-20T10:00:00.000000000Z " + strings.Repeat("x", 10<<20) + "\n2026-11-20T10:00:01Z next\n"
	lines := parseLines(line, false)
	if len(lines) != 2 || lines[1].Text != "next" {
		t.Fatalf("a 10 MB line swallowed its neighbours: %d lines", len(lines))
	}
}

// TestKubeAnswersAreSizeBounded: an API server answering without end is
// cut at the collector's bound with an error naming it, while the same
// answer under the bound is read.
func TestKubeAnswersAreSizeBounded(t *testing.T) {
	pod := []byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"order-7d9c5-x2x1q","namespace":"shop","annotations":{"big":"` +
		strings.Repeat("x", 2<<20) + `"}},"status":{"phase":"Running"}}`)
	alert := incident.Alert{Labels: map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "order-7d9c5-x2x1q"}}
	for _, tc := range []struct {
		limit   int64
		wantErr bool
	}{{1 << 20, true}, {4 << 20, false}} {
		c, err := New(Config{RESTConfig: &rest.Config{Host: "http://kube.test", Transport: httpauthtest.Canned{Status: http.StatusOK, Body: pod}, QPS: 1e6, Burst: 1e6},
			MaxResponseBytes: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		res, err := c.Resolve(ctx, alert, 5)
		cancel()
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), "more than 1 MiB") {
				t.Errorf("a 2 MiB answer under a 1 MiB bound: %v, want the bound named", err)
			}
			continue
		}
		if err != nil || len(res.Pods) != 1 {
			t.Errorf("the same answer under a 4 MiB bound: %v, %d pods", err, len(res.Pods))
		}
	}
}

// TestKubeAnswersAreCheckedAndTolerant: an answer of another kind than the
// one asked for is refused; a failure Status under 200 is the API error it
// describes (as client-go's typed clients report it); fields the collector
// does not know are ignored, and a list's continue token is kept.
func TestKubeAnswersAreCheckedAndTolerant(t *testing.T) {
	ctx := context.Background()
	answering := func(body string) *api {
		c, err := New(Config{RESTConfig: &rest.Config{Host: "http://kube.test", Transport: httpauthtest.Canned{Status: http.StatusOK, Body: []byte(body)}, QPS: 1e6, Burst: 1e6}})
		if err != nil {
			t.Fatal(err)
		}
		return c.api
	}
	if _, err := get[pod](ctx, answering(`{"kind":"Secret","data":{"k":"djE="}}`), podResource, "shop", "p"); err == nil || !strings.Contains(err.Error(), "answered a Secret, want a Pod") {
		t.Errorf("a Secret for a Pod: %v", err)
	}
	if _, err := list[podList](ctx, answering(`{"kind":"Pod","metadata":{"name":"p"}}`), podResource, "shop", listOptions{Limit: 5}); err == nil {
		t.Error("a Pod for a PodList was accepted")
	}
	forbidden := `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"pods is forbidden"}`
	if _, err := get[pod](ctx, answering(forbidden), podResource, "shop", "p"); !apierrors.IsForbidden(err) {
		t.Errorf("a Forbidden Status under 200: %v, want an error apierrors.IsForbidden knows", err)
	}
	l, err := list[podList](ctx, answering(`{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"500","newMeta":1},"items":[`+
		`{"metadata":{"name":"p","namespace":"shop"},"spec":{"futureField":{"deep":[1,2]},"containers":[{"name":"app","image":"shop/app:1"}]},"status":{"phase":"Running"}}]}`),
		podResource, "shop", listOptions{Limit: 500})
	if err != nil {
		t.Fatalf("a list with unknown fields: %v", err)
	}
	if l.Continue != "500" || len(l.Items) != 1 || l.Items[0].Status.Phase != "Running" || l.Items[0].Spec.Containers[0].Image != "shop/app:1" {
		t.Errorf("decoded %+v", l)
	}
}
