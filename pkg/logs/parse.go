package logs

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// stack modes of a pending record: which kind of multi-line trace, if any,
// the following lines may continue.
type stackMode uint8

const (
	modeNone     stackMode = iota
	modeGoPanic            // Go panic, goroutine or Python faulthandler dump
	modeJava               // Java exception: at/Caused by/... N more
	modePython             // inside a Python traceback, before its exception line
	modePyDone             // after the exception line: only chained tracebacks continue
	modeIndented           // plain record followed by indented lines
)

// pending is the record being assembled.
type pending struct {
	rec Record
	// last is the time of the latest line, to tell a stack trace written
	// with its log line from one that came later.
	last   time.Time
	raw    strings.Builder
	mode   stackMode
	bareTB bool // the record is a bare Python traceback (no log line before it)
	// chained is set by "During handling of the above exception": the next
	// traceback continues the record.
	chained bool
	exc     string
}

// Parser turns lines into records, joining multi-line entries (Go panics and
// goroutine dumps, Java and Python stack traces, indented continuations). It
// keeps one record pending until a line shows the entry is complete, so feed
// every line with Add and call Flush at the end. A Parser is not safe for
// concurrent use; use one per stream.
type Parser struct {
	cur     pending
	has     bool
	partial strings.Builder // CRI partial ("P") line fragments
	partN   int
	partT   time.Time
	out     []Record
}

// NewParser returns an empty parser.
func NewParser() *Parser { return &Parser{} }

// Add consumes one raw line, which may start with a kubelet RFC3339Nano
// timestamp (kept as the record's time) and a CRI stream tag. It returns the
// records that the line completed; the slice is reused by the next call.
func (p *Parser) Add(line string) []Record {
	t, text := splitKubeletTime(line)
	return p.AddAt(t, text)
}

// AddLine consumes a line of a collected stream, whose time is already known.
func (p *Parser) AddLine(l incident.LogLine) []Record {
	if l.Time.IsZero() {
		return p.Add(l.Text)
	}
	_, text := splitKubeletTime(l.Text)
	return p.AddAt(l.Time, text)
}

// AddAt consumes one line whose timestamp t (possibly zero) was taken off.
func (p *Parser) AddAt(t time.Time, text string) []Record {
	p.out = p.out[:0]
	text = trimRightSet(text, trimEOL)
	if len(text) > maxLineBytes {
		text = cutUTF8(text, maxLineBytes)
	}
	// Invalid bytes would reach templates, the prompt and stored history,
	// each of which wants text; they become U+FFFD once, here.
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if rest, tag, ok := criTag(text); ok {
		if tag == 'P' && p.partial.Len() < maxLineBytes {
			if p.partN == 0 {
				p.partT = t
			}
			p.partial.WriteString(rest)
			p.partN++
			return nil
		}
		text = rest
	}
	lines := 1
	if p.partN > 0 {
		p.partial.WriteString(text)
		text = cutUTF8(p.partial.String(), maxLineBytes)
		lines += p.partN
		t = p.partT
		p.partial.Reset()
		p.partN = 0
	}
	if p.has && p.continues(t, text) {
		p.appendLine(text, lines)
		if !t.IsZero() {
			p.cur.last = t
		}
		return nil
	}
	if p.has {
		p.out = append(p.out, p.finish())
	}
	p.start(t, text, lines)
	return p.out
}

// Flush returns the pending record, if any.
func (p *Parser) Flush() []Record {
	p.out = p.out[:0]
	if p.partN > 0 {
		text := p.partial.String()
		lines, t := p.partN, p.partT
		p.partial.Reset()
		p.partN = 0
		if p.has && p.continues(t, text) {
			p.appendLine(text, lines)
		} else {
			if p.has {
				p.out = append(p.out, p.finish())
			}
			p.start(t, text, lines)
		}
	}
	if p.has {
		p.out = append(p.out, p.finish())
	}
	return p.out
}

func (p *Parser) finish() Record {
	c := &p.cur
	rec := c.rec
	if c.raw.Len() > 0 {
		rec.Raw = c.raw.String()
	}
	if c.bareTB && c.exc != "" {
		rec.Message = c.exc
		if rec.Level == "" || SeverityRank(rec.Level) < SeverityRank(LevelError) {
			rec.Level = LevelError
		}
	}
	p.has = false
	c.rec = Record{}
	c.raw = strings.Builder{}
	c.mode, c.bareTB, c.exc, c.chained = modeNone, false, "", false
	return rec
}

