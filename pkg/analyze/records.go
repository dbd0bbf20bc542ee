package analyze

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// logRecord is one group of log lines an analyzer can match and cite: a
// mined template when the log miner ran, otherwise one distinct line shape of
// a raw stream (cited through its pod).
type logRecord struct {
	ID        string
	Namespace string
	Pod       string
	Container string
	// Pods are every pod the lines came from (a template spans several).
	Pods  []string
	Lines []string
	Count int
	First time.Time
	Last  time.Time
	Level string
	Novel bool
	Tail  bool
	// Previous is true when the lines come from a terminated run.
	Previous bool
	// Early counts the lines seen more than noiseBefore before startsAt;
	// -1 when unknown (a mined template).
	Early int
}

// text is every line of the record joined, for pattern matching.
func (r logRecord) text() string { return strings.Join(r.Lines, "\n") }

// Bounds on what raw-log fallback reads from untrusted streams.
const (
	maxRawLinesPerStream = 5000
	maxLineBytes         = 2048
	maxExamples          = 3
)

// logRecords returns the bundle's log evidence. Raw streams are the source
// when the bundle has them: mined templates keep only a bounded example or
// two (often the first line of a stack trace), while the cause may sit in a
// later line. Each group of raw lines cites the mined template it belongs to
// when there is one, and its pod otherwise. Without raw streams the
// templates themselves are read.
func logRecords(b *incident.Bundle) []logRecord {
	if len(b.Logs) == 0 {
		return templateRecords(b)
	}
	recs := rawRecords(b)
	citeTemplates(b, recs)
	return recs
}

func templateRecords(b *incident.Bundle) []logRecord {
	out := make([]logRecord, 0, len(b.Templates))
	for _, t := range b.Templates {
		r := logRecord{ID: t.ID, Count: t.Count, First: t.FirstSeen, Last: t.LastSeen,
			Level: t.Level, Novel: t.Novel, Tail: t.Tail, Early: -1}
		r.Lines = append(r.Lines, boundLines(t.Examples)...)
		if len(r.Lines) == 0 && t.Pattern != "" {
			r.Lines = []string{bound(t.Pattern)}
		}
		if len(r.Lines) == 0 {
			continue
		}
		if r.Count == 0 {
			r.Count = 1
		}
		if len(t.Sources) > 0 {
			r.Namespace, r.Pod, r.Container = splitSource(t.Sources[0])
		}
		for _, src := range t.Sources {
			if _, pod, _ := splitSource(src); pod != "" && !contains(r.Pods, pod) {
				r.Pods = append(r.Pods, pod)
			}
		}
		out = append(out, r)
	}
	return out
}

// templateWildcard is the log miner's placeholder for a variable token.
const templateWildcard = "<*>"

// citeTemplates points each raw record at the mined template of the same
// pod whose literal words it contains (at least 80% of them), and takes the
// miner's novelty and tail judgement along.
func citeTemplates(b *incident.Bundle, recs []logRecord) {
	type words struct {
		t     *incident.LogTemplate
		words []string
	}
	var ts []words
	for i := range b.Templates {
		t := &b.Templates[i]
		var w []string
		for _, tok := range strings.Fields(t.Pattern) {
			if !strings.Contains(tok, templateWildcard) {
				w = append(w, tok)
			}
		}
		if len(w) > 0 {
			ts = append(ts, words{t: t, words: w})
		}
	}
	for i := range recs {
		r := &recs[i]
		line := strings.Join(strings.Fields(r.Lines[0]), " ")
		best, bestHits := -1, 0
		for k, t := range ts {
			if !fromPod(t.t.Sources, r.Pod) {
				continue
			}
			hits := 0
			for _, w := range t.words {
				if strings.Contains(line, w) {
					hits++
				}
			}
			if hits*10 >= len(t.words)*8 && hits > bestHits {
				best, bestHits = k, hits
			}
		}
		if best >= 0 {
			t := ts[best].t
			r.ID = t.ID
			r.Novel = r.Novel || t.Novel
			r.Tail = r.Tail || t.Tail
		}
	}
}

func fromPod(sources []string, pod string) bool {
	if len(sources) == 0 {
		return true
	}
	for _, src := range sources {
		if _, p, _ := splitSource(src); p == pod {
			return true
		}
	}
	return false
}

