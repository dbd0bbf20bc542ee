package plugin

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds of GET /watch/findings.
const (
	defaultWatchFindings = 100
	maxWatchFindings     = 500
	defaultWatchSince    = 24 * time.Hour
)

// validNamespace is a Kubernetes namespace name (RFC 1123 label).
var validNamespace = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

// watchPage is what GET /watch/findings answers: the stored findings,
// newest first, and whether the watch runs, so that an empty list can say
// why it is empty.
type watchPage struct {
	Items      []incident.WatchFinding `json:"items"`
	Enabled    bool                    `json:"enabled"`
	Namespaces []string                `json:"namespaces"`
}

// getWatchFindings serves GET /watch/findings (namespace, since, limit):
// the log watch's findings, each with the synthetic alert POST /explain
// takes, so that a finding can be explained before any alert fires.
func (a *App) getWatchFindings(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	q := r.URL.Query()
	ns := strings.TrimSpace(q.Get("namespace"))
	if ns != "" && !validNamespace.MatchString(ns) {
		return Errorf(http.StatusBadRequest, "namespace %q is not a Kubernetes namespace name", clip(ns, 80))
	}
	now := a.svc.engine.Now()
	since := now.Add(-defaultWatchSince)
	if s := strings.TrimSpace(q.Get("since")); s != "" {
		t, err := parseSince(s, now)
		if err != nil {
			return err
		}
		since = t
	}
	limit, err := intParam(strings.TrimSpace(q.Get("limit")), "limit", defaultWatchFindings, 1, maxWatchFindings)
	if err != nil {
		return err
	}
	st, err := a.svc.engine.Store(r.Context())
	if err != nil {
		return err
	}
	found, err := st.WatchFindings(r.Context(), ns, since, limit)
	if err != nil {
		return err
	}
	ws := a.svc.engine.Settings().Watch
	page := watchPage{Items: found, Enabled: ws.Enabled, Namespaces: ws.Namespaces}
	if page.Items == nil {
		page.Items = []incident.WatchFinding{}
	}
	if page.Namespaces == nil {
		page.Namespaces = []string{}
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
