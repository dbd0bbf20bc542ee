package main

import (
	"fmt"
	"strings"
	"time"
)

var categories = map[string]bool{"OOMKilled": true, "CrashLoop": true, "ProbeFailure": true, "ImagePull": true,
	"ConfigError": true, "Unschedulable": true, "NodePressure": true, "CPUThrottling": true, "DependencyFailure": true,
	"DNSFailure": true, "BadDeploy": true, "ResourceExhaustion": true, "TLSFailure": true, "TrafficSpike": true,
	"JobFailure": true, "CostAnomaly": true, "Unknown": true}

// check returns every inconsistency in a fixture: dangling owner references, selectors that do
// not match their pods, Services selecting nothing unless the incident says so, timestamps after
// now, logs for containers that never ran, and an expected entity that is not in the fixture.
func check(s *scene) []string {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if s.description == "" || !strings.HasPrefix(s.source, "https://") {
		bad("description and a source address are required")
	}
	if !categories[s.expect.Category] {
		bad("unknown category %q", s.expect.Category)
	}
	if n := len(s.expect.Mentions); n < 1 || n > 3 {
		bad("%d mentions, want 1-3", n)
	}
	byUID := map[string]obj{}
	for _, o := range s.objects {
		byUID[uidOf(o)] = o
	}
	for _, o := range s.objects {
		m := metaOf(o)
		id := fmt.Sprintf("%s %v/%v", o["kind"], m["namespace"], m["name"])
		for _, r := range asList(m["ownerReferences"]) {
			ref := r.(obj)
			if !builtinAPI[ref["apiVersion"].(string)] {
				continue // owned by an operator's custom resource, which fixtures do not carry
			}
			owner, ok := byUID[ref["uid"].(string)]
			if !ok || owner["kind"] != ref["kind"] || metaOf(owner)["name"] != ref["name"] || metaOf(owner)["namespace"] != m["namespace"] {
				bad("%s: owner %v %v not in fixture", id, ref["kind"], ref["name"])
			}
		}
		walkTimes(o, func(path, v string) {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				bad("%s: %s: unparsable time %q", id, path, v)
			} else if t.After(s.now) {
				bad("%s: %s %s is after now", id, path, v)
			}
		})
		switch o["kind"] {
		case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
			sel := matchLabels(o["spec"].(obj)["selector"])
			tl := labelsOf(o["spec"].(obj)["template"].(obj)["metadata"].(obj))
			if !subset(sel, tl) {
				bad("%s: selector %v does not match its template labels %v", id, sel, tl)
			}
		case "Service":
			selRaw, ok := o["spec"].(obj)["selector"]
			if !ok {
				continue
			}
			sel := matchLabels(obj{"matchLabels": selRaw})
			if len(podsMatching(s, m["namespace"].(string), sel)) == 0 && !s.emptyServices[fmt.Sprint(m["namespace"], "/", m["name"])] {
				bad("%s: selector %v matches no pod", id, sel)
			}
		case "Endpoints":
			for _, sub := range asList(o["subsets"]) {
				for _, key := range []string{"addresses", "notReadyAddresses"} {
					for _, a := range asList(sub.(obj)[key]) {
						ref := a.(obj)["targetRef"].(obj)
						if s.find("Pod", ref["namespace"].(string), ref["name"].(string)) == nil {
							bad("%s: endpoint for missing pod %v", id, ref["name"])
						}
					}
				}
			}
		case "Pod":
			for _, r := range asList(m["ownerReferences"]) {
				owner := byUID[r.(obj)["uid"].(string)]
				if owner == nil {
					continue
				}
				if sel := matchLabels(owner["spec"].(obj)["selector"]); !subset(sel, labelsOf(m)) {
					bad("%s: labels do not match owner %v selector %v", id, r.(obj)["name"], sel)
				}
			}
			if node, ok := o["spec"].(obj)["nodeName"].(string); ok && s.find("Node", "", node) == nil {
				bad("%s: node %s not in fixture", id, node)
			}
		case "Event":
			ref := o["involvedObject"].(obj)
			ns, _ := ref["namespace"].(string)
			if s.find(ref["kind"].(string), ns, ref["name"].(string)) == nil {
				bad("%s: involved %v %v/%v not in fixture", id, ref["kind"], ns, ref["name"])
			}
		}
	}
	for key, lines := range s.logs {
		parts := strings.Split(key, "/")
		ctrName := strings.TrimSuffix(strings.TrimSuffix(parts[2], ".log"), ".previous")
		pod := s.find("Pod", parts[0], parts[1])
		if pod == nil {
			bad("log %s: pod not in fixture", key)
			continue
		}
		if !containerRan(pod, ctrName, strings.HasSuffix(key, ".previous.log")) {
			bad("log %s: container %s never ran (or has no previous instance)", key, ctrName)
		}
		for _, l := range lines {
			ts, _, _ := strings.Cut(l, " ")
			t, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil || t.After(s.now) {
				bad("log %s: line time %q is unparsable or after now", key, ts)
				break
			}
		}
	}
	for _, fam := range s.families {
		for _, sr := range fam.series {
			for _, pt := range sr.points {
				if pt.at.After(s.now) {
					bad("metric %s: sample after now", fam.name)
				}
			}
		}
	}
	if t, err := time.Parse(time.RFC3339, s.alert.StartsAt); err != nil || t.After(s.now) {
		bad("alert startsAt %q is unparsable or after now", s.alert.StartsAt)
	}
	if pod, ok := s.alert.Labels["pod"]; ok && s.find("Pod", s.alert.Labels["namespace"], pod) == nil {
		bad("alerted pod %s not in fixture", pod)
	}
	e := s.expect.Entity
	switch e.Kind {
	case "External":
		if e.Namespace != "" {
			bad("External entity must have an empty namespace")
		}
	case "Node":
		if e.Namespace != "" || s.find("Node", "", e.Name) == nil {
			bad("expected Node %s missing or namespaced", e.Name)
		}
	default:
		if s.find(e.Kind, e.Namespace, e.Name) == nil {
			bad("expected entity %s %s/%s not in fixture", e.Kind, e.Namespace, e.Name)
		}
	}
	return p
}

