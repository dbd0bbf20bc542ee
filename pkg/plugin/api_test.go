package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/app"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm/llmtest"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// harness calls one app instance through the SDK's instance manager, as
// Grafana does, with a plugin context per role.
type harness struct {
	t   testing.TB
	im  instancemgmt.InstanceManager
	pc  backend.PluginContext
	dir string
}

func newHarness(t testing.TB, jsonData string, secure map[string]string) *harness {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(config.EnvDir, dir)
	h := &harness{t: t, dir: dir, im: app.NewInstanceManager(NewApp), pc: backend.PluginContext{
		OrgID: 1, PluginID: ID,
		AppInstanceSettings: &backend.AppInstanceSettings{JSONData: json.RawMessage(jsonData), DecryptedSecureJSONData: secure,
			Updated: time.Unix(1, 0)},
	}}
	t.Cleanup(func() { h.app().Dispose() })
	return h
}

func (h *harness) app() *App {
	h.t.Helper()
	inst, err := h.im.Get(context.Background(), h.pc)
	if err != nil {
		h.t.Fatalf("instance: %v", err)
	}
	return inst.(*App)
}

func user(role string) *backend.User {
	if role == "" {
		return nil
	}
	return &backend.User{Login: strings.ToLower(role) + "-user", Role: role}
}

// call sends one resource request as the user of role ("" for none).
func (h *harness) call(ctx context.Context, role, method, path string, body any, headers map[string][]string) (int, []byte, http.Header) {
	h.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			h.t.Fatal(err)
		}
	}
	pc := h.pc
	pc.User = user(role)
	req := &backend.CallResourceRequest{PluginContext: pc, Method: method, Path: strings.SplitN(path, "?", 2)[0], URL: path, Body: raw, Headers: headers}
	var got *backend.CallResourceResponse
	err := h.app().CallResource(ctx, req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		got = r
		return nil
	}))
	if err != nil {
		h.t.Fatalf("CallResource %s %s: %v", method, path, err)
	}
	if got == nil {
		h.t.Fatalf("%s %s: no response", method, path)
	}
	return got.Status, got.Body, http.Header(got.Headers)
}

func decode[T any](t testing.TB, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("response is not the expected JSON: %v: %s", err, body)
	}
	return v
}

type envelope struct {
	Error errorBody `json:"error"`
}

func testAlert(name string) map[string]any {
	return map[string]any{
		"labels":      map[string]string{"alertname": name, "namespace": "shop", "pod": "order-7d9c5-x2x1q", "severity": "critical"},
		"annotations": map[string]string{"summary": "order pods restart"},
		"status":      "firing",
		"startsAt":    "2026-11-20T10:00:00Z",
	}
}

