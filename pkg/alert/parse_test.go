package alert

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

func TestParseShapes(t *testing.T) {
	oomLabels2 := map[string]string{"alertname": "KubeContainerOOMKilled", "namespace": "shop",
		"pod": "order-service-6c9f7b-fghij", "container": "order", "severity": "warning"}
	managedLabels := map[string]string{"alertname": "OrderMemoryNearLimit", "grafana_folder": "shop",
		"namespace": "shop", "pod": "order-service-6c9f7b-abcde", "container": "order"}
	oomQuery := `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1`
	tests := []struct {
		file string
		want []incident.Alert
	}{
		{"context.json", []incident.Alert{{
			Labels: map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop",
				"pod": "order-7d9c5-x2x1q", "container": "order", "severity": "critical"},
			Annotations: map[string]string{"summary": "Pod shop/order-7d9c5-x2x1q is crash looping",
				"runbook_url": "https://runbooks.example/KubePodCrashLooping"},
			Status:       "firing",
			StartsAt:     mustTime(t, "2026-11-20T10:00:00Z"),
			Fingerprint:  "5f1c2a9b0d3e4f60",
			GeneratorURL: "http://prometheus:9090/graph?g0.expr=increase%28kube_pod_container_status_restarts_total%5B10m%5D%29+%3E+2&g0.tab=1",
			Values:       map[string]float64{"A": 3},
			Query:        "increase(kube_pod_container_status_restarts_total[10m]) > 2",
		}}},
		{"alertmanager_v4.json", []incident.Alert{{
			Labels: map[string]string{"alertname": "KubeContainerOOMKilled", "namespace": "shop",
				"pod": "order-service-6c9f7b-abcde", "container": "order", "severity": "warning"},
			Annotations:  map[string]string{"summary": "Container order in shop/order-service-6c9f7b-abcde was OOMKilled"},
			Status:       "firing",
			StartsAt:     mustTime(t, "2026-11-20T10:02:13.512Z"),
			Fingerprint:  "a4f8a1e5d3c2b100",
			GeneratorURL: "http://prometheus-0:9090/graph?g0.expr=kube_pod_container_status_last_terminated_reason%7Breason%3D%22OOMKilled%22%7D+%3D%3D+1&g0.tab=1",
			Query:        oomQuery,
		}, {
			Labels:       oomLabels2,
			Annotations:  map[string]string{"summary": "Container order in shop/order-service-6c9f7b-fghij was OOMKilled"},
			Status:       "resolved",
			StartsAt:     mustTime(t, "2026-11-20T08:58:00Z"),
			EndsAt:       mustTime(t, "2026-11-20T10:05:00Z"),
			Fingerprint:  Fingerprint(oomLabels2),
			GeneratorURL: "http://prometheus-0:9090/graph?g0.expr=kube_pod_container_status_last_terminated_reason%7Breason%3D%22OOMKilled%22%7D+%3D%3D+1&g0.tab=1",
			Query:        oomQuery,
		}}},
		{"grafana_webhook.json", []incident.Alert{{
			Labels: map[string]string{"alertname": "HighErrorRate", "grafana_folder": "shop",
				"namespace": "shop", "service": "payment-service"},
			Annotations:  map[string]string{"summary": "payment-service 5xx ratio above 5%"},
			Status:       "firing",
			StartsAt:     mustTime(t, "2026-11-20T08:00:00Z"),
			Fingerprint:  "2b0d5c0a8ab2e2f1",
			GeneratorURL: "http://grafana:3000/alerting/grafana/eb2a5e1c/view?orgId=1",
			Values:       map[string]float64{"A": 0.1234, "B": 0.1234, "C": 1},
		}}},
		{"grafana_instance_prom.json", []incident.Alert{{
			Labels: map[string]string{"alertname": "HighLatency", "namespace": "shop",
				"service": "auth-service", "severity": "warning"},
			// The instance's own summary wins over the rule's template.
			Annotations: map[string]string{"summary": "p99 latency of auth-service above 1s",
				"runbook_url": "https://runbooks.example/HighLatency"},
			Status:      "firing",
			StartsAt:    mustTime(t, "2026-11-20T10:00:00.123456789Z"),
			Fingerprint: Fingerprint(map[string]string{"alertname": "HighLatency", "namespace": "shop", "service": "auth-service", "severity": "warning"}),
			Values:      map[string]float64{"A": 1.52},
			Query:       `histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket{service="auth-service"}[5m]))) > 1`,
		}}},
		{"grafana_instance_managed.json", []incident.Alert{{
			Labels:      managedLabels,
			Annotations: map[string]string{"__orgId__": "1", "__alertId__": "7", "summary": "order memory near its limit"},
			Status:      "firing",
			StartsAt:    mustTime(t, "2026-11-20T10:00:00Z"),
			Fingerprint: Fingerprint(managedLabels),
			Values:      map[string]float64{"A": 134217728, "B": 1},
			Query:       `container_memory_working_set_bytes{namespace="shop",container="order"}`,
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := Parse(f)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse mismatch\n got: %+v\nwant: %+v", got, tc.want)
			}
		})
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name, body, field, msg string
	}{
		{"empty body", "  ", "body", "empty"},
		{"not JSON", "{labels:", "body", "invalid JSON"},
		{"array body", `[1,2]`, "body", "want"},
		{"no labels", `{"startsAt":"2026-11-20T10:00:00Z"}`, "labels", "missing"},
		{"null labels", `{"labels":null}`, "labels", "missing"},
		{"empty labels", `{"labels":{}}`, "labels", "empty"},
		{"labels not an object", `{"labels":["a"]}`, "labels", "want an object"},
		{"label value object", `{"labels":{"alertname":"x","pod":{"a":1}}}`, "labels.pod", "want a string"},
		{"empty label name", `{"labels":{"":"x"}}`, "labels", "empty name"},
		{"bad startsAt", `{"labels":{"alertname":"x"},"startsAt":"yesterday"}`, "startsAt", "parsing time"},
		{"bad endsAt", `{"labels":{"alertname":"x"},"endsAt":"2026-13-01T00:00:00Z"}`, "endsAt", "parsing time"},
		{"year overflow", `{"labels":{"alertname":"x"},"startsAt":"9999-12-31T23:00:00-05:00"}`, "startsAt", "year out of range"},
		{"startsAt not a string", `{"labels":{"alertname":"x"},"startsAt":5}`, "startsAt", "want string"},
		{"unknown status", `{"labels":{"alertname":"x"},"status":"exploding"}`, "status", "unknown status"},
		{"values not numbers", `{"labels":{"alertname":"x"},"values":{"A":"many"}}`, "values.A", "want a number"},
		{"webhook without alerts", `{"version":"4","alerts":[]}`, "alerts", "empty"},
		{"webhook bad alert", `{"version":"4","alerts":[{"labels":{"a":"b"}},{"annotations":{}}]}`, "alerts[1].labels", "missing"},
		{"webhook bad time", `{"alerts":[{"labels":{"a":"b"},"startsAt":"x"}]}`, "alerts[0].startsAt", "parsing time"},
		{"instance without labels", `{"instance":{"activeAt":"2026-11-20T10:00:00Z"},"rule":{"name":"R"}}`, "instance.labels", "missing"},
		{"instance bad activeAt", `{"instance":{"labels":{"a":"b"},"activeAt":"now"}}`, "instance.activeAt", "parsing time"},
		{"instance bad state", `{"alert":{"labels":{"a":"b"},"state":"weird"}}`, "alert.state", "unknown status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBytes([]byte(tc.body))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want *InputError, got %v", err)
			}
			if ie.Field != tc.field || !strings.Contains(ie.Error(), tc.msg) {
				t.Errorf("got field %q error %q; want field %q containing %q", ie.Field, ie.Error(), tc.field, tc.msg)
			}
			if !strings.HasPrefix(ie.Error(), tc.field+": ") {
				t.Errorf("error %q does not start with its field", ie.Error())
			}
		})
	}
}

