package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v2"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	sigsyaml "sigs.k8s.io/yaml"
)

// builder accumulates one scenario: its metadata, the API objects, the
// planned pods (turned into objects, logs and metrics by write) and extra
// metric series.
type builder struct {
	name string
	rng  *rand.Rand
	now  time.Time
	// window is the metrics range: samples from start to now every step.
	start time.Time
	step  time.Duration

	meta    scenarioFile
	region  string
	account string

	objects      []kubeObject
	pods         []*podPlan
	deploys      []*workload
	nodes        []*nodePlan
	endpointsFor []endpointsPlan
	eventIndex   map[string]*corev1.Event
	eventNames   map[string]bool
	coreEvents   []*corev1.Event
	newEvents    []*eventsv1.Event
	// extraObjects are written after the planned ones (PVCs, HPAs, ...).
	extraObjects []kubeObject
	logs         map[string][]logEntry
	metrics      *openMetrics
}

// kubeObject is an API object destined for a file of kube/.
type kubeObject struct {
	file string
	obj  any
}

type scenarioFile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Now         string `yaml:"now"`
	// Alert is an alertFile, or a webhook wrapping one.
	Alert  any        `yaml:"alert"`
	Expect expectFile `yaml:"expect"`
}

type alertFile struct {
	Labels       map[string]string  `yaml:"labels"`
	Annotations  map[string]string  `yaml:"annotations"`
	Status       string             `yaml:"status"`
	StartsAt     string             `yaml:"startsAt"`
	EndsAt       string             `yaml:"endsAt"`
	Fingerprint  string             `yaml:"fingerprint"`
	GeneratorURL string             `yaml:"generatorURL"`
	Values       map[string]float64 `yaml:"values,omitempty"`
	Query        string             `yaml:"query"`
}

type expectFile struct {
	Category string     `yaml:"category"`
	Entity   entityFile `yaml:"entity"`
	Mentions []string   `yaml:"mentions"`
}

type entityFile struct {
	Namespace string `yaml:"namespace"`
	Kind      string `yaml:"kind"`
	Name      string `yaml:"name"`
}

func newBuilder(name string) *builder {
	sum := sha256.Sum256([]byte(name))
	seed := binary.BigEndian.Uint64(sum[:8])
	return &builder{
		name:    name,
		rng:     rand.New(rand.NewPCG(seed, seed>>7|1)),
		step:    30 * time.Second,
		logs:    map[string][]logEntry{},
		region:  "eu-west-1",
		account: "412345678901",
	}
}

// setup fixes the evaluation time and the metrics window (minutes before now).
func (b *builder) setup(now string, windowMinutes int) {
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		panic(fmt.Sprintf("scenario %s: now: %v", b.name, err))
	}
	b.now = t
	b.start = t.Add(-time.Duration(windowMinutes) * time.Minute)
	b.metrics = newOpenMetrics(b.start, b.now, b.step)
	b.meta.Name = b.name
	b.meta.Now = t.UTC().Format(time.RFC3339)
}

// at is now minus a duration; most story times are written relative to now.
func (b *builder) at(before time.Duration) time.Time { return b.now.Add(-before) }

// describe sets the human description of the incident.
func (b *builder) describe(text string) { b.meta.Description = strings.TrimSpace(text) }

// alertSpec is the alert as the rule produced it.
type alertSpec struct {
	labels      map[string]string
	summary     string
	description string
	runbook     string
	startsAt    time.Time
	query       string
	value       float64
}

func (b *builder) alert(a alertSpec) {
	ann := map[string]string{"summary": a.summary, "description": a.description}
	if a.runbook != "" {
		ann["runbook_url"] = a.runbook
	}
	b.meta.Alert = alertFile{
		Labels:       a.labels,
		Annotations:  ann,
		Status:       "firing",
		StartsAt:     a.startsAt.UTC().Format(time.RFC3339),
		EndsAt:       "0001-01-01T00:00:00Z",
		Fingerprint:  labelFingerprint(a.labels),
		GeneratorURL: "http://prometheus-k8s.monitoring.svc:9090/graph?g0.expr=" + url.QueryEscape(a.query) + "&g0.tab=1",
		Values:       map[string]float64{"A": a.value},
		Query:        a.query,
	}
}