func TestExplainCacheHistoryAndFeedback(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	ctx := context.Background()
	status, body, _ := h.call(ctx, RoleViewer, "POST", "explain", testAlert("KubePodCrashLooping"), nil)
	if status != 200 {
		t.Fatalf("explain: %d %s", status, body)
	}
	first := decode[incident.Explanation](t, body)
	if first.ID == "" || first.Provider.Name != "offline" || !first.RootCause.Category.Valid() || first.Alert.Name() != "KubePodCrashLooping" {
		t.Fatalf("explanation = %+v", first)
	}

	_, body, _ = h.call(ctx, RoleEditor, "POST", "explain", testAlert("KubePodCrashLooping"), nil)
	if again := decode[incident.Explanation](t, body); again.ID != first.ID {
		t.Errorf("second explain id %s, want the cached %s", again.ID, first.ID)
	}
	_, body, _ = h.call(ctx, RoleViewer, "POST", "explain?refresh=true", testAlert("KubePodCrashLooping"), nil)
	if fresh := decode[incident.Explanation](t, body); fresh.ID == first.ID {
		t.Errorf("refresh=true returned the cached explanation")
	}
	h.call(ctx, RoleViewer, "POST", "explain", testAlert("HighLatency"), nil)

	tests := []struct {
		query string
		total int
	}{
		{"explanations", 3},
		{"explanations?alertname=KubePodCrashLooping", 2},
		{"explanations?alertname=HighLatency&namespace=shop", 1},
		{"explanations?namespace=other", 0},
		{"explanations?since=2000-01-01T00:00:00Z&limit=1", 3},
		{"explanations?since=1h", 3},
	}
	for _, tt := range tests {
		status, body, _ := h.call(ctx, RoleViewer, "GET", tt.query, nil, nil)
		page := decode[historyPage](t, body)
		if status != 200 || page.Total != tt.total {
			t.Errorf("%s: %d total %d, want %d: %s", tt.query, status, page.Total, tt.total, body)
		}
	}
	_, body, _ = h.call(ctx, RoleViewer, "GET", "explanations?limit=1&offset=1", nil, nil)
	if page := decode[historyPage](t, body); len(page.Items) != 1 || page.Total != 3 {
		t.Errorf("paging: %s", body)
	}
	for _, bad := range []string{"explanations?limit=0", "explanations?limit=x", "explanations?since=yesterday", "explanations?category=Aliens", "explanations?offset=-1"} {
		if status, body, _ := h.call(ctx, RoleViewer, "GET", bad, nil, nil); status != 400 {
			t.Errorf("%s: %d %s, want 400", bad, status, body)
		}
	}

	status, body, _ = h.call(ctx, RoleViewer, "GET", "explanations/"+first.ID, nil, nil)
	item := decode[historyItem](t, body)
	if status != 200 || item.ID != first.ID || item.User != "viewer-user" {
		t.Errorf("get: %d user %q: %s", status, item.User, body)
	}
	if status, _, _ := h.call(ctx, RoleViewer, "GET", "explanations/ex_NOPE", nil, nil); status != 404 {
		t.Errorf("unknown id: %d", status)
	}
	if status, _, _ := h.call(ctx, RoleViewer, "GET", "explanations/..%2f..%2fetc", nil, nil); status != 404 {
		t.Errorf("odd id: %d", status)
	}

	status, body, _ = h.call(ctx, RoleEditor, "POST", "explanations/"+first.ID+"/feedback", map[string]any{"helpful": false, "comment": "wrong pod"}, nil)
	if status != 200 {
		t.Fatalf("feedback: %d %s", status, body)
	}
	_, body, _ = h.call(ctx, RoleViewer, "GET", "explanations/"+first.ID, nil, nil)
	if item := decode[historyItem](t, body); item.Feedback == nil || item.Feedback.Helpful || item.Feedback.Comment != "wrong pod" || item.Feedback.User != "editor-user" {
		t.Errorf("feedback not stored: %s", body)
	}
	for _, bad := range []string{`{}`, `{"helpful":"yes"}`, ``, `{"helpful":true,"comment":"` + strings.Repeat("x", 3000) + `"}`} {
		if status, body, _ := h.call(ctx, RoleViewer, "POST", "explanations/"+first.ID+"/feedback", bad, nil); status != 400 {
			t.Errorf("feedback %.30q: %d %s", bad, status, body)
		}
	}

	_, body, _ = h.call(ctx, RoleViewer, "GET", "usage", nil, nil)
	usage := decode[usageResponse](t, body)
	// Each row is one user's: the editor's request was the cache hit.
	byUser := map[string]store.UsageDay{}
	for _, d := range usage.Days {
		byUser[d.User] = d
	}
	if len(usage.Days) != 2 || byUser["editor-user"].CacheHits != 1 || byUser["editor-user"].Requests != 1 ||
		byUser["viewer-user"].Requests != 3 || byUser["viewer-user"].CacheHits != 0 {
		t.Errorf("usage = %s", body)
	}
	if !usage.Budget.ResetsAt.After(time.Now()) {
		t.Errorf("budget resets at %v", usage.Budget.ResetsAt)
	}

	// The history survives the instance: a new one (settings saved again)
	// reads the same file.
	h.pc.AppInstanceSettings.JSONData = json.RawMessage(`{"cacheTTL":"16m"}`)
	h.pc.AppInstanceSettings.Updated = time.Unix(2, 0)
	_, body, _ = h.call(ctx, RoleViewer, "GET", "explanations", nil, nil)
	if page := decode[historyPage](t, body); page.Total != 3 {
		t.Errorf("after a new instance: %s", body)
	}
}

