package health

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
)

// Kubernetes checks that the API server answers /version with the
// configured credentials.
type Kubernetes struct {
	// Config builds the client configuration; nil means Kubernetes is off.
	Config func() (*rest.Config, error)
}

// Name implements Checker.
func (Kubernetes) Name() string { return "kubernetes" }

// Check implements Checker.
func (k Kubernetes) Check(ctx context.Context) (string, error) {
	if k.Config == nil {
		return "set kubernetes.mode to incluster or kubeconfig to collect pod state, events and logs", ErrNotConfigured
	}
	cfg, err := k.Config()
	if err != nil {
		return "", fmt.Errorf("kubernetes client configuration: %w", err)
	}
	cfg = rest.CopyConfig(cfg)
	if deadline, ok := ctx.Deadline(); ok {
		cfg.Timeout = time.Until(deadline)
	}
	client, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return "", fmt.Errorf("kubernetes client: %w", err)
	}
	// ServerVersion takes no context; the client timeout above bounds it.
	type result struct {
		version string
		err     error
	}
	done := make(chan result, 1)
	go func() {
		v, err := client.ServerVersion()
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{version: v.GitVersion}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", fmt.Errorf("kubernetes API at %s: %w", cfg.Host, r.err)
		}
		return fmt.Sprintf("kubernetes %s at %s", r.version, cfg.Host), nil
	case <-ctx.Done():
		return "", fmt.Errorf("kubernetes API at %s: %w", cfg.Host, ctx.Err())
	}
}
