package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxRulesResponse bounds Prometheus's /api/v1/rules answer.
const maxRulesResponse = 8 << 20

// rulesResponse is the part of /api/v1/rules?type=alert the demo reads.
type rulesResponse struct {
	Status string `json:"status"`
	Data   struct {
		Groups []struct {
			Rules []struct {
				Name   string        `json:"name"`
				Query  string        `json:"query"`
				Alerts []activeAlert `json:"alerts"`
			} `json:"rules"`
		} `json:"groups"`
	} `json:"data"`
}

type activeAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
	ActiveAt    time.Time         `json:"activeAt"`
	Value       string            `json:"value"`
}

// alertState is what Prometheus says about the awaited alert right now.
type alertState struct {
	// State is "" (inactive), "pending" or "firing".
	State    string
	ActiveAt time.Time
	Alert    incident.Alert
}

// findAlert asks Prometheus for the alert named like f.Alert whose labels
// include f.AlertLabels, preferring a firing instance over a pending one.
func findAlert(ctx context.Context, client *http.Client, promURL string, f Fault) (alertState, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, promURL+"/api/v1/rules?type=alert", nil)
	if err != nil {
		return alertState{}, fmt.Errorf("rules request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return alertState{}, fmt.Errorf("ask prometheus for alerts: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRulesResponse+1))
	if err != nil {
		return alertState{}, fmt.Errorf("read prometheus alerts: %w", err)
	}
	if len(body) > maxRulesResponse {
		return alertState{}, errors.New("prometheus alerts answer is larger than 8 MiB")
	}
	if resp.StatusCode != http.StatusOK {
		return alertState{}, fmt.Errorf("prometheus alerts: HTTP %d", resp.StatusCode)
	}
	return parseRules(body, promURL, f)
}

func parseRules(body []byte, promURL string, f Fault) (alertState, error) {
	var rr rulesResponse
	if err := json.Unmarshal(body, &rr); err != nil {
		return alertState{}, fmt.Errorf("decode prometheus alerts: %w", err)
	}
	if rr.Status != "success" {
		return alertState{}, fmt.Errorf("prometheus alerts: status %q", rr.Status)
	}
	var best alertState
	found := false
	for _, g := range rr.Data.Groups {
		for _, r := range g.Rules {
			if r.Name != f.Alert {
				continue
			}
			found = true
			for _, a := range r.Alerts {
				if !matches(a.Labels, f.AlertLabels) || (a.State != "pending" && a.State != "firing") {
					continue
				}
				if best.State == "firing" && a.State != "firing" {
					continue
				}
				best = alertState{State: a.State, ActiveAt: a.ActiveAt, Alert: toIncident(a, r.Query, promURL)}
			}
		}
	}
	if !found {
		return alertState{}, fmt.Errorf("prometheus has no alert rule named %s: are the rule files loaded?", f.Alert)
	}
	return best, nil
}

func matches(labels, want map[string]string) bool {
	for k, v := range want {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// toIncident is the alert as Alertmanager would hand it on: its labels with
// alertname, annotations, activeAt as startsAt, the rule's query.
func toIncident(a activeAlert, query, promURL string) incident.Alert {
	labels := make(map[string]string, len(a.Labels))
	for k, v := range a.Labels {
		labels[k] = v
	}
	out := incident.Alert{Labels: labels, Annotations: a.Annotations, Status: "firing",
		StartsAt: a.ActiveAt.UTC(), Query: query,
		GeneratorURL: promURL + "/graph?g0.expr=" + url.QueryEscape(query) + "&g0.tab=1"}
	if v, err := strconv.ParseFloat(a.Value, 64); err == nil {
		out.Values = map[string]float64{"A": v}
	}
	return out
}