func (p *Parser) appendLine(text string, lines int) {
	c := &p.cur
	if c.raw.Len() == 0 {
		c.raw.Grow(len(c.rec.Raw) + len(text) + 1)
		c.raw.WriteString(c.rec.Raw)
	}
	if c.raw.Len()+len(text)+1 <= maxRawBytes {
		c.raw.WriteByte('\n')
		c.raw.WriteString(text)
	}
	c.rec.Lines += lines
	trimmed := text[skipBlanks(text, 0):]
	indented := len(trimmed) < len(text)
	switch c.mode {
	case modePython:
		if !indented && trimmed != "" && !isPythonChainLine(trimmed) {
			c.exc = trimmed
			c.mode = modePyDone
		}
	case modePyDone:
		if isPythonChainLine(trimmed) && !strings.HasPrefix(trimmed, "Traceback ") {
			c.chained = true
		}
		if strings.HasPrefix(trimmed, "Traceback ") {
			c.mode = modePython
			c.chained = false
		}
	case modeNone, modeIndented:
		switch {
		case strings.HasPrefix(trimmed, "Traceback (most recent call last)"):
			c.mode = modePython
		case isJavaStackLine(trimmed) || javaException(trimmed):
			c.mode = modeJava
		case indented:
			c.mode = modeIndented
		}
	}
}

// sameWrite is how close (strictly) the timestamps of two lines must be for an
// exception header to be taken as part of the log line before it: lines of
// one multi-line write get the same or nearly the same kubelet timestamp.
const sameWrite = time.Millisecond

// continues reports whether text, logged at t (zero if unknown), belongs to
// the pending record.
func (p *Parser) continues(t time.Time, text string) bool {
	c := &p.cur
	trimmed := text[skipBlanks(text, 0):]
	if trimmed == "" {
		return true
	}
	indented := len(trimmed) < len(text)
	switch c.mode {
	case modeGoPanic:
		return indented || isGoDumpLine(trimmed)
	case modePython:
		return true
	case modePyDone:
		// A new traceback right after an exception line is a new entry;
		// a chained one is announced by "During handling ..." first.
		if strings.HasPrefix(trimmed, "Traceback ") {
			return c.chained
		}
		if indented || isPythonChainLine(trimmed) {
			return true
		}
		// Exception messages may span lines (SQLAlchemy adds "[SQL: ...]");
		// such lines come in the same write and do not start an entry.
		return writtenWith(t, c.last) && !startsEntry(trimmed)
	}
	if indented {
		return true
	}
	if isJavaStackLine(trimmed) {
		return true
	}
	// A stack trace printed after a log line belongs to it; structured
	// loggers put theirs in a field, so only plain lines take one.
	if c.rec.Format != FormatPlain {
		return false
	}
	if !t.IsZero() && !c.last.IsZero() && !writtenWith(t, c.last) {
		return false
	}
	if !javaException(trimmed) && !strings.HasPrefix(trimmed, "Traceback (most recent call last)") {
		return false
	}
	return c.mode == modeJava || SeverityRank(c.rec.Level) >= SeverityRank(LevelWarn) ||
		strings.HasSuffix(strings.TrimRight(c.rec.Message, " "), ":")
}

// writtenWith reports whether two known times are of one write.
func writtenWith(t, last time.Time) bool {
	if t.IsZero() || last.IsZero() {
		return false
	}
	d := t.Sub(last)
	return d < sameWrite && d > -sameWrite
}

// startsEntry recognises the head of a new log entry: a JSON object, a
// leading date, a klog header, logfmt keys, an upper-case level word.
func startsEntry(s string) bool {
	switch {
	case s == "":
		return false
	case s[0] == '{' || isGoPanicHead(s) || klogLevel(s) != "":
		return true
	case len(s) >= 5 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
		s[3] >= '0' && s[3] <= '9' && (s[4] == '-' || s[4] == '/'):
		return true
	}
	for _, p := range []string{"level=", "lvl=", "time=", "ts=", "t=", "msg="} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	word, _ := firstWord(s)
	word = trimSet(word, trimBrackets|trimColon)
	return len(word) > 2 && normalizeLevel(word) != "" && strings.ToUpper(word) == word
}