// webhookFile is an Alertmanager (version 4) or Grafana contact-point
// webhook body carrying one alert: the shape a receiver gets, without the
// rule's query.
type webhookFile struct {
	Receiver          string            `yaml:"receiver"`
	Status            string            `yaml:"status"`
	Alerts            []webhookAlert    `yaml:"alerts"`
	GroupLabels       map[string]string `yaml:"groupLabels"`
	CommonLabels      map[string]string `yaml:"commonLabels"`
	CommonAnnotations map[string]string `yaml:"commonAnnotations"`
	ExternalURL       string            `yaml:"externalURL"`
	Version           string            `yaml:"version"`
	GroupKey          string            `yaml:"groupKey"`
	TruncatedAlerts   int               `yaml:"truncatedAlerts"`
	OrgID             int               `yaml:"orgId,omitempty"`
	Title             string            `yaml:"title,omitempty"`
	State             string            `yaml:"state,omitempty"`
	Message           string            `yaml:"message,omitempty"`
}

type webhookAlert struct {
	Status       string             `yaml:"status"`
	Labels       map[string]string  `yaml:"labels"`
	Annotations  map[string]string  `yaml:"annotations"`
	StartsAt     string             `yaml:"startsAt"`
	EndsAt       string             `yaml:"endsAt"`
	GeneratorURL string             `yaml:"generatorURL"`
	Fingerprint  string             `yaml:"fingerprint"`
	Values       map[string]float64 `yaml:"values,omitempty"`
	ValueString  string             `yaml:"valueString,omitempty"`
}

// asWebhook rewraps the scenario's alert as the webhook body a receiver
// gets from Alertmanager, or from Grafana when grafana is set.
func (b *builder) asWebhook(grafana bool) {
	a := b.meta.Alert.(alertFile)
	wa := webhookAlert{Status: "firing", Labels: a.Labels, Annotations: a.Annotations, StartsAt: a.StartsAt, EndsAt: a.EndsAt,
		GeneratorURL: a.GeneratorURL, Fingerprint: a.Fingerprint}
	w := webhookFile{Receiver: "aiops-explain", Status: "firing", Alerts: []webhookAlert{wa},
		GroupLabels:  map[string]string{"alertname": a.Labels["alertname"], "namespace": a.Labels["namespace"]},
		CommonLabels: a.Labels, CommonAnnotations: a.Annotations, ExternalURL: "http://alertmanager-main.monitoring.svc:9093",
		Version: "4", GroupKey: fmt.Sprintf("{}/{severity=~\"warning|critical\"}:{alertname=%q, namespace=%q}", a.Labels["alertname"], a.Labels["namespace"])}
	if grafana {
		w.ExternalURL = "https://grafana.example.internal/"
		w.OrgID, w.State = 1, "alerting"
		w.Title = fmt.Sprintf("[FIRING:1] %s (%s)", a.Labels["alertname"], a.Labels["namespace"])
		w.Message = "**Firing**\n\nValue: " + fmt.Sprint(a.Values["A"]) + "\nLabels:\n - alertname = " + a.Labels["alertname"]
		w.Alerts[0].Values = a.Values
		w.Alerts[0].ValueString = fmt.Sprintf("[ var='A' labels={namespace=%s} value=%v ]", a.Labels["namespace"], a.Values["A"])
		w.Alerts[0].GeneratorURL = "https://grafana.example.internal/alerting/grafana/" + b.hex(14) + "/view?orgId=1"
		w.GroupKey = fmt.Sprintf("{}/{__grafana_autogenerated__=\"true\"}/{__grafana_receiver__=\"aiops-explain\"}:{alertname=%q, grafana_folder=%q}", a.Labels["alertname"], a.Labels["grafana_folder"])
	}
	b.meta.Alert = w
}

func (b *builder) expect(category, namespace, kind, name string, mentions ...string) {
	b.meta.Expect = expectFile{Category: category, Entity: entityFile{namespace, kind, name}, Mentions: mentions}
}

func labelFingerprint(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\xff%s\xff", k, labels[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Random helpers: all derived from the scenario's seeded generator.

const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

func (b *builder) suffix(n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = nameAlphabet[b.rng.IntN(len(nameAlphabet))]
	}
	return string(out)
}

func (b *builder) hex(n int) string {
	out := make([]byte, n)
	const digits = "0123456789abcdef"
	for i := range out {
		out[i] = digits[b.rng.IntN(16)]
	}
	return string(out)
}

func (b *builder) uid() string {
	h := b.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

func (b *builder) podIP() string {
	return fmt.Sprintf("10.0.%d.%d", 32+b.rng.IntN(64), 2+b.rng.IntN(250))
}

// jitter returns a duration uniformly in [0, d).
func (b *builder) jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(b.rng.Int64N(int64(d)))
}