func rawRecords(b *incident.Bundle) []logRecord {
	start := startsAt(b)
	podIDs := map[string]string{}
	for _, p := range b.Pods {
		podIDs[p.Namespace+"/"+p.Name] = p.ID
	}
	var out []logRecord
	for _, s := range b.Logs {
		lines := s.Lines
		if len(lines) > maxRawLinesPerStream {
			lines = lines[len(lines)-maxRawLinesPerStream:]
		}
		index := map[string]int{}
		ended := endedRun(b, s)
		var recs []logRecord
		for i, l := range lines {
			text := bound(l.Text)
			shape := lineShape(text)
			k, ok := index[shape]
			if !ok {
				k = len(recs)
				index[shape] = k
				recs = append(recs, logRecord{ID: podIDs[s.Namespace+"/"+s.Pod], Namespace: s.Namespace,
					Pod: s.Pod, Pods: []string{s.Pod}, Container: s.Container, Previous: s.Previous, First: l.Time, Level: levelOf(text)})
			}
			r := &recs[k]
			r.Count++
			if !l.Time.IsZero() && l.Time.Before(start.Add(-noiseBefore)) {
				r.Early++
			}
			if len(r.Lines) < maxExamples {
				r.Lines = append(r.Lines, text)
			}
			if r.First.IsZero() || (!l.Time.IsZero() && l.Time.Before(r.First)) {
				r.First = l.Time
			}
			if l.Time.After(r.Last) {
				r.Last = l.Time
			}
			// The last lines of a terminated run are what it said before dying.
			if ended && i >= len(lines)-5 {
				r.Tail = true
			}
		}
		for i := range recs {
			recs[i].Novel = !recs[i].First.IsZero() && !recs[i].First.Before(start.Add(-novelLead))
		}
		out = append(out, recs...)
	}
	return out
}

// novelLead is how long before startsAt a line may first appear and still
// count as new: alerts fire after their "for" duration.
const novelLead = 15 * time.Minute

var (
	// explicitLevelRe finds a level field: "level":"warn", level=error,
	// severity: ERROR.
	explicitLevelRe = regexp.MustCompile(`(?i)"?\b(?:level|lvl|severity|loglevel)"?\s*[:=]\s*"?([a-z]+)`)
	// leadingLevelRe finds a level word near the start of a plain line:
	// "2026-11-20 10:00:01 ERROR ...", "[error] ...", "E1120 ...", nginx's
	// "[emerg]" and "[crit]".
	leadingLevelRe = regexp.MustCompile(`^.{0,60}?(?:\b|\[)(FATAL|PANIC|EMERG|CRITICAL|CRIT|ERROR|ERR|WARNING|WARN|INFO|DEBUG|TRACE|fatal|panic|emerg|critical|crit|error|warning|warn|info|debug|trace)(?:\b|\])`)
)

var levelNames = map[string]string{
	"fatal": "fatal", "panic": "panic", "critical": "fatal", "crit": "fatal", "emerg": "fatal",
	"error": "error", "err": "error", "e": "error",
	"warning": "warn", "warn": "warn", "w": "warn",
	"info": "info", "notice": "info", "i": "info",
	"debug": "debug", "trace": "debug", "d": "debug",
}

// levelOf reads a raw line's level: its level field, else a level word near
// the start, else what the words say (a panic, an exception, an error).
func levelOf(line string) string {
	if m := explicitLevelRe.FindStringSubmatch(line); m != nil {
		if l, ok := levelNames[strings.ToLower(m[1])]; ok {
			return l
		}
	}
	if m := leadingLevelRe.FindStringSubmatch(line); m != nil {
		if l, ok := levelNames[strings.ToLower(m[1])]; ok {
			return l
		}
	}
	lower := strings.ToLower(line)
	switch {
	case strings.HasPrefix(lower, "panic:") || strings.Contains(lower, "fatal"):
		return "fatal"
	case strings.Contains(lower, "exception") || strings.Contains(lower, "traceback") || strings.Contains(lower, "error"):
		return "error"
	}
	return ""
}

