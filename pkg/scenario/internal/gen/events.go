package main

import (
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// eventTTL is how long the API server keeps events (kube-apiserver's
// --event-ttl default): older ones are gone when the incident is looked at.
const eventTTL = time.Hour

// event adds or aggregates a core/v1 Event (the kubelet and controller
// shape with count, firstTimestamp and lastTimestamp). The same object,
// reason and message aggregate into one Event, as the recorder does.
func (b *builder) event(obj corev1.ObjectReference, typ, reason, message, component, host string, at time.Time) {
	if at.After(b.now) {
		return
	}
	key := string(obj.UID) + "\x00" + reason + "\x00" + message
	if e, ok := b.eventIndex[key]; ok {
		e.Count++
		if at.Before(e.FirstTimestamp.Time) {
			e.FirstTimestamp = metav1.NewTime(at)
		}
		if at.After(e.LastTimestamp.Time) {
			e.LastTimestamp = metav1.NewTime(at)
		}
		return
	}
	e := &corev1.Event{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta: metav1.ObjectMeta{
			Name: b.eventName(obj.Name, at), Namespace: obj.Namespace,
			CreationTimestamp: metav1.NewTime(at), ResourceVersion: fmt.Sprint(60000000 + b.rng.IntN(9000000)),
		},
		InvolvedObject: obj, Type: typ, Reason: reason, Message: message, Count: 1,
		FirstTimestamp: metav1.NewTime(at), LastTimestamp: metav1.NewTime(at),
		Source:              corev1.EventSource{Component: component, Host: host},
		ReportingController: reportingController(component), ReportingInstance: host,
	}
	if e.Namespace == "" {
		e.Namespace = "default"
	}
	if b.eventIndex == nil {
		b.eventIndex = map[string]*corev1.Event{}
	}
	b.eventIndex[key] = e
	b.coreEvents = append(b.coreEvents, e)
}

// eventName is "<object>.<hex nanoseconds>" as the recorder names events,
// unique within the scenario.
func (b *builder) eventName(object string, at time.Time) string {
	if b.eventNames == nil {
		b.eventNames = map[string]bool{}
	}
	for n := at.UnixNano(); ; n++ {
		name := fmt.Sprintf("%s.%x", object, n)
		if !b.eventNames[name] {
			b.eventNames[name] = true
			return name
		}
	}
}

func reportingController(component string) string {
	switch component {
	case "kubelet":
		return "kubelet"
	case "":
		return ""
	}
	return component
}

// repeat records an event every interval from first to last (inclusive).
func (b *builder) repeat(obj corev1.ObjectReference, typ, reason, message, component, host string, first, last time.Time, every time.Duration) {
	for t := first; !t.After(last); t = t.Add(every + b.jitter(every/4)) {
		b.event(obj, typ, reason, message, component, host, t)
	}
}

// kubeletEvent is an event of the kubelet on the pod's node.
func (p *podPlan) kubeletEvent(typ, reason, message, fieldPath string, at time.Time) {
	ref := p.entityRef()
	ref.FieldPath = fieldPath
	ref.ResourceVersion = fmt.Sprint(50000000 + p.b.rng.IntN(9000000))
	host := ""
	if p.node != nil {
		host = p.node.name
	}
	p.b.event(ref, typ, reason, message, "kubelet", host, at)
}

// schedulerEvent records an events.k8s.io/v1 Event as kube-scheduler emits
// it: eventTime, action, reportingController and a series for repeats.
func (b *builder) schedulerEvent(p *podPlan, typ, reason, action, note string, first, last time.Time, count int32) {
	e := &eventsv1.Event{
		TypeMeta: metav1.TypeMeta{APIVersion: "events.k8s.io/v1", Kind: "Event"},
		ObjectMeta: metav1.ObjectMeta{
			Name: b.eventName(p.name, first), Namespace: p.ns,
			CreationTimestamp: metav1.NewTime(first), ResourceVersion: fmt.Sprint(60000000 + b.rng.IntN(9000000)),
		},
		EventTime:           metav1.NewMicroTime(first),
		ReportingController: "default-scheduler",
		ReportingInstance:   "default-scheduler-" + b.schedulerHost(),
		Action:              action,
		Reason:              reason,
		Regarding:           corev1.ObjectReference{Kind: "Pod", Namespace: p.ns, Name: p.name, UID: k8sUID(p.uid), APIVersion: "v1", ResourceVersion: fmt.Sprint(50000000 + b.rng.IntN(9000000))},
		Note:                note,
		Type:                typ,
	}
	if count > 1 {
		e.Series = &eventsv1.EventSeries{Count: count, LastObservedTime: metav1.NewMicroTime(last)}
	}
	b.newEvents = append(b.newEvents, e)
}

func (b *builder) schedulerHost() string { return "ip-10-0-0-47.eu-west-1.compute.internal" }

// flushEvents writes the events still within the TTL, oldest first.
func (b *builder) flushEvents() {
	sort.SliceStable(b.coreEvents, func(i, j int) bool {
		return b.coreEvents[i].LastTimestamp.Before(&b.coreEvents[j].LastTimestamp)
	})
	for _, e := range b.coreEvents {
		if b.now.Sub(e.LastTimestamp.Time) > eventTTL {
			continue
		}
		b.add("events.yaml", e)
	}
	for _, e := range b.newEvents {
		last := e.EventTime.Time
		if e.Series != nil {
			last = e.Series.LastObservedTime.Time
		}
		if b.now.Sub(last) > eventTTL {
			continue
		}
		b.add("events-scheduler.yaml", e)
	}
}

// lifecycleEvents are the kubelet's and scheduler's events of the pod's
// runs: Scheduled, Pulling/Pulled, Created, Started and BackOff.
func (p *podPlan) lifecycleEvents() {
	b := p.b
	if p.node == nil {
		return
	}
	b.schedulerEvent(p, "Normal", "Scheduled", "Binding",
		fmt.Sprintf("Successfully assigned %s/%s to %s", p.ns, p.name, p.node.name), p.scheduled, p.scheduled, 1)
	for _, c := range append(append([]*ctrPlan{}, p.inits...), p.ctrs...) {
		kind := "containers"
		if c.init {
			kind = "initContainers"
		}
		field := fmt.Sprintf("spec.%s{%s}", kind, c.spec.Name)
		for i, r := range c.runs {
			if i == 0 && c.before == 0 {
				pull := r.start.Add(-time.Duration(900+b.rng.IntN(2500)) * time.Millisecond)
				p.kubeletEvent("Normal", "Pulling", fmt.Sprintf("Pulling image %q", c.spec.Image), field, pull)
				took := r.start.Sub(pull) - 150*time.Millisecond
				p.kubeletEvent("Normal", "Pulled", fmt.Sprintf("Successfully pulled image %q in %s (%s including waiting). Image size: %d bytes.",
					c.spec.Image, took.Round(time.Millisecond), took.Round(time.Millisecond), 20000000+b.rng.IntN(180000000)), field, r.start.Add(-140*time.Millisecond))
			} else {
				p.kubeletEvent("Normal", "Pulled", fmt.Sprintf("Container image %q already present on machine", c.spec.Image), field, r.start.Add(-120*time.Millisecond))
			}
			p.kubeletEvent("Normal", "Created", "Created container: "+c.spec.Name, field, r.start.Add(-60*time.Millisecond))
			p.kubeletEvent("Normal", "Started", "Started container "+c.spec.Name, field, r.start)
			if !r.end.IsZero() && c.waiting == "CrashLoopBackOff" || (!r.end.IsZero() && i+1 < len(c.runs)) {
				next := b.now
				if i+1 < len(c.runs) {
					next = c.runs[i+1].start
				}
				msg := fmt.Sprintf("Back-off restarting failed container %s in pod %s_%s(%s)", c.spec.Name, p.name, p.ns, p.uid)
				for t := r.end.Add(time.Second); t.Before(next.Add(-2 * time.Second)); t = t.Add(12*time.Second + b.jitter(6*time.Second)) {
					p.kubeletEvent("Warning", "BackOff", msg, field, t)
				}
			}
		}
	}
}