// ecr is an image in the scenario's ECR registry.
func (b *builder) ecr(repo, tag string) string {
	return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s:%s", b.account, b.region, repo, tag)
}

// imageID is the digest reference the kubelet reports for an image.
func (b *builder) imageID(image string) string {
	repo := image
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		repo = image[:i]
	}
	if !strings.Contains(strings.SplitN(repo, "/", 2)[0], ".") {
		if !strings.Contains(repo, "/") {
			repo = "library/" + repo
		}
		repo = "docker.io/" + repo
	}
	return repo + "@sha256:" + b.hex(64)
}

func (b *builder) add(file string, obj any) { b.objects = append(b.objects, kubeObject{file, obj}) }

// write renders the scenario into dir.
func (b *builder) write(dir string) error {
	for _, n := range b.nodes {
		n.finish()
	}
	for _, w := range b.deploys {
		w.finish()
	}
	for _, p := range b.pods {
		p.finish()
	}
	for _, x := range b.extraObjects {
		b.add(x.file, x.obj)
	}
	b.finishEndpoints()
	b.flushEvents()
	if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
		return fmt.Errorf("create dir: %w", err)
	}
	meta, err := yaml.Marshal(b.meta)
	if err != nil {
		return fmt.Errorf("marshal scenario.yaml: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.yaml"), meta, 0o644); err != nil {
		return fmt.Errorf("write scenario.yaml: %w", err)
	}
	if err := b.writeObjects(filepath.Join(dir, "kube")); err != nil {
		return err
	}
	for rel, entries := range b.logs {
		path := filepath.Join(dir, "logs", rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create log dir: %w", err)
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].t.Before(entries[j].t) })
		var buf bytes.Buffer
		for _, e := range entries {
			buf.WriteString(e.t.UTC().Format(time.RFC3339Nano))
			buf.WriteByte(' ')
			buf.WriteString(e.text)
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
	}
	var om bytes.Buffer
	b.metrics.writeTo(&om)
	if err := os.WriteFile(filepath.Join(dir, "metrics.om"), om.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write metrics.om: %w", err)
	}
	return nil
}

// listFiles are written as a v1 List (what `kubectl get -o yaml` prints);
// the others as multi-document YAML, so the corpus exercises both shapes.
var listFiles = map[string]bool{"pods.yaml": true, "events.yaml": true}

func (b *builder) writeObjects(dir string) error {
	byFile := map[string][]any{}
	var order []string
	for _, o := range b.objects {
		if _, ok := byFile[o.file]; !ok {
			order = append(order, o.file)
		}
		byFile[o.file] = append(byFile[o.file], o.obj)
	}
	for _, file := range order {
		var out []byte
		if listFiles[file] {
			items := make([]json.RawMessage, 0, len(byFile[file]))
			for _, obj := range byFile[file] {
				raw, err := json.Marshal(obj)
				if err != nil {
					return fmt.Errorf("marshal %s: %w", file, err)
				}
				items = append(items, raw)
			}
			list := map[string]any{"apiVersion": "v1", "kind": "List", "items": items,
				"metadata": map[string]string{"resourceVersion": ""}}
			y, err := sigsyaml.Marshal(list)
			if err != nil {
				return fmt.Errorf("marshal %s: %w", file, err)
			}
			out = y
		} else {
			var buf bytes.Buffer
			for i, obj := range byFile[file] {
				y, err := sigsyaml.Marshal(obj)
				if err != nil {
					return fmt.Errorf("marshal %s: %w", file, err)
				}
				if i > 0 {
					buf.WriteString("---\n")
				}
				buf.Write(y)
			}
			out = buf.Bytes()
		}
		if err := os.WriteFile(filepath.Join(dir, file), out, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", file, err)
		}
	}
	return nil
}

// logEntry is one line of a container log as the kubelet stored it.
type logEntry struct {
	t    time.Time
	text string
}

// logTo appends a record to the log file of a container run. A multi-line
// record (a stack trace) becomes one line per line, microseconds apart, as
// the container runtime splits them.
func (b *builder) logTo(ns, pod, container string, previous bool, t time.Time, record string) {
	name := container + ".log"
	if previous {
		name = container + ".previous.log"
	}
	rel := filepath.Join(ns, pod, name)
	for _, l := range strings.Split(record, "\n") {
		b.logs[rel] = append(b.logs[rel], logEntry{t, l})
		t = t.Add(time.Duration(1+b.rng.IntN(900)) * time.Microsecond)
	}
}
