// Package kube finds the Kubernetes objects behind an alert and collects their
// state with client-go: pods and containers, events, owners and rollouts,
// nodes, services and container logs. It only reads, never Secrets, and
// bounds every list and log it asks for.
package kube

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Modes of Config.Mode.
const (
	ModeInCluster  = "incluster"
	ModeKubeconfig = "kubeconfig"
	ModeOff        = "off"
)

// Client-side rate limits, kubectl's: client-go's defaults (5 QPS, burst 10)
// would make one collection of ten pods (about 30 requests) take seconds;
// these let a burst of explanations through and then stay gentle on the API
// server.
const (
	clientQPS   = 50
	clientBurst = 300
	// listLimit bounds every list call; what lies beyond is reported as capped.
	listLimit = 500
	// DefaultMaxResponseBytes bounds one API answer: 500 pods of large
	// specs come to a few MiB, so this leaves room while a compromised or
	// broken API server cannot make the plugin read without end.
	DefaultMaxResponseBytes = 32 << 20
)

// Config says how to reach the cluster.
type Config struct {
	// Mode is incluster (the pod's service account), kubeconfig (a file and
	// context; empty path means the usual KUBECONFIG / ~/.kube/config rules)
	// or off. Empty chooses kubeconfig, or RESTConfig when that is set.
	Mode           string
	KubeconfigPath string
	Context        string
	// RESTConfig, when set, is used as is (tests and replays point it at a
	// kubeapi server).
	RESTConfig *rest.Config
	// MaxResponseBytes bounds each API answer (default
	// DefaultMaxResponseBytes); a longer one fails its request.
	MaxResponseBytes int64
}

// Collector reads one cluster. It is safe for concurrent use.
type Collector struct {
	api *api
	// logBuffers recycles the read buffers of log responses (megabytes
	// each), so a collection allocates little more than the text it keeps.
	logBuffers sync.Pool
}

// New connects a collector. Mode off returns a nil Collector and no error:
// Kubernetes evidence is then simply not collected.
func New(cfg Config) (*Collector, error) {
	rc, err := restConfig(cfg)
	if err != nil || rc == nil {
		return nil, err
	}
	rc = rest.CopyConfig(rc)
	if rc.QPS == 0 {
		rc.QPS = clientQPS
	}
	if rc.Burst == 0 {
		rc.Burst = clientBurst
	}
	if rc.UserAgent == "" {
		rc.UserAgent = "cloudobs-aiops-app"
	}
	limit := cfg.MaxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	rc.Wrap(func(rt http.RoundTripper) http.RoundTripper { return limitedAnswers{next: rt, max: limit} })
	a, err := newAPI(rc)
	if err != nil {
		return nil, err
	}
	return &Collector{api: a}, nil
}

func restConfig(cfg Config) (*rest.Config, error) {
	switch cfg.Mode {
	case ModeOff:
		return nil, nil
	case ModeInCluster:
		rc, err := rest.InClusterConfig()
		if err != nil {
			return nil, fmt.Errorf("in-cluster kubernetes config: %w", err)
		}
		return rc, nil
	case "", ModeKubeconfig:
		if cfg.RESTConfig != nil {
			return cfg.RESTConfig, nil
		}
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		if cfg.KubeconfigPath != "" {
			rules.ExplicitPath = cfg.KubeconfigPath
		}
		overrides := &clientcmd.ConfigOverrides{CurrentContext: cfg.Context}
		rc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
		if err != nil {
			if clientcmd.IsEmptyConfig(err) {
				return nil, errors.New("no kubeconfig found: set the kubeconfig path or KUBECONFIG, use in-cluster mode, or turn Kubernetes off")
			}
			return nil, fmt.Errorf("kubeconfig: %w", err)
		}
		return rc, nil
	}
	return nil, fmt.Errorf("kubernetes mode %q: use incluster, kubeconfig or off", cfg.Mode)
}

// limitedAnswers fails the reading of any answer longer than max bytes:
// client-go itself reads API answers without a bound.
type limitedAnswers struct {
	next http.RoundTripper
	max  int64
}

func (l limitedAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: l.max, max: l.max, path: r.URL.Path}
	return resp, nil
}

type limitedBody struct {
	io.ReadCloser
	left, max int64
	path      string
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly max from a longer one.
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("the Kubernetes API answered more than %d MiB for %s; refused", b.max>>20, b.path)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
