// Package file reads container logs from local files laid out by a path
// pattern, for the no-Docker demo, VMs and replayed incidents. Placeholders
// in the pattern say which part of the path names what:
//
//	{namespace}  the Kubernetes namespace (or any grouping)
//	{pod}        the pod (or host, or instance)
//	{container}  the container; "<container>.previous" marks the previous run
//	{service}    the service
//
// e.g. "/var/log/services/{service}/*.log" or
// "incident/logs/{namespace}/{pod}/{container}.log" (the scenario layout,
// where "order.previous.log" is the previous run of container "order").
// Lines may start with an RFC 3339 timestamp and a space, as the Kubernetes
// API writes them with timestamps=true; such lines are filtered by the
// requested window, lines without keep a zero time.
package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds.
const (
	// DefaultMaxBytes bounds a stream when the request does not.
	DefaultMaxBytes = 256 << 10
	// MaxFiles bounds the files read per fetch.
	MaxFiles = 200
	// MaxLineBytes bounds one line; longer ones are cut with a marker.
	MaxLineBytes = 16 << 10
	previousMark = ".previous"
)

var placeholders = []string{"namespace", "pod", "container", "service"}

// Config is where the files are.
type Config struct {
	// Pattern is a filepath.Glob pattern with placeholders (see the package
	// documentation).
	Pattern string
}

// Source reads log files. It implements logsource.Source.
type Source struct {
	glob    string
	matcher *regexp.Regexp
}

var (
	_ logsource.Source = (*Source)(nil)
	_ logsource.Pinger = (*Source)(nil)
)

// New compiles the pattern.
func New(cfg Config) (*Source, error) {
	p := strings.TrimSpace(cfg.Pattern)
	if p == "" {
		return nil, errors.New("log file pattern is empty")
	}
	glob, matcher, err := compile(p)
	if err != nil {
		return nil, fmt.Errorf("log file pattern %q: %w", p, err)
	}
	if _, err := filepath.Match(glob, ""); err != nil {
		return nil, fmt.Errorf("log file pattern %q: %w", p, err)
	}
	return &Source{glob: glob, matcher: matcher}, nil
}

// compile turns the pattern into a glob (placeholders as "*") and an
// anchored regexp that recovers the placeholders' values from a path.
func compile(pattern string) (string, *regexp.Regexp, error) {
	var glob, re strings.Builder
	re.WriteString("^")
	seen := map[string]bool{}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '{':
			end := strings.IndexByte(pattern[i:], '}')
			if end < 0 {
				return "", nil, errors.New("unclosed {")
			}
			name := pattern[i+1 : i+end]
			if !slices.Contains(placeholders, name) {
				return "", nil, fmt.Errorf("unknown placeholder {%s} (known: {namespace}, {pod}, {container}, {service})", name)
			}
			glob.WriteString("*")
			if seen[name] {
				re.WriteString(`[^/]+`)
			} else {
				re.WriteString(`(?P<` + name + `>[^/]+)`)
			}
			seen[name] = true
			i += end + 1
		case c == '*':
			glob.WriteByte(c)
			re.WriteString(`[^/]*`)
			i++
		case c == '?':
			glob.WriteByte(c)
			re.WriteString(`[^/]`)
			i++
		case c == '[':
			end := strings.IndexByte(pattern[i:], ']')
			if end < 0 {
				return "", nil, errors.New("unclosed [")
			}
			class := pattern[i : i+end+1]
			glob.WriteString(class)
			if strings.HasPrefix(class, "[!") || strings.HasPrefix(class, "[^") {
				class = "[^" + class[2:]
			}
			re.WriteString(class)
			i += end + 1
		default:
			glob.WriteByte(c)
			re.WriteString(regexp.QuoteMeta(string(c)))
			i++
		}
	}
	re.WriteString("$")
	m, err := regexp.Compile(re.String())
	if err != nil {
		return "", nil, err
	}
	return filepath.FromSlash(glob.String()), m, nil
}