// isGoDumpLine matches the unindented lines of a Go panic or goroutine
// dump (goroutine headers, signal lines, function calls, "created by") and
// of a Python faulthandler dump (thread headers, extension modules).
func isGoDumpLine(s string) bool {
	for _, p := range []string{"goroutine ", "[signal ", "created by ", "exit status ", "runtime stack:", "...additional frames elided...",
		"Thread 0x", "Current thread 0x", "Extension modules:"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	// A call frame: pkg/path.Func(args) with no space before the '('.
	open := strings.IndexByte(s, '(')
	return open > 0 && !strings.ContainsAny(s[:open], " \t") && strings.HasSuffix(s, ")")
}

func (p *Parser) start(t time.Time, text string, lines int) {
	p.has = true
	c := &p.cur
	c.rec = Record{Time: t, Raw: text, Lines: lines}
	c.last = t
	parseEntry(&c.rec, text)
	trimmed := text[skipBlanks(text, 0):]
	// The first byte rules out the heads below for most lines.
	if trimmed == "" || strings.IndexByte("pfSgFTE", trimmed[0]) < 0 {
		return
	}
	switch {
	case isGoPanicHead(trimmed) || strings.HasPrefix(trimmed, "SIGQUIT: quit") || strings.HasPrefix(trimmed, "goroutine "):
		c.mode = modeGoPanic
		if c.rec.Level == "" || SeverityRank(c.rec.Level) < SeverityRank(LevelPanic) {
			c.rec.Level = LevelPanic
			if strings.HasPrefix(trimmed, "fatal error:") {
				c.rec.Level = LevelFatal
			}
		}
	case strings.HasPrefix(trimmed, "Fatal Python error:"):
		c.mode = modeGoPanic
		c.rec.Level = LevelFatal
	case strings.HasPrefix(trimmed, "Traceback (most recent call last)"):
		c.mode = modePython
		c.bareTB = true
	case strings.HasPrefix(trimmed, "Exception in thread "):
		c.mode = modeJava
		if c.rec.Level == "" {
			c.rec.Level = LevelError
		}
	}
}

func isGoPanicHead(s string) bool {
	return strings.HasPrefix(s, "panic: ") || strings.HasPrefix(s, "fatal error: ")
}

func isPythonChainLine(s string) bool {
	return strings.HasPrefix(s, "Traceback (most recent call last)") ||
		strings.HasPrefix(s, "During handling of the above exception") ||
		strings.HasPrefix(s, "The above exception was the direct cause")
}

// isJavaStackLine matches the lines a JVM prints under an exception.
func isJavaStackLine(s string) bool {
	// It runs for every line after a record: the first byte rules most out.
	if s == "" || strings.IndexByte("aCS.", s[0]) < 0 {
		return false
	}
	if strings.HasPrefix(s, "at ") || strings.HasPrefix(s, "Caused by: ") || strings.HasPrefix(s, "Suppressed: ") {
		return true
	}
	if strings.HasPrefix(s, "... ") && strings.HasSuffix(s, " more") {
		return true
	}
	return false
}

// javaException matches a qualified exception name at the start of a line:
// java.lang.IllegalStateException: ..., com.example.FooError.
//
// It runs for every line that follows a plain record, so it scans the name
// once and gives up at the first byte no qualified name has.
func javaException(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	dot := false
	end := 0
	for ; end < len(s) && s[end] != ':' && s[end] != ' '; end++ {
		switch c := s[end]; {
		case c == '.':
			dot = true
		case !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'):
			return false
		}
	}
	name := s[:end]
	return dot && (strings.HasSuffix(name, "Exception") || strings.HasSuffix(name, "Error") ||
		strings.HasSuffix(name, "Throwable"))
}

// klogLevel recognises the klog header "E1120 10:00:00.123456 ...".
func klogLevel(s string) string {
	if len(s) < 6 || s[5] != ' ' {
		return ""
	}
	for i := 1; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ""
		}
	}
	switch s[0] {
	case 'I':
		return LevelInfo
	case 'W':
		return LevelWarn
	case 'E':
		return LevelError
	case 'F':
		return LevelFatal
	}
	return ""
}

// parseEntry fills the record from the first line of an entry.
func parseEntry(r *Record, text string) {
	trimmed := text[skipBlanks(text, 0):]
	if strings.HasPrefix(trimmed, "{") && parseJSONEntry(r, trimmed) {
		return
	}
	if looksLogfmt(trimmed) && parseLogfmtEntry(r, trimmed) {
		return
	}
	r.Format = FormatPlain
	r.Message, r.Level = plainMessage(trimmed)
	if r.Level == "" {
		r.Level = inferLevel(r.Message)
	}
}