func TestExplainRejectsBadInput(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	tests := []struct {
		path   string
		body   string
		status int
		text   string
	}{
		{"explain", ``, 400, "empty"},
		{"explain", `{"labels":`, 400, ""},
		{"explain", `{"annotations":{}}`, 400, "labels"},
		{"explain", `{"labels":{"alertname":"x"},"startsAt":"yesterday"}`, 400, "startsAt"},
		{"explain", `{"labels":{"a":"` + strings.Repeat("x", 2<<20) + `"}}`, 413, "larger than"},
		{"explain?provider=gpt5", `{"labels":{"alertname":"x"}}`, 400, "unknown provider"},
		{"explain?provider=openai", `{"labels":{"alertname":"x"}}`, 400, "not configured"},
		{"explain?stream=../x", `{"labels":{"alertname":"x"}}`, 400, "stream"},
		{"summarize", `{"logs":""}`, 400, "empty"},
		{"summarize", `[1]`, 400, "logs"},
	}
	for _, tt := range tests {
		status, body, _ := h.call(context.Background(), RoleViewer, "POST", tt.path, tt.body, nil)
		if status != tt.status || !strings.Contains(string(body), tt.text) {
			t.Errorf("%s %.40q: %d %s, want %d with %q", tt.path, tt.body, status, body, tt.status, tt.text)
		}
	}
}

func TestSummarizeSeedAPI(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	logs := strings.Repeat("2026-11-20T10:00:00Z ERROR dial tcp 10.0.0.7:5432: connect: connection refused host=orders-db\n", 20)
	status, body, _ := h.call(context.Background(), RoleViewer, "POST", "summarize", map[string]string{"logs": logs}, nil)
	if status != 200 {
		t.Fatalf("summarize: %d %s", status, body)
	}
	var resp struct {
		Summary   string   `json:"summary"`
		RootCause string   `json:"rootCause"`
		NextSteps []string `json:"nextSteps"`
	}
	resp = decode[struct {
		Summary   string   `json:"summary"`
		RootCause string   `json:"rootCause"`
		NextSteps []string `json:"nextSteps"`
	}](t, body)
	if resp.Summary == "" || resp.RootCause == "" || resp.NextSteps == nil {
		t.Errorf("summarize = %s", body)
	}
}

// fakeModel is an OpenAI-compatible server answering every chat completion
// with a streamed explanation; block makes it wait for the client to go away.
type fakeModel struct {
	srv      *httptest.Server
	requests atomic.Int64
	block    atomic.Bool
	started  chan struct{}
}

func newFakeModel(t testing.TB) *fakeModel {
	t.Helper()
	m := &fakeModel{started: make(chan struct{}, 1000)}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"object":"list","data":[{"id":"gpt-4o-mini","object":"model"},{"id":"gpt-4o","object":"model"}]}`)
			return
		}
		// Reading the body lets the server notice when the client goes away.
		_, _ = io.Copy(io.Discard, r.Body)
		m.requests.Add(1)
		m.started <- struct{}{}
		// A blocked request is held until the client gives up or the test
		// lets the model answer.
		for m.block.Load() {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
		llmtest.WriteChatStream(w, llmtest.ExplanationJSON(modelSummary))
	}))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *fakeModel) settings(extra string) string {
	return fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q,"model":"gpt-4o-mini"}%s}`, m.srv.URL+"/v1", extra)
}

// packets collects what RunStream sends.
type packets struct {
	mu     sync.Mutex
	events []streamEvent
}

func (p *packets) Send(pk *backend.StreamPacket) error {
	var e streamEvent
	if err := json.Unmarshal(pk.Data, &e); err != nil {
		return err
	}
	p.mu.Lock()
	p.events = append(p.events, e)
	p.mu.Unlock()
	return nil
}

