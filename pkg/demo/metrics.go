package demo

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// terminationReasons are the values kube-state-metrics exports for
// kube_pod_container_status_last_terminated_reason.
var terminationReasons = []string{"OOMKilled", "Error", "Completed", "ContainerCannotRun", "DeadlineExceeded", "Evicted", "StartError"}

var (
	restartsDesc = prometheus.NewDesc("kube_pod_container_status_restarts_total",
		"The number of container restarts per container.", []string{"namespace", "pod", "container"}, nil)
	lastTerminatedDesc = prometheus.NewDesc("kube_pod_container_status_last_terminated_reason",
		"Describes the last reason the container was in terminated state.", []string{"namespace", "pod", "container", "reason"}, nil)
	waitingDesc = prometheus.NewDesc("kube_pod_container_status_waiting_reason",
		"Describes the reason the container is currently in waiting state.", []string{"namespace", "pod", "container", "reason"}, nil)
	runningDesc = prometheus.NewDesc("kube_pod_container_status_running",
		"Describes whether the container is currently in running state.", []string{"namespace", "pod", "container"}, nil)
	limitsDesc = prometheus.NewDesc("kube_pod_container_resource_limits",
		"The number of requested limit resource by a container.", []string{"namespace", "pod", "container", "resource", "unit"}, nil)
	workingSetDesc = prometheus.NewDesc("container_memory_working_set_bytes",
		"Current working set of the container in bytes.", []string{"namespace", "pod", "container"}, nil)
)

// stateCollector exports the kubelet's containers in kube-state-metrics and
// cAdvisor names, so the repository's Kubernetes alert rules work unchanged.
type stateCollector struct{ k *Kubelet }

func (c stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{restartsDesc, lastTerminatedDesc, waitingDesc, runningDesc, limitsDesc, workingSetDesc} {
		ch <- d
	}
}

func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	pods, _ := c.k.Snapshot()
	for _, p := range pods {
		s := p.Spec
		ch <- prometheus.MustNewConstMetric(restartsDesc, prometheus.CounterValue, float64(p.Restarts), s.Namespace, s.Pod, s.Container)
		ch <- prometheus.MustNewConstMetric(runningDesc, prometheus.GaugeValue, boolValue(p.Running), s.Namespace, s.Pod, s.Container)
		if p.Last != nil {
			for _, r := range terminationReasons {
				ch <- prometheus.MustNewConstMetric(lastTerminatedDesc, prometheus.GaugeValue, boolValue(p.Last.Reason == r), s.Namespace, s.Pod, s.Container, r)
			}
		}
		if p.Waiting != "" {
			ch <- prometheus.MustNewConstMetric(waitingDesc, prometheus.GaugeValue, 1, s.Namespace, s.Pod, s.Container, p.Waiting)
		}
		if s.MemoryLimit > 0 {
			ch <- prometheus.MustNewConstMetric(limitsDesc, prometheus.GaugeValue, float64(s.MemoryLimit), s.Namespace, s.Pod, s.Container, "memory", "byte")
		}
		if p.Running {
			ch <- prometheus.MustNewConstMetric(workingSetDesc, prometheus.GaugeValue, float64(p.WorkingSet), s.Namespace, s.Pod, s.Container)
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// MetricsHandler serves the kubelet's state in the Prometheus text format.
func MetricsHandler(k *Kubelet) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(stateCollector{k: k})
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
