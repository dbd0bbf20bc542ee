package plugin

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
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
// button later finds a ready answer in the cache. It is bounded: when full,
// new alerts are refused (the sender retries) rather than queued without end.
// An alert already waiting or being explained is not queued twice.
type webhookQueue struct {
	size    int
	metrics *Metrics
	work    func(ctx context.Context, a incident.Alert)

	mu       sync.Mutex
	queue    chan incident.Alert
	inFlight map[string]bool
	started  bool
	closed   bool
	wg       sync.WaitGroup
}

func newWebhookQueue(size int, m *Metrics, work func(context.Context, incident.Alert)) *webhookQueue {
	if size <= 0 {
		size = config.DefaultWebhookQueue
	}
	return &webhookQueue{size: size, metrics: m, work: work, queue: make(chan incident.Alert, size), inFlight: map[string]bool{}}
}

// Results of offering one alert to the queue.
const (
	resultQueued    = "queued"
	resultDuplicate = "duplicate"
	resultResolved  = "resolved"
	resultFull      = "full"
)

// offer queues a firing alert; the workers start with the first one and
// stop when life ends.
func (q *webhookQueue) offer(life context.Context, a incident.Alert) string {
	if a.Status == "resolved" {
		return resultResolved
	}
	key := a.Fingerprint
	if key == "" {
		key = alert.Fingerprint(a.Labels)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return resultFull
	}
	if q.inFlight[key] {
		return resultDuplicate
	}
	select {
	case q.queue <- a:
	default:
		return resultFull
	}
	q.inFlight[key] = true
	q.metrics.QueueDepth.Set(float64(len(q.queue)))
	if !q.started {
		q.started = true
		for range webhookWorkers {
			q.wg.Add(1)
			go q.run(life)
		}
	}
	return resultQueued
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
		case a := <-q.queue:
			q.metrics.QueueDepth.Set(float64(len(q.queue)))
			q.work(life, a)
			key := a.Fingerprint
			if key == "" {
				key = alert.Fingerprint(a.Labels)
			}
			q.mu.Lock()
			delete(q.inFlight, key)
			q.mu.Unlock()
		}
	}
}

// wait returns when the workers have stopped (after life ended).
func (q *webhookQueue) wait() { q.wg.Wait() }

// depth is how many alerts wait.
func (q *webhookQueue) depth() int { return len(q.queue) }

// explainInBackground explains one webhook alert into the cache and history.
func (s *service) explainInBackground(life context.Context, a incident.Alert) {
	ctx, cancel := context.WithTimeout(life, backgroundTimeout)
	defer cancel()
	ex, claimed, err := s.engine.Investigate(ctx, engine.Request{Alert: a, User: webhookUser}, backgroundTimeout+time.Minute)
	switch {
	case err == nil && !claimed:
		s.logger.Info("Webhook alert left to the replica that claimed it", "alertname", clip(a.Name(), 128))
	case errors.Is(err, engine.ErrBudget):
		s.logger.Warn("Webhook alert not explained: today's AI budget is used up", "alertname", clip(a.Name(), 128))
	case err != nil:
		s.logger.Error("Explaining a webhook alert failed", "alertname", clip(a.Name(), 128), "error", err)
	default:
		s.logger.Info("Explained webhook alert", "alertname", clip(a.Name(), 128), "id", ex.ID, "category", string(ex.RootCause.Category))
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
	resp := webhookResponse{Received: len(alerts)}
	for _, al := range alerts {
		result := a.svc.queue.offer(a.svc.life, al)
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
