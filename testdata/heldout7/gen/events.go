package main

import (
	"fmt"
	"time"
)

// event adds a core/v1 Event in the classic count/firstTimestamp/lastTimestamp shape (kubelet, controllers).
func (s *scene) event(ns, kind, name, typ, reason, msg string, count int, first, last time.Duration, component, host string) obj {
	involved := s.find(kind, ns, name)
	ref := obj{"kind": kind, "name": name, "apiVersion": apiVersionOf(kind)}
	if ns != "" {
		ref["namespace"] = ns
	}
	if involved != nil {
		ref["uid"] = uidOf(involved)
	}
	s.seq++
	evName := fmt.Sprintf("%s.%x", name, 0x180f3a9b2c000000+int64(s.seq)*0x1d3f7)
	evNS := ns
	if evNS == "" {
		evNS = "default"
	}
	src := obj{"component": component}
	if host != "" {
		src["host"] = host
	}
	return s.add(obj{"apiVersion": "v1", "kind": "Event",
		"metadata":       obj{"name": evName, "namespace": evNS, "uid": uid(s.name, "ev", evName), "creationTimestamp": s.at(first), "resourceVersion": fmt.Sprint(48300000 + s.seq)},
		"involvedObject": ref, "reason": reason, "message": msg, "type": typ, "count": count,
		"firstTimestamp": s.at(first), "lastTimestamp": s.at(last), "source": src,
		"reportingComponent": component, "reportingInstance": host, "eventTime": nil})
}

// schedEvent adds an Event in the eventTime/series shape the scheduler and newer controllers emit.
func (s *scene) schedEvent(ns, kind, name, reason, msg string, count int, first, last time.Duration, controller string) obj {
	involved := s.find(kind, ns, name)
	ref := obj{"kind": kind, "namespace": ns, "name": name, "apiVersion": apiVersionOf(kind)}
	if involved != nil {
		ref["uid"] = uidOf(involved)
		ref["resourceVersion"] = metaOf(involved)["resourceVersion"]
	}
	s.seq++
	evName := fmt.Sprintf("%s.%x", name, 0x180f3c11d0000000+int64(s.seq)*0x2b9d1)
	o := obj{"apiVersion": "v1", "kind": "Event",
		"metadata":       obj{"name": evName, "namespace": ns, "uid": uid(s.name, "ev", evName), "creationTimestamp": s.at(first), "resourceVersion": fmt.Sprint(48300000 + s.seq)},
		"involvedObject": ref, "reason": reason, "message": msg, "type": "Warning",
		"eventTime": s.now.Add(-first).UTC().Format("2006-01-02T15:04:05.000000Z"), "firstTimestamp": nil, "lastTimestamp": nil,
		"reportingComponent": controller, "reportingInstance": controller + "-cp-r1-01.dc1.internal", "action": actionOf(reason),
		"source": obj{}}
	if count > 1 {
		o["series"] = obj{"count": count, "lastObservedTime": s.now.Add(-last).UTC().Format("2006-01-02T15:04:05.000000Z")}
	}
	return s.add(o)
}

func actionOf(reason string) string {
	switch reason {
	case "FailedScheduling", "Scheduled":
		return "Scheduling"
	case "AllocationFailed":
		return "IPAllocation"
	}
	return "Binding"
}

func apiVersionOf(kind string) string {
	switch kind {
	case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet":
		return "apps/v1"
	case "Job", "CronJob":
		return "batch/v1"
	case "HorizontalPodAutoscaler":
		return "autoscaling/v2"
	}
	return "v1"
}

func (s *scene) find(kind, ns, name string) obj {
	for _, o := range s.objects {
		m := metaOf(o)
		if o["kind"] == kind && m["name"] == name && (m["namespace"] == nil && ns == "" || m["namespace"] == ns) {
			return o
		}
	}
	return nil
}

// kubelet events for a pod on its node.
func (s *scene) podEvent(ns, pod, typ, reason, msg string, count int, first, last time.Duration) obj {
	host := ""
	if p := s.find("Pod", ns, pod); p != nil {
		host, _ = p["spec"].(obj)["nodeName"].(string)
	}
	return s.event(ns, "Pod", pod, typ, reason, msg, count, first, last, "kubelet", host)
}
