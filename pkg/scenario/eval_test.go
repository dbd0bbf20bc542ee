package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func fakeScenarios() []*Scenario {
	mk := func(name string, cat incident.Category, e incident.Entity, mentions ...string) *Scenario {
		return &Scenario{Name: name, Expect: Expectation{Category: cat, Entity: e, Mentions: mentions}}
	}
	return []*Scenario{
		mk("right", incident.CategoryOOMKilled, incident.Entity{Namespace: "a", Kind: "Deployment", Name: "x"}, "128Mi", "x"),
		mk("wrong-category", incident.CategoryCrashLoop, incident.Entity{Namespace: "a", Kind: "Deployment", Name: "y"}, "exit code 1"),
		mk("broken", incident.CategoryUnknown, incident.Entity{Namespace: "a", Kind: "Deployment", Name: "z"}, "z"),
		mk("panics", incident.CategoryUnknown, incident.Entity{Namespace: "a", Kind: "Deployment", Name: "p"}),
	}
}

func fakeExplainer(inFlight, peak *atomic.Int32) Explainer {
	return ExplainerFunc(func(ctx context.Context, s *Scenario) (incident.Explanation, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		switch s.Name {
		case "right":
			return incident.Explanation{Summary: "x is OOMKilled at its 128Mi limit",
				RootCause: incident.RootCause{Category: incident.CategoryOOMKilled, Entity: s.Expect.Entity}}, nil
		case "wrong-category":
			return incident.Explanation{RootCause: incident.RootCause{Category: incident.CategoryOOMKilled, Entity: s.Expect.Entity}}, nil
		case "panics":
			panic("analyzer bug")
		}
		return incident.Explanation{}, errors.New("prometheus did not start\nsee logs")
	})
}

func TestEvaluate(t *testing.T) {
	var inFlight, peak atomic.Int32
	var done atomic.Int32
	rep := Evaluate(context.Background(), fakeScenarios(), fakeExplainer(&inFlight, &peak),
		EvalOptions{Parallel: 2, Done: func(Result) { done.Add(1) }})
	if peak.Load() > 2 {
		t.Errorf("%d scenarios ran at once, want at most 2", peak.Load())
	}
	if done.Load() != 4 {
		t.Errorf("progress called %d times, want 4", done.Load())
	}
	want := Summary{Total: 4, CategoryCorrect: 1, EntityCorrect: 2, MentionsFound: 2, MentionsTotal: 4}
	if rep.Summary != want {
		t.Errorf("summary %+v, want %+v", rep.Summary, want)
	}
	names := []string{}
	for _, r := range rep.Scenarios {
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "right,wrong-category,broken,panics" {
		t.Errorf("order %v", names)
	}
	if rep.Scenarios[2].Error == "" || !strings.Contains(rep.Scenarios[3].Error, "panic") {
		t.Errorf("errors not recorded: %+v", rep.Scenarios[2:])
	}
}

func TestEvaluateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var inFlight, peak atomic.Int32
	rep := Evaluate(ctx, fakeScenarios(), fakeExplainer(&inFlight, &peak), EvalOptions{})
	for _, r := range rep.Scenarios {
		if r.Error == "" {
			t.Errorf("%s ran after cancellation", r.Name)
		}
	}
}

func TestWriteTextLastLine(t *testing.T) {
	var inFlight, peak atomic.Int32
	rep := Evaluate(context.Background(), fakeScenarios(), fakeExplainer(&inFlight, &peak), EvalOptions{})
	var buf bytes.Buffer
	if err := WriteText(&buf, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("want 4 scenario lines and the accuracy line, got:\n%s", buf.String())
	}
	if last := lines[len(lines)-1]; last != "accuracy: category 1/4, entity 2/4, mentions 2/4" {
		t.Errorf("last line %q", last)
	}
	for _, want := range []string{"ok   right", "(want CrashLoop)", "ERR  broken", "prometheus did not start see logs", `(missing ["exit code 1"])`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestWriteJSONShape(t *testing.T) {
	var inFlight, peak atomic.Int32
	rep := Evaluate(context.Background(), fakeScenarios()[:1], fakeExplainer(&inFlight, &peak), EvalOptions{})
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Scenarios []struct {
			Name     string `json:"name"`
			Category struct {
				Expected string `json:"expected"`
				Got      string `json:"got"`
				OK       *bool  `json:"ok"`
			} `json:"category"`
			Entity struct {
				Expected incident.Entity `json:"expected"`
				Got      incident.Entity `json:"got"`
				OK       *bool           `json:"ok"`
			} `json:"entity"`
			Mentions struct {
				Found *int `json:"found"`
				Total *int `json:"total"`
			} `json:"mentions"`
		} `json:"scenarios"`
		Summary map[string]int `json:"summary"`
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("report does not have the contract's shape: %v", err)
	}
	s := got.Scenarios[0]
	if s.Name != "right" || s.Category.Got != "OOMKilled" || s.Category.OK == nil || !*s.Entity.OK || *s.Mentions.Found != 2 || *s.Mentions.Total != 2 {
		t.Errorf("scenario %+v", s)
	}
	for _, k := range []string{"total", "categoryCorrect", "entityCorrect", "mentionsFound", "mentionsTotal"} {
		if _, ok := got.Summary[k]; !ok {
			t.Errorf("summary lacks %s", k)
		}
	}
}
