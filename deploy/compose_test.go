package deploy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	promconfig "github.com/prometheus/common/config"
	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/packaging"
)

// loadCompose loads docker-compose.yaml as `docker compose` does, with every
// profile and an empty environment, so the defaults are what is checked.
func loadCompose(t *testing.T) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join(repo, "docker-compose.yaml")},
		cli.WithWorkingDirectory(repo), cli.WithEnv(nil), cli.WithProfiles([]string{"*"}), cli.WithResolvedPaths(true))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yaml does not load: %v", err)
	}
	if len(p.Services) < 10 {
		t.Fatalf("loaded %d services: the profiles or the file changed", len(p.Services))
	}
	return p
}

// TestComposeServices: images pinned or built here, a healthcheck on every
// service, start order by health, ports on localhost only, bind mounts of
// files that exist.
func TestComposeServices(t *testing.T) {
	p := loadCompose(t)
	root, err := filepath.Abs(repo)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range p.Services {
		switch {
		case s.Build != nil:
			if _, err := os.Stat(filepath.Join(s.Build.Context, s.Build.Dockerfile)); err != nil {
				t.Errorf("%s: build file: %v", name, err)
			}
		case !pinnedImage(s.Image):
			t.Errorf("%s: image %q is not pinned to a version", name, s.Image)
		}
		if hc := s.HealthCheck; hc == nil || hc.Disable || len(hc.Test) < 2 || hc.Test[0] == "NONE" {
			t.Errorf("%s: no healthcheck", name)
		} else if hc.Test[1] == "/healthcheck" && (s.Build == nil || !strings.HasSuffix(s.Build.Dockerfile, "services/Dockerfile")) {
			t.Errorf("%s: the /healthcheck binary exists only in images built from services/Dockerfile", name)
		}
		for dep, d := range s.DependsOn {
			if d.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s: depends_on %s with condition %q, want %s", name, dep, d.Condition, types.ServiceConditionHealthy)
			}
			if _, ok := p.Services[dep]; !ok {
				t.Errorf("%s: depends on %s, which is no service", name, dep)
			}
		}
		for _, port := range s.Ports {
			if port.HostIP != "127.0.0.1" {
				t.Errorf("%s: port %s listens on %q, want 127.0.0.1", name, port.Published, port.HostIP)
			}
		}
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeBind || !strings.HasPrefix(v.Source, root) {
				continue // named volumes, and host paths such as the Docker socket
			}
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("%s: bind mount %s: %v", name, v.Source, err)
			}
		}
	}
}

// TestComposeProvisionsThePluginsOfPluginJSON: the ids the stack allows,
// enables and provisions are the ids of the two plugin.json files.
func TestComposeProvisionsThePluginsOfPluginJSON(t *testing.T) {
	ids := map[string]string{}
	for _, src := range packaging.Sources {
		m, err := packaging.ParseManifest([]byte(readRepoFile(t, src.Manifest)))
		if err != nil {
			t.Fatal(err)
		}
		ids[m.Type] = m.ID
	}
	grafana := loadCompose(t).Services["grafana"]
	allowed := strings.Split(deref(grafana.Environment["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"]), ",")
	for _, id := range ids {
		if !slices.Contains(allowed, id) {
			t.Errorf("GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS %q lacks %s", allowed, id)
		}
	}
	var apps struct {
		Apps []struct {
			Type string `json:"type"`
		} `json:"apps"`
	}
	readYAMLFile(t, "provisioning/plugins/app.yaml", &apps)
	if len(apps.Apps) != 1 || apps.Apps[0].Type != ids["app"] {
		t.Errorf("provisioning/plugins/app.yaml enables %+v, want %s", apps.Apps, ids["app"])
	}
	var sources struct {
		Datasources []struct {
			Type string `json:"type"`
		} `json:"datasources"`
	}
	readYAMLFile(t, "provisioning/datasources/datasources.yaml", &sources)
	if !slices.ContainsFunc(sources.Datasources, func(d struct {
		Type string `json:"type"`
	}) bool {
		return d.Type == ids["datasource"]
	}) {
		t.Errorf("no provisioned data source has the type %s", ids["datasource"])
	}
	mounted := false
	for _, v := range grafana.Volumes {
		mounted = mounted || (strings.HasSuffix(v.Source, "/provisioning") && v.Target == "/etc/grafana/provisioning")
	}
	if !mounted {
		t.Error("grafana does not mount ./provisioning at /etc/grafana/provisioning")
	}
}