func splitSource(s string) (ns, pod, container string) {
	parts := strings.SplitN(s, "/", 3)
	switch len(parts) {
	case 3:
		return parts[0], parts[1], parts[2]
	case 2:
		return parts[0], parts[1], ""
	}
	return "", s, ""
}

func bound(s string) string {
	if len(s) > maxLineBytes {
		return s[:maxLineBytes]
	}
	return s
}

func boundLines(in []string) []string {
	if len(in) > maxExamples {
		in = in[:maxExamples]
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = bound(s)
	}
	return out
}

// stale reports a record that was already there long before the alert and is
// not new: background noise that must not be blamed.
func stale(b *incident.Bundle, r logRecord) bool {
	if r.Novel || r.Tail {
		return false
	}
	start := startsAt(b)
	if !r.Last.IsZero() && r.Last.Before(start.Add(-staleAfter)) {
		return true
	}
	if r.First.IsZero() || !r.First.Before(start.Add(-noiseBefore)) {
		return false
	}
	// Lines that were already there before the incident are noise when they
	// were at least as frequent then; a failure that began a while before
	// the alert fired and grew since is not.
	return r.Early < 0 || 2*r.Early >= r.Count
}

const (
	// staleAfter: a line last seen this long before startsAt is history.
	staleAfter = 2 * time.Hour
	// noiseBefore: a non-novel template first seen this long before startsAt
	// was running before the incident.
	noiseBefore = 30 * time.Minute
)

