package demo

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestMetricsHandlerExportsKubeStateNames(t *testing.T) {
	k, err := NewKubelet(KubeletOptions{LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	spec := ContainerSpec{Namespace: "demo", App: "order-service", Pod: "order-service-7d9c5b6f4-x2x1q", Container: "order-service", MemoryLimit: 96 << 20}
	k.pods = append(k.pods, &supervised{status: ContainerStatus{Spec: spec, Running: true, WorkingSet: 50 << 20, Restarts: 3,
		Last: &Termination{Reason: "OOMKilled", ExitCode: 137, FinishedAt: time.Now()}}})
	srv := httptest.NewServer(MetricsHandler(k))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	value := func(name string, labels map[string]string) (float64, bool) {
		f, ok := families[name]
		if !ok {
			return 0, false
		}
		for _, m := range f.Metric {
			if hasLabels(m, labels) {
				if m.Counter != nil {
					return m.Counter.GetValue(), true
				}
				return m.Gauge.GetValue(), true
			}
		}
		return 0, false
	}
	pod := map[string]string{"namespace": "demo", "pod": spec.Pod, "container": "order-service"}
	with := func(k, v string) map[string]string {
		out := map[string]string{k: v}
		for a, b := range pod {
			out[a] = b
		}
		return out
	}
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"kube_pod_container_status_restarts_total", pod, 3},
		{"kube_pod_container_status_last_terminated_reason", with("reason", "OOMKilled"), 1},
		{"kube_pod_container_status_last_terminated_reason", with("reason", "Error"), 0},
		{"kube_pod_container_resource_limits", with("resource", "memory"), 96 << 20},
		{"container_memory_working_set_bytes", pod, 50 << 20},
		{"kube_pod_container_status_running", pod, 1},
	}
	for _, tc := range tests {
		got, ok := value(tc.name, tc.labels)
		if !ok || got != tc.want {
			t.Errorf("%s%v = %v (found %v), want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	have := map[string]string{}
	for _, l := range m.Label {
		have[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}
