package kube

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// storeProducts are the stores and brokers whose client libraries name the
// product in their errors without naming the host (librdkafka's
// KafkaError{code=...}, Lettuce's RedisCommandExecutionException), with the
// word their Services are named with. A client failing against one of them
// depends on it even when it lives in another namespace.
var storeProducts = []struct {
	inServiceName string
	inClientError *regexp.Regexp
}{
	{"kafka", regexp.MustCompile(`(?i)kafkaerror|kafkaexception|org\.apache\.kafka\.|kafkajs|rdkafka|kafka: client has run out of available brokers|not_enough_replicas|notenoughreplicas`)},
	{"rabbit", regexp.MustCompile(`(?i)\bamqp|rabbitmq|com\.rabbitmq\.client|pika\.exceptions|bunny::`)},
	{"redis", regexp.MustCompile(`(?i)redis|lettuce|jedis`)},
	{"mongo", regexp.MustCompile(`(?i)mongo(?:db)?\w*(?:exception|error)|pymongo|mongoose`)},
}

// failureWordRe keeps the lines that report a failure: a product named in
// a routine line is no reason to look for it.
var failureWordRe = regexp.MustCompile(`(?i)error|exception|fail|refused|timed? ?out|unavailable|unreachable`)

// maxProductServices bounds the Services kept per product from the one
// cluster-wide list.
const maxProductServices = 2

// FailingProducts are the stores and brokers that failing log lines name
// by product, as the words their Services are named with.
func FailingProducts(streams []incident.LogStream) []string {
	var out []string
	for _, p := range storeProducts {
		if anyLine(streams, func(text string) bool { return p.inClientError.MatchString(text) && failureWordRe.MatchString(text) }) {
			out = append(out, p.inServiceName)
		}
	}
	return out
}

// productServices lists the cluster's Services once and keeps, for each
// product none of the known Services is named after, at most
// maxProductServices named after it. A Role that may not list Services
// cluster-wide leaves them out.
func (c *Collector) productServices(ctx context.Context, products []string, known []*service) ([]*service, error) {
	var missing []string
	for _, p := range products {
		named := false
		for _, s := range known {
			named = named || strings.Contains(s.Name, p)
		}
		if !named {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	all, err := list[serviceList](ctx, c.api, serviceResource, "", listOptions{Limit: listLimit})
	switch {
	case apierrors.IsForbidden(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("list services: %w", err)
	}
	var out []*service
	for _, p := range missing {
		kept := 0
		for i := range all.Items {
			if s := &all.Items[i]; strings.Contains(s.Name, p) && s.Namespace != clusterDNS.Namespace && kept < maxProductServices {
				out = append(out, s)
				kept++
			}
		}
	}
	return out, nil
}
