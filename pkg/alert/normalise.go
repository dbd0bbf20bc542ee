package alert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// rawAlert is the union of the alert fields of every shape: the alert
// context, a webhook's alert (with Grafana's extras valueString, values), and
// Grafana's alert instance (state, activeAt, value).
type rawAlert struct {
	Labels       json.RawMessage `json:"labels"`
	Annotations  json.RawMessage `json:"annotations"`
	Status       string          `json:"status"`
	State        string          `json:"state"`
	StartsAt     string          `json:"startsAt"`
	ActiveAt     string          `json:"activeAt"`
	EndsAt       string          `json:"endsAt"`
	Fingerprint  string          `json:"fingerprint"`
	GeneratorURL string          `json:"generatorURL"`
	Values       json.RawMessage `json:"values"`
	Value        json.RawMessage `json:"value"`
	ValueString  string          `json:"valueString"`
	Query        string          `json:"query"`

	// Filled from the Grafana rule of an extension context.
	ruleName        string
	ruleAnnotations json.RawMessage
}

func (ra rawAlert) normalise() (incident.Alert, error) {
	var a incident.Alert
	var err error
	if a.Labels, err = stringMap("labels", ra.Labels); err != nil {
		return a, err
	}
	if a.Labels == nil {
		return a, inputErr("labels", "missing")
	}
	if len(a.Labels) == 0 && ra.ruleName == "" {
		return a, inputErr("labels", "empty")
	}
	if a.Labels["alertname"] == "" && ra.ruleName != "" {
		a.Labels["alertname"] = ra.ruleName
	}
	if a.Annotations, err = stringMap("annotations", ra.Annotations); err != nil {
		return a, err
	}
	// The rule's annotations are read like the alert's own, so that what
	// is accepted here parses again from the normalised alert.
	ruleAnnotations, err := stringMap("rule.annotations", ra.ruleAnnotations)
	if err != nil {
		return a, err
	}
	for k, v := range ruleAnnotations {
		if _, ok := a.Annotations[k]; !ok {
			if a.Annotations == nil {
				a.Annotations = map[string]string{}
			}
			a.Annotations[k] = v
		}
	}
	if len(a.Annotations) == 0 {
		a.Annotations = nil
	}
	status, statusField := ra.Status, "status"
	if status == "" {
		status, statusField = ra.State, "state"
	}
	if a.Status, err = normaliseStatus(status); err != nil {
		return a, prefixed(statusField, err)
	}
	startsAt, startsField := ra.StartsAt, "startsAt"
	if startsAt == "" {
		startsAt, startsField = ra.ActiveAt, "activeAt"
	}
	if a.StartsAt, err = parseTime(startsField, startsAt); err != nil {
		return a, err
	}
	if a.EndsAt, err = parseTime("endsAt", ra.EndsAt); err != nil {
		return a, err
	}
	if a.Values, err = values(ra); err != nil {
		return a, err
	}
	a.GeneratorURL = strings.TrimSpace(ra.GeneratorURL)
	a.Query = strings.TrimSpace(ra.Query)
	if a.Query == "" {
		a.Query = queryFromGeneratorURL(a.GeneratorURL)
	}
	a.Fingerprint = strings.TrimSpace(ra.Fingerprint)
	if a.Fingerprint == "" {
		a.Fingerprint = Fingerprint(a.Labels)
	}
	return a, nil
}

// stringMap decodes labels or annotations. Values must be strings; numbers
// and booleans are accepted as their text because a YAML fixture writes
// `code: 500` without quotes.
func stringMap(field string, raw json.RawMessage) (map[string]string, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var generic map[string]json.RawMessage
	if err := json.Unmarshal(raw, &generic); err != nil {
		return nil, inputErr(field, "want an object of strings")
	}
	out := make(map[string]string, len(generic))
	for k, v := range generic {
		if k == "" {
			return nil, inputErr(field, "empty name")
		}
		s, err := scalarText(v)
		if err != nil {
			return nil, inputErr(field+"."+k, err.Error())
		}
		out[k] = s
	}
	return out, nil
}