func (p *packets) all() []streamEvent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]streamEvent(nil), p.events...)
}

func TestExplainStreamsProgressOverLive(t *testing.T) {
	model := newFakeModel(t)
	h := newHarness(t, model.settings(""), map[string]string{"openaiApiKey": "sk-test"})
	a := h.app()
	const id = "req-0123456789"
	path := streamPathPrefix + id

	pc := h.pc
	pc.User = user(RoleViewer)
	for _, tt := range []struct {
		path string
		role string
		want backend.SubscribeStreamStatus
	}{
		{path, RoleViewer, backend.SubscribeStreamStatusOK},
		{path, "None", backend.SubscribeStreamStatusPermissionDenied},
		{"explain/short", RoleViewer, backend.SubscribeStreamStatusNotFound},
		{"other/" + id, RoleViewer, backend.SubscribeStreamStatusNotFound},
	} {
		spc := h.pc
		spc.User = user(tt.role)
		res, err := a.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{PluginContext: spc, Path: tt.path})
		if err != nil || res.Status != tt.want {
			t.Errorf("subscribe %s as %s: %v %v, want %v", tt.path, tt.role, res, err, tt.want)
		}
	}
	// Another user cannot take over the stream id.
	other := h.pc
	other.User = &backend.User{Login: "mallory", Role: RoleAdmin}
	if res, _ := a.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{PluginContext: other, Path: path}); res.Status != backend.SubscribeStreamStatusPermissionDenied {
		t.Errorf("another user subscribed to the stream: %v", res.Status)
	}

	got := &packets{}
	relayDone := make(chan error, 1)
	go func() {
		relayDone <- a.RunStream(context.Background(), &backend.RunStreamRequest{PluginContext: pc, Path: path}, backend.NewStreamSender(got))
	}()
	status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain?stream="+id, testAlert("KubePodCrashLooping"), nil)
	if status != 200 {
		t.Fatalf("explain: %d %s", status, body)
	}
	select {
	case err := <-relayDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunStream did not end after the explanation")
	}
	events := got.all()
	var stages []string
	tokens := 0
	for _, e := range events {
		if e.Token != "" {
			tokens++
			continue
		}
		stages = append(stages, e.Stage)
	}
	want := []string{"resolving", "collecting", "analyzing", "asking_model", "done"}
	if strings.Join(stages, ",") != strings.Join(want, ",") {
		t.Errorf("stages %v, want %v", stages, want)
	}
	if tokens == 0 {
		t.Errorf("no summary tokens were streamed")
	}
	last := events[len(events)-1]
	if last.Explanation == nil || last.Explanation.ID != decode[incident.Explanation](t, body).ID {
		t.Errorf("the done event does not carry the explanation: %+v", last)
	}

	// A POST by another user with the same stream id is refused.
	if status, _, _ := h.call(context.Background(), RoleEditor, "POST", "explain?stream="+id, testAlert("X"), nil); status != http.StatusConflict {
		t.Errorf("stream id reuse by another user: %d", status)
	}
}

func TestViewerLeavingCancelsTheExplanation(t *testing.T) {
	model := newFakeModel(t)
	model.block.Store(true)
	h := newHarness(t, model.settings(""), map[string]string{"openaiApiKey": "sk-test"})
	a := h.app()
	const id = "cancel-0123456789"
	pc := h.pc
	pc.User = user(RoleViewer)
	if res, _ := a.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{PluginContext: pc, Path: streamPathPrefix + id}); res.Status != backend.SubscribeStreamStatusOK {
		t.Fatal(res.Status)
	}
	viewer, leave := context.WithCancel(context.Background())
	relayDone := make(chan error, 1)
	go func() {
		relayDone <- a.RunStream(viewer, &backend.RunStreamRequest{PluginContext: pc, Path: streamPathPrefix + id}, backend.NewStreamSender(&packets{}))
	}()
	go func() {
		<-model.started // the model is being asked: the viewer closes the drawer
		leave()
	}()
	start := time.Now()
	status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain?stream="+id, testAlert("Slow"), nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "cancelled") {
		t.Errorf("explain after the viewer left: %d %s, want 503 cancelled", status, body)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancellation took %s", d)
	}
	if err := <-relayDone; err != nil {
		t.Error(err)
	}
}

