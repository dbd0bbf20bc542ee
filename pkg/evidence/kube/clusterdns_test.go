package kube

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// The cluster DNS Deployment is found under its conventional names, and
// nothing is claimed for a cluster that has none.
func TestClusterDNSWorkload(t *testing.T) {
	deployment := func(ns, name string) string {
		return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ` + name + `
  namespace: ` + ns + `
spec:
  replicas: 2
  selector:
    matchLabels: {k8s-app: ` + name + `}
  template:
    metadata:
      labels: {k8s-app: ` + name + `}
    spec:
      containers: [{name: dns, image: registry.k8s.io/dns:1}]
status: {replicas: 2, readyReplicas: 1}
`
	}
	for _, tt := range []struct {
		name, objects string
		want          incident.Entity
	}{
		{"kube-dns on GKE", deployment("kube-system", "kube-dns"), incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "kube-dns"}},
		{"coredns", deployment("kube-system", "coredns"), incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}},
		{"a coredns outside kube-system is not the cluster's", deployment("dns-lab", "coredns"), incident.Entity{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "kube", "objects.yaml"), []byte(tt.objects), 0o644); err != nil {
				t.Fatal(err)
			}
			rec := &requestLog{}
			w, err := recordedCluster(t, dir, rec).ClusterDNSWorkload(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			checkRBAC(t, rec)
			switch {
			case tt.want.IsZero() && w != nil:
				t.Fatalf("got %v, want none", w.Entity)
			case !tt.want.IsZero() && (w == nil || w.Entity != tt.want || w.Ready != 1 || w.Replicas != 2):
				t.Fatalf("got %+v, want %v with 1 of 2 ready", w, tt.want)
			}
		})
	}
}

// The metadata-service agents are read from kube-system's DaemonSets, the
// others left out, and only logs about the metadata service call for them.
func TestMetadataAgents(t *testing.T) {
	daemonSet := func(ns, name string) string {
		return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  selector: {matchLabels: {app: ` + name + `}}
  template:
    metadata: {labels: {app: ` + name + `}}
    spec: {containers: [{name: a, image: x:1}]}
status: {desiredNumberScheduled: 3, numberReady: 3}
---
`
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
		t.Fatal(err)
	}
	objects := daemonSet("kube-system", "kube2iam") + daemonSet("kube-system", "kube-proxy") + daemonSet("logging", "kiam-server-shadow")
	if err := os.WriteFile(filepath.Join(dir, "kube", "objects.yaml"), []byte(objects), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &requestLog{}
	got, err := recordedCluster(t, dir, rec).MetadataAgents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkRBAC(t, rec)
	if len(got) != 1 || got[0].Entity != (incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "kube2iam"}) || got[0].Ready != 3 {
		t.Fatalf("got %+v, want kube-system/kube2iam with 3 ready", got)
	}
	about := func(text string) []incident.LogStream {
		return []incident.LogStream{{Lines: []incident.LogLine{{Text: text}}}}
	}
	if !MentionsMetadataService(about(`Get "http://169.254.169.254/latest/api/token": context deadline exceeded`)) ||
		!MentionsMetadataService(about(`Unable to load credentials from InstanceMetadataServiceCredentialsProvider`)) {
		t.Error("calls to the metadata service were not recognised")
	}
	if MentionsMetadataService(about(`GET /metadata/items 200`)) {
		t.Error("an app's own metadata endpoint was taken for the metadata service")
	}
}
