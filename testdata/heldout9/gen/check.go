package main

import (
	"fmt"
	"strings"
	"time"
)

var categories = map[string]bool{"OOMKilled": true, "CrashLoop": true, "ProbeFailure": true, "ImagePull": true,
	"ConfigError": true, "Unschedulable": true, "NodePressure": true, "CPUThrottling": true,
	"DependencyFailure": true, "DNSFailure": true, "BadDeploy": true, "ResourceExhaustion": true,
	"TLSFailure": true, "TrafficSpike": true, "JobFailure": true, "CostAnomaly": true, "Unknown": true}

// checkAll returns one line per inconsistency of the set.
func checkAll(all []*scn) []string {
	var problems []string
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.name] {
			problems = append(problems, s.name+": duplicate incident name")
		}
		seen[s.name] = true
		problems = append(problems, check(s)...)
	}
	return problems
}

// check returns one line per inconsistency of an incident.
func check(s *scn) []string {
	var p []string
	bad := func(format string, a ...any) { p = append(p, s.name+": "+fmt.Sprintf(format, a...)) }
	if !strings.HasPrefix(s.source, "https://") {
		bad("no public source")
	}
	if n := len(s.mentions); n < 1 || n > 3 {
		bad("%d mentions, want 1 to 3", n)
	}
	if !categories[s.category] {
		bad("unknown category %q", s.category)
	}
	byKey := map[string]obj{}
	for _, o := range s.objects {
		if _, dup := byKey[key(o)]; dup {
			bad("duplicate object %s", key(o))
		}
		byKey[key(o)] = o
	}
	for _, o := range s.objects {
		checkOwners(o, byKey, bad)
		checkSelector(o, s.objects, bad)
		walkTimes(o, func(t time.Time, where string) {
			if t.After(s.now) {
				bad("%s %s at %s is after now", key(o), where, ts(t))
			}
		}, "")
	}
	checkEndpoints(s.objects, bad)
	labels, _ := s.alert["labels"].(map[string]string)
	if pod := labels["pod"]; pod != "" {
		if _, ok := byKey["Pod/"+labels["namespace"]+"/"+pod]; !ok {
			bad("alerted pod %s/%s is not in kube/", labels["namespace"], pod)
		}
	}
	if start, err := time.Parse(time.RFC3339, s.alert["startsAt"].(string)); err != nil || start.After(s.now) {
		bad("alert startsAt %v is after now or unparsable", s.alert["startsAt"])
	}
	ns, kind, name := s.entity[0], s.entity[1], s.entity[2]
	switch kind {
	case "External":
		if ns != "" || !strings.Contains(name, ".") {
			bad("External entity %q must have no namespace and a host name", name)
		}
	case "Node":
		if ns != "" {
			bad("Node entity with a namespace")
		}
		fallthrough
	default:
		if _, ok := byKey[kind+"/"+ns+"/"+name]; !ok {
			bad("expected entity %s %s/%s is not in kube/", kind, ns, name)
		}
	}
	for k, lines := range s.logs {
		for _, l := range lines {
			if l.at.After(s.now) {
				bad("log %s has an entry after now", k)
				break
			}
		}
		if parts := strings.Split(strings.TrimSuffix(k, ".previous"), "/"); len(parts) != 3 {
			bad("log key %s is not namespace/pod/container", k)
		} else if _, ok := byKey["Pod/"+parts[0]+"/"+parts[1]]; !ok {
			bad("log %s belongs to no pod in kube/", k)
		}
	}
	return p
}

func key(o obj) string {
	m := o["metadata"].(obj)
	ns, _ := m["namespace"].(string)
	return o["kind"].(string) + "/" + ns + "/" + m["name"].(string)
}

func checkOwners(o obj, byKey map[string]obj, bad func(string, ...any)) {
	m := o["metadata"].(obj)
	refs, _ := m["ownerReferences"].([]any)
	ns, _ := m["namespace"].(string)
	for _, r := range refs {
		ref := r.(obj)
		owner, ok := byKey[ref["kind"].(string)+"/"+ns+"/"+ref["name"].(string)]
		if !ok {
			bad("%s: owner %s %s not found", key(o), ref["kind"], ref["name"])
			continue
		}
		if owner["metadata"].(obj)["uid"] != ref["uid"] {
			bad("%s: owner %s %s has another uid", key(o), ref["kind"], ref["name"])
		}
	}
}

// checkSelector checks a controller's selector matches its template and
// every pod it owns (directly or through a ReplicaSet or Job).
func checkSelector(o obj, all []obj, bad func(string, ...any)) {
	kind := o["kind"].(string)
	spec, _ := o["spec"].(obj)
	var sel map[string]string
	switch kind {
	case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
		sel = spec["selector"].(obj)["matchLabels"].(map[string]string)
		tl := spec["template"].(obj)["metadata"].(obj)["labels"].(map[string]string)
		if !matches(sel, tl) {
			bad("%s: selector does not match its pod template", key(o))
		}
	default:
		return
	}
	name := o["metadata"].(obj)["name"].(string)
	for _, p := range all {
		if p["kind"] != "Pod" || !ownedBy(p, kind, name) {
			continue
		}
		if !matches(sel, p["metadata"].(obj)["labels"].(map[string]string)) {
			bad("%s: selector does not match its pod %s", key(o), key(p))
		}
	}
}

func ownedBy(o obj, kind, name string) bool {
	refs, _ := o["metadata"].(obj)["ownerReferences"].([]any)
	for _, r := range refs {
		if ref := r.(obj); ref["kind"] == kind && ref["name"] == name {
			return true
		}
	}
	return false
}

// matches says whether a non-empty selector selects labels.
func matches(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

// checkEndpoints checks a Service with endpoint addresses selects a pod.
func checkEndpoints(all []obj, bad func(string, ...any)) {
	for _, ep := range all {
		if ep["kind"] != "Endpoints" || ep["subsets"] == nil {
			continue
		}
		m := ep["metadata"].(obj)
		var svc obj
		for _, o := range all {
			if o["kind"] == "Service" && key(o) == "Service/"+m["namespace"].(string)+"/"+m["name"].(string) {
				svc = o
			}
		}
		if svc == nil {
			bad("%s: no Service of that name", key(ep))
			continue
		}
		sel, _ := svc["spec"].(obj)["selector"].(map[string]string)
		found := false
		for _, p := range all {
			pm := p["metadata"].(obj)
			if p["kind"] == "Pod" && pm["namespace"] == m["namespace"] && matches(sel, pm["labels"].(map[string]string)) {
				found = true
			}
		}
		if !found {
			bad("%s has endpoints but its selector matches no pod", key(svc))
		}
	}
}

// walkTimes calls f for every RFC3339 time string in an object.
func walkTimes(v any, f func(time.Time, string), where string) {
	switch x := v.(type) {
	case obj:
		for k, e := range x {
			walkTimes(e, f, where+"."+k)
		}
	case []any:
		for _, e := range x {
			walkTimes(e, f, where)
		}
	case string:
		if len(x) >= 20 && x[4] == '-' && x[10] == 'T' {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				f(t, where)
			}
		}
	}
}
