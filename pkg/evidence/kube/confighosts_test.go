package kube

import (
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
