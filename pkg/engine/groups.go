package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// targetLabels name what an alert is about, most specific first; the first
// one set is the alert's target within its namespace.
var targetLabels = []string{"deployment", "statefulset", "daemonset", "rollout", "cronjob", "job_name", "job",
	"service", "app_kubernetes_io_name", "app", "persistentvolumeclaim", "node", "pod"}

// maxGroupAlerts bounds the alerts one request may ask about.
const maxGroupAlerts = 50

// targetKey groups alerts that point at the same object: the namespace and
// the most specific target label.
func targetKey(a incident.Alert) string {
	for _, l := range targetLabels {
		if v := a.Labels[l]; v != "" {
			return a.Labels["namespace"] + "/" + l + "=" + v
		}
	}
	return a.Labels["namespace"] + "/"
}

// GroupByTarget splits alerts into groups that share a target, in the
// order their first alert came.
func GroupByTarget(alerts []incident.Alert) [][]incident.Alert {
	var groups [][]incident.Alert
	index := map[string]int{}
	for _, a := range alerts {
		k := targetKey(a)
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], a)
	}
	return groups
}

// ExplainAll explains several alerts (an Alertmanager group): one
// explanation per target, the alerts that share a target explained as one
// incident whose notes name the others. req.Alert is ignored.
func (e *Engine) ExplainAll(ctx context.Context, alerts []incident.Alert, req Request) ([]incident.Explanation, error) {
	if len(alerts) > maxGroupAlerts {
		return nil, &Error{Code: Invalid, Message: fmt.Sprintf("%d alerts in one request; send at most %d", len(alerts), maxGroupAlerts)}
	}
	var out []incident.Explanation
	for _, group := range GroupByTarget(alerts) {
		req.Alert = group[0]
		ex, err := e.Explain(ctx, req)
		if err != nil {
			return out, fmt.Errorf("explain %s: %w", clip(group[0].Name(), 128), err)
		}
		NoteGroup(&ex, group)
		out = append(out, ex)
	}
	return out, nil
}

// NoteGroup says in ex which other alerts of its group it explains too.
func NoteGroup(ex *incident.Explanation, group []incident.Alert) {
	if len(group) < 2 {
		return
	}
	names := make([]string, 0, len(group)-1)
	for _, a := range group[1:] {
		names = append(names, clip(a.Name(), 128))
	}
	ex.Notes = append(ex.Notes, fmt.Sprintf("explained as one incident with %s, which fired on the same target", strings.Join(names, ", ")))
}