func scalarText(v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err == nil {
		return n.String(), nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return strconv.FormatBool(b), nil
	}
	return "", fmt.Errorf("want a string")
}

// normaliseStatus maps Alertmanager statuses and Grafana/Prometheus instance
// states ("Alerting", "Normal (MissingSeries)", "inactive") onto firing,
// resolved, pending, nodata and error. Empty means firing: an alert someone
// asks to explain is almost always one that fires.
func normaliseStatus(s string) (string, error) {
	word := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(word, " ("); i >= 0 {
		word = word[:i]
	}
	switch word {
	case "", "firing", "alerting", "active":
		return "firing", nil
	case "resolved", "normal", "inactive", "ok":
		return "resolved", nil
	case "pending", "recovering":
		return "pending", nil
	case "nodata":
		return "nodata", nil
	case "error":
		return "error", nil
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "", inputErr("", fmt.Sprintf("unknown status %q (want firing, resolved, pending, nodata or error)", s))
}

// parseTime accepts RFC 3339 with or without fractional seconds. Empty and
// Go's zero time ("0001-01-01T00:00:00Z", what Alertmanager sends for an
// open endsAt) are the zero time.
func parseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, &InputError{Field: field, Msg: "parsing time", Err: err}
	}
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, inputErr(field, "year out of range")
	}
	if t.Equal(time.Time{}) {
		return time.Time{}, nil
	}
	return t, nil
}

// values collects the rule's expression values: Grafana's "values" object,
// else its "valueString", else a Prometheus instance's single "value".
// Non-finite values are dropped: they cannot be written back as JSON.
func values(ra rawAlert) (map[string]float64, error) {
	out := map[string]float64{}
	if len(ra.Values) > 0 && !bytes.Equal(ra.Values, []byte("null")) {
		var generic map[string]json.RawMessage
		if err := json.Unmarshal(ra.Values, &generic); err != nil {
			return nil, inputErr("values", "want an object of numbers")
		}
		for k, raw := range generic {
			if bytes.Equal(raw, []byte("null")) {
				continue
			}
			v, err := number(raw)
			if err != nil {
				return nil, inputErr("values."+k, err.Error())
			}
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				out[k] = v
			}
		}
	}
	if len(out) == 0 {
		parseValueString(ra.ValueString, out)
	}
	if len(out) == 0 && len(ra.Value) > 0 && !bytes.Equal(ra.Value, []byte("null")) {
		text, err := scalarText(ra.Value)
		if err != nil {
			return nil, inputErr("value", err.Error())
		}
		if strings.Contains(text, "var=") {
			parseValueString(text, out)
		} else if v, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			out["A"] = v
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// number reads a JSON number or a numeric string ("NaN" included, which
// Grafana writes for missing data).
func number(raw json.RawMessage) (float64, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err == nil {
		return f, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return v, nil
		}
	}
	return 0, fmt.Errorf("want a number")
}

// parseValueString reads Grafana's "[ var='A' labels={pod=x} value=3 ], [ ... ]".
// It is informative only, so anything unexpected is skipped, not refused.
func parseValueString(s string, out map[string]float64) {
	for _, part := range strings.Split(s, "var='")[1:] {
		name, rest, ok := strings.Cut(part, "'")
		if !ok || name == "" {
			continue
		}
		i := strings.LastIndex(rest, "value=")
		if i < 0 {
			continue
		}
		num := rest[i+len("value="):]
		if j := strings.IndexAny(num, " ],"); j >= 0 {
			num = num[:j]
		}
		if v, err := strconv.ParseFloat(num, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[name] = v
		}
	}
}

// queryFromGeneratorURL recovers a Prometheus rule's expression from the
// link Prometheus puts in every alert (/graph?g0.expr=...). Grafana-managed
// rules link to the rule page instead, which yields nothing.
func queryFromGeneratorURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(u.Query().Get("g0.expr"))
}