// TestComposeAccessAndSecrets: anonymous visitors are at most Viewers, and no
// secret is written into a configuration file: Alertmanager reads the token
// and the webhook secret from files of a volume that grafana-token fills from
// the environment.
func TestComposeAccessAndSecrets(t *testing.T) {
	p := loadCompose(t)
	grafana := p.Services["grafana"]
	if deref(grafana.Environment["GF_AUTH_ANONYMOUS_ENABLED"]) == "true" {
		if role := deref(grafana.Environment["GF_AUTH_ANONYMOUS_ORG_ROLE"]); role != "Viewer" {
			t.Errorf("anonymous users get the %q role; Viewer at most", role)
		}
	}
	if deref(grafana.Environment["GF_AUTH_DISABLE_LOGIN_FORM"]) == "true" {
		t.Error("the login form is off: nobody could sign in as an admin to configure the app")
	}

	am := alertmanagerConfig(t)
	if strings.Contains(readRepoFile(t, "deploy/alertmanager/alertmanager.yml"), "values:") {
		t.Error("alertmanager.yml writes a header value inline; read it from a file")
	}
	var webhooks int
	for _, r := range am.Receivers {
		for _, w := range r.WebhookConfigs {
			webhooks++
			hc := w.HTTPConfig
			if err := hc.Validate(); err != nil {
				t.Errorf("receiver %s: http_config: %v", r.Name, err)
			}
			if hc.Authorization == nil || hc.Authorization.Type != "Bearer" || hc.Authorization.CredentialsFile == "" || hc.Authorization.Credentials != "" {
				t.Errorf("receiver %s: want a Bearer service account token read from credentials_file", r.Name)
				continue
			}
			var header promconfig.Header
			ok := hc.HTTPHeaders != nil
			if ok {
				header, ok = hc.HTTPHeaders.Headers["X-Aiops-Webhook-Secret"]
			}
			if !ok || len(header.Files) != 1 || len(header.Values) != 0 || len(header.Secrets) != 0 {
				t.Errorf("receiver %s: want the X-Aiops-Webhook-Secret header read from one file", r.Name)
				continue
			}
			for _, f := range []string{hc.Authorization.CredentialsFile, header.Files[0]} {
				checkFilledFromEnvironment(t, p, f)
			}
		}
	}
	if webhooks == 0 {
		t.Fatal("alertmanager.yml has no webhook receiver")
	}
}

// checkFilledFromEnvironment: the file lies in a named volume that
// Alertmanager mounts and grafana-token writes, with the secret from the
// environment.
func checkFilledFromEnvironment(t *testing.T, p *types.Project, file string) {
	t.Helper()
	volume := func(s types.ServiceConfig) string {
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeVolume && strings.HasPrefix(file, v.Target+"/") {
				return v.Source
			}
		}
		return ""
	}
	amVolume, writer := volume(p.Services["alertmanager"]), p.Services["grafana-token"]
	if amVolume == "" || amVolume != volume(writer) {
		t.Errorf("%s: not in a named volume shared by alertmanager and grafana-token", file)
	}
	if _, ok := writer.Environment["AIOPS_WEBHOOK_SECRET"]; !ok {
		t.Error("grafana-token does not take AIOPS_WEBHOOK_SECRET from the environment")
	}
	if _, ok := p.Services["alertmanager"].DependsOn["grafana-token"]; !ok {
		t.Error("alertmanager does not wait for grafana-token")
	}
}

// TestAlertmanagerAddsThePluginAsAnExtraRoute: the plugin's receiver is a
// child route with continue: true, never the root, so the tree a team already
// has keeps notifying.
func TestAlertmanagerAddsThePluginAsAnExtraRoute(t *testing.T) {
	am := alertmanagerConfig(t)
	const plugin = "aiops"
	if am.Route.Receiver == plugin || am.Route.Receiver == "" {
		t.Errorf("the root receiver is %q: the plugin must be an extra route", am.Route.Receiver)
	}
	if len(am.Route.Routes) == 0 || am.Route.Routes[0].Receiver != plugin || !am.Route.Routes[0].Continue || len(am.Route.Routes[0].Matchers) != 0 {
		t.Errorf("the first child route must send every alert to %s with continue: true: %+v", plugin, am.Route.Routes)
	}
}

// TestOneRuleSourcePerAlert: in the compose stack Prometheus evaluates the
// rules and Grafana loads none, so no alert is explained twice.
func TestOneRuleSourcePerAlert(t *testing.T) {
	var prom struct {
		RuleFiles []string `json:"rule_files"`
	}
	readYAMLFile(t, "deploy/prometheus/prometheus.yml", &prom)
	if len(prom.RuleFiles) == 0 {
		t.Fatal("Prometheus loads no rule files")
	}
	files, _ := filepath.Glob(filepath.Join(repo, "provisioning/alerting/*"))
	for _, f := range files {
		var doc map[string]any
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, ok := doc["groups"]; ok {
			t.Errorf("%s provisions Grafana-managed rules beside Prometheus's: each alert would be explained twice", f)
		}
	}
	for _, v := range loadCompose(t).Services["grafana"].Volumes {
		if strings.Contains(v.Source, "grafana-alerting") {
			t.Errorf("grafana mounts %s: its rules duplicate Prometheus's", v.Source)
		}
	}
}

// alertmanager is the part of Alertmanager's configuration these tests read;
// http_config is Prometheus's common HTTP client configuration, decoded
// strictly with the YAML library and types Alertmanager uses, so an unknown
// or misspelt field fails.
type alertmanager struct {
	Route     route `yaml:"route"`
	Receivers []struct {
		Name           string `yaml:"name"`
		WebhookConfigs []struct {
			URL          string                      `yaml:"url"`
			SendResolved bool                        `yaml:"send_resolved"`
			HTTPConfig   promconfig.HTTPClientConfig `yaml:"http_config"`
		} `yaml:"webhook_configs"`
	} `yaml:"receivers"`
}

type route struct {
	Receiver       string   `yaml:"receiver"`
	GroupBy        []string `yaml:"group_by"`
	GroupWait      string   `yaml:"group_wait"`
	GroupInterval  string   `yaml:"group_interval"`
	RepeatInterval string   `yaml:"repeat_interval"`
	Matchers       []string `yaml:"matchers"`
	Continue       bool     `yaml:"continue"`
	Routes         []route  `yaml:"routes"`
}

func alertmanagerConfig(t *testing.T) alertmanager {
	t.Helper()
	var am alertmanager
	if err := yamlv2.UnmarshalStrict([]byte(readRepoFile(t, "deploy/alertmanager/alertmanager.yml")), &am); err != nil {
		t.Fatalf("alertmanager.yml: %v", err)
	}
	return am
}

func readYAMLFile(t *testing.T, rel string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(readRepoFile(t, rel)), v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
