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

// check returns one line per inconsistency across the whole set.
func check(all []*incident) []string {
	var problems []string
	seen := map[string]bool{}
	for _, in := range all {
		report := func(format string, args ...any) {
			problems = append(problems, in.name+": "+fmt.Sprintf(format, args...))
		}
		if seen[in.name] {
			report("duplicate incident name")
		}
		seen[in.name] = true
		checkIncident(in, report)
	}
	if n := len(all); n < 30 || n > 34 {
		problems = append(problems, fmt.Sprintf("set has %d incidents, want 30-34", n))
	}
	return problems
}

func checkIncident(in *incident, report func(string, ...any)) {
	if !strings.HasPrefix(in.name, "h11-") {
		report("name lacks the h11- prefix")
	}
	if !strings.HasPrefix(in.source, "https://") {
		report("no public source")
	}
	if n := len(in.expect.mentions); n < 1 || n > 3 {
		report("%d mentions, want 1-3", n)
	}
	if !categories[in.expect.category] {
		report("unknown category %q", in.expect.category)
	}
	if in.alert.startsAt.After(in.now) {
		report("alert starts after now")
	}
	byKey := map[string]obj{}
	for _, o := range in.objects {
		byKey[key(o)] = o
	}
	checkOwners(in, byKey, report)
	checkSelectors(in, report)
	checkTimes(in, report)
	if p := in.alert.labels["pod"]; p != "" {
		if _, ok := byKey["Pod/"+in.alert.labels["namespace"]+"/"+p]; !ok {
			report("alerted pod %s not in kube/", p)
		}
	}
	e := in.expect
	if (e.kind == "Node" || e.kind == "External") && e.namespace != "" {
		report("%s entity with a namespace", e.kind)
	}
	if e.kind != "External" {
		if _, ok := byKey[e.kind+"/"+e.namespace+"/"+e.name]; !ok {
			report("expected entity %s %s/%s not in kube/", e.kind, e.namespace, e.name)
		}
	}
	for _, l := range in.logs {
		if _, ok := byKey["Pod/"+l.namespace+"/"+l.pod]; !ok {
			report("log for pod %s/%s not in kube/", l.namespace, l.pod)
		}
	}
}

func key(o obj) string {
	m := o["metadata"].(obj)
	ns, _ := m["namespace"].(string)
	return o["kind"].(string) + "/" + ns + "/" + m["name"].(string)
}

func checkOwners(in *incident, byKey map[string]obj, report func(string, ...any)) {
	for _, o := range in.objects {
		m := o["metadata"].(obj)
		refs, _ := m["ownerReferences"].([]any)
		ns, _ := m["namespace"].(string)
		for _, r := range refs {
			ref := r.(obj)
			owner, ok := byKey[ref["kind"].(string)+"/"+ns+"/"+ref["name"].(string)]
			if !ok {
				report("%s: owner %s %s missing", key(o), ref["kind"], ref["name"])
				continue
			}
			if owner["metadata"].(obj)["uid"] != ref["uid"] {
				report("%s: owner %s %s uid mismatch", key(o), ref["kind"], ref["name"])
			}
		}
	}
}

func matches(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func labelsOf(o obj) map[string]string {
	l, _ := o["metadata"].(obj)["labels"].(map[string]string)
	return l
}

func checkSelectors(in *incident, report func(string, ...any)) {
	pods := map[string][]obj{}
	for _, o := range in.objects {
		if o["kind"] == "Pod" {
			ns, _ := o["metadata"].(obj)["namespace"].(string)
			pods[ns] = append(pods[ns], o)
		}
	}
	for _, o := range in.objects {
		ns, _ := o["metadata"].(obj)["namespace"].(string)
		name := o["metadata"].(obj)["name"].(string)
		switch o["kind"] {
		case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
			spec := o["spec"].(obj)
			sel := spec["selector"].(obj)["matchLabels"].(map[string]string)
			tmpl := spec["template"].(obj)["metadata"].(obj)["labels"].(map[string]string)
			if !matches(sel, tmpl) {
				report("%s: selector does not match its template", key(o))
			}
			for _, p := range pods[ns] {
				refs, _ := p["metadata"].(obj)["ownerReferences"].([]any)
				for _, r := range refs {
					ref := r.(obj)
					if ref["kind"] == o["kind"] && ref["name"] == name && !matches(sel, labelsOf(p)) {
						report("%s: owned pod %s does not match the selector", key(o), key(p))
					}
				}
			}
		case "Endpoints":
			subsets, _ := o["subsets"].([]any)
			if len(subsets) == 0 {
				continue
			}
			var svc obj
			for _, s := range in.objects {
				if s["kind"] == "Service" && key(s) == "Service/"+ns+"/"+name {
					svc = s
				}
			}
			if svc == nil {
				report("%s: no Service", key(o))
				continue
			}
			sel, _ := svc["spec"].(obj)["selector"].(map[string]string)
			found := false
			for _, p := range pods[ns] {
				found = found || (len(sel) > 0 && matches(sel, labelsOf(p)))
			}
			if !found {
				report("%s: Service has endpoints but selects no pod", key(o))
			}
		}
	}
}

// checkTimes walks every timestamp-looking string field and every log line
// and metric sample, and reports anything after now and logs out of order.
func checkTimes(in *incident, report func(string, ...any)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case obj:
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(path, c)
			}
		case string:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil && t.After(in.now) {
				report("%s at %s is after now", path, x)
			}
		}
	}
	for _, o := range in.objects {
		walk(key(o), o)
	}
	for _, l := range in.logs {
		for i, line := range l.lines {
			if line.at.After(in.now) {
				report("log %s/%s/%s line %d after now", l.namespace, l.pod, l.container, i+1)
			}
			if i > 0 && line.at.Before(l.lines[i-1].at) {
				report("log %s/%s/%s line %d out of order", l.namespace, l.pod, l.container, i+1)
			}
		}
	}
	for _, s := range in.metrics {
		if s.end.After(in.now) {
			report("series %s ends after now", s.name)
		}
		if span := s.end.Sub(s.start); span < 5*time.Minute || span > 15*time.Minute {
			report("series %s spans %v, want 5-15 min", s.name, span)
		}
		if s.typ == "counter" && !strings.HasSuffix(s.name, "_total") {
			report("counter %s does not end in _total", s.name)
		}
	}
}