// matchRecords returns the records with a line matching re, most frequent
// first, leaving out stale noise.
func matchRecords(b *incident.Bundle, recs []logRecord, re *regexp.Regexp) []logRecord {
	var out []logRecord
	for _, r := range recs {
		if stale(b, r) {
			continue
		}
		for _, l := range r.Lines {
			if re.MatchString(l) {
				out = append(out, r)
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// criticalLogFinding is a critical finding read from log records: it cites
// the first records and the pods (in the first record's namespace) they came
// from, and starts with the earliest record.
func criticalLogFinding(b *incident.Bundle, category incident.Category, entity incident.Entity, title, detail string,
	recs []logRecord, pods []string, confidence float64) incident.Finding {
	ids := recordIDs(recs, 5)
	for _, p := range pods {
		ids = append(ids, podID(b, recs[0].Namespace, p))
	}
	return incident.Finding{
		Category:   category,
		Severity:   incident.SeverityCritical,
		Title:      title,
		Detail:     detail,
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      earliest(recs),
	}
}

// firstMatch returns the first line of the records matching re.
func firstMatch(recs []logRecord, re *regexp.Regexp) string {
	for _, r := range recs {
		for _, l := range r.Lines {
			if re.MatchString(l) {
				return l
			}
		}
	}
	return ""
}

func recordIDs(recs []logRecord, limit int) []string {
	var ids []string
	for i, r := range recs {
		if i >= limit {
			break
		}
		ids = append(ids, r.ID)
	}
	return ids
}

func totalCount(recs []logRecord) int {
	n := 0
	for _, r := range recs {
		n += r.Count
	}
	return n
}

func earliest(recs []logRecord) time.Time {
	var t time.Time
	for _, r := range recs {
		if !r.First.IsZero() && (t.IsZero() || r.First.Before(t)) {
			t = r.First
		}
	}
	return t
}

// recordPods lists the distinct pods the records came from.
func recordPods(recs []logRecord) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range recs {
		for _, p := range r.Pods {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// lastWordsRe marks the lines that say why a process died.
var lastWordsRe = regexp.MustCompile(`(?i)panic|fatal|error|exception|traceback|killed|refused|denied|not found|no such|invalid|failed|cannot|unable`)

// tailLines returns what a container said before it terminated, and the
// tail templates to cite. The previous run's raw stream is read first (the
// cause, a panic headline or an error, is picked out of the stack trace that
// usually follows it); mined tail templates stand in when there is no raw
// stream, severe ones first.
func tailLines(b *incident.Bundle, pod, container string, n int) ([]string, []string) {
	var severe, other, severeIDs, otherIDs []string
	for _, t := range b.Templates {
		if !t.Tail {
			continue
		}
		for _, src := range t.Sources {
			_, p, c := splitSource(src)
			if p != pod || (container != "" && c != "" && c != container) {
				continue
			}
			line := bound(t.Pattern)
			if len(t.Examples) > 0 {
				line = bound(t.Examples[len(t.Examples)-1])
			}
			if severeLevel(t.Level) || lastWordsRe.MatchString(line) {
				severe, severeIDs = append(severe, line), append(severeIDs, t.ID)
			} else {
				other, otherIDs = append(other, line), append(otherIDs, t.ID)
			}
			break
		}
	}
	ids := append(severeIDs, otherIDs...)
	for _, s := range b.Logs {
		if s.Pod != pod || !endedRun(b, s) || (container != "" && s.Container != container) {
			continue
		}
		window := s.Lines[max(len(s.Lines)-tailWindow, 0):]
		var picked []string
		for _, l := range window {
			if text := strings.TrimSpace(l.Text); text != "" && lastWordsRe.MatchString(text) && len(picked) < n-1 {
				picked = append(picked, bound(text))
			}
		}
		if last := lastNonEmpty(window); last != "" && !contains(picked, last) {
			picked = append(picked, last)
		}
		if len(picked) > 0 {
			return firstN(picked, n), firstN(ids, n)
		}
	}
	lines := append(severe, other...)
	return firstN(lines, n), firstN(ids, n)
}

// endedRun reports a stream whose container run is over: a previous run, or
// the current run of a container that has terminated (a Job's pod).
func endedRun(b *incident.Bundle, s incident.LogStream) bool {
	if s.Previous {
		return true
	}
	p, ok := findPod(b, s.Namespace, s.Pod)
	if !ok {
		return false
	}
	for _, c := range p.Containers {
		if c.Name == s.Container {
			return c.State == "terminated"
		}
	}
	return false
}

// tailWindow is how many final lines of a dead run are searched for its cause.
const tailWindow = 40

func lastNonEmpty(lines []incident.LogLine) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if t := strings.TrimSpace(lines[i].Text); t != "" {
			return bound(t)
		}
	}
	return ""
}

// displayKeys are the fields of a structured (JSON) log record worth
// quoting, in the order a reader wants them.
var displayKeys = []string{"level", "msg", "message", "error", "err", "exception", "reason",
	"dependency", "upstream", "host", "url", "status", "code"}

// maxDisplay bounds a quoted log line in a finding.
const maxDisplay = 400

// display renders a log line for a reader: a JSON record shows its message
// and error fields rather than its whole envelope; every line is bounded.
func display(line string) string {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(t), &m) == nil {
			var parts []string
			for _, k := range displayKeys {
				v, ok := m[k]
				if !ok {
					continue
				}
				switch v := v.(type) {
				case string:
					parts = append(parts, fmt.Sprintf("%s=%q", k, v))
				case float64, bool:
					parts = append(parts, fmt.Sprintf("%s=%v", k, v))
				}
			}
			if len(parts) > 0 {
				t = strings.Join(parts, " ")
			}
		}
	}
	return truncate(t, maxDisplay)
}

// excerpt bounds a long message around what re matched in it, so the words
// that explain it survive the cut.
func excerpt(msg string, re *regexp.Regexp) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) <= maxDisplay {
		return msg
	}
	loc := []int{0, 0}
	if re != nil {
		if l := re.FindStringIndex(msg); l != nil {
			loc = l
		}
	}
	from := max(loc[0]-maxDisplay/2, 0)
	to := min(from+maxDisplay, len(msg))
	out := msg[from:to]
	if from > 0 {
		out = "…" + out
	}
	if to < len(msg) {
		out += "…"
	}
	return out
}

// lineShape is a line with every word that contains a digit (ids, times,
// addresses, counts) replaced by "#", so repeats of one message group
// together. It is a byte loop: it runs on every raw line.
func lineShape(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	start := -1
	digit := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		if digit {
			sb.WriteByte('#')
		} else {
			sb.WriteString(s[start:end])
		}
		start, digit = -1, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		word := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
		if !word {
			flush(i)
			sb.WriteByte(c)
			continue
		}
		if start < 0 {
			start = i
		}
		digit = digit || c >= '0' && c <= '9'
	}
	flush(len(s))
	return sb.String()
}
