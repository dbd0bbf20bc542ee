package kube

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// DefaultLogMaxBytes bounds each container's log when the request does not.
const DefaultLogMaxBytes = 2 << 20

// SourceName is the name of the Kubernetes log source.
const SourceName = "kubernetes"

// LogSource reads container logs through the API server (pods/log).
type LogSource struct {
	c *Collector
}

// LogSource returns the collector's log source.
func (c *Collector) LogSource() *LogSource { return &LogSource{c: c} }

var _ logsource.Source = (*LogSource)(nil)

// Name implements logsource.Source.
func (s *LogSource) Name() string { return SourceName }

// Fetch reads, for every examined pod, the current run of each container
// that has started, from req.Since, and the previous run of each container
// that restarted. Each stream keeps its newest req.MaxBytes. Streams that
// could be read are returned even when others failed; the error then joins
// the failures.
func (s *LogSource) Fetch(ctx context.Context, req logsource.Request) ([]incident.LogStream, error) {
	maxBytes := req.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultLogMaxBytes
	}
	pods := req.Pods
	if len(pods) == 0 && req.Target.Namespace != "" {
		for _, name := range req.Target.Pods {
			p, err := get[pod](ctx, s.c.api, podResource, req.Target.Namespace, name)
			if err != nil {
				return nil, fmt.Errorf("get pod %s/%s for its logs: %w", req.Target.Namespace, name, err)
			}
			pods = append(pods, podState(p, incident.Entity{}, ""))
		}
	}
	jobs := logJobs(pods, req.Target.Container)
	streams := make([]*incident.LogStream, len(jobs))
	errs := make([]error, len(jobs))
	run := newLimiter(requestConcurrency)
	for i, j := range jobs {
		run.Go(func() {
			since := req.Since
			if j.previous {
				// The previous run is the crash that matters, however long ago it began.
				since = time.Time{}
			}
			streams[i], errs[i] = s.fetch(ctx, j, since, maxBytes)
		})
	}
	run.Wait()
	var out []incident.LogStream
	for _, st := range streams {
		if st != nil {
			out = append(out, *st)
		}
	}
	return out, errors.Join(errs...)
}

type logJob struct {
	namespace, pod, container string
	previous                  bool
}

// logJobs lists the container runs worth reading: only the alert's
// container when it names one the pod has; init containers only when they
// failed, restarted or still run (the pod waits on them).
func logJobs(pods []incident.PodState, only string) []logJob {
	var jobs []logJob
	for _, p := range pods {
		hasOnly := false
		for _, c := range p.Containers {
			hasOnly = hasOnly || c.Name == only
		}
		for _, c := range p.Containers {
			if hasOnly && c.Name != only {
				continue
			}
			restarted := c.RestartCount > 0 || c.LastTermination != nil
			if c.Init && !restarted && c.State != "running" && (c.Terminated == nil || c.Terminated.ExitCode == 0) {
				continue
			}
			if restarted {
				jobs = append(jobs, logJob{p.Namespace, p.Name, c.Name, true})
			}
			if c.State == "running" || c.State == "terminated" || restarted {
				jobs = append(jobs, logJob{p.Namespace, p.Name, c.Name, false})
			}
		}
	}
	return jobs
}

// fetch reads one container run. It asks for one byte more than the budget:
// if the window fits, that is the whole answer; if not, it asks again for
// only as many of the newest lines as fitted, since the API cuts from the
// oldest end. A missing previous run (already garbage-collected) is not an error.
func (s *LogSource) fetch(ctx context.Context, j logJob, since time.Time, maxBytes int64) (*incident.LogStream, error) {
	opts := logOptions{Container: j.container, Previous: j.previous, Timestamps: true, SinceTime: since}
	limit := maxBytes + 1
	opts.LimitBytes = &limit
	body, err := s.read(ctx, j, opts, limit)
	if err != nil {
		if j.previous && apierrors.IsBadRequest(err) {
			return nil, nil
		}
		return nil, err
	}
	stream := &incident.LogStream{Namespace: j.namespace, Pod: j.pod, Container: j.container, Previous: j.previous, Source: SourceName}
	if int64(len(body)) <= maxBytes {
		stream.Lines = parseLines(body, false)
		return stream, nil
	}
	tail := int64(strings.Count(body[:maxBytes], "\n"))
	if tail == 0 {
		tail = 1
	}
	opts.TailLines = &tail
	opts.LimitBytes = &maxBytes
	body, err = s.read(ctx, j, opts, maxBytes)
	if err != nil {
		return nil, err
	}
	stream.Lines, stream.Truncated = parseLines(body, int64(len(body)) >= maxBytes), true
	return stream, nil
}

