package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
	"github.com/cloudobs/aiops-app/pkg/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// recordHistory writes three explanations a minute apart, oldest first.
func recordHistory(t *testing.T, dsn string) {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i, cat := range []incident.Category{incident.CategoryOOMKilled, incident.CategoryDependencyFailure, incident.CategoryUnknown} {
		ex := incident.Explanation{ID: fmt.Sprintf("ex_%d", i), Fingerprint: fmt.Sprintf("fp%d", i), CreatedAt: at.Add(time.Duration(i) * time.Minute),
			RootCause: incident.RootCause{Category: cat}, Provider: incident.ProviderInfo{Name: "offline"},
			Alert: incident.Alert{Labels: map[string]string{"alertname": "KubePodCrashLooping\x1b[31m", "namespace": "shop"}}}
		if err := st.Save(context.Background(), store.Record{Explanation: ex}); err != nil {
			t.Fatal(err)
		}
	}
}

func runHistoryCmd(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut strings.Builder
	code := run(context.Background(), append([]string{"history"}, args...), stdio{in: strings.NewReader(""), out: &out, errOut: &errOut,
		getenv: func(k string) string { return env[k] }})
	return out.String(), errOut.String(), code
}

func TestHistoryListsNewestFirstOnBothBackends(t *testing.T) {
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "history.db") },
		"postgres": func(t *testing.T) string { return pgtest.NewDatabase(t) },
	} {
		t.Run(name, func(t *testing.T) {
			dsn := dsn(t)
			recordHistory(t, dsn)
			got := historyIDs(t, dsn)
			if len(got) != 3 {
				t.Fatalf("want 3 explanations, got %v", got)
			}
			first := got[0]
			if first["id"] != "ex_2" || got[2]["id"] != "ex_0" {
				t.Fatalf("not newest first: %v", got)
			}
			for _, field := range []string{"id", "fingerprint", "createdAt", "category", "provider"} {
				if _, ok := first[field]; !ok {
					t.Errorf("field %q missing: %v", field, first)
				}
			}
			if first["fingerprint"] != "fp2" || first["category"] != "Unknown" || first["provider"] != "offline" || first["createdAt"] != "2026-11-20T10:02:00Z" {
				t.Errorf("fields: %v", first)
			}
			// The text form, from $AIOPS_STORE.
			text, errOut, code := runHistoryCmd(t, map[string]string{envStore: dsn})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(text), "\n")
			if len(lines) != 4 || !strings.HasPrefix(lines[0], "CREATED") || !strings.Contains(lines[1], "ex_2") || !strings.Contains(lines[3], "ex_0") {
				t.Fatalf("text form:\n%s", text)
			}
			if strings.Contains(text, "\x1b") {
				t.Fatal("an escape sequence from an alert label reached the terminal")
			}
		})
	}
}

func TestHistoryWithoutAStoreSaysHowToSetOne(t *testing.T) {
	_, errOut, code := runHistoryCmd(t, nil)
	if code != 2 || !strings.Contains(errOut, "--store") || !strings.Contains(errOut, envStore) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	_, errOut, code = runHistoryCmd(t, nil, "--store", missing)
	if code != 1 || !strings.Contains(errOut, "no history store at") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("listing a missing store must not create it")
	}
	if _, _, code := runHistoryCmd(t, nil, "--store", missing, "--format", "yaml"); code != 2 {
		t.Fatalf("a bad --format must be a usage error, exit %d", code)
	}
}

func TestHistoryOfAnEmptyStore(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "history.db")
	st, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, _, code := runHistoryCmd(t, nil, "--store", dsn, "--format", "json")
	if code != 0 || strings.TrimSpace(out) != "{\n  \"explanations\": []\n}" {
		t.Fatalf("exit %d: %q", code, out)
	}
}

