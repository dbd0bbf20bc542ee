package redact

import "github.com/cloudobs/aiops-app/pkg/incident"

// Bundle redacts, in place, every free text of the bundle that could carry a
// secret: log lines, template patterns and examples, event and status
// messages, conditions, alert annotations and label values, queries, notes.
// Names of Kubernetes objects are kept: they are what the explanation is about.
func (r *Redactor) Bundle(b *incident.Bundle) {
	if b == nil {
		return
	}
	r.alert(&b.Alert)
	for i := range b.Pods {
		p := &b.Pods[i]
		p.Message = r.String(p.Message)
		r.labels(p.Labels)
		r.conditions(p.Conditions)
		for j := range p.Containers {
			c := &p.Containers[j]
			c.Image = r.String(c.Image)
			c.Message = r.String(c.Message)
			r.termination(c.Terminated)
			r.termination(c.LastTermination)
			for k := range c.Probes {
				c.Probes[k].Command = r.String(c.Probes[k].Command)
				c.Probes[k].Path = r.String(c.Probes[k].Path)
			}
		}
	}
	for i := range b.Workloads {
		w := &b.Workloads[i]
		r.conditions(w.Conditions)
		r.strings(w.Images)
	}
	for i := range b.Rollouts {
		b.Rollouts[i].ChangeCause = r.String(b.Rollouts[i].ChangeCause)
		r.strings(b.Rollouts[i].Images)
	}
	for i := range b.Events {
		b.Events[i].Message = r.String(b.Events[i].Message)
	}
	for i := range b.Nodes {
		r.conditions(b.Nodes[i].Conditions)
	}
	for i := range b.Logs {
		lines := b.Logs[i].Lines
		inKey := false
		for j := range lines {
			var emit bool
			lines[j].Text, emit, inKey = r.line(lines[j].Text, inKey)
			if !emit {
				lines[j].Text = ""
			}
		}
	}
	for i := range b.Templates {
		b.Templates[i].Pattern = r.String(b.Templates[i].Pattern)
		r.strings(b.Templates[i].Examples)
	}
	for i := range b.Metrics {
		b.Metrics[i].Query = r.String(b.Metrics[i].Query)
		r.labels(b.Metrics[i].Labels)
	}
	for i := range b.Degraded {
		b.Degraded[i].Error = r.String(b.Degraded[i].Error)
	}
	r.strings(b.Notes)
}

// Explanation redacts, in place, every free text field of an explanation.
func (r *Redactor) Explanation(e *incident.Explanation) {
	if e == nil {
		return
	}
	e.Summary = r.String(e.Summary)
	e.RootCause.Description = r.String(e.RootCause.Description)
	for i := range e.Findings {
		e.Findings[i].Title = r.String(e.Findings[i].Title)
		e.Findings[i].Detail = r.String(e.Findings[i].Detail)
	}
	for i := range e.Evidence {
		e.Evidence[i].Text = r.String(e.Evidence[i].Text)
		r.strings(e.Evidence[i].Examples)
	}
	for i := range e.NextSteps {
		e.NextSteps[i].Text = r.String(e.NextSteps[i].Text)
		e.NextSteps[i].Command = r.String(e.NextSteps[i].Command)
	}
	for i := range e.Degraded {
		e.Degraded[i].Error = r.String(e.Degraded[i].Error)
	}
	r.strings(e.Notes)
	e.ModelText = r.String(e.ModelText)
	r.alert(&e.Alert)
}

func (r *Redactor) alert(a *incident.Alert) {
	r.labels(a.Labels)
	r.labels(a.Annotations)
	a.GeneratorURL = r.String(a.GeneratorURL)
	a.Query = r.String(a.Query)
}

// labels redacts map values; a value is judged with its key, so that
// {"password": "hunter2"} is caught like password=hunter2.
func (r *Redactor) labels(m map[string]string) {
	for k, v := range m {
		if v == "" {
			continue
		}
		out := r.String(k + "=" + v)
		if len(out) > len(k)+1 && out[:len(k)+1] == k+"=" {
			m[k] = out[len(k)+1:]
		} else {
			m[k] = r.String(v)
		}
	}
}

func (r *Redactor) conditions(cs []incident.Condition) {
	for i := range cs {
		cs[i].Message = r.String(cs[i].Message)
	}
}

func (r *Redactor) termination(t *incident.Termination) {
	if t != nil {
		t.Message = r.String(t.Message)
	}
}

func (r *Redactor) strings(ss []string) {
	for i := range ss {
		ss[i] = r.String(ss[i])
	}
}