var builtinAPI = map[string]bool{"v1": true, "apps/v1": true, "batch/v1": true}

func containerRan(pod obj, name string, previous bool) bool {
	status := pod["status"].(obj)
	for _, c := range append(asList(status["containerStatuses"]), asList(status["initContainerStatuses"])...) {
		cs := c.(obj)
		if cs["name"] != name {
			continue
		}
		if previous {
			return len(cs["lastState"].(obj)) > 0
		}
		st := cs["state"].(obj)
		return st["running"] != nil || st["terminated"] != nil || len(cs["lastState"].(obj)) > 0
	}
	return false
}

func podsMatching(s *scene, ns string, sel map[string]string) []string {
	var out []string
	for _, o := range s.objects {
		if o["kind"] == "Pod" && metaOf(o)["namespace"] == ns && subset(sel, labelsOf(metaOf(o))) {
			out = append(out, metaOf(o)["name"].(string))
		}
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func matchLabels(sel any) map[string]string {
	out := map[string]string{}
	m, _ := sel.(obj)
	for k, v := range asMap(m["matchLabels"]) {
		out[k] = fmt.Sprint(v)
	}
	return out
}

func asMap(v any) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	}
	return nil
}

func labelsOf(meta obj) map[string]string {
	out := map[string]string{}
	for k, v := range asMap(meta["labels"]) {
		out[k] = fmt.Sprint(v)
	}
	return out
}

func subset(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// walkTimes calls f for every string field whose name says it holds a time.
func walkTimes(v any, f func(path, value string)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				if s, ok := c.(string); ok && (strings.HasSuffix(k, "Time") || strings.HasSuffix(k, "Timestamp") ||
					strings.HasSuffix(k, "At") || k == "startTime" || k == "lastScheduleTime") {
					f(path+"."+k, s)
					continue
				}
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("", v)
}
