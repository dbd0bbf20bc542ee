package prompt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Answer is a model's explanation after parsing and validation.
type Answer struct {
	Summary   string              `json:"summary"`
	RootCause incident.RootCause  `json:"rootCause"`
	NextSteps []incident.NextStep `json:"nextSteps"`
	Evidence  []string            `json:"evidence"`
	// Repairs say what Parse fixed mechanically in the model's answer
	// ("cleared the namespace of External entity api.example"); empty when
	// the answer was used as given. Never read from the model.
	Repairs []string `json:"-"`
}

// Bounds on an answer: anything longer is not an explanation.
const (
	MaxAnswerBytes      = 64 << 10
	maxSummaryChars     = 1000
	maxDescriptionChars = 3000
	maxStepChars        = 600
	maxSteps            = 10
	maxCited            = 50
)

// Invalid lists everything wrong with an answer, phrased so the model can
// fix it in a repair attempt.
type Invalid struct {
	Problems []string
}

func (e *Invalid) Error() string {
	return "invalid answer: " + strings.Join(e.Problems, "; ")
}

// ErrNoJSON is wrapped when the text holds no JSON object at all.
var ErrNoJSON = errors.New("the answer is not a JSON object")

// namePattern accepts Kubernetes object names and external host or service
// names: letters, digits and . _ - : / (for host:port and URLs' hosts).
var namePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._:/-]{0,252})$`)

// namespacePattern is a DNS-1123 label.
var namespacePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// Known is what an answer is checked against.
type Known struct {
	// Evidence holds the evidence ids that exist; citing others is invalid.
	Evidence map[string]bool
	// Data is the text the model was shown; the root cause's entity name
	// must occur in it, so a model cannot blame an object it made up.
	// Empty skips the check.
	Data string
	// Citations are the analyzers' evidence ids per category: an answer
	// that cites nothing is given those of its own category.
	Citations map[incident.Category][]string
}

// Parse extracts and validates the answer in text against what is known. The error is *Invalid
// (or wraps ErrNoJSON) and says what to fix.
func Parse(text string, known Known) (Answer, error) {
	if len(text) > MaxAnswerBytes {
		return Answer{}, &Invalid{Problems: []string{fmt.Sprintf("the answer is %d bytes; keep it under %d", len(text), MaxAnswerBytes)}}
	}
	obj, ok := extractObject(text)
	var repairs []string
	if !ok {
		if obj, ok = closeTruncated(text); !ok {
			return Answer{}, fmt.Errorf("%w: %w", &Invalid{Problems: []string{"reply with one JSON object and no other text"}}, ErrNoJSON)
		}
		repairs = append(repairs, "the answer was cut off: its JSON was closed where it ended")
	}
	var a Answer
	dec := json.NewDecoder(bytes.NewReader(obj))
	if err := dec.Decode(&a); err != nil {
		return Answer{}, &Invalid{Problems: []string{"the JSON does not match the schema: " + clip(err.Error(), 200)}}
	}
	a = canonicalise(a)
	a, mended := mend(a, known)
	a.Repairs = append(repairs, mended...)
	if err := Validate(a, known); err != nil {
		return a, err
	}
	return normalise(a), nil
}

// mend fixes what is wrong with an answer only in form, so that a model
// that named the right cause is not sent back or discarded for it: the
// namespace of a Node or External entity, citations that do not exist or
// are missing, a confidence out of range, texts and lists over their
// bounds, an empty summary beside a description, unsafe commands. What it
// cannot fix — the category, the entity's kind or name, the description — is
// left for Validate to reject. It returns what it changed.
func mend(a Answer, known Known) (Answer, []string) {
	var done []string
	fixed := func(format string, args ...any) { done = append(done, fmt.Sprintf(format, args...)) }
	e := &a.RootCause.Entity
	if (e.Kind == incident.KindNode || e.Kind == incident.KindExternal) && e.Namespace != "" {
		fixed("cleared namespace %q of %s entity %s", clip(e.Namespace, 40), e.Kind, clip(e.Name, 60))
		e.Namespace = ""
	}
	var cited, dropped []string
	for _, id := range a.Evidence {
		if known.Evidence[id] {
			cited = append(cited, id)
		} else {
			dropped = append(dropped, clip(id, 20))
		}
	}
	if len(dropped) > 0 {
		fixed("dropped evidence ids not in the data: %s", strings.Join(dropped[:min(len(dropped), 10)], ", "))
	}
	a.Evidence = cited
	if len(a.Evidence) > maxCited {
		a.Evidence = a.Evidence[:maxCited]
		fixed("kept the first %d citations", maxCited)
	}
	if rc := a.RootCause; len(a.Evidence) == 0 && rc.Category.Valid() && rc.Category != incident.CategoryUnknown {
		if ids := known.Citations[rc.Category]; len(ids) > 0 {
			a.Evidence = append([]string(nil), ids...)
			fixed("cited the analyzers' evidence for %s (%s): the answer cited none", rc.Category, strings.Join(ids[:min(len(ids), 10)], ", "))
		}
	}
	switch c := a.RootCause.Confidence; {
	case c != c:
		a.RootCause.Confidence = 0
		fixed("confidence was not a number: set to 0")
	case c > 1 && c <= 100:
		// "90" for 90%: a percentage, not a share.
		a.RootCause.Confidence = c / 100
		fixed("confidence %v read as a percentage: %.2f", c, c/100)
	case c > 1:
		a.RootCause.Confidence = 1
		fixed("confidence %v clamped to 1", c)
	case c < 0:
		a.RootCause.Confidence = 0
		fixed("confidence %v clamped to 0", c)
	}
	if strings.TrimSpace(a.Summary) == "" && strings.TrimSpace(a.RootCause.Description) != "" {
		a.Summary = clipRunes(strings.TrimSpace(a.RootCause.Description), maxSummaryChars)
		fixed("the summary was empty: used the root cause's description")
	}
	if utf8.RuneCountInString(a.Summary) > maxSummaryChars {
		a.Summary = clipRunes(a.Summary, maxSummaryChars)
		fixed("cut the summary to %d characters", maxSummaryChars)
	}
	if utf8.RuneCountInString(a.RootCause.Description) > maxDescriptionChars {
		a.RootCause.Description = clipRunes(a.RootCause.Description, maxDescriptionChars)
		fixed("cut the description to %d characters", maxDescriptionChars)
	}
	var steps []incident.NextStep
	for _, st := range a.NextSteps {
		switch {
		case strings.TrimSpace(st.Text) == "" && strings.TrimSpace(st.Command) == "":
			continue
		case unsafeCommandRe.MatchString(st.Command):
			fixed("dropped a next step whose command is unsafe: %q", clip(st.Command, 80))
			continue
		case strings.TrimSpace(st.Text) == "":
			st.Text = "Run"
		}
		if utf8.RuneCountInString(st.Text) > maxStepChars || utf8.RuneCountInString(st.Command) > maxStepChars {
			fixed("dropped a next step longer than %d characters", maxStepChars)
			continue
		}
		steps = append(steps, st)
	}
	if len(steps) > maxSteps {
		steps = steps[:maxSteps]
		fixed("kept the first %d next steps", maxSteps)
	}
	a.NextSteps = steps
	return a, done
}

// unsafeCommandRe matches commands a responder must never be told to paste:
// piping a download into a shell, deleting recursively, changing access.
var unsafeCommandRe = regexp.MustCompile(`(?i)\|\s*(?:ba|z)?sh\b|\brm\s+-[a-z]*r|\bkubectl\s+(?:\S+\s+)*(?:delete\s+(?:ns|namespace|clusterrole)|create\s+clusterrolebinding)|\bchmod\s+777\b|base64\s+-d\s*\|`)

// closeTruncated completes an object cut off mid-way (the model hit its
// token limit): it cuts back to the end of the last complete value and
// closes what is open there. Only an object that then holds a root cause
// category is returned; anything less is not an answer.
func closeTruncated(text string) ([]byte, bool) {
	start := strings.IndexByte(text, '{')
	if start < 0 {
		return nil, false
	}
	body := text[start:]
	// Candidate cuts: after a closing bracket or before a comma, outside
	// strings, with the brackets open there.
	type cut struct {
		at   int
		open string
	}
	var cuts []cut
	var stack []byte
	inString, escaped := false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			stack = append(stack, c)
		case c == '}' || c == ']':
			if len(stack) == 0 {
				return nil, false
			}
			stack = stack[:len(stack)-1]
			cuts = append(cuts, cut{i + 1, string(stack)})
		case c == ',':
			cuts = append(cuts, cut{i, string(stack)})
		}
	}
	const maxTries = 64
	for n, k := 0, len(cuts)-1; k >= 0 && n < maxTries; k, n = k-1, n+1 {
		c := cuts[k]
		if c.open == "" {
			continue
		}
		var sb strings.Builder
		sb.WriteString(body[:c.at])
		for i := len(c.open) - 1; i >= 0; i-- {
			if c.open[i] == '{' {
				sb.WriteByte('}')
			} else {
				sb.WriteByte(']')
			}
		}
		out := []byte(sb.String())
		var probe struct {
			RootCause *struct {
				Category string `json:"category"`
			} `json:"rootCause"`
		}
		if json.Unmarshal(out, &probe) == nil && probe.RootCause != nil && probe.RootCause.Category != "" {
			return out, true
		}
	}
	return nil, false
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// canonicalise fixes spelling that is unambiguous — "oomkilled" for
// OOMKilled, "deployment" for Deployment, " E3" for e3 — so that a small
// model is not sent back for the case of a letter. Anything else is left for
// Validate to reject.
func canonicalise(a Answer) Answer {
	for _, c := range incident.Categories() {
		if strings.EqualFold(strings.TrimSpace(string(a.RootCause.Category)), string(c)) {
			a.RootCause.Category = c
		}
	}
	for _, k := range entityKinds {
		if strings.EqualFold(strings.TrimSpace(a.RootCause.Entity.Kind), k) {
			a.RootCause.Entity.Kind = k
		}
	}
	a.RootCause.Entity.Name = strings.TrimSpace(a.RootCause.Entity.Name)
	a.RootCause.Entity.Namespace = strings.TrimSpace(a.RootCause.Entity.Namespace)
	ids := make([]string, len(a.Evidence))
	for i, id := range a.Evidence {
		ids[i] = strings.ToLower(strings.TrimSpace(id))
	}
	a.Evidence = ids
	return a
}

// Validate checks an answer against the contract: a category from the closed
// list, an entity of a known kind with the right namespace shape, cited
// evidence that exists, bounded texts and a confidence in [0,1].
func Validate(a Answer, known Known) error {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	summary := strings.TrimSpace(a.Summary)
	switch {
	case summary == "":
		add("summary is empty")
	case utf8.RuneCountInString(summary) > maxSummaryChars:
		add("summary is longer than %d characters", maxSummaryChars)
	}
	rc := a.RootCause
	if !rc.Category.Valid() {
		add("rootCause.category %q is not one of the allowed categories", clip(string(rc.Category), 60))
	}
	probs = append(probs, entityProblems(rc.Entity)...)
	if name := rc.Entity.Name; known.Data != "" && name != "" && rc.Category != incident.CategoryUnknown &&
		!strings.Contains(strings.ToLower(known.Data), strings.ToLower(name)) {
		add("rootCause.entity.name %q does not occur in the data; name an object or host from the evidence", clip(name, 60))
	}
	if strings.TrimSpace(rc.Description) == "" {
		add("rootCause.description is empty")
	} else if utf8.RuneCountInString(rc.Description) > maxDescriptionChars {
		add("rootCause.description is longer than %d characters", maxDescriptionChars)
	}
	if rc.Confidence < 0 || rc.Confidence > 1 || rc.Confidence != rc.Confidence {
		add("rootCause.confidence %v is not between 0 and 1", rc.Confidence)
	}
	if len(a.NextSteps) > maxSteps {
		add("give at most %d next steps", maxSteps)
	}
	for i, s := range a.NextSteps {
		if strings.TrimSpace(s.Text) == "" {
			add("nextSteps[%d].text is empty", i)
		}
		if utf8.RuneCountInString(s.Text) > maxStepChars || utf8.RuneCountInString(s.Command) > maxStepChars {
			add("nextSteps[%d] is longer than %d characters", i, maxStepChars)
		}
	}
	if len(a.Evidence) > maxCited {
		add("cite at most %d evidence ids", maxCited)
	}
	var unknown []string
	for _, id := range a.Evidence {
		if !known.Evidence[id] {
			unknown = append(unknown, clip(id, 20))
		}
	}
	if len(unknown) > 0 {
		add("evidence ids %s do not exist; cite only ids from the data", strings.Join(unknown[:min(len(unknown), 10)], ", "))
	}
	if len(a.Evidence) == 0 && rc.Category != incident.CategoryUnknown && rc.Category.Valid() {
		add("cite the evidence ids that support the root cause")
	}
	if len(probs) > 0 {
		return &Invalid{Problems: probs}
	}
	return nil
}

func entityProblems(e incident.Entity) []string {
	var probs []string
	kindOK := false
	for _, k := range entityKinds {
		if e.Kind == k {
			kindOK = true
		}
	}
	if !kindOK {
		probs = append(probs, fmt.Sprintf("rootCause.entity.kind %q must be one of %s", clip(e.Kind, 40), strings.Join(entityKinds, ", ")))
	}
	if !namePattern.MatchString(e.Name) {
		probs = append(probs, fmt.Sprintf("rootCause.entity.name %q is not an object or host name", clip(e.Name, 60)))
	}
	clusterScoped := e.Kind == incident.KindNode || e.Kind == incident.KindExternal
	switch {
	case clusterScoped && e.Namespace != "":
		probs = append(probs, fmt.Sprintf("rootCause.entity.namespace must be empty for kind %s", e.Kind))
	case !clusterScoped && kindOK && !namespacePattern.MatchString(e.Namespace):
		probs = append(probs, fmt.Sprintf("rootCause.entity.namespace %q is not a namespace name", clip(e.Namespace, 60)))
	}
	return probs
}

// normalise trims texts and drops duplicate citations.
func normalise(a Answer) Answer {
	a.Summary = strings.TrimSpace(a.Summary)
	a.RootCause.Description = strings.TrimSpace(a.RootCause.Description)
	seen := map[string]bool{}
	ids := a.Evidence[:0:0]
	for _, id := range a.Evidence {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	a.Evidence = ids
	steps := make([]incident.NextStep, 0, len(a.NextSteps))
	for _, s := range a.NextSteps {
		steps = append(steps, incident.NextStep{Text: strings.TrimSpace(s.Text), Command: strings.TrimSpace(s.Command)})
	}
	a.NextSteps = steps
	return a
}

// extractObject finds the JSON object in a reply that may wrap it in a code
// fence or a sentence: from the first '{' to its matching '}'.
func extractObject(text string) ([]byte, bool) {
	start := strings.IndexByte(text, '{')
	if start < 0 {
		return nil, false
	}
	depth, inString, escaped := 0, false, false
	for i := start; i < len(text); i++ {
		c := text[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return []byte(text[start : i+1]), true
			}
		}
	}
	return nil, false
}

// Repair is the follow-up turn after an invalid answer: the model sees its
// own (bounded) reply and the problems, and is asked for the object again.
func Repair(previous string, err error) (assistant, user string) {
	problems := err.Error()
	var inv *Invalid
	if errors.As(err, &inv) {
		problems = "- " + strings.Join(inv.Problems, "\n- ")
	}
	assistant = clip(previous, 4000)
	if strings.TrimSpace(assistant) == "" {
		assistant = "(empty reply)"
	}
	user = "Your reply was rejected:\n" + problems +
		"\nReply again with only the corrected JSON object, following the schema, the allowed categories and the evidence ids given above."
	return assistant, user
}