// historyIDs lists the store's explanations through `aiops history`.
func historyIDs(t *testing.T, dsn string) []map[string]any {
	t.Helper()
	out, errOut, code := runHistoryCmd(t, nil, "--store", dsn, "--format", "json")
	if code != 0 {
		t.Fatalf("history: exit %d: %s", code, errOut)
	}
	var got struct {
		Explanations []map[string]any `json:"explanations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	return got.Explanations
}

func TestExplainRecordsWhatItExplains(t *testing.T) {
	kubeconfig, alertFile, s := replayCluster(t, "oom-order-service-leak")
	dsn := filepath.Join(t.TempDir(), "cli.db")
	env := map[string]string{"AIOPS_NOW": s.Now.Format(time.RFC3339), envStore: dsn}
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"explain", "--alert", alertFile, "--kubeconfig", kubeconfig, "--quiet"},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(k string) string { return env[k] }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var ex incident.Explanation
	if err := json.Unmarshal([]byte(out.String()), &ex); err != nil {
		t.Fatal(err)
	}
	got := historyIDs(t, dsn)
	if len(got) != 1 || got[0]["id"] != ex.ID || got[0]["fingerprint"] != s.Alert.Fingerprint || got[0]["provider"] != "offline" {
		t.Fatalf("recorded %v, printed %s", got, ex.ID)
	}
	st, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	days, _ := st.Usage(context.Background(), s.Now, s.Now)
	if len(days) != 1 || days[0].Requests != 1 || days[0].Provider != "offline" {
		t.Fatalf("usage ledger: %+v", days)
	}
}

func TestExplainWithAnUnusableStoreAsksNoModel(t *testing.T) {
	_, alertFile, _ := replayCluster(t, "oom-order-service-leak")
	dir := t.TempDir() // a directory is no database
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"explain", "--alert", alertFile, "--no-kube", "--store", dir, "--quiet"},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, getenv: func(string) string { return "" }})
	if code != 1 || out.Len() != 0 || !strings.Contains(errOut.String(), "history store") {
		t.Fatalf("exit %d, stdout %d bytes, stderr %s", code, out.Len(), errOut.String())
	}
}

func TestEvalRecordsEachScenario(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "eval.db")
	dir := filepath.Join("..", "..", "..", "testdata", "scenarios", "oom-order-service-leak")
	code, _, stderr := runEvalCmd(t, nil, "eval", "--scenarios", dir, "--store", dsn, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := historyIDs(t, dsn)
	if len(got) != 1 || got[0]["category"] != "OOMKilled" {
		t.Fatalf("recorded %v", got)
	}
}

// TestHistoryShowsAndFiltersAlertGroups: explanations of an alert group
// carry its id, its size and how many of its alerts they explain, in both
// forms; --group lists that group only, as the API's ?group= does.
func TestHistoryShowsAndFiltersAlertGroups(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "history.db")
	recordHistory(t, dsn)
	st, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const grp = "grp_0123456789abcdef"
	at := time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	members := []incident.GroupMember{
		{Fingerprint: "a", Name: "Storefront5xx", SharesCause: true, ExplanationID: "ex_g1"},
		{Fingerprint: "b", Name: "InventoryDown", SharesCause: true, ExplanationID: "ex_g1"},
		{Fingerprint: "c", Name: "CartLatency", ExplanationID: "ex_g2"},
	}
	for i, id := range []string{"ex_g1", "ex_g2"} {
		g := &incident.AlertGroup{ID: grp, Alerts: members}
		if i == 1 {
			// The explanation of the alert apart sees itself as the one sharing.
			g = &incident.AlertGroup{ID: grp, Alerts: []incident.GroupMember{members[0], members[1], {Fingerprint: "c", SharesCause: true}}}
			g.Alerts[0].SharesCause, g.Alerts[1].SharesCause = false, false
		}
		ex := incident.Explanation{ID: id, Fingerprint: "fp-" + id, CreatedAt: at.Add(time.Duration(i) * time.Minute),
			RootCause: incident.RootCause{Category: incident.CategoryDependencyFailure}, Provider: incident.ProviderInfo{Name: "offline"},
			Alert: incident.Alert{Labels: map[string]string{"alertname": "Storefront5xx"}}, Group: g}
		if err := st.Save(context.Background(), store.Record{Explanation: ex}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	all := historyIDs(t, dsn)
	if len(all) != 5 {
		t.Fatalf("want 5 explanations, got %v", all)
	}
	want := map[string]map[string]any{
		"ex_g1": {"id": grp, "alerts": 3.0, "sharesCause": 2.0},
		"ex_g2": {"id": grp, "alerts": 3.0, "sharesCause": 1.0},
	}
	for _, it := range all {
		g, _ := it["group"].(map[string]any)
		w, grouped := want[it["id"].(string)]
		if !grouped {
			if _, ok := it["group"]; ok {
				t.Errorf("%v: an explanation outside any group lists a group", it["id"])
			}
			continue
		}
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("%v: group %v, want %v", it["id"], g, w)
		}
	}

	out, errOut, code := runHistoryCmd(t, nil, "--store", dsn, "--group", grp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "GROUP") ||
		!strings.Contains(lines[1], "ex_g2") || !strings.HasSuffix(lines[1], grp+" (1 of 3 alerts)") ||
		!strings.Contains(lines[2], "ex_g1") || !strings.HasSuffix(lines[2], grp+" (2 of 3 alerts)") {
		t.Fatalf("--group %s:\n%s", grp, out)
	}
	out, _, code = runHistoryCmd(t, nil, "--store", dsn)
	if code != 0 || !strings.HasSuffix(strings.Split(strings.TrimSpace(out), "\n")[5], " -") {
		t.Fatalf("an explanation outside any group shows no dash:\n%s", out)
	}
	for _, bad := range []string{"grp_XYZ", "0123456789abcdef", "grp_0123456789abcdef0"} {
		if _, errOut, code := runHistoryCmd(t, nil, "--store", dsn, "--group", bad); code != 2 || !strings.Contains(errOut, "alert group id") {
			t.Errorf("--group %q: exit %d: %s", bad, code, errOut)
		}
	}
}
