package main

import (
	"fmt"
	"time"
)

// app is a Deployment and the ReplicaSet its pods belong to.
type app struct {
	ns, name, rs string
	t            tmpl
}

// app adds a Deployment at a revision with its current ReplicaSet.
func (s *scn) app(ns, name string, replicas, ready int, created time.Time, revision int, t tmpl) app {
	s.deployment(ns, name, replicas, created, revision, t, depStatus(replicas, replicas, ready, ready))
	return app{ns: ns, name: name, rs: s.rs(ns, name, revision, replicas, ready, created, t), t: t}
}

func (s *scn) podName(a app, i int) string { return a.rs + "-" + suffix(s.name+a.rs+fmt.Sprint(i), 5) }

// appPod adds pod i of an app's ReplicaSet and returns its name.
func (s *scn) appPod(a app, i int, node, phase string, created time.Time, statuses ...cst) string {
	name := s.podName(a, i)
	s.pod(a.ns, name, node, "ReplicaSet", a.rs, rsLabels(a.t, a.rs), a.t, phase, created, statuses, nil)
	return name
}

// healthy is a running, ready container status.
func healthy(name string, since time.Time) cst {
	return cst{name: name, ready: true, state: running(since)}
}

// nodes adds count healthy nodes of a pool and returns their names.
func (s *scn) nodes(pool, machine string, spot bool, count int, created time.Time) []string {
	zones := []string{"europe-west4-a", "europe-west4-b", "europe-west4-c"}
	var names []string
	group := suffix(s.name+pool, 8)
	for i := 0; i < count; i++ {
		n := fmt.Sprintf("gke-retail-prod-ew4-%s-%s-%s", pool, hex8(group), suffix(s.name+pool+fmt.Sprint(i), 4))
		s.gkeNode(n, pool, zones[i%3], machine, spot, created, nil)
		names = append(names, n)
	}
	return names
}

// hex8 turns a name suffix into the 8 hex digits GKE puts in node names.
func hex8(seed string) string { return suffixHex(seed)[:8] }

func labelsApp(name string, more ...string) map[string]string {
	return withLabels(map[string]string{"app.kubernetes.io/name": name}, more...)
}

func mib(n float64) float64 { return n * 1024 * 1024 }

// runningPods adds n healthy pods of an app, spread over nodes in turn, all
// started at since, and returns their names.
func (s *scn) runningPods(a app, n int, nodes []string, since time.Time) []string {
	var pods []string
	for i := 0; i < n; i++ {
		var statuses []cst
		for _, c := range a.t.containers {
			statuses = append(statuses, healthy(c.name, since))
		}
		pods = append(pods, s.appPod(a, i, nodes[i%len(nodes)], "Running", since, statuses...))
	}
	return pods
}
