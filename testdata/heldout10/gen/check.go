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

var entityKinds = map[string]bool{"Pod": true, "Deployment": true, "StatefulSet": true, "DaemonSet": true, "Job": true,
	"CronJob": true, "Node": true, "Service": true, "PersistentVolumeClaim": true, "External": true}

// timeFields are the object fields that hold instants.
var timeFields = map[string]bool{"creationTimestamp": true, "firstTimestamp": true, "lastTimestamp": true, "eventTime": true,
	"lastObservedTime": true, "startedAt": true, "finishedAt": true, "startTime": true, "lastTransitionTime": true,
	"lastHeartbeatTime": true, "lastUpdateTime": true, "lastProbeTime": true, "lastScheduleTime": true, "completionTime": true}

func checkAll(all []*incident) []string {
	var problems []string
	seen := map[string]bool{}
	for _, in := range all {
		if seen[in.name] {
			problems = append(problems, in.name+": duplicate name")
		}
		seen[in.name] = true
		for _, p := range check(in) {
			problems = append(problems, in.name+": "+p)
		}
	}
	return problems
}

func key(kind, ns, name string) string { return kind + "/" + ns + "/" + name }

func check(in *incident) []string {
	var p []string
	bad := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	if !strings.HasPrefix(in.name, "h10-") {
		bad("name lacks the h10- prefix")
	}
	if !strings.HasPrefix(in.source, "https://") {
		bad("no public https source")
	}
	if n := len(in.expect.Mentions); n < 1 || n > 3 {
		bad("%d mentions, want 1-3", n)
	}
	if !categories[in.expect.Category] {
		bad("unknown category %q", in.expect.Category)
	}
	e := in.expect.Entity
	if !entityKinds[e.Kind] {
		bad("unknown entity kind %q", e.Kind)
	}
	if (e.Kind == "Node" || e.Kind == "External") && e.Namespace != "" {
		bad("%s entity with a namespace", e.Kind)
	}
	if start, err := time.Parse(time.RFC3339, in.alert.StartsAt); err != nil || start.After(in.now) {
		bad("alert startsAt %q missing or after now", in.alert.StartsAt)
	}
	if in.alert.Labels["alertname"] == "" && in.alert.Labels["grafana_folder"] == "" {
		bad("alert without alertname")
	}

	byKey := map[string]obj{}
	var pods []obj
	for _, o := range in.objects {
		kind := o["kind"].(string)
		k := key(kind, namespaceOf(o), nameOf(o))
		if byKey[k] != nil {
			bad("duplicate object %s", k)
		}
		byKey[k] = o
		if kind == "Pod" {
			pods = append(pods, o)
		}
	}
	if pod := in.alert.Labels["pod"]; pod != "" {
		if byKey[key("Pod", in.alert.Labels["namespace"], pod)] == nil {
			bad("alerted pod %s/%s not in kube/", in.alert.Labels["namespace"], pod)
		}
	}
	if e.Kind != "External" && byKey[key(e.Kind, e.Namespace, e.Name)] == nil {
		bad("expected entity %s %s/%s not in kube/", e.Kind, e.Namespace, e.Name)
	}

	for _, o := range in.objects {
		id := key(o["kind"].(string), namespaceOf(o), nameOf(o))
		md := o["metadata"].(obj)
		if refs, ok := md["ownerReferences"].([]any); ok {
			for _, r := range refs {
				ref := r.(obj)
				owner := byKey[key(ref["kind"].(string), namespaceOf(o), ref["name"].(string))]
				if owner == nil {
					bad("%s: owner %s %s not found", id, ref["kind"], ref["name"])
				} else if owner["metadata"].(obj)["uid"] != ref["uid"] {
					bad("%s: owner %s %s uid mismatch", id, ref["kind"], ref["name"])
				}
			}
		}
		walkTimes(o, func(field, v string) {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				bad("%s: %s %q is not RFC3339", id, field, v)
			} else if t.After(in.now) {
				bad("%s: %s %s is after now", id, field, v)
			}
		})
		if spec, ok := o["spec"].(obj); ok {
			if sel, ok := spec["selector"].(obj); ok {
				if ml, ok := sel["matchLabels"].(map[string]any); ok {
					if tpl, ok := spec["template"].(obj); ok {
						if !matches(ml, tpl["metadata"].(obj)["labels"].(map[string]any)) {
							bad("%s: selector does not match its pod template", id)
						}
					}
					for _, pod := range pods {
						if ownedBy(pod, o) && !matches(ml, pod["metadata"].(obj)["labels"].(map[string]any)) {
							bad("%s: selector does not match its pod %s", id, nameOf(pod))
						}
					}
				}
			}
		}
		if o["kind"] == "Endpoints" {
			subsets, _ := o["subsets"].([]any)
			if len(subsets) == 0 {
				continue
			}
			svc := byKey[key("Service", namespaceOf(o), nameOf(o))]
			if svc == nil {
				bad("%s: no Service", id)
				continue
			}
			sel, _ := svc["spec"].(obj)["selector"].(map[string]any)
			selects := false
			for _, pod := range pods {
				if namespaceOf(pod) == namespaceOf(o) && len(sel) > 0 && matches(sel, pod["metadata"].(obj)["labels"].(map[string]any)) {
					selects = true
				}
			}
			if !selects {
				bad("%s: Service with endpoints selects no pod", id)
			}
			for _, s := range subsets {
				for _, field := range []string{"addresses", "notReadyAddresses"} {
					addrs, _ := s.(obj)[field].([]any)
					for _, a := range addrs {
						ref := a.(obj)["targetRef"].(obj)
						if byKey[key("Pod", namespaceOf(o), ref["name"].(string))] == nil {
							bad("%s: endpoint pod %s not found", id, ref["name"])
						}
					}
				}
			}
		}
	}
	for path, lines := range in.logs {
		parts := strings.Split(path, "/")
		if len(parts) != 3 {
			bad("log path %s is not ns/pod/container", path)
			continue
		}
		if byKey[key("Pod", parts[0], parts[1])] == nil {
			bad("logs for pod %s/%s which is not in kube/", parts[0], parts[1])
		}
		for i, l := range lines {
			if l.at.After(in.now) {
				bad("%s: line %d at %s is after now", path, i+1, l.at.Format(time.RFC3339Nano))
			}
			if i > 0 && l.at.Before(lines[i-1].at) {
				bad("%s: line %d is out of time order", path, i+1)
			}
		}
	}
	for _, f := range in.metrics {
		if f.typ == "counter" && !strings.HasSuffix(f.name, "_total") {
			bad("counter %s does not end in _total", f.name)
		}
		for _, s := range f.series {
			if n := len(s.values); n < 21 || n > 61 {
				bad("%s{%s}: %d samples, want 5-15 min at 15 s", f.name, s.labels, n)
			}
			if f.typ == "counter" {
				for i := 1; i < len(s.values); i++ {
					if s.values[i] < s.values[i-1] {
						bad("%s{%s}: counter decreases", f.name, s.labels)
						break
					}
				}
			}
		}
	}
	return p
}

func walkTimes(v any, visit func(field, value string)) {
	switch x := v.(type) {
	case obj:
		for k, val := range x {
			if s, ok := val.(string); ok && timeFields[k] {
				visit(k, normalizeMicro(s))
				continue
			}
			walkTimes(val, visit)
		}
	case []any:
		for _, e := range x {
			walkTimes(e, visit)
		}
	}
}

// normalizeMicro lets the scheduler's MicroTime pass the RFC3339 parse.
func normalizeMicro(s string) string {
	if t, err := time.Parse("2006-01-02T15:04:05.000000Z", s); err == nil {
		return t.Format(time.RFC3339)
	}
	return s
}

func matches(selector, labels map[string]any) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func ownedBy(pod, owner obj) bool {
	refs, _ := pod["metadata"].(obj)["ownerReferences"].([]any)
	for _, r := range refs {
		if r.(obj)["uid"] == owner["metadata"].(obj)["uid"] {
			return true
		}
	}
	return false
}
