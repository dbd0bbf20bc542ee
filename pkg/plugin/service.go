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
// rate limit, the Live progress streams and the webhook queue.
type service struct {
	engine  *engine.Engine
	logger  log.Logger
	metrics *Metrics

	// life bounds background work (the webhook workers); Dispose ends it.
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
		}),
		logger:  logger,
		metrics: metrics,
		life:    life,
		stop:    stop,
		limiter: newRateLimiter(s.Budgets.PerUserPerMinute, time.Minute),
		hub:     newHub(),
	}
	svc.queue = newWebhookQueue(s.WebhookQueueSize, metrics, svc.explainInBackground)
	return svc
}

// close ends background work, then releases the engine.
func (s *service) close() {
	s.stop()
	s.queue.wait()
	s.engine.Close()
}
