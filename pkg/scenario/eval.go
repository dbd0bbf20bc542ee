package scenario

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Explainer answers one scenario; Replayer is the real one, tests pass fakes.
type Explainer interface {
	Explain(ctx context.Context, s *Scenario) (incident.Explanation, error)
}

// ExplainerFunc adapts a function to Explainer.
type ExplainerFunc func(ctx context.Context, s *Scenario) (incident.Explanation, error)

// Explain calls f.
func (f ExplainerFunc) Explain(ctx context.Context, s *Scenario) (incident.Explanation, error) {
	return f(ctx, s)
}

// EvalOptions tune Evaluate.
type EvalOptions struct {
	// Parallel bounds the scenarios replayed at once (default 2: each one
	// runs its own Prometheus).
	Parallel int
	// Done, when set, is called as each scenario finishes (in any order),
	// for progress output.
	Done func(r Result)
}

// DefaultParallel is EvalOptions.Parallel's default.
const DefaultParallel = 2

// Evaluate explains every scenario and scores the answers. Results keep the
// order of scenarios; a scenario that fails to replay scores nothing and
// carries its error. Cancelling ctx stops the remaining scenarios, which are
// reported as failed.
func Evaluate(ctx context.Context, scenarios []*Scenario, ex Explainer, opt EvalOptions) Report {
	if opt.Parallel <= 0 {
		opt.Parallel = DefaultParallel
	}
	results := make([]Result, len(scenarios))
	sem := make(chan struct{}, opt.Parallel)
	var wg sync.WaitGroup
	var doneMu sync.Mutex
	for i, s := range scenarios {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = Failed(s, fmt.Errorf("not run: %w", ctx.Err()))
				return
			}
			defer func() { <-sem }()
			results[i] = evaluateOne(ctx, s, ex)
			if opt.Done != nil {
				doneMu.Lock()
				opt.Done(results[i])
				doneMu.Unlock()
			}
		}()
	}
	wg.Wait()
	return Summarize(results)
}

func evaluateOne(ctx context.Context, s *Scenario, ex Explainer) (r Result) {
	// A panic in one replay must not take the whole evaluation down; it is
	// that scenario's failure.
	defer func() {
		if p := recover(); p != nil {
			r = Failed(s, fmt.Errorf("panic: %v", p))
		}
	}()
	if err := ctx.Err(); err != nil {
		return Failed(s, fmt.Errorf("not run: %w", err))
	}
	e, err := ex.Explain(ctx, s)
	if err != nil {
		return Failed(s, err)
	}
	return Score(s, e)
}

// WriteJSON prints a report (or a report with its held-out companion) as
// `aiops eval --format json` does.
func WriteJSON(w io.Writer, rep any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// WriteText prints one line per scenario and, last, the contract's line
// "accuracy: category C/N, entity E/N, mentions M/T".
func WriteText(w io.Writer, rep Report) error {
	width := 0
	for _, r := range rep.Scenarios {
		width = max(width, len(r.Name))
	}
	var sb strings.Builder
	for _, r := range rep.Scenarios {
		fmt.Fprintf(&sb, "%-4s %-*s  ", verdict(r), width, r.Name)
		if r.Error != "" {
			fmt.Fprintf(&sb, "error: %s\n", oneLine(r.Error))
			continue
		}
		fmt.Fprintf(&sb, "category %s", r.Category.Got)
		if !r.Category.OK {
			fmt.Fprintf(&sb, " (want %s)", r.Category.Expected)
		}
		fmt.Fprintf(&sb, ", entity %s", entityText(r.Entity.Got))
		if !r.Entity.OK {
			fmt.Fprintf(&sb, " (want %s)", entityText(r.Entity.Expected))
		}
		fmt.Fprintf(&sb, ", mentions %d/%d", r.Mentions.Found, r.Mentions.Total)
		if len(r.Mentions.Missing) > 0 {
			fmt.Fprintf(&sb, " (missing %q)", r.Mentions.Missing)
		}
		sb.WriteByte('\n')
	}
	s := rep.Summary
	fmt.Fprintf(&sb, "accuracy: category %d/%d, entity %d/%d, mentions %d/%d\n",
		s.CategoryCorrect, s.Total, s.EntityCorrect, s.Total, s.MentionsFound, s.MentionsTotal)
	if _, err := io.WriteString(w, sb.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func verdict(r Result) string {
	switch {
	case r.Error != "":
		return "ERR"
	case r.Category.OK && r.Entity.OK:
		return "ok"
	}
	return "FAIL"
}

func entityText(e incident.Entity) string {
	if e.IsZero() {
		return "(none)"
	}
	return e.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
