package analyze

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// imagePull finds images that cannot be pulled and says why: the tag or
// repository does not exist, the registry refuses the credentials, the
// registry rate-limits, or it cannot be reached.
type imagePull struct{}

func (imagePull) Name() string { return "imagepull" }

var pullWaitingReasons = map[string]bool{
	"ErrImagePull": true, "ImagePullBackOff": true, "InvalidImageName": true, "ErrImageNeverPull": true,
}

var (
	pullImageRe = regexp.MustCompile(`(?i)(?:pull(?:ing)?(?: and unpack)? image|image) "([^"]+)"`)
	// Ordered: the first cause that matches a message wins.
	pullCauses = []struct {
		re     *regexp.Regexp
		reason string
	}{
		{regexp.MustCompile(`(?i)toomanyrequests|429 too many requests|rate limit`),
			"the registry's pull rate limit was hit (429 Too Many Requests)"},
		{regexp.MustCompile(`(?i)pull access denied|unauthorized|403 forbidden|denied: |authentication required|no basic auth credentials|authorization failed|insufficient_scope`),
			"the registry refuses the credentials (missing or wrong imagePullSecret, or no access to the repository)"},
		{regexp.MustCompile(`(?i)manifest unknown|not found|notfound|does not exist|no such image|name unknown`),
			"the image or tag was not found in the registry"},
		{regexp.MustCompile(`(?i)invalidimagename|invalid reference format|couldn't parse image`),
			"the image reference is malformed"},
		{pullUntrustedRe, "the node does not trust the registry's TLS certificate (its CA is missing from the node's trust store or containerd's certs.d)"},
		{pullUnreachableRe, "the registry cannot be reached from the node"},
	}
)

var (
	pullUntrustedRe   = regexp.MustCompile(`(?i)x509: |tls: failed to verify|certificate signed by unknown authority|certificate verify failed`)
	pullUnreachableRe = regexp.MustCompile(`(?i)no such host|i/o timeout|connection refused|tls handshake timeout|context deadline exceeded|network is unreachable`)
)

func (imagePull) Analyze(b *incident.Bundle) []incident.Finding {
	return byWorkload(b, imagePullOne)
}

