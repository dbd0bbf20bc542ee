package plugin

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// Paging bounds of GET /explanations.
const (
	defaultPageSize = 50
	maxPageSize     = 500
	maxOffset       = 1_000_000
	maxCommentRunes = 2000
	maxFilterLength = 256
)

// historyItem is an explanation as history lists it: the explanation with
// who asked and their feedback.
type historyItem struct {
	incident.Explanation
	User     string          `json:"user"`
	Feedback *store.Feedback `json:"feedback,omitempty"`
}

type historyPage struct {
	Items []historyItem `json:"items"`
	Total int           `json:"total"`
}

func itemOf(r store.Record) historyItem {
	return historyItem{Explanation: r.Explanation, User: r.User, Feedback: r.Feedback}
}

// parseHistoryFilter reads the query parameters of GET /explanations.
func parseHistoryFilter(q map[string][]string, now time.Time) (store.Filter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := store.Filter{AlertName: get("alertname"), Namespace: get("namespace"), Category: get("category"), Limit: defaultPageSize}
	for name, v := range map[string]string{"alertname": f.AlertName, "namespace": f.Namespace, "category": f.Category} {
		if len(v) > maxFilterLength {
			return f, Errorf(http.StatusBadRequest, "%s is longer than %d characters", name, maxFilterLength)
		}
	}
	if g := get("group"); g != "" {
		if !engine.ValidGroupID(g) {
			return f, Errorf(http.StatusBadRequest, "group %q is not an alert group id (grp_ and 16 hex digits)", clip(g, 40))
		}
		f.Group = g
	}
	if f.Category != "" && !incident.Category(f.Category).Valid() {
		return f, Errorf(http.StatusBadRequest, "category %q is not one of the root-cause categories", clip(f.Category, 40))
	}
	if s := get("since"); s != "" {
		t, err := parseSince(s, now)
		if err != nil {
			return f, err
		}
		f.Since = t
	}
	var err error
	if f.Limit, err = intParam(get("limit"), "limit", defaultPageSize, 1, maxPageSize); err != nil {
		return f, err
	}
	if f.Offset, err = intParam(get("offset"), "offset", 0, 0, maxOffset); err != nil {
		return f, err
	}
	return f, nil
}

// parseSince accepts an RFC3339 time, a Go duration ("24h", meaning that
// long ago) or Unix milliseconds (what Grafana's time picker holds).
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms >= 0 && ms < 1<<53 {
		return time.UnixMilli(ms), nil
	}
	return time.Time{}, Errorf(http.StatusBadRequest, "since %q is not an RFC3339 time, a duration like 24h, or Unix milliseconds", clip(s, 40))
}

func intParam(v, name string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, Errorf(http.StatusBadRequest, "%s must be a whole number between %d and %d", name, lo, hi)
	}
	return n, nil
}

// getExplanations serves GET /explanations.
func (a *App) getExplanations(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	f, err := parseHistoryFilter(r.URL.Query(), a.svc.engine.Now())
	if err != nil {
		return err
	}
	st, err := a.svc.engine.Store(r.Context())
	if err != nil {
		return err
	}
	recs, total, err := st.List(r.Context(), f)
	if err != nil {
		return err
	}
	page := historyPage{Items: make([]historyItem, 0, len(recs)), Total: total}
	for _, rec := range recs {
		page.Items = append(page.Items, itemOf(rec))
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// validExplanationID matches the ids explain.NewID makes.
var validExplanationID = regexp.MustCompile(`^ex_[0-9A-Za-z]{1,64}$`)

func (a *App) recordOf(r *http.Request) (*store.Store, store.Record, error) {
	if err := a.ready(); err != nil {
		return nil, store.Record{}, err
	}
	id := r.PathValue("id")
	if !validExplanationID.MatchString(id) {
		return nil, store.Record{}, Errorf(http.StatusNotFound, "no explanation %q", clip(id, 80))
	}
	st, err := a.svc.engine.Store(r.Context())
	if err != nil {
		return nil, store.Record{}, err
	}
	rec, err := st.Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.Record{}, Errorf(http.StatusNotFound, "no explanation %s; it may have been removed by the history retention", id)
	}
	return st, rec, err
}

// getExplanation serves GET /explanations/{id}.
func (a *App) getExplanation(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := a.recordOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemOf(rec))
	return nil
}

type feedbackRequest struct {
	Helpful *bool  `json:"helpful"`
	Comment string `json:"comment"`
}

// postFeedback serves POST /explanations/{id}/feedback.
func (a *App) postFeedback(w http.ResponseWriter, r *http.Request) error {
	st, rec, err := a.recordOf(r)
	if err != nil {
		return err
	}
	var req feedbackRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return Errorf(http.StatusBadRequest, `the body is empty; send {"helpful": true|false, "comment": "..."}`)
		}
		return Errorf(http.StatusBadRequest, `the body is not JSON of the form {"helpful": true|false, "comment": "..."}`)
	}
	if req.Helpful == nil {
		return Errorf(http.StatusBadRequest, `"helpful" is required (true or false)`)
	}
	if !utf8.ValidString(req.Comment) || utf8.RuneCountInString(req.Comment) > maxCommentRunes {
		return Errorf(http.StatusBadRequest, "the comment must be valid text of at most %d characters", maxCommentRunes)
	}
	fb := store.Feedback{Helpful: *req.Helpful, Comment: strings.TrimSpace(req.Comment), User: userName(requestUser(r.Context())), At: a.svc.engine.Now().UTC()}
	if err := st.SetFeedback(r.Context(), rec.Explanation.ID, fb); err != nil {
		return err
	}
	rec.Feedback = &fb
	a.logger.Info("Feedback recorded", "requestId", requestID(r), "id", rec.Explanation.ID, "helpful", fb.Helpful, "user", fb.User)
	writeJSON(w, http.StatusOK, itemOf(rec))
	return nil
}
