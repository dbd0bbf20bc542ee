package kubeapi

// Events exist in two API shapes over one storage: core/v1 (involvedObject,
// message, count, firstTimestamp/lastTimestamp, plus eventTime/series for new
// emitters) and events.k8s.io/v1 (regarding, note, deprecated* fields). The
// server stores core/v1 and converts on the way out, like kube-apiserver.

// eventFieldPairs maps events.k8s.io/v1 field names to core/v1 ones.
var eventFieldPairs = [][2]string{
	{"regarding", "involvedObject"},
	{"note", "message"},
	{"reportingController", "reportingComponent"},
	{"reportingInstance", "reportingInstance"},
	{"deprecatedSource", "source"},
	{"deprecatedFirstTimestamp", "firstTimestamp"},
	{"deprecatedLastTimestamp", "lastTimestamp"},
	{"deprecatedCount", "count"},
	{"eventTime", "eventTime"},
	{"series", "series"},
	{"action", "action"},
	{"reason", "reason"},
	{"related", "related"},
	{"type", "type"},
	{"metadata", "metadata"},
}

// eventToCore converts an events.k8s.io/v1 Event to its core/v1 form.
func eventToCore(m map[string]any) map[string]any {
	out := map[string]any{"apiVersion": "v1", "kind": "Event"}
	for _, p := range eventFieldPairs {
		if v, ok := m[p[0]]; ok && v != nil {
			out[p[1]] = v
		}
	}
	return out
}

// eventToV1 converts a stored core/v1 Event to its events.k8s.io/v1 form.
func eventToV1(m map[string]any) map[string]any {
	out := map[string]any{"apiVersion": "events.k8s.io/v1", "kind": "Event"}
	for _, p := range eventFieldPairs {
		if v, ok := m[p[1]]; ok && v != nil {
			out[p[0]] = v
		}
	}
	return out
}
