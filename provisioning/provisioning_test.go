// Package provisioning holds Grafana provisioning files; this test keeps them
// loadable: valid YAML and JSON, data source UIDs that exist, PromQL that the
// Prometheus parser accepts, and app settings the backend accepts.
package provisioning

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/finops"
)

// grafanaVariables are replaced by sample values before parsing PromQL, as
// Grafana does before it sends a query.
var grafanaVariables = strings.NewReplacer(
	"$__rate_interval", "1m", "$__range", "1h", "$__interval", "1m",
	"$service", "order-service", "$namespace", "shop",
)

func mustParsePromQL(t *testing.T, where, expr string) {
	t.Helper()
	if strings.TrimSpace(expr) == "" {
		t.Errorf("%s: empty PromQL", where)
		return
	}
	if _, err := parser.ParseExpr(grafanaVariables.Replace(expr)); err != nil {
		t.Errorf("%s: PromQL does not parse: %v\n%s", where, err, expr)
	}
}

// readYAMLLoose decodes without rejecting fields the struct leaves out.
func readYAMLLoose(t *testing.T, path string, v any) {
	t.Helper()
	decodeYAMLFile(t, path, v, yaml.Unmarshal)
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	decodeYAMLFile(t, path, v, yaml.UnmarshalStrict)
}

