// Package cloudwatch fetches container logs from CloudWatch Logs, where
// Fluent Bit ships them on EKS: one log group, one stream per
// namespace/pod/container. It reaches pods that are gone from Kubernetes and
// logs older than the node keeps.
package cloudwatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/netguard"
)

// Defaults and bounds.
const (
	// DefaultStreamPattern is the stream name Fluent Bit's cloudwatch_logs
	// output is configured with in k8s/ (log_stream_template).
	DefaultStreamPattern = "{namespace}/{pod}/{container}"
	DefaultMaxEvents     = 5000
	// MaxEvents bounds one fetch whatever the settings say.
	MaxEvents = 20000
	// DefaultMaxBytes bounds a stream when the request does not.
	DefaultMaxBytes = 256 << 10
	// MaxLineBytes bounds one event; longer ones are cut with a marker.
	MaxLineBytes = 16 << 10
	// maxPrefixes bounds the stream prefixes (pods) asked for.
	maxPrefixes = 20
	// insightsPoll is how often a Logs Insights query is polled.
	insightsPoll = 250 * time.Millisecond
)

// Config says which log group to read and how.
type Config struct {
	// Region is the AWS region; empty takes the default chain's.
	Region   string
	LogGroup string
	// StreamPattern names the streams with {namespace}, {pod} and
	// {container} placeholders (default DefaultStreamPattern).
	StreamPattern string
	// Insights runs a Logs Insights query (StartQuery/GetQueryResults)
	// instead of FilterLogEvents: faster on large groups, billed per GB scanned.
	Insights bool
	// Endpoint overrides the service endpoint (VPC endpoints, tests).
	Endpoint string
	// MaxEvents bounds the events read per fetch (default 5000).
	MaxEvents int
	// Credentials overrides the default chain (IRSA, environment, profile).
	Credentials aws.CredentialsProvider
	// Guard is checked on every dial of the service calls (the endpoint
	// may be overridden); the credential chain is not guarded.
	Guard netguard.Policy
}

// Source reads logs from CloudWatch Logs. It implements logsource.Source.
type Source struct {
	cfg     Config
	api     *api
	pattern *regexp.Regexp
}

var (
	_ logsource.Source = (*Source)(nil)
	_ logsource.Pinger = (*Source)(nil)
)

// placeholderRe finds the pattern's placeholders.
var placeholderRe = regexp.MustCompile(`\{(namespace|pod|container)\}`)

// New checks the configuration and loads AWS credentials through the
// default chain; it makes no request.
func New(ctx context.Context, cfg Config) (*Source, error) {
	if cfg.LogGroup == "" {
		return nil, errors.New("cloudwatch: no log group (the one Fluent Bit writes, e.g. /aws/eks/<cluster>/containers)")
	}
	if cfg.StreamPattern == "" {
		cfg.StreamPattern = DefaultStreamPattern
	}
	pattern, err := streamRegexp(cfg.StreamPattern)
	if err != nil {
		return nil, err
	}
	if cfg.MaxEvents <= 0 {
		cfg.MaxEvents = DefaultMaxEvents
	}
	cfg.MaxEvents = min(cfg.MaxEvents, MaxEvents)
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(cfg.Credentials))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("cloudwatch: AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		return nil, errors.New("cloudwatch: no AWS region: set the region setting or AWS_REGION")
	}
	endpoint := defaultEndpoint(awsCfg.Region)
	switch {
	case cfg.Endpoint != "":
		endpoint = cfg.Endpoint
	case awsCfg.BaseEndpoint != nil && *awsCfg.BaseEndpoint != "":
		endpoint = *awsCfg.BaseEndpoint
	}
	a := &api{endpoint: strings.TrimRight(endpoint, "/"), region: awsCfg.Region, creds: awsCfg.Credentials,
		http: &http.Client{Transport: cfg.Guard.Transport()}, signer: v4.NewSigner(), now: time.Now, sleep: sleepCtx}
	return &Source{cfg: cfg, api: a, pattern: pattern}, nil
}

// streamRegexp turns a stream pattern into a regexp with named groups.
func streamRegexp(p string) (*regexp.Regexp, error) {
	if !strings.Contains(p, "{pod}") {
		return nil, fmt.Errorf("cloudwatch: stream pattern %q has no {pod}", p)
	}
	var sb strings.Builder
	sb.WriteString("^")
	last := 0
	for _, m := range placeholderRe.FindAllStringSubmatchIndex(p, -1) {
		sb.WriteString(regexp.QuoteMeta(p[last:m[0]]))
		fmt.Fprintf(&sb, "(?P<%s>[^/]+?)", p[m[2]:m[3]])
		last = m[1]
	}
	sb.WriteString(regexp.QuoteMeta(p[last:]))
	sb.WriteString("$")
	return regexp.Compile(sb.String())
}

// Name identifies the source in evidence and degraded entries.
func (s *Source) Name() string { return "cloudwatch" }

