package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/watch"
)

// watchSaveTimeout bounds the store write of one finding.
const watchSaveTimeout = 10 * time.Second

// Watch runs the settings' log watch until ctx ends, keeping each finding in
// the store, where the data source's findings query reads it. It returns at
// once: nil when the watch is off, an error when it cannot start. Problems
// of a poll or a save go to problem.
func (e *Engine) Watch(ctx context.Context, problem func(error)) error {
	ws := e.cfg.Watch
	if !ws.Enabled {
		return nil
	}
	var col *kube.Collector
	if e.opt.Sources != nil {
		col = e.opt.Sources.Kube
	} else {
		var err error
		if col, err = kubeSource(e.cfg); err != nil {
			return fmt.Errorf("log watch: %w", err)
		}
	}
	if col == nil {
		return errors.New("log watch: kubernetes is off; set kubernetes.mode to incluster or kubeconfig")
	}
	w, err := watch.New(watch.KubeSource{Collector: col}, watch.Options{
		Namespaces: ws.Namespaces, Selector: ws.Selector, Interval: time.Duration(ws.Interval),
		Now: e.opt.Now, Redactor: e.redactor(), Observe: e.opt.WatchPolled,
	})
	if err != nil {
		return fmt.Errorf("log watch: %w", err)
	}
	go w.Run(ctx, func(f incident.WatchFinding) {
		if err := e.saveWatchFinding(ctx, f); err != nil {
			problem(err)
		}
	}, problem)
	return nil
}

func (e *Engine) saveWatchFinding(ctx context.Context, f incident.WatchFinding) error {
	st, err := e.Store(ctx)
	if err != nil {
		return fmt.Errorf("keep watch finding %s: %w", f.ID, err)
	}
	ctx, cancel := context.WithTimeout(ctx, watchSaveTimeout)
	defer cancel()
	return st.SaveWatchFinding(ctx, f)
}