func TestBudgetAndRateLimit(t *testing.T) {
	model := newFakeModel(t)
	// A call is reserved at its prompt plus the 1024-token answer cap (about
	// 2,200) and settles at the 1,000 the model reports: the second call's
	// estimate no longer fits.
	h := newHarness(t, model.settings(`,"budgets":{"dailyTokens":3000}`), map[string]string{"openaiApiKey": "sk-test"})
	ctx := context.Background()
	if status, body, _ := h.call(ctx, RoleViewer, "POST", "explain", testAlert("First"), nil); status != 200 {
		t.Fatalf("first: %d %s", status, body)
	}
	status, body, hdr := h.call(ctx, RoleViewer, "POST", "explain", testAlert("Second"), nil)
	if status != http.StatusTooManyRequests || !strings.Contains(string(body), "resets at 00:00 UTC") || hdr.Get("Retry-After") == "" {
		t.Errorf("over budget: %d %s %v", status, body, hdr)
	}
	// The offline provider costs nothing and still answers.
	if status, body, _ := h.call(ctx, RoleViewer, "POST", "explain?provider=offline", testAlert("Second"), nil); status != 200 {
		t.Errorf("offline over budget: %d %s", status, body)
	}
	_, body, _ = h.call(ctx, RoleViewer, "GET", "usage", nil, nil)
	if u := decode[usageResponse](t, body); u.Budget.UsedTokens != 1000 || u.Budget.DailyTokens != 3000 {
		t.Errorf("usage budget = %+v", u.Budget)
	}

	h2 := newHarness(t, `{"budgets":{"perUserPerMinute":2}}`, nil)
	for i, want := range []int{200, 200, 429} {
		status, body, hdr := h2.call(ctx, RoleViewer, "POST", "explain", testAlert(fmt.Sprint("R", i)), nil)
		if status != want {
			t.Errorf("request %d: %d %s, want %d", i, status, body, want)
		}
		if want == 429 && (hdr.Get("Retry-After") == "" || !strings.Contains(string(body), "try again in")) {
			t.Errorf("rate limit answer: %s %v", body, hdr)
		}
	}
	// Another user has their own allowance.
	if status, _, _ := h2.call(ctx, RoleEditor, "POST", "explain", testAlert("E"), nil); status != 200 {
		t.Errorf("another user was limited: %d", status)
	}
}

func TestProvidersAndModels(t *testing.T) {
	model := newFakeModel(t)
	h := newHarness(t, model.settings(""), map[string]string{"openaiApiKey": "sk-test"})
	_, body, _ := h.call(context.Background(), RoleViewer, "GET", "providers", nil, nil)
	var got struct {
		Providers []providerView `json:"providers"`
	}
	got = decode[struct {
		Providers []providerView `json:"providers"`
	}](t, body)
	state := map[string]string{}
	for _, p := range got.Providers {
		state[p.Name] = fmt.Sprint(p.Configured, p.Default)
	}
	if state["openai"] != "true true" || state["offline"] != "true false" || state["ollama"] != "false false" || state["bedrock"] != "false false" {
		t.Errorf("providers = %s", body)
	}
	status, body, _ := h.call(context.Background(), RoleViewer, "GET", "models", nil, nil)
	if status != 200 || !strings.Contains(string(body), `"gpt-4o"`) {
		t.Errorf("models: %d %s", status, body)
	}
}

func TestCorruptHistoryIsRecreated(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	path := config.HistoryPath(os.Getenv, 1)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("this is not a database, it is a poem"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain", testAlert("AfterCorruption"), nil); status != 200 {
		t.Fatalf("explain with a corrupt store: %d %s", status, body)
	}
	_, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations", nil, nil)
	if page := decode[historyPage](t, body); page.Total != 1 {
		t.Errorf("history after recreation: %s", body)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("the corrupt file was not kept aside: %v", aside)
	}
}

