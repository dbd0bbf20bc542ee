package kube

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestHostsOfConfigMap(t *testing.T) {
	data := map[string]string{
		"DB_HOST":               "orders-db.abc.us-west-2.rds.amazonaws.com",
		"DB_PORT":               "5432",
		"DB_PASSWORD":           "hunter2",
		"PAYMENTS_URL":          "https://user:secret@api.pay.example.com:8443/v1",
		"redis.host":            "cache.internal.example.net",
		"redis.port":            "6380",
		"CACHE_ADDR":            "10.0.0.7:6379",
		"QUEUE_ENDPOINT":        "{{ .Values.queue }}",
		"LOG_LEVEL":             "debug",
		"SEARCH_SERVER":         "search:9200",
		"spring.datasource.url": "jdbc:postgresql://ledger-db.example.org:5433/ledger",
	}
	got := hostsOfConfigMap("shop", "configmap/app", data)
	want := map[string]incident.ConfiguredHost{
		"DB_HOST":      {Host: "orders-db.abc.us-west-2.rds.amazonaws.com", Port: "5432"},
		"PAYMENTS_URL": {Host: "api.pay.example.com", Port: "8443"},
		"redis.host":   {Host: "cache.internal.example.net", Port: "6380"},
		// A JDBC URL is read behind its prefix.
		"spring.datasource.url": {Host: "ledger-db.example.org", Port: "5433"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want the %d hosts of %v", got, len(want), want)
	}
	for _, h := range got {
		w, ok := want[h.Key]
		if !ok || h.Host != w.Host || h.Port != w.Port || h.Namespace != "shop" || h.Source != "configmap/app" {
			t.Errorf("got %+v, want %+v", h, w)
		}
		for _, v := range []string{"hunter2", "secret", "user"} {
			if h.Host == v || h.Port == v {
				t.Errorf("a value other than a host leaked: %+v", h)
			}
		}
	}
}

func TestConfigMapRefsBounded(t *testing.T) {
	var pods []incident.PodState
	for i := range 8 {
		pods = append(pods, incident.PodState{Namespace: "shop", Name: "p",
			Containers: []incident.ContainerState{{EnvFrom: []string{"secret/db", "configmap/c" + string(rune('a'+i)), "configmap/shared"}}}})
	}
	refs := configMapRefs(pods)
	if len(refs) != maxConfigMaps {
		t.Fatalf("got %d refs, want %d", len(refs), maxConfigMaps)
	}
	for _, r := range refs {
		if r.Name == "db" {
			t.Fatal("a Secret must never be read")
		}
	}
}

// A container's literal environment names its servers under host-like
// names (a JDBC URL, a bare host with a sibling port); other values,
// secrets among them, are never kept.
func TestHostsOfEnv(t *testing.T) {
	var p pod
	raw := `{"metadata": {"name": "api-1", "namespace": "shop"}, "spec": {"containers": [{"name": "api", "env": [
		{"name": "SPRING_DATASOURCE_URL", "value": "jdbc:postgresql://orders.cluster-abc.eu-west-1.rds.example.com:5432/orders"},
		{"name": "REDIS_HOST", "value": "cache-001.example.net"},
		{"name": "REDIS_PORT", "value": "6380"},
		{"name": "DB_PASSWORD", "value": "hunter2.example"},
		{"name": "FEATURE_URL", "value": "not a url"},
		{"name": "LOG_LEVEL", "value": "info"}]}]}}`
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	got := hostsOfEnv(&p)
	want := []incident.ConfiguredHost{
		{Namespace: "shop", Source: "container/api", Key: "SPRING_DATASOURCE_URL", Host: "orders.cluster-abc.eu-west-1.rds.example.com", Port: "5432"},
		{Namespace: "shop", Source: "container/api", Key: "REDIS_HOST", Host: "cache-001.example.net", Port: "6380"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("hostsOfEnv = %+v, want %+v", got, want)
	}
}
