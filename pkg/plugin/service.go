package plugin

import (
	"context"
	"os"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
)

// service is what an app instance runs beside the engine: the per-user
// rate limit, the Live progress streams, the webhook queue and the log watch.
type service struct {
	engine  *engine.Engine
	logger  log.Logger
	metrics *Metrics

	// life bounds background work (the webhook workers, the log watch);
	// Dispose ends it.
	life context.Context
	stop context.CancelFunc

	limiter *rateLimiter
	hub     *hub
	queue   *webhookQueue
}

func newService(s config.Settings, logger log.Logger, metrics *Metrics, orgID int64) *service {
	life, stop := context.WithCancel(context.Background())
	storePath := s.StoreDSN()
	if storePath == "" {
		storePath = config.HistoryPath(os.Getenv, orgID)
	}
	svc := &service{
		engine: engine.Open(s, engine.Options{
			HistoryPath: storePath,
			Prune:       true,
			Logger:      logger,
			Observer:    metrics,
			WatchPolled: metrics.WatchPolled,
		}),
		logger:  logger,
		metrics: metrics,
		life:    life,
		stop:    stop,
		limiter: newRateLimiter(s.Budgets.PerUserPerMinute, time.Minute),
		hub:     newHub(),
	}
	// The queue's workers start now, so that deliveries accepted before a
	// restart are explained without waiting for the next one.
	svc.queue = newWebhookQueue(life, s.WebhookQueueSize, metrics, svc.engine.Store, svc.engine.Owner(), logger.Warn, svc.explainInBackground)
	// The log watch, when enabled, runs for the instance's life; its
	// findings go to the store the data source's findings query reads.
	if err := svc.engine.Watch(life, func(err error) { logger.Warn("Log watch", "error", err) }); err != nil {
		logger.Error("Log watch cannot start", "error", err)
	}
	return svc
}

// close ends background work, then releases the engine.
func (s *service) close() {
	s.stop()
	s.queue.wait()
	s.engine.Close()
}