func TestUnwritableDataDirStillExplains(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	blocker := filepath.Join(h.dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvDir, blocker) // a file where a directory should be
	h.pc.AppInstanceSettings.JSONData = json.RawMessage(`{"cacheTTL":"17m"}`)
	h.pc.AppInstanceSettings.Updated = time.Unix(3, 0)
	if status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain", testAlert("NoStore"), nil); status != 200 {
		t.Errorf("explain without a store: %d %s", status, body)
	}
	status, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations", nil, nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "AIOPS_DATA_DIR") {
		t.Errorf("history without a store: %d %s", status, body)
	}
}

func TestExplainAnAlertmanagerGroupDropsNoAlert(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	group := `{"version":"4","alerts":[
		{"labels":{"alertname":"HighErrorRate","namespace":"shop","deployment":"order"},"status":"firing","startsAt":"2026-11-20T10:00:00Z"},
		{"labels":{"alertname":"HighLatency","namespace":"shop","deployment":"payment"},"status":"firing","startsAt":"2026-11-20T10:01:00Z"},
		{"labels":{"alertname":"PodCrashLooping","namespace":"shop","deployment":"order"},"status":"firing","startsAt":"2026-11-20T10:02:00Z"}]}`
	status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain", group, nil)
	if status != 200 {
		t.Fatalf("group: %d %s", status, body)
	}
	var got severalExplanations
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Explanations) != 2 || got.Explanations[1].Alert.Name() != "HighLatency" ||
		!strings.Contains(strings.Join(got.Explanations[0].Notes, " "), "PodCrashLooping") {
		t.Fatalf("explanations %d: %s", len(got.Explanations), body)
	}
	sameTarget := `{"version":"4","alerts":[
		{"labels":{"alertname":"HighErrorRate","namespace":"shop","deployment":"order"},"status":"firing"},
		{"labels":{"alertname":"PodCrashLooping","namespace":"shop","deployment":"order"},"status":"firing"}]}`
	status, body, _ = h.call(context.Background(), RoleViewer, "POST", "explain", sameTarget, nil)
	var one incident.Explanation
	if status != 200 || json.Unmarshal(body, &one) != nil || one.ID == "" || !strings.Contains(strings.Join(one.Notes, " "), "PodCrashLooping") {
		t.Errorf("one target: %d %s", status, body)
	}
	status, body, _ = h.call(context.Background(), RoleViewer, "POST", "explain?stream=group-stream-1", group, nil)
	if status != 400 || !strings.Contains(string(body), "one target at a time") {
		t.Errorf("streamed group: %d %s", status, body)
	}
	if one.Group == nil || got.Explanations[0].Group == nil || one.Group.ID == got.Explanations[0].Group.ID {
		t.Fatalf("the groups are not told apart: %+v and %+v", one.Group, got.Explanations[0].Group)
	}
	for id, want := range map[string][]string{
		got.Explanations[0].Group.ID: {got.Explanations[1].ID, got.Explanations[0].ID},
		one.Group.ID:                 {one.ID},
		"grp_0000000000000000":       {},
	} {
		status, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations?group="+id, nil, nil)
		page := decode[historyPage](t, body)
		ids := []string{}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
			if it.Group == nil || it.Group.ID != id {
				t.Errorf("an item of group %s has the group %+v", id, it.Group)
			}
		}
		slices.Sort(ids)
		slices.Sort(want)
		if status != 200 || fmt.Sprint(ids) != fmt.Sprint(want) || page.Total != len(want) {
			t.Errorf("group %s lists %v, want %v: %d %s", id, ids, want, status, body)
		}
	}
	for _, bad := range []string{"grp_x", "grp_0000000000000000%27", strings.Repeat("a", 300)} {
		if status, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations?group="+bad, nil, nil); status != 400 {
			t.Errorf("group %.40s: %d %s, want 400", bad, status, body)
		}
	}
}