// Name identifies the source in evidence and degraded entries.
func (s *Source) Name() string { return "file" }

// Ping checks that the pattern's fixed directory (the part before the
// first placeholder or wildcard) exists and can be listed, and that some
// file matches: a typo in the pattern otherwise shows only as missing logs.
func (s *Source) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := s.glob
	if i := strings.IndexAny(dir, `*?[\`); i >= 0 {
		dir = filepath.Dir(dir[:i] + "x")
	} else {
		dir = filepath.Dir(dir)
	}
	if _, err := os.ReadDir(dir); err != nil {
		return fmt.Errorf("log files: %w", err)
	}
	paths, err := filepath.Glob(s.glob)
	if err != nil {
		return fmt.Errorf("log files %s: %w", s.glob, err)
	}
	if len(paths) == 0 {
		return fmt.Errorf("log files: no file matches %s under %s", s.glob, dir)
	}
	return nil
}

type streamKey struct {
	namespace, pod, container string
	previous                  bool
}

// Fetch reads the files that belong to the target: their tails within
// MaxBytes, lines within [Since, Until] when timestamped.
func (s *Source) Fetch(ctx context.Context, req logsource.Request) ([]incident.LogStream, error) {
	paths, err := filepath.Glob(s.glob)
	if err != nil {
		return nil, fmt.Errorf("log files %s: %w", s.glob, err)
	}
	slices.Sort(paths)
	maxBytes := req.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	f := newFilter(req)
	streams := map[streamKey]*incident.LogStream{}
	var order []streamKey
	read := 0
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("log files: %w", err)
		}
		key, ok := s.keyOf(path, req.Target, f)
		if !ok {
			continue
		}
		if read++; read > MaxFiles {
			break
		}
		lines, truncated, err := readTail(path, maxBytes)
		if errors.Is(err, fs.ErrNotExist) {
			continue // rotated away since the glob
		}
		if err != nil {
			return nil, err
		}
		ls, ok := streams[key]
		if !ok {
			ls = &incident.LogStream{Namespace: key.namespace, Pod: key.pod, Container: key.container,
				Previous: key.previous, Source: "file"}
			streams[key] = ls
			order = append(order, key)
		}
		ls.Truncated = ls.Truncated || truncated
		for _, raw := range lines {
			l := parseLine(raw)
			if !l.Time.IsZero() && (l.Time.Before(req.Since) || (!req.Until.IsZero() && l.Time.After(req.Until))) {
				continue
			}
			ls.Lines = append(ls.Lines, l)
		}
	}
	out := make([]incident.LogStream, 0, len(order))
	for _, k := range order {
		ls := streams[k]
		finish(ls, maxBytes)
		if len(ls.Lines) > 0 {
			out = append(out, *ls)
		}
	}
	return out, nil
}

// finish orders merged lines by time when all have one and keeps the newest
// within maxBytes.
func finish(ls *incident.LogStream, maxBytes int64) {
	timed := !slices.ContainsFunc(ls.Lines, func(l incident.LogLine) bool { return l.Time.IsZero() })
	if timed {
		slices.SortStableFunc(ls.Lines, func(a, b incident.LogLine) int { return a.Time.Compare(b.Time) })
	}
	var used int64
	for i := len(ls.Lines) - 1; i >= 0; i-- {
		used += int64(len(ls.Lines[i].Text)) + 1
		if used > maxBytes {
			ls.Lines = slices.Clone(ls.Lines[i+1:])
			ls.Truncated = true
			return
		}
	}
}

// filter is what the request says about the files to read.
type filter struct {
	namespace string
	pods      map[string]bool
	workload  string
	container string
	service   string
}

func newFilter(req logsource.Request) filter {
	t := req.Target
	f := filter{namespace: t.Namespace, container: t.Container, service: t.Service, pods: map[string]bool{}}
	if f.service == "" {
		f.service = t.Workload.Name
	}
	if !t.Workload.IsZero() && t.Workload.Kind != incident.KindPod {
		f.workload = t.Workload.Name
	}
	for _, p := range req.Pods {
		f.pods[p.Name] = true
		if f.namespace == "" {
			f.namespace = p.Namespace
		}
	}
	for _, p := range t.Pods {
		f.pods[p] = true
	}
	return f
}

// keyOf names the stream a path belongs to, or reports that it is not the
// target's.
func (s *Source) keyOf(path string, t incident.Target, f filter) (streamKey, bool) {
	m := s.matcher.FindStringSubmatch(filepath.ToSlash(path))
	if m == nil {
		return streamKey{}, false
	}
	value := func(name string) string {
		if i := s.matcher.SubexpIndex(name); i > 0 {
			return m[i]
		}
		return ""
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	k := streamKey{namespace: value("namespace"), pod: value("pod"), container: value("container")}
	svc := value("service")
	if strings.HasSuffix(base, previousMark) {
		k.previous = true
		k.container = strings.TrimSuffix(k.container, previousMark)
		k.pod = strings.TrimSuffix(k.pod, previousMark)
		svc = strings.TrimSuffix(svc, previousMark)
		base = strings.TrimSuffix(base, previousMark)
	}
	switch {
	case k.namespace != "" && f.namespace != "" && k.namespace != f.namespace:
		return streamKey{}, false
	case k.pod != "" && len(f.pods) > 0 && !f.pods[k.pod] &&
		(f.workload == "" || !strings.HasPrefix(k.pod, f.workload+"-")):
		return streamKey{}, false
	case k.pod != "" && len(f.pods) == 0 && f.workload != "" && !strings.HasPrefix(k.pod, f.workload+"-"):
		return streamKey{}, false
	case k.container != "" && f.container != "" && k.container != f.container:
		return streamKey{}, false
	case svc != "" && f.service != "" && svc != f.service:
		return streamKey{}, false
	}
	if k.namespace == "" {
		k.namespace = t.Namespace
	}
	if k.pod == "" {
		k.pod = firstOf(svc, firstPod(t), base)
	}
	if k.container == "" {
		k.container = firstOf(t.Container, svc, base)
	}
	return k, true
}

func firstPod(t incident.Target) string {
	if len(t.Pods) == 1 {
		return t.Pods[0]
	}
	return ""
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// readTail returns the lines of the last maxBytes of a regular file, without
// a partial first line, and whether anything was left out.
func readTail(path string, maxBytes int64) ([]string, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("log file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, false, fmt.Errorf("log file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, false, nil
	}
	truncated := info.Size() > maxBytes
	if truncated {
		if _, err := f.Seek(info.Size()-maxBytes, io.SeekStart); err != nil {
			return nil, false, fmt.Errorf("log file %s: %w", path, err)
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxBytes))
	if err != nil {
		return nil, false, fmt.Errorf("log file %s: %w", path, err)
	}
	return splitLines(b, truncated), truncated, nil
}

// splitLines splits content into lines, dropping the first when it is the
// cut-off end of a line that began before the tail.
func splitLines(b []byte, partialFirst bool) []string {
	text := string(b)
	if partialFirst {
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[i+1:]
		} else {
			text = ""
		}
	}
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// parseLine reads a leading RFC 3339 timestamp followed by a space.
func parseLine(raw string) incident.LogLine {
	raw = clip(raw)
	stamp, rest, ok := strings.Cut(raw, " ")
	if ok && len(stamp) >= len("2006-01-02T15:04:05Z") && stamp[4] == '-' {
		if t, err := time.Parse(time.RFC3339Nano, stamp); err == nil {
			return incident.LogLine{Time: t.UTC(), Text: rest}
		}
	}
	return incident.LogLine{Text: raw}
}

// clip bounds a line, cutting at a rune boundary.
func clip(line string) string {
	if len(line) <= MaxLineBytes {
		return line
	}
	cut := MaxLineBytes
	for cut > 0 && line[cut]&0xC0 == 0x80 {
		cut--
	}
	return line[:cut] + " …[truncated]"
}
