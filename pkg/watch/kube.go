package watch

import (
	"context"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
)

// KubeSource reads pods and logs through the Kubernetes API.
type KubeSource struct{ Collector *kube.Collector }

// Containers lists the containers of the matching pods.
func (k KubeSource) Containers(ctx context.Context, namespace, selector string, max int) ([]Container, error) {
	list, err := k.Collector.PodContainers(ctx, namespace, selector, max)
	if err != nil {
		return nil, err
	}
	out := make([]Container, len(list))
	for i, c := range list {
		out[i] = Container(c)
	}
	return out, nil
}

// Logs reads the container's log since the given time.
func (k KubeSource) Logs(ctx context.Context, c Container, since time.Time, maxBytes int64) ([]byte, error) {
	return k.Collector.LogsSince(ctx, c.Namespace, c.Pod, c.Container, since, maxBytes)
}