func TestParseRefusesLargeBodies(t *testing.T) {
	big := `{"labels":{"alertname":"x","pad":"` + strings.Repeat("a", MaxBodyBytes) + `"}}`
	if _, err := Parse(strings.NewReader(big)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse: want ErrTooLarge, got %v", err)
	}
	if _, err := ParseBytes([]byte(big)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ParseBytes: want ErrTooLarge, got %v", err)
	}
	// Exactly at the limit is still accepted.
	head, tail := `{"labels":{"alertname":"x","pad":"`, `"}}`
	exact := head + strings.Repeat("a", MaxBodyBytes-len(head)-len(tail)) + tail
	if _, err := Parse(strings.NewReader(exact)); err != nil {
		t.Fatalf("body of exactly MaxBodyBytes: %v", err)
	}
}

func TestParseRefusesTooManyAlerts(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version":"4","alerts":[`)
	for i := range maxAlerts + 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"labels":{"i":"%d"}}`, i)
	}
	b.WriteString(`]}`)
	_, err := ParseBytes([]byte(b.String()))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "alerts" {
		t.Fatalf("want alerts error, got %v", err)
	}
}

func TestStatusNormalisation(t *testing.T) {
	tests := map[string]string{
		"": "firing", "firing": "firing", "Alerting": "firing", "Alerting (NoData)": "firing",
		"resolved": "resolved", "Normal": "resolved", "Normal (MissingSeries)": "resolved", "inactive": "resolved",
		"pending": "pending", "Pending": "pending", "NoData": "nodata", "Error": "error",
	}
	for in, want := range tests {
		got, err := normaliseStatus(in)
		if err != nil || got != want {
			t.Errorf("normaliseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestValueSources(t *testing.T) {
	tests := []struct {
		name, body string
		want       map[string]float64
	}{
		{"values object", `{"labels":{"a":"b"},"values":{"A":1.5,"B":null}}`, map[string]float64{"A": 1.5}},
		{"values as strings incl NaN", `{"labels":{"a":"b"},"values":{"A":"2","B":"NaN"}}`, map[string]float64{"A": 2}},
		{"valueString", `{"labels":{"a":"b"},"valueString":"[ var='A' labels={x=y} value=7 ], [ var='C' labels={} value=1 ]"}`,
			map[string]float64{"A": 7, "C": 1}},
		{"malformed valueString is skipped", `{"labels":{"a":"b"},"valueString":"[ var='A labels value=] [ var='' value=3"}`, nil},
		{"prometheus instance value", `{"instance":{"labels":{"a":"b"},"value":"4.2e+01"}}`, map[string]float64{"A": 42}},
		{"numeric instance value", `{"instance":{"labels":{"a":"b"},"value":3}}`, map[string]float64{"A": 3}},
		{"infinite instance value dropped", `{"instance":{"labels":{"a":"b"},"value":"+Inf"}}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseBytes([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[0].Values, tc.want) {
				t.Errorf("values = %v, want %v", got[0].Values, tc.want)
			}
		})
	}
}

