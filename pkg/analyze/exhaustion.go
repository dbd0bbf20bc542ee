package analyze

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// exhaustion finds a finite resource running out: disk or volume space,
// file descriptors, connection pools, threads, quota.
type exhaustion struct{}

func (exhaustion) Name() string { return "exhaustion" }

// storeMemoryResource is a store's own memory ceiling, which its clients
// report: the store, not the client, is the one to fix.
const storeMemoryResource = "store memory"

// limitRangeResource names the LimitRange kind, which reads differently:
// its bounds are not used up, the pods fall outside them.
const limitRangeResource = "LimitRange bounds"

// exhaustionKinds are checked in order; the first that matches names the resource.
var exhaustionKinds = []struct {
	resource string
	re       *regexp.Regexp
	advice   string
}{
	// A store that stops taking writes before its disk is full says so too:
	// Elasticsearch's flood-stage watermark and read-only block. Databases
	// relay a full disk to their clients in their own words: PostgreSQL's
	// SQLSTATE 53100 disk_full, MySQL's errcode 28 and "The table is full",
	// Redis's MISCONF when it cannot persist.
	{"disk space", regexp.MustCompile(`(?i)no space left on device|enospc|disk (?:is )?full|disk quota exceeded|filesystem (?:is )?full|could not extend file|not enough space|insufficient disk space|flood[- ]stage (?:disk )?watermark|disk usage exceeded|read-only-allow-delete|disk_full|errcode: 28\b|the table '?[^' ]+'? is full|misconf.{0,80}unable to persist to disk|disk (?:resource )?(?:limit )?alarm|free disk space is insufficient|blocked by (?:the )?broker:? low on disk`),
		"Free space on the volume or expand it (PVC resize), and rotate or prune what fills it."},
	// A store at its own memory ceiling refuses writes rather than being
	// killed: Redis with the noeviction policy ("OOM command not allowed when
	// used memory > 'maxmemory'"), RabbitMQ's memory alarm blocking
	// publishers, Elasticsearch's circuit breakers.
	{storeMemoryResource, regexp.MustCompile(`(?i)oom command not allowed|used memory > '?maxmemory|memory (?:resource )?(?:limit )?alarm|blocked by (?:the )?broker:? low on memory|circuit_breaking_exception|\[parent\] data too large`),
		"Raise the store's memory ceiling (Redis maxmemory, RabbitMQ vm_memory_high_watermark, the Elasticsearch heap) or let it evict (a maxmemory-policy other than noeviction for caches), and find what grew."},
	{"file descriptors", regexp.MustCompile(`(?i)too many open files|emfile|file descriptor limit`),
		"Raise the process's open-file limit or fix the descriptor leak (connections or files not closed)."},
	// A client whose pool is fully checked out says so when the wait for a
	// client times out: node-postgres's pg-pool ("timeout exceeded when
	// trying to connect"), Prisma's P2024, Sequelize's ConnectionAcquireTimeoutError.
	{"connection pool", regexp.MustCompile(`(?i)pool (?:is )?exhausted|timeout exceeded when trying to connect|timed out fetching a new connection from the connection pool|connectionacquiretimeouterror|connection pool.{0,30}(?:exhausted|full|timeout|limit)|timeout acquiring (?:a )?connection|timed out waiting for (?:a )?connection|could not get (?:a )?(?:jdbc )?connection|connection is not available, request timed out|queuepool limit|remaining connection slots are reserved|too many (?:connections|clients)|max_connections|no available connections?|pool timeout`),
		"Size the pool to the load and the database's max_connections, and look for connections held too long (slow queries, leaks)."},
	{"threads or processes", regexp.MustCompile(`(?i)unable to create (?:new )?native thread|fork: retry|resource temporarily unavailable|pids limit`),
		"Raise the PID limit or find the thread leak."},
	{"heap", regexp.MustCompile(`(?i)outofmemoryerror|java heap space|gc overhead limit exceeded|heap out of memory|fatal error: runtime: out of memory|cannot allocate memory|memoryerror`),
		"Raise the heap (and the container limit with it) or fix the leak."},
	// A ResourceQuota on limits (or requests) also refuses a pod that does
	// not set them: "failed quota: <name>: must specify limits.cpu".
	{"quota", regexp.MustCompile(`(?i)exceeded quota|forbidden: exceeded|resourcequota|quota exceeded|failed quota|must specify (?:limits|requests)\.|ratelimitexceeded|rate limit exceeded`),
		"Raise the ResourceQuota or lower what the namespace requests."},
	// A LimitRange refuses pods whose per-container or per-pod requests and
	// limits fall outside its bounds (the API server's LimitRanger words).
	{limitRangeResource, regexp.MustCompile(`(?i)(?:maximum|minimum) (?:cpu|memory|ephemeral-storage|storage) usage per (?:container|pod) is|max limit to request ratio per (?:container|pod) is|limitrange`),
		"Bring the pod template's requests and limits within the namespace's LimitRange (kubectl describe limitrange), or change the LimitRange."},
	{"ephemeral storage", regexp.MustCompile(`(?i)ephemeral local storage usage exceeds|exceeded its local ephemeral storage limit`),
		"Raise the container's ephemeral-storage limit or stop writing to the container filesystem (use a volume)."},
}

