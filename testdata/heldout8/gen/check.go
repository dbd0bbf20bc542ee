package main

import (
	"fmt"
	"strings"
	"time"
)

// check returns every inconsistency in one incident: broken owner chains,
// selectors that miss their pods, timestamps after now, and expectations
// that point at objects the fixture does not contain.
func check(w *world) []string {
	var problems []string
	fail := func(format string, a ...any) { problems = append(problems, w.name+": "+fmt.Sprintf(format, a...)) }

	type key struct{ kind, ns, name string }
	index := map[key]obj{}
	var all []obj
	for _, items := range w.files {
		for _, o := range items {
			m := o["metadata"].(obj)
			ns, _ := m["namespace"].(string)
			if o["kind"] == "Event" {
				ns = ""
			}
			index[key{o["kind"].(string), ns, m["name"].(string)}] = o
			all = append(all, o)
		}
	}
	labelsOf := func(o obj) map[string]string {
		l, _ := o["metadata"].(obj)["labels"].(map[string]string)
		return l
	}
	matches := func(sel, labels map[string]string) bool {
		for k, v := range sel {
			if labels[k] != v {
				return false
			}
		}
		return true
	}

	for _, o := range all {
		m := o["metadata"].(obj)
		ns, _ := m["namespace"].(string)
		refs, _ := m["ownerReferences"].([]obj)
		for _, r := range refs {
			target, ok := index[key{r["kind"].(string), ns, r["name"].(string)}]
			if !ok {
				if r["kind"] != "Rollout" {
					fail("%s %s/%s: owner %s %s missing", o["kind"], ns, m["name"], r["kind"], r["name"])
				}
				continue
			}
			if target["metadata"].(obj)["uid"] != r["uid"] {
				fail("%s %s/%s: owner uid mismatch", o["kind"], ns, m["name"])
			}
			if sel := selectorOf(target); sel != nil && !matches(sel, labelsOf(o)) && o["kind"] != "Job" {
				fail("%s %s/%s: labels do not match owner %s selector", o["kind"], ns, m["name"], r["name"])
			}
		}
		if sel := selectorOf(o); sel != nil {
			tpl := o["spec"].(obj)["template"].(obj)["metadata"].(obj)["labels"].(map[string]string)
			if !matches(sel, tpl) {
				fail("%s %s/%s: selector does not match its template", o["kind"], ns, m["name"])
			}
		}
		if o["kind"] == "Endpoints" && o["subsets"] != nil {
			svc := index[key{"Service", ns, m["name"].(string)}]
			sel, _ := svc["spec"].(obj)["selector"].(map[string]string)
			found := false
			for _, p := range all {
				if p["kind"] == "Pod" && p["metadata"].(obj)["namespace"] == ns && matches(sel, labelsOf(p)) {
					found = true
				}
			}
			if !found && len(sel) > 0 {
				fail("Service %s/%s has endpoints but selects no pod", ns, m["name"])
			}
		}
		walkTimes(o, func(path string, t time.Time) {
			if t.After(w.now) {
				fail("%s %s/%s: %s %s is after now", o["kind"], ns, m["name"], path, t.Format(time.RFC3339))
			}
		})
	}
	for file, lines := range w.logs {
		for _, l := range lines {
			t, err := time.Parse(time.RFC3339Nano, strings.SplitN(l, " ", 2)[0])
			if err != nil || t.After(w.now) {
				fail("log %s: bad or future timestamp in %q", file, l)
				break
			}
		}
		parts := strings.Split(file, "/")
		if _, ok := index[key{"Pod", parts[0], parts[1]}]; !ok {
			fail("log %s: pod missing", file)
		}
	}
	if w.alert == nil || w.expect == nil {
		fail("alert or expect missing")
		return problems
	}
	if t, err := time.Parse(time.RFC3339, w.alert["startsAt"].(string)); err != nil || t.After(w.now) {
		fail("alert startsAt after now")
	}
	al := w.alert["labels"].(map[string]string)
	if p := al["pod"]; p != "" {
		if _, ok := index[key{"Pod", al["namespace"], p}]; !ok {
			fail("alerted pod %s/%s missing", al["namespace"], p)
		}
	}
	e := w.expect["entity"].(obj)
	kind, ns, name := e["kind"].(string), e["namespace"].(string), e["name"].(string)
	if kind != "External" {
		if _, ok := index[key{kind, ns, name}]; !ok {
			fail("expected entity %s %s/%s missing", kind, ns, name)
		}
	}
	if (kind == "Node" || kind == "External") && ns != "" {
		fail("expected %s entity must have an empty namespace", kind)
	}
	if n := len(w.expect["mentions"].([]string)); n < 1 || n > 3 {
		fail("%d mentions, want 1-3", n)
	}
	if !strings.HasPrefix(w.source, "https://") {
		fail("source address missing")
	}
	return problems
}

func selectorOf(o obj) map[string]string {
	if o["kind"] != "Deployment" && o["kind"] != "ReplicaSet" && o["kind"] != "StatefulSet" && o["kind"] != "DaemonSet" {
		return nil
	}
	sel, _ := o["spec"].(obj)["selector"].(obj)["matchLabels"].(map[string]string)
	return sel
}

// walkTimes calls f for every string in v that is an RFC3339 timestamp.
func walkTimes(v any, f func(path string, t time.Time)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case obj:
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []obj:
			for _, c := range x {
				walk(path, c)
			}
		case string:
			if len(x) >= 20 && x[4] == '-' && x[10] == 'T' {
				if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
					f(path, t)
				}
			}
		}
	}
	walk("", v)
}
