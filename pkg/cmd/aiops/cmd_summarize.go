package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

func summarizeCommand() command {
	return command{
		name:    "summarize",
		summary: "summarise raw logs into an incident summary, root cause and next steps (no cluster needed)",
		run:     runSummarize,
	}
}

func runSummarize(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "summarize", "--logs FILE|- [--provider P] [--model M] [--format json|markdown|explanation]")
	logsPath := fs.String("logs", "", "log file to summarise, - for standard input (required)")
	format := fs.String("format", "json", "json: {summary, rootCause, category, nextSteps}; markdown; explanation: the full explanation JSON")
	quiet := fs.Bool("quiet", false, "do not report progress on standard error")
	pf := addProviderFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *logsPath == "" {
		return usagef("--logs is required (a file, or - for standard input)")
	}
	if err := checkFormat(*format, "json", "markdown", "explanation"); err != nil {
		return err
	}
	provider, err := pf.build(sio.getenv)
	if err != nil {
		return err
	}
	in, err := openInput(sio, *logsPath)
	if err != nil {
		return err
	}
	defer in.Close()
	// One byte over the bound tells Summarize to keep only the newest lines.
	raw, err := readTail(in, explain.MaxSummarizeBytes)
	if err != nil {
		return fmt.Errorf("read logs: %w", err)
	}
	eng := engine.Open(config.DefaultSettings(), engine.Options{Provider: provider})
	defer eng.Close()
	ex, err := eng.Summarize(ctx, raw, engine.Request{Progress: progressPrinter(sio, *quiet)})
	if err != nil {
		return fmt.Errorf("summarize: %w", err)
	}
	reportDegraded(sio, ex, *quiet)
	switch *format {
	case "markdown":
		return writeMarkdown(sio.out, ex)
	case "explanation":
		return writeJSON(sio.out, ex)
	}
	return writeJSON(sio.out, seedSummary(ex))
}

// summaryOutput is the summarize command's compact answer.
type summaryOutput struct {
	Summary   string   `json:"summary"`
	RootCause string   `json:"rootCause"`
	Category  string   `json:"category"`
	NextSteps []string `json:"nextSteps"`
}

func seedSummary(ex incident.Explanation) summaryOutput {
	out := summaryOutput{Summary: ex.Summary, RootCause: ex.RootCause.Description, Category: string(ex.RootCause.Category),
		NextSteps: make([]string, 0, len(ex.NextSteps))}
	for _, s := range ex.NextSteps {
		step := s.Text
		if s.Command != "" {
			step += ": " + s.Command
		}
		out.NextSteps = append(out.NextSteps, step)
	}
	return out
}

// readTail reads r to the end but keeps at most max+1 bytes: the newest
// ones, so an oversized log is summarised from its end.
func readTail(r io.Reader, max int) (string, error) {
	buf := make([]byte, 0, 64<<10)
	chunk := make([]byte, 64<<10)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if len(buf) > 2*(max+1) {
			buf = append(buf[:0], buf[len(buf)-(max+1):]...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	if len(buf) > max+1 {
		buf = buf[len(buf)-(max+1):]
	}
	return string(buf), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func checkFormat(got string, allowed ...string) error {
	for _, a := range allowed {
		if got == a {
			return nil
		}
	}
	return usagef("--format %q: use one of %v", got, allowed)
}
