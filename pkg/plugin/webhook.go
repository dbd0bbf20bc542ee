package plugin

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// webhookSecretHeader carries the shared secret Alertmanager sends
// (deploy/alertmanager/alertmanager.yml).
const webhookSecretHeader = "X-Aiops-Webhook-Secret"

// Background explanation limits.
const (
	webhookWorkers    = 2
	backgroundTimeout = 2 * time.Minute
	webhookUser       = "webhook"
)

// webhookQueue explains firing alerts in the background so that the Explain
// button later finds a ready answer in the cache. The firing alerts of one
// delivery (an Alertmanager group) wait as one job, so that alerts with a
// shared cause are investigated as one incident. It is bounded: when full,
// new alerts are refused (the sender retries) rather than queued without end.
// An alert already waiting or being explained is not queued twice.
type webhookQueue struct {
	size    int
	metrics *Metrics
	work    func(ctx context.Context, alerts []incident.Alert)

	mu       sync.Mutex
	queue    chan []incident.Alert
	inFlight map[string]bool
	started  bool
	closed   bool
	wg       sync.WaitGroup
}

func newWebhookQueue(size int, m *Metrics, work func(context.Context, []incident.Alert)) *webhookQueue {
	if size <= 0 {
		size = config.DefaultWebhookQueue
	}
	return &webhookQueue{size: size, metrics: m, work: work, queue: make(chan []incident.Alert, size), inFlight: map[string]bool{}}
}

// Results of offering one alert to the queue.
const (
	resultQueued    = "queued"
	resultDuplicate = "duplicate"
	resultResolved  = "resolved"
	resultFull      = "full"
)

func queueKey(a incident.Alert) string {
	if a.Fingerprint != "" {
		return a.Fingerprint
	}
	return alert.Fingerprint(a.Labels)
}

// offer queues the firing alerts of one delivery as one job and returns
// each alert's result; the workers start with the first job and stop when
// life ends.
func (q *webhookQueue) offer(life context.Context, alerts []incident.Alert) []string {
	results := make([]string, len(alerts))
	q.mu.Lock()
	defer q.mu.Unlock()
	var job []incident.Alert
	var queued []int
	seen := map[string]bool{}
	for i, a := range alerts {
		key := queueKey(a)
		switch {
		case a.Status == "resolved":
			results[i] = resultResolved
		case q.closed:
			results[i] = resultFull
		case q.inFlight[key] || seen[key]:
			results[i] = resultDuplicate
		default:
			seen[key] = true
			job = append(job, a)
			queued = append(queued, i)
		}
	}
	if len(job) == 0 {
		return results
	}
	result := resultQueued
	select {
	case q.queue <- job:
		for key := range seen {
			q.inFlight[key] = true
		}
	default:
		result = resultFull
	}
	for _, i := range queued {
		results[i] = result
	}
	if result == resultFull {
		return results
	}
	q.metrics.QueueDepth.Set(float64(len(q.queue)))
	if !q.started {
		q.started = true
		for range webhookWorkers {
			q.wg.Add(1)
			go q.run(life)
		}
	}
	return results
}

func (q *webhookQueue) run(life context.Context) {
	defer q.wg.Done()
	for {
		select {
		case <-life.Done():
			q.mu.Lock()
			q.closed = true
			q.mu.Unlock()
			return
		case job := <-q.queue:
			q.metrics.QueueDepth.Set(float64(len(q.queue)))
			q.work(life, job)
			q.mu.Lock()
			for _, a := range job {
				delete(q.inFlight, queueKey(a))
			}
			q.mu.Unlock()
		}
	}
}

// wait returns when the workers have stopped (after life ended).
func (q *webhookQueue) wait() { q.wg.Wait() }

// depth is how many jobs wait.
func (q *webhookQueue) depth() int { return len(q.queue) }