func parseJSONEntry(r *Record, s string) bool {
	var level, msg, errText, trace, ts string
	ok := scanJSON(s, func(k, v string) {
		switch k {
		case "level", "lvl", "severity", "loglevel", "log.level", "levelname", "log_level", "@l", "Level", "LEVEL", "Severity", "severity_text":
			level = v
		case "msg", "message", "@m", "Message", "MESSAGE", "log", "text", "@message", "@mt":
			if msg == "" {
				msg = v
			}
		case "error", "err", "exception", "error.message", "Error", "exc_info", "error_message":
			errText = v
		case "trace_id", "traceId", "traceID", "trace.id", "dd.trace_id", "TraceID", "trace", "logging.googleapis.com/trace":
			trace = v
		case "time", "ts", "timestamp", "@timestamp", "t", "Time", "datetime", "@t":
			ts = v
		}
	})
	if !ok {
		return false
	}
	if msg == "" {
		msg = flattenJSON(s)
	}
	fillStructured(r, FormatJSON, level, msg, errText, trace, ts, s)
	return true
}

// flattenJSON renders an object without a message field as "key=value"
// words, in order, so that it mines like logfmt instead of as one token.
func flattenJSON(s string) string {
	var b strings.Builder
	scanJSON(s, func(k, v string) {
		if b.Len() > maxMineBytes {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		if strings.ContainsAny(v, " \t\n") {
			b.WriteString(strconv.Quote(v))
		} else {
			b.WriteString(v)
		}
	})
	return b.String()
}

// looksLogfmt tells a logfmt line by its keys. It looks only at the words
// before each '=', so a line is scanned once.
func looksLogfmt(s string) bool {
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return false
	}
	for _, p := range []string{"level=", "lvl=", "time=", "ts=", "t=", "msg="} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	for eq >= 0 {
		head := s[:eq]
		if strings.HasSuffix(head, " level") || strings.HasSuffix(head, " msg") || strings.HasSuffix(head, " lvl") {
			return true
		}
		next := strings.IndexByte(s[eq+1:], '=')
		if next < 0 {
			break
		}
		eq += 1 + next
	}
	return false
}

func parseLogfmtEntry(r *Record, s string) bool {
	var level, msg, errText, trace, ts string
	n := scanLogfmt(s, func(k, v string) {
		switch k {
		case "level", "lvl", "severity", "loglevel":
			level = v
		case "msg", "message":
			msg = v
		case "error", "err":
			errText = v
		case "trace_id", "traceId", "traceID", "trace":
			trace = v
		case "time", "ts", "t", "timestamp":
			ts = v
		}
	})
	if n < 2 || (level == "" && msg == "") {
		return false
	}
	fillStructured(r, FormatLogfmt, level, msg, errText, trace, ts, s)
	return true
}

func fillStructured(r *Record, format, level, msg, errText, trace, ts, raw string) {
	r.Format = format
	r.TraceID = cutUTF8(trace, 128)
	r.Error = cutUTF8(errText, maxFieldBytes)
	r.Level = normalizeLevel(level)
	if r.Level == "" {
		r.Level = numericLevel(level)
	}
	if msg == "" {
		// No message field: mine the whole entry, masked like plain text.
		msg = raw
	}
	r.Message = cutUTF8(msg, maxFieldBytes*4)
	if r.Level == "" {
		r.Level = inferLevel(r.Message + " " + r.Error)
	}
	if r.Time.IsZero() && ts != "" {
		r.Time = parseTime(ts)
	}
}

// plainMessage strips a leading timestamp from a plain line and finds its
// level word among the first few words.
func plainMessage(s string) (msg, level string) {
	if lv := klogLevel(s); lv != "" {
		return s, lv
	}
	// Each word is cut once: the one that is not a timestamp is the first
	// candidate for the zone and then for the level.
	msg = s
	word, rest := firstWord(msg)
	for range 3 {
		if word == "" || !isTimestampWord(word) {
			break
		}
		msg = rest
		word, rest = firstWord(msg)
	}
	if word == "UTC" || word == "Z" {
		msg = rest
		word, rest = firstWord(msg)
	}
	for range 5 {
		if word == "" {
			break
		}
		if lv := normalizeLevel(word); lv != "" && len(trimSet(word, trimBrackets|trimAngles|trimColon)) > 1 {
			return msg, lv
		}
		word, rest = firstWord(rest)
	}
	return msg, ""
}

