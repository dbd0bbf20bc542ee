package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

func historyCommand() command {
	return command{
		name:    "history",
		summary: "list the recorded explanations of a history store, newest first",
		run:     runHistory,
	}
}

// historyItem is one line of `aiops history` (DESIGN.md, "Command-line tool").
type historyItem struct {
	ID          string    `json:"id"`
	Fingerprint string    `json:"fingerprint"`
	CreatedAt   time.Time `json:"createdAt"`
	Category    string    `json:"category"`
	Provider    string    `json:"provider"`
	Model       string    `json:"model,omitempty"`
	AlertName   string    `json:"alertname,omitempty"`
	Namespace   string    `json:"namespace,omitempty"`
	Summary     string    `json:"summary,omitempty"`
	// Group is set when the alert came with others (an Alertmanager group).
	Group *historyGroup `json:"group,omitempty"`
}

// historyGroup is an explanation's alert group as history lists it: the id
// `--group` takes, how many alerts the group has and how many of them this
// explanation explains (they share its cause).
type historyGroup struct {
	ID          string `json:"id"`
	Alerts      int    `json:"alerts"`
	SharesCause int    `json:"sharesCause"`
}

func groupOf(g *incident.AlertGroup) *historyGroup {
	if g == nil {
		return nil
	}
	hg := &historyGroup{ID: g.ID, Alerts: len(g.Alerts)}
	for _, m := range g.Alerts {
		if m.SharesCause {
			hg.SharesCause++
		}
	}
	return hg
}

func runHistory(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "history", "[--store DSN] [--format json|text] [--limit N] [--group ID]")
	dsnFlag := addStoreFlag(fs)
	format := fs.String("format", "text", "output format: text or json")
	limit := fs.Int("limit", 50, "at most this many explanations (1-500)")
	group := fs.String("group", "", "only the explanations of this alert group (grp_ and 16 hex digits)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	if *limit < 1 || *limit > 500 {
		return usagef("--limit must be between 1 and 500, not %d", *limit)
	}
	if *group != "" && !engine.ValidGroupID(*group) {
		return usagef("--group %q is not an alert group id (grp_ and 16 hex digits)", *group)
	}
	dsn := storeDSN(*dsnFlag, sio.getenv)
	if dsn == "" {
		return usageError{errNoStore.Error()}
	}
	st, err := openExistingStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	recs, _, err := st.List(ctx, store.Filter{Limit: *limit, Group: *group})
	if err != nil {
		return err
	}
	items := make([]historyItem, 0, len(recs))
	for _, r := range recs {
		e := r.Explanation
		items = append(items, historyItem{ID: e.ID, Fingerprint: e.Fingerprint, CreatedAt: e.CreatedAt.UTC(),
			Category: string(e.RootCause.Category), Provider: e.Provider.Name, Model: e.Provider.Model,
			AlertName: e.Alert.Name(), Namespace: e.Alert.Labels["namespace"], Summary: e.Summary, Group: groupOf(e.Group)})
	}
	if *format == "json" {
		enc := json.NewEncoder(sio.out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Explanations []historyItem `json:"explanations"`
		}{items})
	}
	return writeHistoryText(sio.out, items)
}

func writeHistoryText(w io.Writer, items []historyItem) error {
	if len(items) == 0 {
		_, err := fmt.Fprintln(w, "no explanations recorded")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tID\tFINGERPRINT\tCATEGORY\tPROVIDER\tALERT\tGROUP")
	for _, it := range items {
		provider := it.Provider
		if it.Model != "" {
			provider += "/" + it.Model
		}
		alert := it.AlertName
		if it.Namespace != "" {
			alert += " (" + it.Namespace + ")"
		}
		group := "-"
		if it.Group != nil {
			group = fmt.Sprintf("%s (%d of %d alerts)", it.Group.ID, it.Group.SharesCause, it.Group.Alerts)
		}
		cells := []string{it.CreatedAt.Format(time.RFC3339), it.ID, it.Fingerprint, it.Category, provider, alert, group}
		for i, c := range cells {
			cells[i] = terminalSafe(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// terminalSafe keeps a stored value (it came from an alert, so from outside)
// from breaking the table or sending escape sequences to the terminal.
func terminalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
