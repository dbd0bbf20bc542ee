// Package redact removes secrets from text before anything leaves the
// process: the LLM prompt, API responses, stored history. Each secret is
// replaced whole by a typed placeholder such as [REDACTED:aws-access-key];
// nothing is ever partially masked.
package redact

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Options turn on masking of personal data in addition to secrets.
type Options struct {
	Emails bool
	IPs    bool
	// Known are values redacted wherever they appear, whatever their
	// shape: the configured secrets. Values shorter than MinKnownLength
	// are ignored, as replacing them would shred ordinary text.
	Known []string
}

// MinKnownLength is the shortest Options.Known value that is redacted.
const MinKnownLength = 6

// Redactor scrubs text. It is immutable after New and safe for concurrent use.
type Redactor struct {
	rules []rule
	known *strings.Replacer
}

// New returns a redactor with the secret catalogue and the optional rules.
// The patterns are compiled once, at package initialisation.
func New(opt Options) *Redactor {
	rules := append([]rule(nil), secretRules...)
	if opt.Emails {
		rules = append(rules, emailRule)
	}
	if opt.IPs {
		rules = append(rules, ipRule)
	}
	r := &Redactor{rules: rules}
	known := slices.Clone(opt.Known)
	// Longest first, so a secret that contains another goes whole.
	slices.SortFunc(known, func(a, b string) int { return len(b) - len(a) })
	var pairs []string
	for _, k := range known {
		if len(k) >= MinKnownLength {
			pairs = append(pairs, k, placeholder("configured-secret"))
		}
	}
	if len(pairs) > 0 {
		r.known = strings.NewReplacer(pairs...)
	}
	return r
}

func placeholder(kind string) string { return "[REDACTED:" + kind + "]" }

// String returns s with every secret replaced.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	if r.known != nil {
		s = r.known.Replace(s)
	}
	lower := strings.ToLower(s)
	for i := range r.rules {
		ru := &r.rules[i]
		if !containsAny(lower, ru.keywords) {
			continue
		}
		if out, changed := ru.apply(s); changed {
			s = out
			lower = strings.ToLower(s)
		}
	}
	return redactHighEntropy(s)
}

func containsAny(s string, words []string) bool {
	if len(words) == 0 {
		return true
	}
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func (ru *rule) apply(s string) (string, bool) {
	matches := ru.re.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s, false
	}
	var b strings.Builder
	last := 0
	for _, loc := range matches {
		start, end := loc[2*ru.group], loc[2*ru.group+1]
		if start < 0 {
			continue
		}
		if ru.valid != nil && !ru.valid(submatches(s, loc)) {
			continue
		}
		secret := s[start:end]
		kind := ru.kind
		if ru.kindOf != nil {
			kind = ru.kindOf(secret)
		}
		// A quoted value keeps its quotes so JSON stays JSON.
		if q := quoteLen(secret); q > 0 && len(secret) >= 2*q {
			start += q
			end -= q
		}
		b.WriteString(s[last:start])
		b.WriteString(placeholder(kind))
		last = end
	}
	if last == 0 {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

func quoteLen(v string) int {
	switch {
	case len(v) >= 4 && strings.HasPrefix(v, `\"`) && strings.HasSuffix(v, `\"`):
		return 2
	case len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0]:
		return 1
	}
	return 0
}

func submatches(s string, loc []int) []string {
	m := make([]string, len(loc)/2)
	for i := range m {
		if loc[2*i] >= 0 {
			m[i] = s[loc[2*i]:loc[2*i+1]]
		}
	}
	return m
}

// MaxLineBytes bounds the memory of Stream: a longer line is redacted in
// pieces of this size.
const MaxLineBytes = 1 << 20

// Stream copies src to dst line by line, redacted, in bounded memory. A PEM
// private key spread over several lines is replaced by one placeholder line.
func (r *Redactor) Stream(dst io.Writer, src io.Reader) error {
	in := bufio.NewReaderSize(src, 64<<10)
	out := bufio.NewWriterSize(dst, 64<<10)
	var line []byte
	inKey := false
	for {
		chunk, err := in.ReadSlice('\n')
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) && len(line) < MaxLineBytes {
			continue
		}
		if len(line) > 0 {
			text, nl := strings.CutSuffix(string(line), "\n")
			redacted, emit, key := r.line(text, inKey)
			inKey = key
			if emit {
				if _, werr := out.WriteString(redacted); werr != nil {
					return fmt.Errorf("write redacted output: %w", werr)
				}
				if nl {
					if werr := out.WriteByte('\n'); werr != nil {
						return fmt.Errorf("write redacted output: %w", werr)
					}
				}
			}
			line = line[:0]
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("read input: %w", err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write redacted output: %w", err)
	}
	return nil
}

// line redacts one line of a stream, tracking whether it is inside a PEM
// private key whose END line has not come yet. Inside a key, body lines are
// dropped (emit false).
func (r *Redactor) line(text string, inKey bool) (out string, emit, stillInKey bool) {
	if inKey {
		if i := strings.Index(text, "-----END"); i >= 0 {
			rest := text[i+len("-----END"):]
			if j := strings.Index(rest, "-----"); j >= 0 {
				rest = strings.TrimSpace(rest[j+5:])
				return r.String(rest), rest != "", false
			}
			return "", false, false
		}
		if pemBody(text) {
			return "", false, true
		}
	}
	out = r.String(text)
	// The single-text rule redacts a BEGIN without END to the end of the
	// line; the body lines that follow must go too.
	if b := strings.LastIndex(text, "-----BEGIN"); b >= 0 && strings.Contains(text[b:], "PRIVATE KEY") &&
		!strings.Contains(text[b:], "-----END") {
		return out, true, true
	}
	return out, true, false
}

// pemBody reports a line of a PEM body: base64 or a header such as
// "Proc-Type:".
func pemBody(s string) bool {
	s = strings.TrimSpace(s)
	for _, h := range []string{"Proc-Type:", "DEK-Info:", "Comment:", "Version:"} {
		if strings.HasPrefix(s, h) {
			return true
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}
