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
	"github.com/cloudobs/aiops-app/pkg/store"
)

// webhookSecretHeader carries the shared secret Alertmanager sends
// (deploy/alertmanager/alertmanager.yml).
const webhookSecretHeader = "X-Aiops-Webhook-Secret"

// Background explanation limits.
const (
	webhookWorkers    = 2
	backgroundTimeout = 2 * time.Minute
	webhookUser       = "webhook"
	// investigationLease is the claim on one job's investigation: longer
	// than the investigation may take.
	investigationLease = backgroundTimeout + time.Minute
)

// webhookQueue explains firing alerts in the background so that the Explain
// button later finds a ready answer in the cache. The firing alerts of one
// delivery (an Alertmanager group) wait as one job, so that alerts with a
// shared cause are investigated as one incident. Jobs wait in the store
// (committed before the sender is answered), so a restart does not lose
// them: the workers start with the queue and first take what waits. It is
// bounded: when full, new alerts are refused (the sender retries) rather
// than queued without end. An alert already waiting or being explained is
// not queued twice, across restarts and replicas too.
type webhookQueue struct {
	size    int
	metrics *Metrics
	store   func(context.Context) (*store.Store, error)
	owner   string
	work    func(ctx context.Context, alerts []incident.Alert)
	warn    func(msg string, args ...any)

	// wake tells an idle worker that a job was queued.
	wake chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex
	lastErr string
}

// Store and polling bounds of the queue.
const (
	// queueStoreTimeout bounds one queue operation on the store.
	queueStoreTimeout = 10 * time.Second
	// queuePoll is how often an idle worker looks for jobs it was not
	// woken for: given back by a replica, or whose worker died.
	queuePoll = 10 * time.Second
	// queueLease is how long a job is a worker's, after which a dead
	// worker's job is taken over: longer than the investigation's claim,
	// which the dead worker left too, so the taker finds it run out.
	queueLease = investigationLease + time.Minute
)

// newWebhookQueue starts the workers, which run until life ends.
func newWebhookQueue(life context.Context, size int, m *Metrics, st func(context.Context) (*store.Store, error), owner string,
	warn func(string, ...any), work func(context.Context, []incident.Alert)) *webhookQueue {
	if size <= 0 {
		size = config.DefaultWebhookQueue
	}
	q := &webhookQueue{size: size, metrics: m, store: st, owner: owner, work: work, warn: warn, wake: make(chan struct{}, webhookWorkers)}
	for range webhookWorkers {
		q.wg.Add(1)
		go q.run(life)
	}
	return q
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

// offer commits the firing alerts of one delivery as one job and returns
// each alert's result and how many jobs wait; an error means nothing of
// it could be kept.
func (q *webhookQueue) offer(ctx context.Context, alerts []incident.Alert) ([]string, int, error) {
	results := make([]string, len(alerts))
	var job []incident.Alert
	var keys []string
	var queued []int
	seen := map[string]bool{}
	for i, a := range alerts {
		key := queueKey(a)
		switch {
		case a.Status == "resolved":
			results[i] = resultResolved
		case seen[key]:
			results[i] = resultDuplicate
		default:
			seen[key] = true
			job, keys = append(job, a), append(keys, key)
			queued = append(queued, i)
		}
	}
	if len(job) == 0 {
		return results, 0, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queueStoreTimeout)
	defer cancel()
	st, err := q.store(ctx)
	if err != nil {
		return nil, 0, err
	}
	enq, err := st.EnqueueDelivery(ctx, job, keys, q.size)
	switch {
	case errors.Is(err, store.ErrQueueFull):
		for _, i := range queued {
			results[i] = resultFull
		}
		return results, q.size, nil
	case err != nil:
		return nil, 0, err
	}
	for n, i := range queued {
		results[i] = resultQueued
		if enq.Duplicate[n] {
			results[i] = resultDuplicate
		}
	}
	if enq.ID == "" {
		waiting, _ := st.WaitingDeliveries(ctx)
		return results, waiting, nil
	}
	q.metrics.QueueDepth.Set(float64(enq.Waiting))
	select {
	case q.wake <- struct{}{}:
	default: // every worker has a wake-up pending already
	}
	return results, enq.Waiting, nil
}

func (q *webhookQueue) run(life context.Context) {
	defer q.wg.Done()
	poll := time.NewTimer(0)
	defer poll.Stop()
	for {
		if life.Err() == nil && q.next(life) {
			continue
		}
		poll.Reset(queuePoll)
		select {
		case <-life.Done():
			return
		case <-q.wake:
		case <-poll.C:
		}
	}
}

// next explains one waiting job and reports whether there was one. A job
// whose worker is stopped meanwhile is given back, not finished, so the
// next start explains it.
func (q *webhookQueue) next(life context.Context) bool {
	ctx, cancel := context.WithTimeout(life, queueStoreTimeout)
	defer cancel()
	st, err := q.store(ctx)
	if err != nil {
		q.report(life, err)
		return false
	}
	d, ok, err := st.TakeDelivery(ctx, q.owner, queueLease)
	if err != nil || !ok {
		q.report(life, err)
		return false
	}
	if waiting, err := st.WaitingDeliveries(ctx); err == nil {
		q.metrics.QueueDepth.Set(float64(waiting))
	}
	q.work(life, d.Alerts)
	// The job's end is recorded even as the instance stops.
	done, cancelDone := context.WithTimeout(context.WithoutCancel(life), queueStoreTimeout)
	defer cancelDone()
	if life.Err() != nil {
		err = st.ReleaseDelivery(done, d.ID, q.owner)
	} else {
		err = st.FinishDelivery(done, d.ID, q.owner)
	}
	q.report(context.Background(), err)
	return err == nil && life.Err() == nil
}

// report logs a queue error once until it changes or clears, so that a
// store that stays down does not fill the log every poll.
func (q *webhookQueue) report(life context.Context, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err == nil {
		q.lastErr = ""
		return
	}
	if life.Err() != nil || err.Error() == q.lastErr {
		return
	}
	q.lastErr = err.Error()
	q.warn("Webhook queue", "error", err)
}

// wait returns when the workers have stopped (after life ended).
func (q *webhookQueue) wait() { q.wg.Wait() }

// explainInBackground explains the firing alerts of one webhook delivery
// into the cache and history: one alert alone, several as a group.
func (s *service) explainInBackground(life context.Context, alerts []incident.Alert) {
	ctx, cancel := context.WithTimeout(life, backgroundTimeout)
	defer cancel()
	req := engine.Request{User: webhookUser}
	lease := investigationLease
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
	// A delivery's only product is its history entry: one that cannot be
	// committed to the queue is refused, and Alertmanager delivers it
	// again, rather than accepted and lost. Pieces committed before a
	// failure are duplicates in the repeat.
	resp := webhookResponse{Received: len(alerts)}
	var results []string
	for chunk := range slices.Chunk(alerts, engine.MaxGroupAlerts) {
		got, waiting, err := a.svc.queue.offer(r.Context(), chunk)
		if err != nil {
			a.logger.Warn("Webhook delivery refused: the queue cannot be written", "requestId", requestID(r), "error", err)
			w.Header().Set("Retry-After", "30")
			return Errorf(http.StatusServiceUnavailable, "the explanation history is unavailable, so webhook alerts cannot be kept; deliver again later")
		}
		results = append(results, got...)
		resp.QueueDepth = waiting
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
