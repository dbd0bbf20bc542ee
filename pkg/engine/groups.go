package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// targetLabels name what an alert is about, most specific first; the first
// one set is the alert's target within its namespace.
var targetLabels = []string{"deployment", "statefulset", "daemonset", "rollout", "cronjob", "job_name", "job",
	"service", "app_kubernetes_io_name", "app", "persistentvolumeclaim", "node", "pod"}

// MaxGroupAlerts bounds the alerts explained as one group (a larger
// webhook delivery is split into groups of this size).
const MaxGroupAlerts = 50

// targetRef is the object an alert is about: its namespace and the most
// specific target label set.
type targetRef struct{ namespace, label, value string }

func targetOf(a incident.Alert) targetRef {
	for _, l := range targetLabels {
		if v := a.Labels[l]; v != "" {
			return targetRef{namespace: a.Labels["namespace"], label: l, value: v}
		}
	}
	return targetRef{namespace: a.Labels["namespace"]}
}

func (t targetRef) String() string {
	if t.label == "" {
		return t.namespace + "/"
	}
	return t.namespace + "/" + t.label + "=" + t.value
}

// podSuffix is what a controller adds to its name to name a pod: a
// ReplicaSet hash and a random part, a random part, or an ordinal.
var podSuffix = regexp.MustCompile(`^(?:(?:[a-z0-9]{5,10}-)?[a-z0-9]{5}|[0-9]+)$`)

// podOf reports whether pod is named like a pod of the workload called name.
func podOf(pod, name string) bool {
	rest, ok := strings.CutPrefix(pod, name+"-")
	return ok && podSuffix.MatchString(rest)
}

// isNamedBy reports whether a root cause's entity is the object the alert
// is about: the same node or volume, the same workload or Service (by
// name, since an alert's label rarely says the kind), or a pod of it.
func (t targetRef) isNamedBy(e incident.Entity) bool {
	if t.value == "" || e.Name == "" {
		return false
	}
	switch {
	case t.label == "node":
		return e.Kind == incident.KindNode && e.Name == t.value
	case e.Kind == incident.KindNode:
		return false
	case e.Kind == incident.KindExternal:
		return e.Name == t.value
	case e.Namespace != t.namespace:
		return false
	case t.label == "persistentvolumeclaim":
		return e.Kind == incident.KindPVC && e.Name == t.value
	case t.label == "pod":
		return (e.Kind == incident.KindPod && e.Name == t.value) || (e.IsWorkload() && podOf(t.value, e.Name))
	case e.Kind == incident.KindPod:
		return podOf(e.Name, t.value)
	}
	return (e.IsWorkload() || e.Kind == incident.KindService) && e.Name == t.value
}