func (s *LogSource) read(ctx context.Context, j logJob, opts logOptions, limit int64) (string, error) {
	rc, err := s.c.api.podLogs(ctx, j.namespace, j.pod, opts)
	if err != nil {
		return "", fmt.Errorf("logs of %s/%s/%s%s: %w", j.namespace, j.pod, j.container, previousSuffix(j.previous), err)
	}
	defer rc.Close()
	buf, _ := s.c.logBuffers.Get().(*bytes.Buffer)
	if buf == nil || int64(buf.Cap()) < limit+bytes.MinRead {
		// Sized once for the budget so ReadFrom never regrows it.
		buf = bytes.NewBuffer(make([]byte, 0, limit+bytes.MinRead))
	}
	defer func() {
		buf.Reset()
		s.c.logBuffers.Put(buf)
	}()
	// The server should honour limitBytes; the reader does not rely on it.
	if _, err := buf.ReadFrom(io.LimitReader(rc, limit)); err != nil {
		return "", fmt.Errorf("read logs of %s/%s/%s%s: %w", j.namespace, j.pod, j.container, previousSuffix(j.previous), err)
	}
	// One exact-size copy: the lines of the stream are substrings of it.
	return buf.String(), nil
}

func previousSuffix(previous bool) string {
	if previous {
		return " (previous)"
	}
	return ""
}

// parseLines splits "timestamp text" lines; the texts share the body's
// memory. A cut final line is dropped when cut is set. A line without a
// readable timestamp keeps its text and a zero time.
func parseLines(body string, cut bool) []incident.LogLine {
	if cut {
		if i := strings.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		} else {
			body = ""
		}
	}
	lines := make([]incident.LogLine, 0, strings.Count(body, "\n")+1)
	for len(body) > 0 {
		var line string
		line, body, _ = strings.Cut(body, "\n")
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		var ll incident.LogLine
		if stamp, text, ok := strings.Cut(line, " "); ok && len(stamp) >= len("2006-01-02T15:04:05Z") && stamp[4] == '-' {
			if t, ok := parseKubeletTime(stamp); ok {
				ll = incident.LogLine{Time: t, Text: text}
			} else if t, err := time.Parse(time.RFC3339Nano, stamp); err == nil {
				ll = incident.LogLine{Time: t, Text: text}
			}
		}
		if ll.Time.IsZero() {
			ll.Text = line
		}
		lines = append(lines, ll)
	}
	return lines
}

// parseKubeletTime reads the kubelet's fixed-width UTC timestamp
// ("2006-01-02T15:04:05.000000000Z") without time.Parse, which is most of
// the cost of splitting megabytes of log. Other forms return false.
func parseKubeletTime(s string) (time.Time, bool) {
	const layout = "dddd-dd-ddTdd:dd:dd.dddddddddZ"
	if len(s) != len(layout) {
		return time.Time{}, false
	}
	var n [7]int
	field := 0
	for i := 0; i < len(layout); i++ {
		c := s[i]
		if layout[i] != 'd' {
			if c != layout[i] {
				return time.Time{}, false
			}
			field++
			continue
		}
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		n[field] = n[field]*10 + int(c-'0')
	}
	year, month, day, hour, minute, sec, nsec := n[0], n[1], n[2], n[3], n[4], n[5], n[6]
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 April and the like
	}
	return t, true
}
