package main

import "fmt"

// fleet is a Deployment with one revision and n pods on one node, all alike
// unless tweak changes a pod's container; it returns the pod names.
type fleet struct {
	ns, name, hash, image, node, net string
	n, ready                         int
	labels                           map[string]string
	res                              m
	probes                           m
	created                          string
	tweak                            func(i int, b *box)
}

func (f *fixture) fleet(d fleet) []string {
	if d.created == "" {
		d.created = "300h"
	}
	if d.labels == nil {
		d.labels = map[string]string{"app": d.name}
	}
	owner := f.workload(app{kind: "Deployment", ns: d.ns, name: d.name, replicas: d.n, ready: d.ready, labels: d.labels,
		container: m{"name": d.name, "image": d.image},
		revisions: []revision{{hash: d.hash, image: d.image, replicas: d.n, ready: d.ready, created: d.created}}})
	var names []string
	for i := 0; i < d.n; i++ {
		p := fmt.Sprintf("%s-%s-%s", d.name, d.hash, suffix(d.name, i))
		labels := map[string]string{"pod-template-hash": d.hash}
		for k, v := range d.labels {
			labels[k] = v
		}
		b := box{name: d.name, image: d.image, resources: d.res, probes: d.probes, ready: true, state: running(f, d.created)}
		if d.tweak != nil {
			d.tweak(i, &b)
		}
		f.pod(podDef{ns: d.ns, name: p, node: d.node, ip: fmt.Sprintf("%s.%d", d.net, 20+i), owner: owner, labels: labels,
			boxes: []box{b}, created: d.created})
		names = append(names, p)
	}
	return names
}

// suffix is a pod-name suffix derived from the workload name, stable per index.
func suffix(name string, i int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	h := 7
	for _, c := range name {
		h = h*31 + int(c)
	}
	out := make([]byte, 5)
	for k := range out {
		h = h*1103515245 + 12345 + i*7919
		if h < 0 {
			h = -h
		}
		out[k] = alphabet[h%len(alphabet)]
	}
	return string(out)
}