// firstWord splits off s's first blank-separated word. It scans bytes
// itself: it runs several times per line, and strings.IndexAny and
// TrimLeft build their character sets on every call.
func firstWord(s string) (word, rest string) {
	s = s[skipBlanks(s, 0):]
	i := 0
	for i < len(s) && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	return s[:i], s[skipBlanks(s, i):]
}

// trimSet and trimRightSet trim the bytes of the classes in set (see
// trimClass), like strings.Trim and TrimRight with a fixed set: a table
// look-up instead of building a character set or searching one per byte.
func trimSet(s string, set uint8) string {
	for len(s) > 0 && trimClass[s[0]]&set != 0 {
		s = s[1:]
	}
	return trimRightSet(s, set)
}

func trimRightSet(s string, set uint8) string {
	for len(s) > 0 && trimClass[s[len(s)-1]]&set != 0 {
		s = s[:len(s)-1]
	}
	return s
}

// Classes of the bytes trimSet trims.
const (
	trimBrackets = 1 << iota // [ ]
	trimAngles               // < >
	trimColon                // :
	trimEOL                  // \r \n
)

var trimClass = [256]uint8{'[': trimBrackets, ']': trimBrackets, '<': trimAngles, '>': trimAngles, ':': trimColon,
	'\r': trimEOL, '\n': trimEOL}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// isTimestampWord matches date and time words: 2026-11-20, 10:00:00.123,
// 2026/11/20, [2026-11-20T10:00:00Z], 2026-11-20,10:00:00. A number or an
// address (199680, 10.0.0.1:22) is not one: it is part of the message.
func isTimestampWord(w string) bool {
	w = trimSet(w, trimBrackets)
	rest, date := cutDate(w)
	if date {
		if rest == "" {
			return true
		}
		if rest[0] != 'T' && rest[0] != ',' && rest[0] != '_' {
			return false
		}
		rest = rest[1:]
	}
	rest, clock := cutClock(rest)
	if !clock {
		return false
	}
	// Fractions of a second and a zone: .123, ,123, Z, +01:00, -0700.
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; (c < '0' || c > '9') && strings.IndexByte(".,:+-Z", c) < 0 {
			return false
		}
	}
	return true
}

// cutDate takes a leading YYYY-MM-DD or YYYY/MM/DD off w.
func cutDate(w string) (string, bool) {
	if len(w) < 10 || !allDigits(w[:4]) || !allDigits(w[5:7]) || !allDigits(w[8:10]) ||
		w[4] != w[7] || w[4] != '-' && w[4] != '/' {
		return w, false
	}
	return w[10:], true
}

// cutClock takes a leading H:MM:SS or HH:MM:SS off w.
func cutClock(w string) (string, bool) {
	h := 2
	if len(w) > 1 && w[1] == ':' {
		h = 1
	}
	if len(w) < h+6 || !allDigits(w[:h]) || w[h] != ':' || !allDigits(w[h+1:h+3]) || w[h+3] != ':' || !allDigits(w[h+4:h+6]) {
		return w, false
	}
	return w[h+6:], true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// splitKubeletTime takes a leading RFC3339(Nano) timestamp and one space off
// the line, as the Kubernetes API adds with timestamps=true.
func splitKubeletTime(line string) (time.Time, string) {
	if len(line) < 21 || line[4] != '-' || line[10] != 'T' {
		return time.Time{}, line
	}
	sp := strings.IndexByte(line, ' ')
	if sp < 20 || sp > 40 {
		return time.Time{}, line
	}
	t, err := time.Parse(time.RFC3339Nano, line[:sp])
	if err != nil {
		return time.Time{}, line
	}
	return t, line[sp+1:]
}

// criTag strips the CRI "stdout F " / "stderr P " prefix of kubelet log files.
func criTag(s string) (rest string, tag byte, ok bool) {
	if len(s) < 9 || (!strings.HasPrefix(s, "stdout ") && !strings.HasPrefix(s, "stderr ")) {
		return s, 0, false
	}
	if (s[7] == 'F' || s[7] == 'P') && s[8] == ' ' {
		return s[9:], s[7], true
	}
	return s, 0, false
}

func parseTime(v string) time.Time {
	if len(v) > 40 {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 1e9 && f < 1e10 {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
	}
	return time.Time{}
}

// cutUTF8 returns the longest prefix of s of at most n bytes that does not
// end inside a UTF-8 sequence.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
