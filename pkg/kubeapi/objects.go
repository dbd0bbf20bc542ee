// Package kubeapi is a small read-only Kubernetes API server over a fixed set
// of objects and container logs. It answers the REST paths client-go's typed
// clients use (discovery, list and get with label and field selectors, and
// pods/log with the kubelet's options), so the real collector code runs
// unchanged against recorded incidents: in tests, in benchmarks and when
// `aiops eval` replays a scenario. It never serves Secrets.
package kubeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

// Bounds on outside input: fixture files are written by people and may be
// wrong or hostile; none of them may exhaust memory.
const (
	maxObjectFileBytes = 16 << 20
	maxObjects         = 20000
	maxNameLen         = 253
)

// Object is one Kubernetes object as it comes from the API, kept as
// unstructured JSON so the server returns exactly what the fixture holds.
type Object struct {
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	Labels     map[string]string
	content    map[string]any
}

// Content returns a copy of the object's JSON form.
func (o Object) Content() map[string]any {
	raw, err := json.Marshal(o.content)
	if err != nil {
		return nil
	}
	var out map[string]any
	if err := decodeJSON(raw, &out); err != nil {
		return nil
	}
	return out
}

// LoadObjects reads every .yaml, .yml and .json file of dir (not recursing):
// multi-document YAML, JSON, or v1 Lists, as in the kube/ directory of a
// scenario fixture. Files are read in name order so errors are reproducible.
func LoadObjects(dir string) ([]Object, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read objects directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.Type().IsRegular() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var all []Object
	for _, name := range names {
		data, err := readBounded(filepath.Join(dir, name), maxObjectFileBytes)
		if err != nil {
			return nil, err
		}
		objs, err := ParseObjects(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, objs...)
		if len(all) > maxObjects {
			return nil, fmt.Errorf("%s: more than %d objects", dir, maxObjects)
		}
	}
	return all, nil
}

// ParseObjects reads Kubernetes objects from YAML (one or more documents
// separated by "---") or JSON; a List's items are expanded. Secrets are
// refused: fixtures must never carry them.
func ParseObjects(data []byte) ([]Object, error) {
	if len(data) > maxObjectFileBytes {
		return nil, fmt.Errorf("objects: %d bytes exceeds the %d limit", len(data), maxObjectFileBytes)
	}
	var out []Object
	for i, doc := range splitDocuments(data) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		raw, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		var m map[string]any
		if err := decodeJSON(raw, &m); err != nil {
			return nil, fmt.Errorf("document %d: not an object: %w", i+1, err)
		}
		objs, err := expand(m)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		out = append(out, objs...)
		if len(out) > maxObjects {
			return nil, fmt.Errorf("more than %d objects", maxObjects)
		}
	}
	return out, nil
}

// expand turns one decoded document into objects, unpacking Lists.
func expand(m map[string]any) ([]Object, error) {
	kind, _ := m["kind"].(string)
	if strings.HasSuffix(kind, "List") {
		items, ok := m["items"].([]any)
		if !ok && m["items"] != nil {
			return nil, fmt.Errorf("%s: items is not a list", kind)
		}
		out := make([]Object, 0, len(items))
		for j, it := range items {
			im, ok := it.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s item %d: not an object", kind, j)
			}
			o, err := newObject(im)
			if err != nil {
				return nil, fmt.Errorf("%s item %d: %w", kind, j, err)
			}
			out = append(out, o)
		}
		return out, nil
	}
	o, err := newObject(m)
	if err != nil {
		return nil, err
	}
	return []Object{o}, nil
}

// newObject validates an unstructured object: apiVersion, kind and
// metadata.name are required and the kind must be one this server knows.
func newObject(m map[string]any) (Object, error) {
	apiVersion, _ := m["apiVersion"].(string)
	kind, _ := m["kind"].(string)
	if apiVersion == "" || kind == "" {
		return Object{}, errors.New("apiVersion and kind are required")
	}
	if kind == "Secret" {
		return Object{}, errors.New("Secrets are refused: fixtures and replays never carry them")
	}
	res, ok := resourceForKind(apiVersion, kind)
	if !ok {
		return Object{}, fmt.Errorf("unsupported kind %s %s", apiVersion, kind)
	}
	meta, _ := m["metadata"].(map[string]any)
	name, _ := meta["name"].(string)
	if name == "" || len(name) > maxNameLen || strings.ContainsAny(name, "/\x00") {
		return Object{}, fmt.Errorf("%s: metadata.name is missing or invalid", kind)
	}
	ns, _ := meta["namespace"].(string)
	if res.namespaced {
		if ns == "" {
			ns = "default"
			meta["namespace"] = ns
		}
		if len(ns) > maxNameLen || strings.ContainsAny(ns, "/\x00") {
			return Object{}, fmt.Errorf("%s %s: metadata.namespace is invalid", kind, name)
		}
	} else {
		ns = ""
	}
	labels := map[string]string{}
	if lm, ok := meta["labels"].(map[string]any); ok {
		for k, v := range lm {
			s, ok := v.(string)
			if !ok {
				return Object{}, fmt.Errorf("%s %s: label %q is not a string", kind, name, k)
			}
			labels[k] = s
		}
	}
	if kind == "Event" && apiVersion == "events.k8s.io/v1" {
		m = eventToCore(m)
		apiVersion = "v1"
	}
	return Object{APIVersion: apiVersion, Kind: kind, Namespace: ns, Name: name, Labels: labels, content: m}, nil
}

// splitDocuments splits YAML on document separator lines.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		trimmed := bytes.TrimRight(line, " \t\r\n")
		if bytes.Equal(trimmed, []byte("---")) || bytes.HasPrefix(trimmed, []byte("--- ")) {
			docs = append(docs, bytes.Clone(cur.Bytes()))
			cur.Reset()
			continue
		}
		cur.Write(line)
	}
	return append(docs, cur.Bytes())
}

// decodeJSON keeps numbers exact (resource versions, counts, quantities).
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the object")
	}
	return nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

// field walks a dotted path through nested maps and returns its string form.
func field(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[p]
	}
	switch v := cur.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return ""
}

// FromTyped converts client-go typed objects (corev1.Pod, appsv1.Deployment,
// ...) to Objects, filling apiVersion and kind from client-go's scheme, so
// tests and benchmarks can build clusters in Go.
func FromTyped(objs ...runtime.Object) ([]Object, error) {
	out := make([]Object, 0, len(objs))
	for _, obj := range objs {
		gvks, _, err := scheme.Scheme.ObjectKinds(obj)
		if err != nil || len(gvks) == 0 {
			return nil, fmt.Errorf("object of type %T: kind unknown to client-go: %w", obj, err)
		}
		cp := obj.DeepCopyObject()
		cp.GetObjectKind().SetGroupVersionKind(gvks[0])
		raw, err := json.Marshal(cp)
		if err != nil {
			return nil, fmt.Errorf("encode %T: %w", obj, err)
		}
		var m map[string]any
		if err := decodeJSON(raw, &m); err != nil {
			return nil, fmt.Errorf("decode %T: %w", obj, err)
		}
		o, err := newObject(m)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}