// imagePullOne analyzes the pods of one workload.
func imagePullOne(b *incident.Bundle) []incident.Finding {
	var ids, pods, messages, waiting []string
	namespace := b.Target.Namespace
	var image string
	var firstSeen incident.Event
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			if !pullWaitingReasons[c.Reason] {
				continue
			}
			ids = append(ids, p.ID)
			if !contains(pods, p.Name) {
				pods = append(pods, p.Name)
			}
			if !contains(waiting, c.Reason) {
				waiting = append(waiting, c.Reason)
			}
			namespace = p.Namespace
			if c.Message != "" {
				messages = append(messages, c.Message)
			}
			if image == "" {
				image = c.Image
			}
		}
	}
	for _, e := range b.Events {
		if staleEvent(b, e) || !isPullFailure(e) {
			continue
		}
		ids = append(ids, e.ID)
		messages = append(messages, e.Message)
		if firstSeen.ID == "" || (!e.FirstSeen.IsZero() && e.FirstSeen.Before(firstSeen.FirstSeen)) {
			firstSeen = e
		}
		if e.Object.Kind == incident.KindPod && !contains(pods, e.Object.Name) {
			pods = append(pods, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	if len(ids) == 0 {
		return nil
	}
	reason, evidenceLine := "", ""
	var causeRe *regexp.Regexp
	for _, cause := range pullCauses {
		for _, m := range messages {
			if cause.re.MatchString(m) {
				reason, evidenceLine, causeRe = cause.reason, m, cause.re
				break
			}
		}
		if reason != "" {
			break
		}
	}
	for _, m := range messages {
		if sub := pullImageRe.FindStringSubmatch(m); sub != nil {
			image = sub[1]
			break
		}
	}
	if reason == "" {
		reason = "the kubelet cannot pull it"
		if len(messages) > 0 {
			evidenceLine = messages[0]
		}
	}
	entity := responsible(b, namespace, pods)
	detail := fmt.Sprintf("Image %s cannot be pulled on %s: %s.", orUnknown(image), plural(len(pods), "pod", "pods"), reason)
	// Trust and reachability are the node's own: when every failing pod is
	// on one node while the same image runs on others, that node is broken.
	if node, where, ok := pullNode(b, namespace, pods, image); ok && (causeRe == pullUntrustedRe || causeRe == pullUnreachableRe) {
		entity = incident.Entity{Kind: incident.KindNode, Name: node}
		detail += fmt.Sprintf(" Every failing pull is on node %s, while the same image runs on %s: the node lacks what the others have "+
			"(the registry's CA bundle, DNS or a route), so fix the node (or cordon it) rather than the workload.", node, where)
	}
	if len(waiting) > 0 {
		detail += fmt.Sprintf(" Containers wait in %s.", strings.Join(waiting, ", "))
	}
	if evidenceLine != "" {
		detail += fmt.Sprintf(" Kubelet: %q.", excerpt(evidenceLine, causeRe))
	}
	if frozenRegistry(image) {
		detail += " The k8s.gcr.io registry is frozen since April 2023: images and tags published after that exist only on registry.k8s.io, so pull this one from there."
	}
	confidence := 0.85
	if reason == "the kubelet cannot pull it" {
		confidence = 0.75
	}
	return []incident.Finding{{
		Category:   incident.CategoryImagePull,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("%s cannot pull image %s", entity.Name, orUnknown(image)),
		Detail:     detail,
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      firstSeen.FirstSeen,
	}}
}

// pullNode is the one node all the failing pods are on, when the workload
// runs the same image elsewhere: on pods of other nodes, or on ready
// replicas (which pulled it, so not on this node). where says which.
func pullNode(b *incident.Bundle, namespace string, pods []string, image string) (node, where string, ok bool) {
	var owner incident.Entity
	for _, name := range pods {
		p, found := findPod(b, namespace, name)
		if !found || p.Node == "" || (node != "" && p.Node != node) {
			return "", "", false
		}
		node, owner = p.Node, ownerOf(p)
	}
	if node == "" {
		return "", "", false
	}
	others := map[string]bool{}
	for _, p := range b.Pods {
		if p.Node == "" || p.Node == node || contains(pods, p.Name) {
			continue
		}
		for _, c := range p.Containers {
			if c.State == "running" && c.Image == image {
				others[p.Node] = true
			}
		}
	}
	if len(others) > 0 {
		return node, plural(len(others), "other node", "other nodes"), true
	}
	for _, w := range b.Workloads {
		if w.Entity == owner && w.Ready > 0 && contains(w.Images, image) {
			return node, fmt.Sprintf("the %d ready replicas of %s", w.Ready, owner), true
		}
	}
	return "", "", false
}

func isPullFailure(e incident.Event) bool {
	msg := strings.ToLower(e.Message)
	switch {
	case strings.EqualFold(e.Reason, "Failed") || strings.EqualFold(e.Reason, "InspectFailed") || strings.EqualFold(e.Reason, "ErrImageNeverPull"):
		return strings.Contains(msg, "image") && (strings.Contains(msg, "pull") || strings.Contains(msg, "errimage") ||
			strings.Contains(msg, "invalidimagename") || strings.Contains(msg, "invalid reference"))
	case strings.EqualFold(e.Reason, "BackOff"):
		return strings.Contains(msg, "back-off pulling image")
	}
	return false
}

// frozenRegistry reports an image of the Kubernetes project's old registry,
// frozen on 3 April 2023 (k8s.gcr.io, served from gcr.io/google-containers):
// a tag missing there may well exist on its successor, registry.k8s.io.
func frozenRegistry(image string) bool {
	ref := strings.ToLower(image)
	return strings.HasPrefix(ref, "k8s.gcr.io/") || strings.HasPrefix(ref, "gcr.io/google-containers/") ||
		strings.HasPrefix(ref, "gcr.io/google_containers/")
}
