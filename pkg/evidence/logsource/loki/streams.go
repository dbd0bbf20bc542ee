package loki

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Selectors are the LogQL stream selectors tried for a target, most precise
// first. Kubernetes shippers (Promtail, Alloy, the k8s-monitoring chart)
// label namespace/pod/container; compose and VM shippers label
// service_name, app, service, compose_service or job.
func Selectors(t incident.Target, pods []incident.PodState) []string {
	ns := t.Namespace
	var names []string
	seen := map[string]bool{}
	for _, p := range pods {
		if ns == "" {
			ns = p.Namespace
		}
		if !seen[p.Name] && p.Name != "" {
			seen[p.Name] = true
			names = append(names, p.Name)
		}
	}
	for _, p := range t.Pods {
		if !seen[p] && p != "" {
			seen[p] = true
			names = append(names, p)
		}
	}
	slices.Sort(names)
	if ns == "" {
		ns = t.Workload.Namespace
	}

	var out []string
	withNS := func(matchers ...string) string {
		if ns != "" {
			matchers = append([]string{"namespace=" + strconv.Quote(ns)}, matchers...)
		}
		return "{" + strings.Join(matchers, ", ") + "}"
	}
	container := ""
	if t.Container != "" {
		container = "container=" + strconv.Quote(t.Container)
	}
	podMatchers := func(podMatcher string) []string {
		if container == "" {
			return []string{podMatcher}
		}
		return []string{podMatcher, container}
	}
	if len(names) > 0 {
		alts := make([]string, len(names))
		for i, n := range names {
			alts[i] = regexp.QuoteMeta(n)
		}
		out = append(out, withNS(podMatchers("pod=~"+strconv.Quote(strings.Join(alts, "|")))...))
	}
	if !t.Workload.IsZero() && t.Workload.Kind != incident.KindPod {
		out = append(out, withNS(podMatchers("pod=~"+strconv.Quote(regexp.QuoteMeta(t.Workload.Name)+"-.+"))...))
	}
	for _, svc := range uniqueNonEmpty(t.Service, t.Workload.Name) {
		q := strconv.Quote(svc)
		out = append(out,
			withNS("app="+q),
			"{service_name="+q+"}",
			"{app="+q+"}",
			"{service="+q+"}",
			"{compose_service="+q+"}",
			"{job=~"+strconv.Quote("(.*/)?"+regexp.QuoteMeta(svc))+"}",
		)
	}
	if len(out) == 0 && ns != "" {
		out = append(out, withNS())
	}
	return uniqueNonEmpty(out...)
}

func uniqueNonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// streamKey identifies a container run in the result.
type streamKey struct{ namespace, pod, container string }

// keyOf maps a Loki label set to namespace/pod/container. Compose streams
// have no pod: the container name stands in, and the service is the
// container.
func keyOf(labels map[string]string, t incident.Target) streamKey {
	k := streamKey{namespace: labels["namespace"], pod: labels["pod"], container: labels["container"]}
	if k.namespace == "" {
		k.namespace = t.Namespace
	}
	if k.pod == "" {
		svc := first(labels["service_name"], labels["compose_service"], labels["app"], labels["service"], labels["job"])
		k.pod = first(labels["container"], labels["instance"], svc)
		k.container = first(svc, k.container)
	}
	return k
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// group merges Loki streams (one per label set: stdout/stderr, file name)
// into one LogStream per pod and container, oldest line first, keeping the
// newest lines within maxBytes. A stream is marked truncated when lines
// were dropped for size or when the query's limit was reached (older lines
// may exist).
func group(streams []stream, t incident.Target, maxBytes int64, limit int) []incident.LogStream {
	byKey := map[streamKey][]entry{}
	total := 0
	for _, s := range streams {
		k := keyOf(s.labels, t)
		byKey[k] = append(byKey[k], s.entries...)
		total += len(s.entries)
	}
	hitLimit := total >= limit
	keys := make([]streamKey, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b streamKey) int {
		return cmp.Or(cmp.Compare(a.namespace, b.namespace), cmp.Compare(a.pod, b.pod), cmp.Compare(a.container, b.container))
	})
	out := make([]incident.LogStream, 0, len(keys))
	for _, k := range keys {
		entries := byKey[k]
		// Newest first, so the byte budget keeps the latest lines.
		slices.SortStableFunc(entries, func(a, b entry) int { return b.t.Compare(a.t) })
		ls := incident.LogStream{Namespace: k.namespace, Pod: k.pod, Container: k.container, Source: "loki", Truncated: hitLimit}
		var used int64
		for _, e := range entries {
			line := clip(e.line)
			if used+int64(len(line))+1 > maxBytes {
				ls.Truncated = true
				break
			}
			used += int64(len(line)) + 1
			ls.Lines = append(ls.Lines, incident.LogLine{Time: e.t, Text: line})
		}
		slices.Reverse(ls.Lines)
		if len(ls.Lines) > 0 {
			out = append(out, ls)
		}
	}
	return out
}

// clip bounds a line, cutting at a rune boundary, and drops the trailing
// newline some shippers keep.
func clip(line string) string {
	line = strings.TrimRight(line, "\r\n")
	if len(line) <= MaxLineBytes {
		return line
	}
	cut := MaxLineBytes
	for cut > 0 && !utf8RuneStart(line[cut]) {
		cut--
	}
	return line[:cut] + " …[truncated]"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