// explainInBackground explains the firing alerts of one webhook delivery
// into the cache and history: one alert alone, several as a group.
func (s *service) explainInBackground(life context.Context, alerts []incident.Alert) {
	ctx, cancel := context.WithTimeout(life, backgroundTimeout)
	defer cancel()
	req := engine.Request{User: webhookUser}
	lease := backgroundTimeout + time.Minute
	var out []incident.Explanation
	var claimed bool
	var err error
	if len(alerts) == 1 {
		req.Alert = alerts[0]
		var ex incident.Explanation
		ex, claimed, err = s.engine.Investigate(ctx, req, lease)
		out = []incident.Explanation{ex}
	} else {
		out, claimed, err = s.engine.InvestigateAll(ctx, alerts, req, lease)
	}
	name := clip(alerts[0].Name(), 128)
	switch {
	case err == nil && !claimed:
		s.logger.Info("Webhook alerts left to the replica that claimed them", "alertname", name, "alerts", len(alerts))
	case errors.Is(err, engine.ErrBudget):
		s.logger.Warn("Webhook alerts not explained: today's AI budget is used up", "alertname", name, "alerts", len(alerts))
	case err != nil:
		s.logger.Error("Explaining webhook alerts failed", "alertname", name, "alerts", len(alerts), "error", err)
	default:
		for _, ex := range out {
			s.logger.Info("Explained webhook alert", "alertname", clip(ex.Alert.Name(), 128), "id", ex.ID,
				"category", string(ex.RootCause.Category), "alerts", len(alerts))
		}
	}
}

// webhookRefusal says why a webhook call is not accepted, or nil. A call
// needs a signed-in Grafana identity: contact points send a service
// account's token (Authorization: Bearer …). An Editor's token suffices; a
// Viewer's needs the app's shared secret as a second factor, so that a
// Viewer alone cannot start paid investigations. A wrong secret is refused
// whoever sends it.
func (a *App) webhookRefusal(r *http.Request) error {
	u := requestUser(r.Context())
	if u == nil {
		return Errorf(http.StatusUnauthorized, "call the webhook through Grafana with a service account token (Authorization: Bearer …)")
	}
	if !hasRole(u, RoleViewer) {
		return Errorf(http.StatusForbidden, "the webhook's service account needs a role; its role is %s", orNone(u.Role))
	}
	if got := r.Header.Get(webhookSecretHeader); got != "" {
		secret := a.settings.WebhookSecret()
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			return Errorf(http.StatusUnauthorized, "the %s header does not match the app's webhook secret", webhookSecretHeader)
		}
		return nil
	}
	if !hasRole(u, RoleEditor) {
		return Errorf(http.StatusForbidden, "the webhook needs an Editor's token, or a Viewer's with the app's shared secret in the %s header; your role is %s", webhookSecretHeader, orNone(u.Role))
	}
	return nil
}

type webhookResponse struct {
	Received   int `json:"received"`
	Queued     int `json:"queued"`
	Duplicates int `json:"duplicates"`
	Resolved   int `json:"resolved"`
	Refused    int `json:"refused"`
	QueueDepth int `json:"queueDepth"`
}

// postWebhook serves POST /webhook/alertmanager.
func (a *App) postWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	if err := a.webhookRefusal(r); err != nil {
		return err
	}
	alerts, err := alert.Parse(r.Body)
	if err != nil {
		return alertError(err)
	}
	// A delivery's only product is its history entry: without a history
	// it is refused, and Alertmanager delivers it again, rather than
	// accepted and lost.
	if _, err := a.svc.engine.Store(r.Context()); err != nil {
		w.Header().Set("Retry-After", "30")
		return Errorf(http.StatusServiceUnavailable, "the explanation history is unavailable, so webhook alerts cannot be kept; deliver again later")
	}
	resp := webhookResponse{Received: len(alerts)}
	var results []string
	for chunk := range slices.Chunk(alerts, engine.MaxGroupAlerts) {
		results = append(results, a.svc.queue.offer(a.svc.life, chunk)...)
	}
	for _, result := range results {
		a.svc.metrics.WebhookDrops.WithLabelValues(result).Inc()
		switch result {
		case resultQueued:
			resp.Queued++
		case resultDuplicate:
			resp.Duplicates++
		case resultResolved:
			resp.Resolved++
		case resultFull:
			resp.Refused++
		}
	}
	resp.QueueDepth = a.svc.queue.depth()
	a.logger.Info("Webhook received", "requestId", requestID(r), "alerts", resp.Received, "queued", resp.Queued,
		"duplicates", resp.Duplicates, "refused", resp.Refused)
	if resp.Refused > 0 && resp.Queued == 0 {
		// Alertmanager retries on 5xx: back-pressure instead of loss.
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, resp)
		return nil
	}
	writeJSON(w, http.StatusAccepted, resp)
	return nil
}