func decodeYAMLFile(t *testing.T, path string, v any, decode func([]byte, any, ...yaml.JSONOpt) error) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := decode(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// datasourceUIDs returns the provisioned data sources by UID with their type.
func datasourceUIDs(t *testing.T) map[string]string {
	var file struct {
		APIVersion  int `json:"apiVersion"`
		Datasources []struct {
			Name      string         `json:"name"`
			UID       string         `json:"uid"`
			Type      string         `json:"type"`
			Access    string         `json:"access"`
			URL       string         `json:"url"`
			IsDefault bool           `json:"isDefault"`
			JSONData  map[string]any `json:"jsonData"`
		} `json:"datasources"`
	}
	readYAML(t, "datasources/datasources.yaml", &file)
	uids := map[string]string{}
	for _, ds := range file.Datasources {
		if ds.UID == "" || ds.Type == "" {
			t.Errorf("data source %q needs a uid and a type", ds.Name)
		}
		uids[ds.UID] = ds.Type
	}
	if uids["aiops"] != "cloudobs-aiops-datasource" {
		t.Errorf("the plugin's own data source is not provisioned: %v", uids)
	}
	return uids
}

func TestDashboards(t *testing.T) {
	uids := datasourceUIDs(t)
	files, _ := filepath.Glob("dashboards/json/*.json")
	if len(files) < 5 {
		t.Fatalf("want the five dashboards, found %v", files)
	}
	seen := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var dash struct {
			UID    string `json:"uid"`
			Title  string `json:"title"`
			Panels []struct {
				Title      string `json:"title"`
				Datasource struct {
					Type string `json:"type"`
					UID  string `json:"uid"`
				} `json:"datasource"`
				Targets []map[string]any `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(raw, &dash); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if dash.UID == "" || dash.Title == "" || seen[dash.UID] != "" {
			t.Errorf("%s: uid %q must be set and unique (also in %s)", f, dash.UID, seen[dash.UID])
		}
		seen[dash.UID] = f
		for _, p := range dash.Panels {
			where := f + ": panel " + p.Title
			if typ, ok := uids[p.Datasource.UID]; !ok || typ != p.Datasource.Type {
				t.Errorf("%s: data source %s/%s is not provisioned", where, p.Datasource.Type, p.Datasource.UID)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no queries", where)
			}
			for _, target := range p.Targets {
				if p.Datasource.Type == "prometheus" {
					expr, _ := target["expr"].(string)
					mustParsePromQL(t, where, expr)
				}
				if p.Datasource.Type == "cloudobs-aiops-datasource" {
					switch target["queryType"] {
					case "findings", "explanations", "ai_usage":
					case "cost":
						mustParseCostQuery(t, where, target)
					default:
						t.Errorf("%s: unknown query type %v", where, target["queryType"])
					}
				}
			}
		}
	}
}

// grafanaManagedRules are the opt-in Grafana-managed rules, kept out of this
// directory so the compose stack evaluates each alert once (in Prometheus).
const grafanaManagedRules = "../deploy/grafana-alerting/rules.yaml"

func TestGrafanaAlertRules(t *testing.T) {
	uids := datasourceUIDs(t)
	var file struct {
		APIVersion int `json:"apiVersion"`
		Groups     []struct {
			OrgID    int    `json:"orgId"`
			Name     string `json:"name"`
			Folder   string `json:"folder"`
			Interval string `json:"interval"`
			Rules    []struct {
				UID          string            `json:"uid"`
				Title        string            `json:"title"`
				Condition    string            `json:"condition"`
				For          string            `json:"for"`
				NoDataState  string            `json:"noDataState"`
				ExecErrState string            `json:"execErrState"`
				Labels       map[string]string `json:"labels"`
				Annotations  map[string]string `json:"annotations"`
				Data         []struct {
					RefID             string         `json:"refId"`
					DatasourceUID     string         `json:"datasourceUid"`
					RelativeTimeRange map[string]int `json:"relativeTimeRange"`
					Model             map[string]any `json:"model"`
				} `json:"data"`
			} `json:"rules"`
		} `json:"groups"`
	}
	readYAML(t, grafanaManagedRules, &file)
	titles := map[string]bool{}
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			titles[r.Title] = true
			if r.Annotations["runbook_url"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("rule %s needs a summary and a runbook_url", r.Title)
			}
			refs := map[string]bool{}
			for _, d := range r.Data {
				refs[d.RefID] = true
				if d.DatasourceUID == "__expr__" {
					continue
				}
				if _, ok := uids[d.DatasourceUID]; !ok {
					t.Errorf("rule %s: data source %q is not provisioned", r.Title, d.DatasourceUID)
				}
				expr, _ := d.Model["expr"].(string)
				mustParsePromQL(t, "rule "+r.Title, expr)
			}
			if !refs[r.Condition] {
				t.Errorf("rule %s: condition %q names no query", r.Title, r.Condition)
			}
		}
	}
	for _, want := range []string{"HighErrorRate", "P99LatencySLOBurn", "KubePodCrashLooping", "KubeContainerOOMKilled", "TargetDown"} {
		if !titles[want] {
			t.Errorf("missing alert rule %s", want)
		}
	}
	var contacts struct {
		APIVersion    int `json:"apiVersion"`
		ContactPoints []struct {
			OrgID     int    `json:"orgId"`
			Name      string `json:"name"`
			Receivers []struct {
				UID                   string         `json:"uid"`
				Type                  string         `json:"type"`
				Settings              map[string]any `json:"settings"`
				DisableResolveMessage bool           `json:"disableResolveMessage"`
			} `json:"receivers"`
		} `json:"contactPoints"`
	}
	readYAML(t, "alerting/contact-points.yaml", &contacts)
	url, _ := contacts.ContactPoints[0].Receivers[0].Settings["url"].(string)
	if !strings.HasSuffix(url, "/api/plugins/cloudobs-aiops-app/resources/webhook/alertmanager") {
		t.Errorf("contact point does not post to the plugin's webhook: %q", url)
	}
	settings := contacts.ContactPoints[0].Receivers[0].Settings
	if settings["authorization_scheme"] != "Bearer" || !envReference.MatchString(fmt.Sprint(settings["authorization_credentials"])) {
		t.Errorf("the contact point must send a service account token from the environment (Bearer $VAR): %v", settings)
	}
}

// TestAlertingProvisioningAddsAndNeverReplaces: Grafana replaces an
// organisation's whole notification tree with a provisioned one, so Grafana's
// provisioning directory holds no policy tree and no rules (the compose
// stack's alerts come from Prometheus); the opt-in tree keeps the default
// contact point at its root and reaches the plugin through a child route
// with continue.
func TestAlertingProvisioningAddsAndNeverReplaces(t *testing.T) {
	files, _ := filepath.Glob("alerting/*.y*ml")
	for _, f := range files {
		var doc map[string]any
		readYAMLLoose(t, f, &doc)
		for _, key := range []string{"policies", "groups", "resetPolicies"} {
			if _, ok := doc[key]; ok {
				t.Errorf("%s provisions %q: Grafana would replace the organisation's %s; keep it in deploy/grafana-alerting", f, key, key)
			}
		}
	}
	var tree struct {
		Policies []struct {
			Receiver string `json:"receiver"`
			Routes   []struct {
				Receiver string `json:"receiver"`
				Continue bool   `json:"continue"`
			} `json:"routes"`
		} `json:"policies"`
	}
	readYAMLLoose(t, "../deploy/grafana-alerting/policies.yaml", &tree)
	if len(tree.Policies) != 1 {
		t.Fatalf("want one policy tree, got %d", len(tree.Policies))
	}
	root := tree.Policies[0]
	if root.Receiver == "aiops-explain" || root.Receiver == "" {
		t.Errorf("the root receiver is %q: the plugin must be an extra route, not the organisation's default", root.Receiver)
	}
	if len(root.Routes) == 0 || root.Routes[0].Receiver != "aiops-explain" || !root.Routes[0].Continue {
		t.Errorf("the first child route must send to aiops-explain with continue: true: %+v", root.Routes)
	}
}

// TestRunbookLinksResolve: every runbook_url of both rule sets names a
// heading of docs/runbooks.md.
func TestRunbookLinksResolve(t *testing.T) {
	anchors := runbookAnchors(t)
	raw, err := os.ReadFile(grafanaManagedRules)
	if err != nil {
		t.Fatal(err)
	}
	links := runbookURL.FindAllStringSubmatch(string(raw), -1)
	files, _ := filepath.Glob("../deploy/prometheus/rules/*.yml")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		links = append(links, runbookURL.FindAllStringSubmatch(string(raw), -1)...)
	}
	if len(links) < 5 {
		t.Fatalf("found %d runbook links; every rule needs one", len(links))
	}
	for _, l := range links {
		if l[1] != runbooksURL {
			t.Errorf("runbook %s: want %s#<alert>", l[0], runbooksURL)
		}
		if !anchors[l[2]] {
			t.Errorf("runbook %s: docs/runbooks.md has no heading with anchor #%s", l[0], l[2])
		}
	}
}

const runbooksURL = "https://github.com/cloudobs/aiops-app/blob/main/docs/runbooks.md"

var runbookURL = regexp.MustCompile(`runbook_url:\s*['"]?(https://[^#'"\s]+)#([a-z0-9-]+)`)

// runbookAnchors are the anchors GitHub gives the headings of docs/runbooks.md:
// lower case, spaces as hyphens, other punctuation dropped.
func runbookAnchors(t *testing.T) map[string]bool {
	raw, err := os.ReadFile("../docs/runbooks.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		heading := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		anchor := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
				return r
			case r == ' ':
				return '-'
			}
			return -1
		}, heading)
		anchors[anchor] = true
	}
	return anchors
}

func TestPrometheusRuleFiles(t *testing.T) {
	files, _ := filepath.Glob("../deploy/prometheus/rules/*.yml")
	if len(files) == 0 {
		t.Fatal("no Prometheus rule files")
	}
	for _, f := range files {
		groups, errs := rulefmt.ParseFile(f, false)
		for _, err := range errs {
			t.Errorf("%s: %v", f, err)
		}
		if groups == nil {
			continue
		}
		for _, g := range groups.Groups {
			for _, r := range g.Rules {
				mustParsePromQL(t, f+": "+r.Alert, r.Expr)
				if r.Annotations["runbook_url"] == "" {
					t.Errorf("%s: %s has no runbook_url", f, r.Alert)
				}
			}
		}
	}
}

// envReference is a $VAR that Grafana expands in provisioning files.
var envReference = regexp.MustCompile(`^\$[A-Z_]+$`)

func TestAppSettingsAreAcceptedByTheBackend(t *testing.T) {
	var file struct {
		APIVersion int `json:"apiVersion"`
		Apps       []struct {
			Type           string            `json:"type"`
			OrgID          int               `json:"org_id"`
			Disabled       bool              `json:"disabled"`
			JSONData       json.RawMessage   `json:"jsonData"`
			SecureJSONData map[string]string `json:"secureJsonData"`
		} `json:"apps"`
	}
	readYAML(t, "plugins/app.yaml", &file)
	if len(file.Apps) != 1 || file.Apps[0].Type != "cloudobs-aiops-app" || file.Apps[0].Disabled {
		t.Fatalf("app.yaml must enable cloudobs-aiops-app: %+v", file.Apps)
	}
	for key, value := range file.Apps[0].SecureJSONData {
		if !envReference.MatchString(value) {
			t.Errorf("secureJsonData.%s must come from the environment, not the file", key)
		}
	}
	settings, err := config.ParseSettings(file.Apps[0].JSONData, map[string]string{"webhookSecret": "x"})
	if err != nil {
		t.Fatalf("the backend refuses the provisioned settings: %v", err)
	}
	if settings.Prometheus.URL != "http://prometheus:9090" || settings.Loki.URL == "" {
		t.Errorf("provisioned settings lost the data source URLs: %+v", settings)
	}
	if explore := datasourceUIDs(t)[settings.Traces.ExploreDatasourceUID]; settings.Traces.URL == "" || explore != settings.Traces.Backend {
		t.Errorf("traces %+v: want the stack's trace backend and a provisioned %s data source to open cited traces in", settings.Traces, settings.Traces.Backend)
	}
}

// mustParseCostQuery checks a cost panel's query as the data source reads
// it: groupBy, filter and format valid, and a known right-sizing profile.
func mustParseCostQuery(t *testing.T, where string, target map[string]any) {
	t.Helper()
	raw, err := json.Marshal(target)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if _, err := finops.ParseQuery(bytes.NewReader(raw), end.Add(-24*time.Hour), end); err != nil {
		t.Errorf("%s: cost query %s: %v", where, raw, err)
	}
	if profile, ok := target["profile"].(string); ok {
		if _, known := finops.TargetUtilisation[profile]; !known {
			t.Errorf("%s: right-sizing profile %q is not one of production, development", where, profile)
		}
	}
}

func TestFinOpsDashboard(t *testing.T) {
	raw, err := os.ReadFile("dashboards/json/finops.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []map[string]any `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	// The panels: by namespace and team, idle and efficiency (the
	// table rows), right-sizing, AI spend.
	want := map[string]bool{"groupBy=namespace": false, "groupBy=label:team": false, "groupBy=workload": false, "rightsizing": false, "ai_usage cost": false}
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			switch {
			case tg["queryType"] == "ai_usage" && tg["metric"] == "cost":
				want["ai_usage cost"] = true
			case tg["rightsizing"] == true:
				want["rightsizing"] = true
			case tg["queryType"] == "cost":
				want["groupBy="+fmt.Sprint(tg["groupBy"])] = true
			}
		}
	}
	for panel, found := range want {
		if !found {
			t.Errorf("the FinOps dashboard has no %s panel", panel)
		}
	}
}
