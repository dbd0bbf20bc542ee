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

// The cluster DNS pods are found through the kube-dns Service's selector, or
// the DNS Deployment's when the Service is not there; only resolver
// failures (not a missing name) call for their logs.
func TestClusterDNSPods(t *testing.T) {
	dnsPod := func(name string) string {
		return `apiVersion: v1
kind: Pod
metadata: {name: ` + name + `, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {containers: [{name: coredns, image: coredns:1.11}]}
status: {phase: Running}
---
`
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
		t.Fatal(err)
	}
	objects := dnsPod("coredns-a") + dnsPod("coredns-b") + dnsPod("coredns-c") + dnsPod("coredns-d")
	if err := os.WriteFile(filepath.Join(dir, "kube", "objects.yaml"), []byte(objects), 0o644); err != nil {
		t.Fatal(err)
	}
	c := recordedCluster(t, dir, &requestLog{})
	sel := map[string]string{"k8s-app": "kube-dns"}
	bySvc, err := c.ClusterDNSPods(context.Background(), []incident.ServiceState{{Namespace: "kube-system", Name: "kube-dns", Selector: sel}}, nil)
	if err != nil || len(bySvc) != clusterDNSLogPods {
		t.Fatalf("through the Service: %d pods, %v; want %d", len(bySvc), err, clusterDNSLogPods)
	}
	byDeployment, err := c.ClusterDNSPods(context.Background(), nil, []incident.WorkloadState{
		{Entity: incident.Entity{Namespace: "kube-system", Kind: incident.KindDeployment, Name: "coredns"}, Selector: sel}})
	if err != nil || len(byDeployment) != clusterDNSLogPods {
		t.Fatalf("through the Deployment: %d pods, %v", len(byDeployment), err)
	}
	if none, err := c.ClusterDNSPods(context.Background(), nil, []incident.WorkloadState{
		{Entity: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "web"}, Selector: sel}}); err != nil || len(none) != 0 {
		t.Errorf("a workload that is no cluster DNS gave %d pods, %v", len(none), err)
	}
	about := func(text string) []incident.LogStream {
		return []incident.LogStream{{Lines: []incident.LogLine{{Text: text}}}}
	}
	for _, line := range []string{
		`socket.gaierror: [Errno -3] Temporary failure in name resolution`,
		`dial tcp: lookup db.shop.svc on 10.96.0.10:53: read udp 10.1.0.4:3312->10.96.0.10:53: i/o timeout`,
		`Error: getaddrinfo EAI_AGAIN api.example.com`,
	} {
		if !MentionsResolverFailure(about(line)) {
			t.Errorf("%q is a resolver failure", line)
		}
	}
	if MentionsResolverFailure(about(`dial tcp: lookup paymnet on 10.96.0.10:53: no such host`)) {
		t.Error("a name that does not exist is no resolver failure")
	}
}

// The NodeLocal DNSCache DaemonSet is read when lookups go to a link-local
// server other than the metadata service's.
func TestNodeLocalDNS(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
		t.Fatal(err)
	}
	objects := `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-local-dns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: node-local-dns}}
  template:
    metadata: {labels: {k8s-app: node-local-dns}}
    spec: {containers: [{name: node-cache, image: k8s-dns-node-cache:1.23}]}
status: {desiredNumberScheduled: 4, numberReady: 2}
`
	if err := os.WriteFile(filepath.Join(dir, "kube", "objects.yaml"), []byte(objects), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &requestLog{}
	w, err := recordedCluster(t, dir, rec).NodeLocalDNSWorkload(context.Background())
	if err != nil || w == nil || w.Entity.Name != "node-local-dns" || w.Ready != 2 || w.Replicas != 4 {
		t.Fatalf("got %+v, %v; want node-local-dns with 2 of 4 ready", w, err)
	}
	checkRBAC(t, rec)
	about := func(text string) []incident.LogStream {
		return []incident.LogStream{{Lines: []incident.LogLine{{Text: text}}}}
	}
	if !MentionsNodeLocalDNS(about(`lookup db on 169.254.20.10:53: read udp 10.1.0.4:3312->169.254.20.10:53: i/o timeout`)) {
		t.Error("a lookup to the node-local cache was not recognised")
	}
	if MentionsNodeLocalDNS(about(`lookup db on 169.254.169.254:53: i/o timeout`)) || MentionsNodeLocalDNS(about(`lookup db on 10.96.0.10:53: i/o timeout`)) {
		t.Error("the metadata server or kube-dns was taken for a node-local cache")
	}
}