// GroupByTarget splits alerts into groups that share a target, in the
// order their first alert came.
func GroupByTarget(alerts []incident.Alert) [][]incident.Alert {
	var groups [][]incident.Alert
	index := map[targetRef]int{}
	for _, a := range alerts {
		k := targetOf(a)
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

// linkable reports whether a cause can tie alerts together: the analyzers
// concluded a category and named what is responsible.
func linkable(c incident.RootCause) bool {
	return c.Category != "" && c.Category != incident.CategoryUnknown && !c.Entity.IsZero()
}

func sameCause(a, b incident.RootCause) bool {
	return linkable(a) && linkable(b) && a.Category == b.Category && a.Entity == b.Entity
}

func causeText(c incident.RootCause) string {
	return string(c.Category) + " of " + c.Entity.String()
}

// grouping is the alerts of one request split by target, each target's
// cause as the analyzers see it, and the incidents they form.
type grouping struct {
	targets [][]incident.Alert
	refs    []targetRef
	causes  []incident.RootCause
	plans   []incidentPlan
	// incidentOf is the plan each target belongs to.
	incidentOf []int
}

// incidentPlan is targets explained as one incident; primary is the one
// whose first alert is explained for all.
type incidentPlan struct {
	members []int
	primary int
}

// names reports whether target i's cause is target j.
func (g *grouping) names(i, j int) bool {
	return i != j && linkable(g.causes[i]) && g.refs[j].isNamedBy(g.causes[i].Entity)
}

// linked reports whether targets i and j belong to one incident.
func (g *grouping) linked(i, j int) bool {
	return g.names(i, j) || g.names(j, i) || sameCause(g.causes[i], g.causes[j])
}

// newGrouping plans the incidents of targets whose analysed causes are
// causes (one per target). Linked targets join one incident, transitively;
// incidents come in the order of their first target. The primary is the
// incident's deepest cause: a target another member's cause names and whose
// own cause names no other member; without one (the same cause seen from
// several targets), the first target.
func newGrouping(targets [][]incident.Alert, causes []incident.RootCause) *grouping {
	g := &grouping{targets: targets, causes: causes, refs: make([]targetRef, len(targets)), incidentOf: make([]int, len(targets))}
	for i, t := range targets {
		g.refs[i] = targetOf(t[0])
	}
	root := make([]int, len(targets))
	for i := range root {
		root[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if root[i] != i {
			root[i] = find(root[i])
		}
		return root[i]
	}
	for i := range targets {
		for j := i + 1; j < len(targets); j++ {
			if g.linked(i, j) {
				a, b := find(i), find(j)
				root[max(a, b)] = min(a, b)
			}
		}
	}
	byRoot := map[int]int{}
	for i := range targets {
		r := find(i)
		k, ok := byRoot[r]
		if !ok {
			k = len(g.plans)
			byRoot[r] = k
			g.plans = append(g.plans, incidentPlan{primary: -1})
		}
		g.plans[k].members = append(g.plans[k].members, i)
		g.incidentOf[i] = k
	}
	for k := range g.plans {
		g.plans[k].primary = g.deepest(g.plans[k].members)
	}
	return g
}

func (g *grouping) deepest(members []int) int {
	for _, j := range members {
		named, naming := false, false
		for _, i := range members {
			named = named || g.names(i, j)
			naming = naming || g.names(j, i)
		}
		if named && !naming {
			return j
		}
	}
	return members[0]
}

// describe is the group as incident k's explanation tells it: every alert,
// whether k explains it, why, and which explanation does (exIDs, one per
// incident).
func (g *grouping) describe(id string, k int, exIDs []string) *incident.AlertGroup {
	out := &incident.AlertGroup{ID: id}
	for t, alerts := range g.targets {
		inc := g.incidentOf[t]
		for n, a := range alerts {
			m := incident.GroupMember{
				Fingerprint: fingerprintOf(a), Name: clip(a.Name(), 128), Target: clip(g.refs[t].String(), 256),
				Labels: labelSummary(a, g.refs[t].label), SharesCause: inc == k, ExplanationID: exIDs[inc],
			}
			if inc == k {
				m.Reason = g.sharedReason(k, t, n)
			} else {
				m.Reason = g.apartReason(t)
			}
			out.Alerts = append(out.Alerts, m)
		}
	}
	return out
}

// sharedReason says why alert n of target t belongs to incident k.
func (g *grouping) sharedReason(k, t, n int) string {
	primary := g.plans[k].primary
	switch {
	case n > 0:
		return "fired on the same target as " + clip(g.targets[t][0].Name(), 128)
	case t == primary:
		return "the alert this explanation is about"
	}
	others := append([]int{primary}, g.plans[k].members...)
	for _, u := range others {
		other := clip(g.targets[u][0].Name(), 128)
		switch {
		case u == t:
		case g.names(t, u):
			return fmt.Sprintf("the analyzers trace it to %s, the object %s fired on", g.causes[t].Entity, other)
		case g.names(u, t):
			return fmt.Sprintf("the analyzers trace %s to this alert's target (%s)", other, causeText(g.causes[u]))
		case sameCause(g.causes[t], g.causes[u]):
			return fmt.Sprintf("the analyzers find the same cause as for %s: %s", other, causeText(g.causes[t]))
		}
	}
	return "linked to this incident through another of its alerts"
}

// apartReason says why target t's alerts are explained apart.
func (g *grouping) apartReason(t int) string {
	if linkable(g.causes[t]) {
		return "explained apart: the analyzers find another cause, " + causeText(g.causes[t])
	}
	return "explained apart: the analyzers find no cause linking it to this incident"
}

// labelSummary names the alert's identifying labels, bounded.
func labelSummary(a incident.Alert, targetLabel string) string {
	var parts []string
	for _, k := range []string{"namespace", targetLabel, "container", "severity"} {
		if v := a.Labels[k]; k != "" && v != "" {
			parts = append(parts, k+"="+clip(v, 64))
		}
	}
	return strings.Join(parts, ", ")
}

func fingerprintOf(a incident.Alert) string {
	if a.Fingerprint != "" {
		return clip(a.Fingerprint, 64)
	}
	return alert.Fingerprint(a.Labels)
}

// GroupID names the alerts that came together: the same alerts (by
// fingerprint and start) always give the same id, so that Alertmanager's
// repeated notifications of one group land in one history group.
func GroupID(alerts []incident.Alert) string {
	keys := make([]string, 0, len(alerts))
	for _, a := range alerts {
		keys = append(keys, fingerprintOf(a)+"@"+a.StartsAt.UTC().Format(time.RFC3339))
	}
	sort.Strings(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return "grp_" + hex.EncodeToString(sum[:8])
}

var validGroupID = regexp.MustCompile(`^grp_[0-9a-f]{16}$`)

// ValidGroupID reports whether s is shaped like a GroupID.
func ValidGroupID(s string) bool { return validGroupID.MatchString(s) }

// ExplainAll explains several alerts (an Alertmanager group). Alerts on one
// target are one incident. With several targets, each target's evidence is
// first analysed without a model; targets whose causes link them (the same
// cause, or one's cause being another's target: order-service failing
// because payment-service is down) are one incident too, explained once,
// with the model, for its deepest cause. Every explanation carries the
// group: all the alerts, and which it explains. req.Alert is ignored.
func (e *Engine) ExplainAll(ctx context.Context, alerts []incident.Alert, req Request) ([]incident.Explanation, error) {
	if len(alerts) > MaxGroupAlerts {
		return nil, &Error{Code: Invalid, Message: fmt.Sprintf("%d alerts in one request; send at most %d", len(alerts), MaxGroupAlerts)}
	}
	if len(alerts) == 0 {
		return nil, nil
	}
	targets := GroupByTarget(alerts)
	causes := make([]incident.RootCause, len(targets))
	// The evidence each target's analysis collected is what its incident is
	// explained from, so that no target is collected twice.
	collected := make([]*explain.Collected, len(targets))
	if len(targets) > 1 {
		e.analyseTargets(ctx, targets, causes, collected)
	}
	g := newGrouping(targets, causes)
	out := make([]incident.Explanation, len(g.plans))
	for k, p := range g.plans {
		req.Alert = targets[p.primary][0]
		ex, err := e.explainCollected(ctx, req, collected[p.primary])
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", clip(req.Alert.Name(), 128), err)
		}
		out[k] = ex
	}
	e.attachGroup(ctx, g, GroupID(alerts), out, req.User)
	return out, nil
}

// JoinGroup records in ex, made for the first of alerts, that alerts (all
// on one target) came together and are explained by it.
func (e *Engine) JoinGroup(ctx context.Context, ex *incident.Explanation, alerts []incident.Alert, user string) {
	if len(alerts) < 2 {
		return
	}
	g := newGrouping([][]incident.Alert{alerts}, []incident.RootCause{ex.RootCause})
	out := []incident.Explanation{*ex}
	e.attachGroup(ctx, g, GroupID(alerts), out, user)
	*ex = out[0]
}

// attachGroup sets the group of each incident's explanation, notes it, and
// stores it so that history lists the group.
func (e *Engine) attachGroup(ctx context.Context, g *grouping, id string, out []incident.Explanation, user string) {
	if len(g.targets) == 1 && len(g.targets[0]) == 1 {
		return
	}
	ids := make([]string, len(out))
	for k := range out {
		ids[k] = out[k].ID
	}
	for k := range out {
		out[k].Group = g.describe(id, k, ids)
		noteGroup(&out[k])
		e.keepGroup(ctx, out[k], user)
	}
}

// groupNote starts the note naming the alerts an explanation also explains.
const groupNote = "explained as one incident with "

// noteGroup says in ex which other alerts of its group it explains, once
// (a cached explanation may carry the note of an earlier delivery).
func noteGroup(ex *incident.Explanation) {
	notes := ex.Notes[:0:0]
	for _, n := range ex.Notes {
		if !strings.HasPrefix(n, groupNote) {
			notes = append(notes, n)
		}
	}
	var shared []string
	apart := 0
	for _, m := range ex.Group.Alerts {
		switch {
		case !m.SharesCause:
			apart++
		case m.Name != ex.Alert.Name() || m.Fingerprint != fingerprintOf(ex.Alert):
			shared = append(shared, m.Name)
		}
	}
	if len(shared) > 0 {
		note := groupNote + strings.Join(shared, ", ")
		switch {
		case apart == 1:
			note += "; 1 other alert of the group is explained apart"
		case apart > 1:
			note += fmt.Sprintf("; %d other alerts of the group are explained apart", apart)
		}
		notes = append(notes, note)
	}
	ex.Notes = notes
}

// keepGroup saves ex with its group over the stored explanation (keeping
// who asked and the cache key), or as a new record when none was kept.
func (e *Engine) keepGroup(ctx context.Context, ex incident.Explanation, user string) {
	st, err := e.Store(ctx)
	if err != nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	rec, err := st.Get(ctx, ex.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		rec = store.Record{User: user}
	case err != nil:
		e.opt.Logger.Warn("Reading an explanation to record its alert group failed", "id", ex.ID, "error", err)
		return
	}
	rec.Explanation = ex
	if err := st.Save(ctx, rec); err != nil {
		e.opt.Logger.Error("Saving the alert group of an explanation failed", "id", ex.ID, "error", err)
	}
}

// groupAnalysers bounds the targets of one group analysed at once, so
// that a large group neither waits on each collection in turn nor opens
// fifty at a time against the cluster and Prometheus.
const groupAnalysers = 4

// analyseTargets fills causes with each target's analysed cause, and
// collected with the evidence it was analysed from (nil where the
// collection failed: that target is collected again when explained).
func (e *Engine) analyseTargets(ctx context.Context, targets [][]incident.Alert, causes []incident.RootCause, collected []*explain.Collected) {
	pl := e.analyzers()
	slots := make(chan struct{}, groupAnalysers)
	var wg sync.WaitGroup
	for i, t := range targets {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			causes[i], collected[i] = e.analysedCause(ctx, pl, t[0])
		})
	}
	wg.Wait()
}

// analysedCause is the analyzers' cause for the alert, without a model or
// the cache, and the evidence behind it; a failed collection links nothing.
func (e *Engine) analysedCause(ctx context.Context, pl *explain.Pipeline, a incident.Alert) (incident.RootCause, *explain.Collected) {
	c, err := pl.Collect(ctx, a)
	var ex incident.Explanation
	if err == nil {
		ex, err = pl.Explain(ctx, explain.Request{Alert: a, Collected: c})
	}
	if err != nil {
		e.opt.Logger.Warn("Analysing an alert of a group failed; it is explained on its own", "alertname", clip(a.Name(), 128), "error", err)
		return incident.RootCause{}, nil
	}
	return ex.RootCause, c
}
