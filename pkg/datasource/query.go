package datasource

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// maxQueryBytes bounds one query's JSON model; a dashboard query is a few
// hundred bytes.
const maxQueryBytes = 64 << 10

// maxLimit bounds how many rows one query may ask for.
const maxLimit = 10_000

// Query is the JSON model of one data source query, as the query editor saves it.
type Query struct {
	QueryType string `json:"queryType"`
	// Namespace restricts findings, explanations and cost to one Kubernetes namespace.
	Namespace string `json:"namespace,omitempty"`
	// Selector is a label selector ("app=order,tier=api") narrowing findings
	// to a workload.
	Selector string `json:"selector,omitempty"`
	// AlertName and Category filter explanations.
	AlertName string `json:"alertname,omitempty"`
	Category  string `json:"category,omitempty"`
	// Provider and Model filter ai_usage.
	Provider string `json:"provider,omitempty"`
	Model    string `json:"model,omitempty"`
	// User filters ai_usage to one Grafana login.
	User string `json:"user,omitempty"`
	// Metric is what ai_usage plots: tokens (default) or cost.
	Metric string `json:"metric,omitempty"`
	// GroupBy splits ai_usage into a series per model (default), provider
	// or user, or sums it per day; the cost query reads its own groupBy.
	GroupBy string `json:"groupBy,omitempty"`
	// Limit caps the rows returned; 0 means the query type's default.
	Limit int `json:"limit,omitempty"`
}

// Metrics of the ai_usage query.
const (
	MetricTokens = "tokens"
	MetricCost   = "cost"
)

// Groupings of the ai_usage query.
const (
	UsageByModel    = "model"
	UsageByProvider = "provider"
	UsageByUser     = "user"
	UsageByDay      = "day"
)

// maxFieldLength bounds the free-text filters.
const maxFieldLength = 256

// selectorPattern is a Kubernetes equality label selector: key=value pairs
// separated by commas (set-based selectors are not supported).
var selectorPattern = regexp.MustCompile(`^([A-Za-z0-9./_-]{1,253}=[A-Za-z0-9._-]{0,63})(,[A-Za-z0-9./_-]{1,253}=[A-Za-z0-9._-]{0,63})*$`)

// Labels returns the selector as a label map.
func (q Query) Labels() map[string]string {
	out := map[string]string{}
	if q.Selector == "" {
		return out
	}
	for _, pair := range strings.Split(q.Selector, ",") {
		k, v, _ := strings.Cut(pair, "=")
		out[k] = v
	}
	return out
}

// queryType describes one query type and the feature that serves it.
type queryType struct {
	name     string
	provider string
}

// queryTypes is the closed list of query types, in the order the editor offers them.
var queryTypes = []queryType{
	{name: "findings", provider: "the explanation history feature"},
	{name: "explanations", provider: "the explanation history feature"},
	{name: "ai_usage", provider: "the AI usage feature"},
	{name: "cost", provider: "the FinOps feature"},
}

// QueryTypes returns the names of the query types the data source knows.
func QueryTypes() []string {
	names := make([]string, len(queryTypes))
	for i, qt := range queryTypes {
		names[i] = qt.name
	}
	return names
}

func lookupQueryType(name string) (queryType, bool) {
	for _, qt := range queryTypes {
		if qt.name == name {
			return qt, true
		}
	}
	return queryType{}, false
}

// namespacePattern is a Kubernetes namespace name (RFC 1123 label).
var namespacePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

// ParseQuery reads a query's JSON model. queryType is the type Grafana sends
// beside the model; it wins over the model's own field when both are set.
// Errors quote at most a short prefix of what was sent.
func ParseQuery(queryType string, raw []byte) (Query, error) {
	if len(raw) > maxQueryBytes {
		return Query{}, fmt.Errorf("query is %d bytes, more than the %d allowed", len(raw), maxQueryBytes)
	}
	var q Query
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &q); err != nil {
			return Query{}, fmt.Errorf("query is not a valid JSON object: %w", err)
		}
	}
	if queryType != "" {
		q.QueryType = queryType
	}
	q.QueryType = strings.TrimSpace(q.QueryType)
	if q.QueryType == "" {
		return Query{}, errors.New("query has no queryType; choose one of " + strings.Join(QueryTypes(), ", "))
	}
	if _, ok := lookupQueryType(q.QueryType); !ok {
		return Query{}, fmt.Errorf("unknown queryType %s; valid types are %s", quoteShort(q.QueryType), strings.Join(QueryTypes(), ", "))
	}
	if q.Namespace != "" && !namespacePattern.MatchString(q.Namespace) {
		return Query{}, fmt.Errorf("namespace %s is not a valid Kubernetes namespace name", quoteShort(q.Namespace))
	}
	q.Selector = strings.ReplaceAll(strings.TrimSpace(q.Selector), " ", "")
	if q.Selector != "" && !selectorPattern.MatchString(q.Selector) {
		return Query{}, fmt.Errorf("selector %s is not of the form key=value[,key=value]", quoteShort(q.Selector))
	}
	for name, v := range map[string]string{"alertname": q.AlertName, "category": q.Category, "provider": q.Provider, "model": q.Model, "user": q.User} {
		if len(v) > maxFieldLength {
			return Query{}, fmt.Errorf("%s is longer than %d characters", name, maxFieldLength)
		}
	}
	switch q.Metric {
	case "":
		q.Metric = MetricTokens
	case MetricTokens, MetricCost:
	default:
		return Query{}, fmt.Errorf("metric %s is not tokens or cost", quoteShort(q.Metric))
	}
	if q.QueryType == "ai_usage" {
		switch q.GroupBy {
		case "":
			q.GroupBy = UsageByModel
		case UsageByModel, UsageByProvider, UsageByUser, UsageByDay:
		default:
			return Query{}, fmt.Errorf("groupBy %s of ai_usage is not model, provider, user or day", quoteShort(q.GroupBy))
		}
	}
	if q.Limit < 0 || q.Limit > maxLimit {
		return Query{}, fmt.Errorf("limit %d is outside 0..%d", q.Limit, maxLimit)
	}
	return q, nil
}

func quoteShort(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}