func TestRuleQuerySources(t *testing.T) {
	tests := []struct {
		name, rule, want string
	}{
		{"prom rule", `{"promRule":{"query":"up == 0"},"query":"ignored"}`, "up == 0"},
		{"ruler expr", `{"rulerRule":{"expr":"rate(x[5m]) > 1"}}`, "rate(x[5m]) > 1"},
		{"grafana data skips expressions", `{"rulerRule":{"grafana_alert":{"data":[{"refId":"B","datasourceUid":"__expr__","model":{"expr":"no"}},{"refId":"A","datasourceUid":"p","model":{"expr":"up"}}]}}}`, "up"},
		{"query JSON list", `{"query":"[{\"refId\":\"A\",\"datasourceUid\":\"p\",\"model\":{\"expr\":\"sum(up)\"}}]"}`, "sum(up)"},
		{"broken query JSON", `{"query":"[{\"refId\""}`, ""},
		{"plain query", `{"query":"up"}`, "up"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseBytes([]byte(`{"instance":{"labels":{"a":"b"}},"rule":` + tc.rule + `}`))
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Query != tc.want {
				t.Errorf("query = %q, want %q", got[0].Query, tc.want)
			}
		})
	}
}

func TestInstanceTakesAlertnameFromRule(t *testing.T) {
	got, err := ParseBytes([]byte(`{"instance":{"labels":{}},"rule":{"name":"DiskFull"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Name() != "DiskFull" {
		t.Errorf("alertname = %q, want DiskFull", got[0].Name())
	}
}

// referenceFingerprint is FNV-1a 64 over "name\xffvalue\xff" for sorted
// names, written independently of the production code.
func referenceFingerprint(labels map[string]string) string {
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	sort.Strings(names)
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0xff})
		h.Write([]byte(labels[n]))
		h.Write([]byte{0xff})
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h.Sum64())
	return fmt.Sprintf("%x", b)
}

func TestFingerprint(t *testing.T) {
	tests := []map[string]string{
		{"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "order-7d9c5-x2x1q"},
		{"alertname": "A"},
		{"a": "", "b": "c"},
	}
	for _, labels := range tests {
		got := Fingerprint(labels)
		if want := referenceFingerprint(labels); got != want {
			t.Errorf("Fingerprint(%v) = %s, want %s", labels, got, want)
		}
		if len(got) != 16 {
			t.Errorf("Fingerprint(%v) = %q: want 16 hex digits", labels, got)
		}
	}
	if Fingerprint(map[string]string{"a": "bc"}) == Fingerprint(map[string]string{"ab": "c"}) {
		t.Error("label boundaries must matter")
	}
	if Fingerprint(nil) != Fingerprint(map[string]string{}) {
		t.Error("nil and empty label sets must agree")
	}
}

func TestScenarioYAML(t *testing.T) {
	doc := `
labels:
  alertname: HighErrorRate
  namespace: shop
  service: payment-service
  code: 500
  canary: true
annotations:
  summary: payment errors
startsAt: 2026-11-20T10:00:00Z
values:
  A: 0.25
query: sum(rate(http_requests_total{code=~"5.."}[5m])) > 0
`
	want := incident.Alert{
		Labels: map[string]string{"alertname": "HighErrorRate", "namespace": "shop",
			"service": "payment-service", "code": "500", "canary": "true"},
		Annotations: map[string]string{"summary": "payment errors"},
		Status:      "firing",
		StartsAt:    mustTime(t, "2026-11-20T10:00:00Z"),
		Values:      map[string]float64{"A": 0.25},
		Query:       `sum(rate(http_requests_total{code=~"5.."}[5m])) > 0`,
	}
	want.Fingerprint = Fingerprint(want.Labels)

	js, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	viaJSON, err := ParseBytes(js)
	if err != nil {
		t.Fatalf("ParseBytes(YAMLToJSON): %v", err)
	}
	if !reflect.DeepEqual(viaJSON, []incident.Alert{want}) {
		t.Errorf("via YAMLToJSON\n got %+v\nwant %+v", viaJSON[0], want)
	}

	var m map[string]any
	if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	viaMap, err := FromMap(m)
	if err != nil {
		t.Fatalf("FromMap: %v", err)
	}
	if !reflect.DeepEqual(viaMap, want) {
		t.Errorf("via FromMap\n got %+v\nwant %+v", viaMap, want)
	}
}

func TestFromMapWantsOneAlert(t *testing.T) {
	_, err := FromMap(map[string]any{"alerts": []any{
		map[string]any{"labels": map[string]any{"a": "1"}},
		map[string]any{"labels": map[string]any{"a": "2"}},
	}})
	if !IsInputError(err) {
		t.Fatalf("want an input error, got %v", err)
	}
}