// Ping checks that the log group exists and can be described with these
// credentials.
func (s *Source) Ping(ctx context.Context) error {
	var out describeLogGroupsOut
	if err := s.api.call(ctx, "DescribeLogGroups", describeLogGroupsIn{LogGroupNamePrefix: s.cfg.LogGroup, Limit: 5}, &out); err != nil {
		return fmt.Errorf("cloudwatch: describe log group %s: %w (check the region and logs:DescribeLogGroups permission)", s.cfg.LogGroup, err)
	}
	for _, g := range out.LogGroups {
		if g.LogGroupName == s.cfg.LogGroup {
			return nil
		}
	}
	return fmt.Errorf("cloudwatch: log group %s does not exist in %s", s.cfg.LogGroup, s.api.region)
}

// prefixes are the stream-name prefixes for the request: one per examined
// pod, else the workload's pod-name prefix (pods that are gone).
func (s *Source) prefixes(req logsource.Request) []string {
	ns := req.Target.Namespace
	var pods []string
	for _, p := range req.Pods {
		pods = append(pods, p.Name)
	}
	if len(pods) == 0 {
		pods = req.Target.Pods
	}
	if len(pods) == 0 && req.Target.Workload.Name != "" {
		// Pod names of a workload start with "<name>-".
		pods = []string{req.Target.Workload.Name + "-"}
	}
	head := s.cfg.StreamPattern
	if i := strings.Index(head, "{pod}"); i >= 0 {
		head = head[:i]
	}
	var out []string
	for _, pod := range pods {
		prefix := strings.ReplaceAll(head, "{namespace}", ns) + pod
		if strings.Contains(prefix, "{") || len(out) == maxPrefixes {
			continue
		}
		out = append(out, prefix)
	}
	return out
}

// Fetch reads the target's streams within the window, oldest line first.
func (s *Source) Fetch(ctx context.Context, req logsource.Request) ([]incident.LogStream, error) {
	if req.Until.IsZero() || !req.Since.Before(req.Until) {
		return nil, fmt.Errorf("cloudwatch: empty window [%s, %s]", req.Since.Format(time.RFC3339), req.Until.Format(time.RFC3339))
	}
	prefixes := s.prefixes(req)
	if len(prefixes) == 0 {
		return nil, errors.New("cloudwatch: the target names no pod or workload to select streams by")
	}
	maxBytes := req.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	var events []event
	var truncated bool
	var err error
	if s.cfg.Insights {
		events, truncated, err = s.insights(ctx, prefixes, req.Since, req.Until)
	} else {
		events, truncated, err = s.filter(ctx, prefixes, req.Since, req.Until)
	}
	return s.group(events, req.Target, maxBytes, truncated), err
}

// event is one log event of a stream.
type event struct {
	stream  string
	time    time.Time
	message string
}

// filter pages through FilterLogEvents per prefix, within the event budget.
func (s *Source) filter(ctx context.Context, prefixes []string, since, until time.Time) ([]event, bool, error) {
	var out []event
	for _, prefix := range prefixes {
		in := filterLogEventsIn{
			LogGroupName:        s.cfg.LogGroup,
			LogStreamNamePrefix: prefix,
			StartTime:           since.UnixMilli(),
			EndTime:             until.UnixMilli(),
		}
		for {
			if len(out) >= s.cfg.MaxEvents {
				return out, true, nil
			}
			in.Limit = min(s.cfg.MaxEvents-len(out), 10000)
			var page filterLogEventsOut
			if err := s.api.call(ctx, "FilterLogEvents", in, &page); err != nil {
				return out, false, fmt.Errorf("cloudwatch: filter log events %s %s*: %w", s.cfg.LogGroup, prefix, err)
			}
			for _, e := range page.Events {
				// Checked again here: emulators (and older APIs) may ignore
				// the prefix, and another namespace's logs must never leak in.
				if !strings.HasPrefix(e.LogStreamName, prefix) {
					continue
				}
				out = append(out, event{stream: e.LogStreamName, time: time.UnixMilli(e.Timestamp).UTC(), message: e.Message})
			}
			// The same token twice means the end, as the SDK's paginator reads it.
			if page.NextToken == "" || page.NextToken == in.NextToken {
				break
			}
			in.NextToken = page.NextToken
		}
	}
	return out, false, nil
}

// insightsQuery is the Logs Insights query for the stream prefixes: the
// newest limit events of those streams, with the fields insightsEvent reads.
func insightsQuery(prefixes []string, limit int) string {
	alts := make([]string, len(prefixes))
	for i, p := range prefixes {
		// The regexp sits between slashes: a slash in a stream name ends it.
		alts[i] = strings.ReplaceAll(regexp.QuoteMeta(p), "/", `\/`)
	}
	return fmt.Sprintf("fields @timestamp, @message, @logStream | filter @logStream like /^(%s)/ | sort @timestamp desc | limit %d",
		strings.Join(alts, "|"), limit)
}

