package main

import (
	"crypto/sha1"
	"fmt"
	"sort"
	"strings"
	"time"
)

// obj is one Kubernetes object in the shape the API server returns it.
type obj = map[string]any

// scene collects everything one incident fixture contains.
type scene struct {
	name        string
	description string
	source      string
	now         time.Time
	alert       alert
	expect      expectation
	objects     []obj
	logs        map[string][]string // "<ns>/<pod>/<container>[.previous].log" -> timestamped lines
	families    []*family
	// emptyServices names Services ("ns/name") whose selector matching no pod is part of the incident.
	emptyServices map[string]bool
	seq           int
}

type alert struct {
	Labels       map[string]string  `json:"labels"`
	Annotations  map[string]string  `json:"annotations"`
	Status       string             `json:"status"`
	StartsAt     string             `json:"startsAt"`
	EndsAt       string             `json:"endsAt"`
	Fingerprint  string             `json:"fingerprint"`
	GeneratorURL string             `json:"generatorURL"`
	Values       map[string]float64 `json:"values"`
	Query        string             `json:"query"`
}

type entity struct {
	Namespace string `json:"namespace"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
}

type expectation struct {
	Category string   `json:"category"`
	Entity   entity   `json:"entity"`
	Mentions []string `json:"mentions"`
}

func newScene(name string, now string) *scene {
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		panic(fmt.Sprintf("%s: bad now %q: %v", name, now, err))
	}
	return &scene{name: name, now: t, logs: map[string][]string{}, emptyServices: map[string]bool{}}
}

// at renders the instant d before now, as the API server prints timestamps.
func (s *scene) at(d time.Duration) string { return s.now.Add(-d).UTC().Format(time.RFC3339) }

// uid derives a stable UID so regenerating the set produces identical files.
func uid(parts ...string) string {
	x := fmt.Sprintf("%x", sha1.Sum([]byte(strings.Join(parts, "/"))))
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

// hexID gives container IDs and fingerprints of the usual length.
func hexID(n int, parts ...string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		h := sha1.Sum([]byte(strings.Join(parts, "/") + fmt.Sprint(i)))
		b.WriteString(fmt.Sprintf("%x", h))
	}
	return b.String()[:n]
}

func (s *scene) add(o obj) obj {
	s.objects = append(s.objects, o)
	return o
}

func (s *scene) meta(kind, ns, name string, labels map[string]string, age time.Duration) obj {
	m := obj{
		"name":              name,
		"uid":               uid(s.name, kind, ns, name),
		"resourceVersion":   fmt.Sprint(48213000 + len(s.objects)*137),
		"creationTimestamp": s.at(age),
	}
	if ns != "" {
		m["namespace"] = ns
	}
	if len(labels) > 0 {
		m["labels"] = copyLabels(labels)
	}
	return m
}

func copyLabels(l map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range l {
		out[k] = v
	}
	return out
}

func ownerRef(apiVersion, kind, name, id string) []any {
	return []any{obj{"apiVersion": apiVersion, "kind": kind, "name": name, "uid": id,
		"controller": true, "blockOwnerDeletion": true}}
}

func metaOf(o obj) obj { return o["metadata"].(obj) }

func uidOf(o obj) string { return metaOf(o)["uid"].(string) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
