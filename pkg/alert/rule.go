package alert

import (
	"encoding/json"
	"strings"
)

// rawRule is the part of Grafana's CombinedRule (the "rule" of the
// alert-instance extension context) that says what the rule is and queries.
type rawRule struct {
	Name        string          `json:"name"`
	Query       string          `json:"query"`
	Annotations json.RawMessage `json:"annotations"`
	PromRule    *struct {
		Query string `json:"query"`
	} `json:"promRule"`
	RulerRule *struct {
		Expr         string `json:"expr"`
		GrafanaAlert *struct {
			Data []grafanaQuery `json:"data"`
		} `json:"grafana_alert"`
	} `json:"rulerRule"`
}

// grafanaQuery is one query of a Grafana-managed rule. Server-side
// expressions (reduce, threshold, math) use the "__expr__" data source and
// are not data queries.
type grafanaQuery struct {
	RefID         string `json:"refId"`
	DatasourceUID string `json:"datasourceUid"`
	Model         struct {
		Expr string `json:"expr"`
	} `json:"model"`
}

func (ra *rawAlert) inheritRule(r rawRule) {
	ra.ruleName = strings.TrimSpace(r.Name)
	ra.ruleAnnotations = r.Annotations
	if strings.TrimSpace(ra.Query) == "" {
		ra.Query = r.expression()
	}
}

// expression is the rule's data query in the first form present: the
// Prometheus rule's expression, the Ruler's expression, or the first data
// query of a Grafana-managed rule (whose "query" is the JSON of its query
// list).
func (r rawRule) expression() string {
	var candidates []string
	if r.PromRule != nil {
		candidates = append(candidates, r.PromRule.Query)
	}
	if r.RulerRule != nil {
		candidates = append(candidates, r.RulerRule.Expr)
		if r.RulerRule.GrafanaAlert != nil {
			if e := firstDataQuery(r.RulerRule.GrafanaAlert.Data); e != "" {
				return e
			}
		}
	}
	candidates = append(candidates, r.Query)
	for _, c := range candidates {
		if e := queryText(c); e != "" {
			return e
		}
	}
	return ""
}

// queryText is a query string as is, or the first data query when it holds
// a Grafana query list.
func queryText(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") {
		return s
	}
	var data []grafanaQuery
	if json.Unmarshal([]byte(s), &data) != nil {
		return ""
	}
	return firstDataQuery(data)
}

func firstDataQuery(data []grafanaQuery) string {
	for _, d := range data {
		if d.DatasourceUID == "__expr__" || d.DatasourceUID == "-100" {
			continue
		}
		if e := strings.TrimSpace(d.Model.Expr); e != "" {
			return e
		}
	}
	return ""
}