// insights runs one Logs Insights query over the prefixes and waits for it.
func (s *Source) insights(ctx context.Context, prefixes []string, since, until time.Time) ([]event, bool, error) {
	limit := min(s.cfg.MaxEvents, 10000)
	var started startQueryOut
	if err := s.api.call(ctx, "StartQuery", startQueryIn{
		LogGroupName: s.cfg.LogGroup, QueryString: insightsQuery(prefixes, limit),
		// Insights takes whole seconds; the end is inclusive of its second.
		StartTime: since.Unix(), EndTime: until.Unix() + 1, Limit: limit,
	}, &started); err != nil {
		return nil, false, fmt.Errorf("cloudwatch: start insights query: %w", err)
	}
	for {
		var res getQueryResultsOut
		if err := s.api.call(ctx, "GetQueryResults", queryIDIn{QueryID: started.QueryID}, &res); err != nil {
			return nil, false, fmt.Errorf("cloudwatch: insights query results: %w", err)
		}
		switch res.Status {
		case statusComplete:
			rows := res.Results[:min(len(res.Results), limit)]
			out := make([]event, 0, len(rows))
			for _, row := range rows {
				e, ok := insightsEvent(row)
				// The prefix is checked again, as for FilterLogEvents: the
				// query's filter is the only thing between another pod's
				// logs and this explanation.
				if ok && hasAnyPrefix(e.stream, prefixes) && !e.time.Before(since) && !e.time.After(until) {
					out = append(out, e)
				}
			}
			return out, len(res.Results) >= limit, nil
		case statusFailed, statusCancelled, statusTimeout:
			return nil, false, fmt.Errorf("cloudwatch: insights query %s", res.Status)
		}
		select {
		case <-ctx.Done():
			var stopped struct{}
			_ = s.api.call(context.WithoutCancel(ctx), "StopQuery", queryIDIn{QueryID: started.QueryID}, &stopped)
			return nil, false, fmt.Errorf("cloudwatch: insights query: %w", ctx.Err())
		case <-time.After(insightsPoll):
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// insightsEvent reads one result row; ok is false when the row lacks the
// stream or a readable timestamp.
func insightsEvent(row []resultField) (event, bool) {
	var e event
	for _, f := range row {
		v := f.Value
		switch f.Field {
		case "@timestamp":
			e.time = insightsTime(v)
		case "@message":
			e.message = v
		case "@logStream":
			e.stream = v
		}
	}
	return e, e.stream != "" && !e.time.IsZero()
}

// insightsTime parses a result's @timestamp: CloudWatch answers
// "2006-01-02 15:04:05.000" in UTC; emulators (moto) answer epoch
// milliseconds.
func insightsTime(v string) time.Time {
	if t, err := time.Parse("2006-01-02 15:04:05.000", v); err == nil {
		return t.UTC()
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 && ms < maxEpochMillis {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// maxEpochMillis (year 9999) bounds an epoch-milliseconds timestamp.
const maxEpochMillis = 253402300799999

// group sorts the events into one stream per pod and container, oldest
// first, keeping the newest maxBytes of each.
func (s *Source) group(events []event, target incident.Target, maxBytes int64, truncated bool) []incident.LogStream {
	byName := map[string]*incident.LogStream{}
	for _, e := range events {
		m := s.pattern.FindStringSubmatch(e.stream)
		if m == nil {
			continue
		}
		ls := byName[e.stream]
		if ls == nil {
			ls = &incident.LogStream{Namespace: target.Namespace, Source: s.Name(), Truncated: truncated}
			for i, name := range s.pattern.SubexpNames() {
				switch name {
				case "namespace":
					ls.Namespace = m[i]
				case "pod":
					ls.Pod = m[i]
				case "container":
					ls.Container = m[i]
				}
			}
			if (target.Container != "" && ls.Container != "" && ls.Container != target.Container) ||
				(target.Namespace != "" && ls.Namespace != target.Namespace) {
				continue
			}
			byName[e.stream] = ls
		}
		ls.Lines = append(ls.Lines, incident.LogLine{Time: e.time, Text: logText(e.message)})
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]incident.LogStream, 0, len(names))
	for _, n := range names {
		ls := byName[n]
		sort.SliceStable(ls.Lines, func(i, j int) bool { return ls.Lines[i].Time.Before(ls.Lines[j].Time) })
		var size int64
		keep := len(ls.Lines)
		for keep > 0 && size+int64(len(ls.Lines[keep-1].Text))+1 <= maxBytes {
			size += int64(len(ls.Lines[keep-1].Text)) + 1
			keep--
		}
		if keep > 0 {
			ls.Lines = ls.Lines[keep:]
			ls.Truncated = true
		}
		out = append(out, *ls)
	}
	return out
}

// logText unwraps Fluent Bit's record ({"log": "...", "stream": ...}) when
// the output ships whole records, and bounds the line.
func logText(msg string) string {
	if strings.HasPrefix(msg, "{") && strings.Contains(msg, `"log"`) {
		var rec struct {
			Log *string `json:"log"`
		}
		if json.Unmarshal([]byte(msg), &rec) == nil && rec.Log != nil {
			msg = *rec.Log
		}
	}
	msg = strings.TrimRight(msg, "\r\n")
	if len(msg) > MaxLineBytes {
		msg = strings.ToValidUTF8(msg[:MaxLineBytes], "") + " …[truncated]"
	}
	return msg
}
