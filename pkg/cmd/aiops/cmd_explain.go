package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// progressPrinter reports the pipeline's stages on standard error and, while
// the model answers, the summary as it is written.
func progressPrinter(sio stdio, quiet bool) explain.Progress {
	if quiet {
		return nil
	}
	streaming := false
	labels := map[string]string{
		explain.StageResolving:   "resolving the alert's target",
		explain.StageCollecting:  "collecting evidence",
		explain.StageAnalyzing:   "analysing",
		explain.StageAskingModel: "asking the model",
	}
	return func(stage, token string) {
		if token != "" {
			if !streaming {
				fmt.Fprint(sio.errOut, "  ")
				streaming = true
			}
			fmt.Fprint(sio.errOut, token)
			return
		}
		if streaming {
			fmt.Fprintln(sio.errOut)
			streaming = false
		}
		if label, ok := labels[stage]; ok {
			fmt.Fprintf(sio.errOut, "aiops: %s…\n", label)
		}
	}
}

// writeMarkdown renders an explanation for a terminal or a chat message.
func writeMarkdown(w io.Writer, ex incident.Explanation) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "## %s\n\n", oneLine(ex.Summary))
	rc := ex.RootCause
	fmt.Fprintf(&sb, "**Root cause:** %s — %s (confidence %.0f%%)\n\n", rc.Category, entityLabel(rc.Entity), 100*rc.Confidence)
	if rc.Description != "" {
		fmt.Fprintf(&sb, "%s\n\n", rc.Description)
	}
	if len(ex.NextSteps) > 0 {
		sb.WriteString("### Next steps\n\n")
		for i, s := range ex.NextSteps {
			fmt.Fprintf(&sb, "%d. %s\n", i+1, oneLine(s.Text))
			if s.Command != "" {
				fmt.Fprintf(&sb, "   `%s`\n", strings.ReplaceAll(oneLine(s.Command), "`", "'"))
			}
		}
		sb.WriteString("\n")
	}
	if len(ex.Findings) > 0 {
		sb.WriteString("### Findings\n\n")
		for _, f := range ex.Findings {
			fmt.Fprintf(&sb, "- **%s** %s: %s [%s]\n", f.Severity, f.Category, oneLine(f.Title), strings.Join(f.Evidence, ", "))
		}
		sb.WriteString("\n")
	}
	if len(ex.Evidence) > 0 {
		sb.WriteString("### Evidence\n\n")
		for _, e := range ex.Evidence {
			count := ""
			if e.Count > 1 {
				count = fmt.Sprintf(" (×%d)", e.Count)
			}
			fmt.Fprintf(&sb, "- `%s` %s %s: %s%s\n", e.ID, e.Kind, entityLabel(e.Entity), oneLine(clipLine(e.Text, 300)), count)
		}
		sb.WriteString("\n")
	}
	for _, d := range ex.Degraded {
		fmt.Fprintf(&sb, "> degraded: %s: %s\n", d.Source, oneLine(d.Error))
	}
	for _, n := range ex.Notes {
		fmt.Fprintf(&sb, "> note: %s\n", oneLine(n))
	}
	provider := ex.Provider.Name
	if ex.Provider.Model != "" {
		provider += " " + ex.Provider.Model
	}
	fmt.Fprintf(&sb, "\n_%s · %d prompt + %d completion tokens · $%.4f · %d ms_\n", provider,
		ex.Usage.PromptTokens, ex.Usage.CompletionTokens, ex.Usage.CostUSD, ex.Timings.TotalMs)
	if _, err := io.WriteString(w, sb.String()); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func entityLabel(e incident.Entity) string {
	if e.IsZero() {
		if e.Namespace != "" {
			return "namespace " + e.Namespace
		}
		return "(no entity)"
	}
	return e.String()
}

func clipLine(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