// exhaustionRe matches any exhaustion line; other analyzers use it to leave
// these lines alone.
var exhaustionRe = func() *regexp.Regexp {
	parts := make([]string, len(exhaustionKinds))
	for i, k := range exhaustionKinds {
		parts[i] = "(?:" + strings.TrimPrefix(k.re.String(), "(?i)") + ")"
	}
	return regexp.MustCompile("(?i)" + strings.Join(parts, "|"))
}()

var claimNameRe = regexp.MustCompile(`(?i)(?:persistentvolumeclaim|pvc|claim)[ /:"]+([a-z0-9][a-z0-9.-]*[a-z0-9])`)

func (x exhaustion) Analyze(b *incident.Bundle) []incident.Finding {
	return x.analyzeLogs(b, logRecords(b))
}

func (exhaustion) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	type hit struct {
		recs   []logRecord
		events []incident.Event
		count  int
	}
	hits := make([]hit, len(exhaustionKinds))
	for i, k := range exhaustionKinds {
		hits[i].recs = matchRecords(b, recs, k.re)
		hits[i].count = totalCount(hits[i].recs)
		for _, e := range b.Events {
			if !staleEvent(b, e) && e.Type != "Normal" && k.re.MatchString(e.Message) {
				hits[i].events = append(hits[i].events, e)
				hits[i].count += eventCount(e)
			}
		}
		for _, p := range b.Pods {
			if k.re.MatchString(p.Message) {
				hits[i].count++
			}
		}
	}
	best := -1
	for i := range hits {
		if hits[i].count > 0 && (best < 0 || hits[i].count > hits[best].count) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	k, h := exhaustionKinds[best], hits[best]
	var ids, pods []string
	ids = append(ids, recordIDs(h.recs, 5)...)
	ids = append(ids, eventIDs(h.events)...)
	pods = recordPods(h.recs)
	namespace := b.Target.Namespace
	if len(h.recs) > 0 {
		namespace = h.recs[0].Namespace
	}
	var line string
	if len(h.recs) > 0 {
		line = firstMatch(h.recs, k.re)
	}
	for _, e := range h.events {
		if line == "" {
			line = e.Message
		}
		if e.Object.Kind == incident.KindPod && !contains(pods, e.Object.Name) {
			pods = append(pods, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	for _, p := range b.Pods {
		if k.re.MatchString(p.Message) {
			ids = append(ids, p.ID)
			if line == "" {
				line = p.Message
			}
			if !contains(pods, p.Name) {
				pods = append(pods, p.Name)
			}
		}
	}
	// A full volume is blamed on its claim (DESIGN's entity rule), the
	// workload only when no claim can be told.
	entity := responsible(b, namespace, pods)
	claim, via := "", ""
	if k.resource == "disk space" {
		if c, from, ok := claimOf(b, h.events, h.recs, pods, namespace); ok {
			claim, via = c.Name, from
			entity = c
		}
	}
	if k.resource == storeMemoryResource {
		if store, ok := storeOf(b, line); ok {
			entity = store
		}
	}
	scaledOut := ""
	if k.resource == "connection pool" && strings.Contains(strings.ToLower(line), "too many") {
		// The database refuses new clients: the exhausted resource is its
		// own, unless the client just multiplied its replicas and with them
		// its pools.
		if why, moreIDs, ok := clientScaledOut(b); ok {
			entity, scaledOut = b.Target.Workload, why
			ids = append(ids, moreIDs...)
		} else if p, ok := peerOf(b, line); ok {
			entity = peerEntity(b, namespace, p)
		}
	}
	confidence := 0.75
	if hitsNovel(h.recs) {
		confidence += 0.1
	}
	detail := fmt.Sprintf("%s ran out", capitalize(k.resource))
	title := fmt.Sprintf("%s exhausted %s", entity.Name, k.resource)
	if k.resource == limitRangeResource {
		// Not used up but out of bounds: the pods ask for what it forbids.
		detail, title = "The namespace's LimitRange refuses the pods", fmt.Sprintf("%s's pods are outside the namespace's LimitRange", entity.Name)
	}
	if len(pods) > 0 {
		detail += " on " + strings.Join(firstN(pods, 5), ", ")
	}
	if claim != "" {
		detail += fmt.Sprintf(" (volume claim %s%s)", claim, via)
	}
	detail += fmt.Sprintf(": %s, e.g. %q%s. %s", plural(h.count, "error", "errors"), display(line), hiddenMatch(line, k.re), k.advice)
	if scaledOut != "" {
		detail += fmt.Sprintf(" %s %s just before: every replica opens its own pool, so together they ask the database for more connections than its max_connections allows; give each replica a smaller pool or put a pooler (PgBouncer, ProxySQL) in front.", entity.Name, scaledOut)
	}
	return []incident.Finding{{
		Category:   incident.CategoryResourceExhaustion,
		Severity:   incident.SeverityCritical,
		Title:      title,
		Detail:     detail,
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      earliest(h.recs),
	}}
}

// claimOf names the PersistentVolumeClaim that is full when the evidence
// names one explicitly (an event on the claim, a log line), when the pods
// mount exactly one, or, when they mount none (a client reporting its
// database's full disk), when the dependencies they call mount exactly one
// — in their namespace or in another one their logs name. Among several
// claims, the only one the kubelet measures nearly full is the one. via says
// how it was told for the dependency case.
func claimOf(b *incident.Bundle, events []incident.Event, recs []logRecord, pods []string, namespace string) (claim incident.Entity, via string, ok bool) {
	pvc := func(ns, name string) incident.Entity {
		return incident.Entity{Namespace: ns, Kind: incident.KindPVC, Name: name}
	}
	if c, ok := alertedOrNamedClaim(b, events, recs); ok {
		return pvc(namespace, c), "", true
	}
	var claims []incident.Entity
	for _, p := range b.Pods {
		if contains(pods, p.Name) {
			for _, c := range p.Claims {
				if e := pvc(p.Namespace, c); !slices.Contains(claims, e) {
					claims = append(claims, e)
				}
			}
		}
	}
	if c, ok := oneFullClaim(b, claims); ok {
		return c, "", true
	}
	if len(claims) > 0 {
		return incident.Entity{}, "", false
	}
	if c, pod, ok := memberClaim(b, pods, namespace); ok {
		return c, ", mounted by " + pod + ", a dependency whose own logs report it", true
	}
	var backends []string
	for _, s := range b.Services {
		if !s.Dependency {
			continue
		}
		for _, c := range s.BackendClaims {
			if e := pvc(s.Namespace, c); !slices.Contains(claims, e) {
				claims = append(claims, e)
				backends = append(backends, s.Backend.String())
			}
		}
	}
	if c, ok := oneFullClaim(b, claims); ok {
		return c, ", mounted by " + backends[slices.Index(claims, c)] + " which these pods depend on", true
	}
	return incident.Entity{}, "", false
}

// memberClaim is the claim of the dependency's pod whose own logs report
// the full disk: a StatefulSet names each member's claim
// "<template>-<pod>", so it is the one claim read in the pod's namespace
// ending in "-<pod>".
func memberClaim(b *incident.Bundle, pods []string, namespace string) (incident.Entity, string, bool) {
	var found []incident.Entity
	var owner string
	for _, pod := range pods {
		for _, c := range b.Claims {
			if c.Namespace == namespace && strings.HasSuffix(c.Name, "-"+pod) && !slices.Contains(found, c.Entity()) {
				found = append(found, c.Entity())
				owner = pod
			}
		}
	}
	if len(found) != 1 {
		return incident.Entity{}, "", false
	}
	return found[0], owner, true
}

// fullShare is how full a volume must be measured to be told full among
// several: stores stop writing at 90-95% (Elasticsearch's flood stage is 95%).
const fullShare = 0.9

// oneFullClaim is the single candidate, or the only one of several that is
// measured nearly full.
func oneFullClaim(b *incident.Bundle, claims []incident.Entity) (incident.Entity, bool) {
	if len(claims) == 1 {
		return claims[0], true
	}
	var full []incident.Entity
	for _, c := range claims {
		if st, ok := claimState(b, c.Namespace, c.Name); ok && st.FullAt(fullShare) {
			full = append(full, c)
		}
	}
	if len(full) == 1 {
		return full[0], true
	}
	return incident.Entity{}, false
}

// alertedOrNamedClaim is the claim the alert's labels, an event or a log
// line names.
func alertedOrNamedClaim(b *incident.Bundle, events []incident.Event, recs []logRecord) (string, bool) {
	if c := alertClaim(b); c != "" {
		return c, true
	}
	for _, e := range events {
		if e.Object.Kind == incident.KindPVC {
			return e.Object.Name, true
		}
		if m := claimNameRe.FindStringSubmatch(e.Message); m != nil {
			return m[1], true
		}
	}
	for _, r := range recs {
		for _, l := range r.Lines {
			if m := claimNameRe.FindStringSubmatch(l); m != nil {
				return m[1], true
			}
		}
	}
	return "", false
}

// hiddenMatch quotes what re matched in a line when its display leaves it
// out (a structured log's nested field), so the reader sees the words.
func hiddenMatch(line string, re *regexp.Regexp) string {
	m := re.FindString(line)
	if m == "" || strings.Contains(strings.ToLower(display(line)), strings.ToLower(m)) {
		return ""
	}
	return fmt.Sprintf(" (%q)", m)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// alertClaim is the PersistentVolumeClaim the alert's labels name, if any.
func alertClaim(b *incident.Bundle) string {
	return b.Alert.Labels["persistentvolumeclaim"]
}

// storeProducts are the stores whose clients relay the store's own memory
// ceiling: the word their client libraries' errors use (Lettuce's
// RedisCommandExecutionException, an AMQP client's "blocked by broker") and
// the word the store's workload is named with.
var storeProducts = []struct{ inClientError, inWorkloadName string }{
	{"redis", "redis"}, {"rabbitmq", "rabbit"}, {"amqp", "rabbit"}, {"elasticsearch", "elasticsearch"}, {"opensearch", "opensearch"},
}

// storeOf is the store whose memory ceiling a client's line reports: the peer
// the line names, else the one dependency whose backend is named after the
// product the line names.
func storeOf(b *incident.Bundle, line string) (incident.Entity, bool) {
	if p, ok := peerOf(b, line); ok {
		if e := peerEntity(b, b.Target.Namespace, p); e.Kind != incident.KindExternal {
			return e, true
		}
	}
	lower := strings.ToLower(line)
	for _, product := range storeProducts {
		if !strings.Contains(lower, product.inClientError) {
			continue
		}
		var found []incident.Entity
		for _, s := range b.Services {
			if s.Dependency && s.Backend.Name != "" && strings.Contains(strings.ToLower(s.Backend.Name), product.inWorkloadName) && !slices.Contains(found, s.Backend) {
				found = append(found, s.Backend)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
	}
	return incident.Entity{}, false
}

// clientScaleOut is how many times its starting replicas a client must reach
// to be said to have scaled out.
const clientScaleOut = 1.5

// rescaleSizeRe reads the new size of a HorizontalPodAutoscaler's
// SuccessfulRescale event ("New size: 14; reason: ...").
var rescaleSizeRe = regexp.MustCompile(`New size: (\d+)`)

// clientScaledOut says how the alert's workload scaled out around the alert:
// its replica series grew, or its autoscaler rescaled it above its minimum.
func clientScaledOut(b *incident.Bundle) (string, []string, bool) {
	w := b.Target.Workload
	if w.IsZero() {
		return "", nil, false
	}
	for _, name := range []string{incident.MetricWorkloadReplicas, incident.MetricHPAReplicas} {
		for _, r := range series(b, name) {
			if from, now := firstValue(r), r.Summary.Last; r.Entity == w && from > 0 && now >= clientScaleOut*from {
				return fmt.Sprintf("scaled out from %.0f to %.0f replicas", from, now), []string{r.ID}, true
			}
		}
	}
	for _, ws := range b.Workloads {
		a := ws.Autoscaler
		if ws.Entity != w || a == nil {
			continue
		}
		for _, e := range b.Events {
			if e.Object.Kind != "HorizontalPodAutoscaler" || e.Object.Name != a.Name || e.Reason != "SuccessfulRescale" || staleEvent(b, e) {
				continue
			}
			m := rescaleSizeRe.FindStringSubmatch(e.Message)
			if m == nil {
				continue
			}
			if size, err := strconv.Atoi(m[1]); err == nil && float64(size) >= clientScaleOut*float64(max(a.Min, 1)) {
				return fmt.Sprintf("was scaled out by its autoscaler to %d replicas (minimum %d; %s: %q)", size, a.Min, e.Reason, truncate(e.Message, 120)), []string{e.ID}, true
			}
		}
	}
	return "", nil, false
}
