package scenario

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestScoreEntityRules(t *testing.T) {
	owners := map[string][]incident.Entity{
		"shop/order-service-7d9c5-x2x1q": {
			{Namespace: "shop", Kind: "ReplicaSet", Name: "order-service-7d9c5"},
			{Namespace: "shop", Kind: "Deployment", Name: "order-service"},
		},
		"shop/cart-5b4d8-abcde": {
			{Namespace: "shop", Kind: "ReplicaSet", Name: "cart-5b4d8"},
			{Namespace: "shop", Kind: "Deployment", Name: "cart"},
		},
		"batch/nightly-29398620-k2x9p": {
			{Namespace: "batch", Kind: "Job", Name: "nightly-29398620"},
			{Namespace: "batch", Kind: "CronJob", Name: "nightly"},
		},
	}
	deploy := incident.Entity{Namespace: "shop", Kind: "Deployment", Name: "order-service"}
	pod := incident.Entity{Namespace: "shop", Kind: "Pod", Name: "order-service-7d9c5-x2x1q"}
	tests := []struct {
		name string
		want incident.Entity
		got  incident.Entity
		ok   bool
	}{
		{"same workload", deploy, deploy, true},
		{"name equal, kind differs (Service named like its Deployment)", deploy,
			incident.Entity{Namespace: "shop", Kind: "Service", Name: "order-service"}, true},
		{"workload expected, its pod answered", deploy, pod, true},
		{"pod expected, its workload answered", pod, deploy, true},
		{"pod expected, its ReplicaSet answered", pod, incident.Entity{Namespace: "shop", Kind: "ReplicaSet", Name: "order-service-7d9c5"}, true},
		{"workload expected, another workload's pod", deploy, incident.Entity{Namespace: "shop", Kind: "Pod", Name: "cart-5b4d8-abcde"}, false},
		{"workload expected, unknown pod with a matching prefix", deploy,
			incident.Entity{Namespace: "shop", Kind: "Pod", Name: "order-service-zzzz-zzzzz"}, false},
		{"pod expected, another workload", pod, incident.Entity{Namespace: "shop", Kind: "Deployment", Name: "cart"}, false},
		{"namespace differs", deploy, incident.Entity{Namespace: "shop-staging", Kind: "Deployment", Name: "order-service"}, false},
		{"CronJob expected, its job's pod", incident.Entity{Namespace: "batch", Kind: "CronJob", Name: "nightly"},
			incident.Entity{Namespace: "batch", Kind: "Pod", Name: "nightly-29398620-k2x9p"}, true},
		{"node with empty namespace", incident.Entity{Kind: "Node", Name: "ip-10-0-1-2.ec2.internal"},
			incident.Entity{Kind: "Node", Name: "ip-10-0-1-2.ec2.internal"}, true},
		{"node answered with a namespace", incident.Entity{Kind: "Node", Name: "ip-10-0-1-2.ec2.internal"},
			incident.Entity{Namespace: "shop", Kind: "Node", Name: "ip-10-0-1-2.ec2.internal"}, false},
		{"external host", incident.Entity{Kind: "External", Name: "db.example.com"},
			incident.Entity{Kind: "External", Name: "db.example.com"}, true},
		{"external host differs", incident.Entity{Kind: "External", Name: "db.example.com"},
			incident.Entity{Kind: "External", Name: "api.example.com"}, false},
		{"nothing answered", deploy, incident.Entity{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Scenario{Name: "s", PodOwners: owners, Expect: Expectation{Category: incident.CategoryOOMKilled, Entity: tc.want}}
			r := Score(s, incident.Explanation{RootCause: incident.RootCause{Category: incident.CategoryOOMKilled, Entity: tc.got}})
			if r.Entity.OK != tc.ok {
				t.Errorf("entity ok = %v, want %v (want %v, got %v)", r.Entity.OK, tc.ok, tc.want, tc.got)
			}
			if !r.Category.OK {
				t.Errorf("category should match")
			}
		})
	}
}

func TestScoreCategory(t *testing.T) {
	s := &Scenario{Name: "s", Expect: Expectation{Category: incident.CategoryOOMKilled,
		Entity: incident.Entity{Namespace: "a", Kind: "Deployment", Name: "x"}}}
	for _, tc := range []struct {
		got incident.Category
		ok  bool
	}{
		{incident.CategoryOOMKilled, true},
		{incident.CategoryCrashLoop, false},
		{"oomkilled", false},
		{"", false},
	} {
		r := Score(s, incident.Explanation{RootCause: incident.RootCause{Category: tc.got}})
		if r.Category.OK != tc.ok || r.Category.Got != tc.got || r.Category.Expected != incident.CategoryOOMKilled {
			t.Errorf("category %q: got %+v, want ok=%v", tc.got, r.Category, tc.ok)
		}
	}
}

func TestScoreMentions(t *testing.T) {
	e := incident.Explanation{
		Summary:   "order-service pods are OOMKilled",
		RootCause: incident.RootCause{Description: "memory reaches the 128MI limit"},
		Findings: []incident.Finding{
			{Title: "Container exits with Exit Code 137", Detail: "restarted 12 times"},
			{Title: "other", Detail: "Connection refused by payment-db:5432"},
		},
		NextSteps: []incident.NextStep{{Text: "look at the heap profile", Command: "kubectl top pod"}},
		Evidence:  []incident.Evidence{{ID: "e1", Text: "a fact only in evidence"}},
	}
	tests := []struct {
		mentions []string
		found    int
		missing  []string
	}{
		{[]string{"128Mi", "exit code 137", "ORDER-SERVICE"}, 3, nil},
		{[]string{"payment-db:5432", "restarted 12 times"}, 2, nil},
		{[]string{"heap profile", "kubectl top", "only in evidence"}, 0, []string{"heap profile", "kubectl top", "only in evidence"}},
		{nil, 0, nil},
	}
	for _, tc := range tests {
		s := &Scenario{Name: "s", Expect: Expectation{Category: incident.CategoryOOMKilled, Mentions: tc.mentions}}
		r := Score(s, e)
		if r.Mentions.Found != tc.found || r.Mentions.Total != len(tc.mentions) {
			t.Errorf("mentions %v: found %d/%d, want %d/%d", tc.mentions, r.Mentions.Found, r.Mentions.Total, tc.found, len(tc.mentions))
		}
		if len(r.Mentions.Missing) != len(tc.missing) {
			t.Errorf("mentions %v: missing %v, want %v", tc.mentions, r.Mentions.Missing, tc.missing)
		}
	}
}

func TestSummarize(t *testing.T) {
	rep := Summarize([]Result{
		{Name: "a", Category: CategoryScore{OK: true}, Entity: EntityScore{OK: true}, Mentions: MentionScore{Found: 2, Total: 3}},
		{Name: "b", Category: CategoryScore{OK: true}, Entity: EntityScore{OK: false}, Mentions: MentionScore{Found: 0, Total: 2}},
		{Name: "c", Error: "replay failed", Mentions: MentionScore{Total: 1}},
	})
	want := Summary{Total: 3, CategoryCorrect: 2, EntityCorrect: 1, MentionsFound: 2, MentionsTotal: 6}
	if rep.Summary != want {
		t.Fatalf("summary %+v, want %+v", rep.Summary, want)
	}
	if got := rep.Summary.CategoryAccuracy(); got < 0.66 || got > 0.67 {
		t.Errorf("category accuracy %v", got)
	}
	if empty := Summarize(nil); empty.Scenarios == nil || empty.Summary.CategoryAccuracy() != 0 {
		t.Errorf("empty report: %+v", empty)
	}
}
