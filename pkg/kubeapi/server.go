package kubeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/rest"
)

// Config is what an API serves.
type Config struct {
	Objects []Object
	// Logs may be nil: every container then has an empty log.
	Logs *Logs
	// Now is the kubelet's clock for sinceSeconds; replays pass the incident's
	// time. Nil means the wall clock.
	Now func() time.Time
}

// API is a read-only Kubernetes API over a fixed set of objects. It is safe
// for concurrent use: nothing changes after New.
type API struct {
	store map[string][]*stored // by storeKey, sorted by namespace and name
	pods  map[string]*corev1.Pod
	logs  *Logs
	now   func() time.Time
}

// stored is an object with its encodings and selectable fields precomputed.
type stored struct {
	obj      Object
	raw      []byte
	fields   fields.Set
	v1raw    []byte // events.k8s.io/v1 form of an Event
	v1fields fields.Set
}

// New indexes the objects. Two objects with the same kind, namespace and name
// are an error, as they cannot both exist in a cluster.
func New(cfg Config) (*API, error) {
	a := &API{store: map[string][]*stored{}, pods: map[string]*corev1.Pod{}, logs: cfg.Logs, now: cfg.Now}
	if a.logs == nil {
		a.logs = NewLogs()
	}
	if a.now == nil {
		a.now = time.Now
	}
	seen := map[string]bool{}
	for _, o := range cfg.Objects {
		res, ok := resourceForKind(o.APIVersion, o.Kind)
		if !ok {
			return nil, fmt.Errorf("unsupported kind %s %s", o.APIVersion, o.Kind)
		}
		key := storeKey(res)
		id := key + "/" + o.Namespace + "/" + o.Name
		if seen[id] {
			return nil, fmt.Errorf("duplicate %s %s/%s", o.Kind, o.Namespace, o.Name)
		}
		seen[id] = true
		s, err := newStored(o)
		if err != nil {
			return nil, err
		}
		if o.Kind == "Pod" && res.group == "" {
			var pod corev1.Pod
			if err := json.Unmarshal(s.raw, &pod); err != nil {
				return nil, fmt.Errorf("pod %s/%s: %w", o.Namespace, o.Name, err)
			}
			a.pods[o.Namespace+"/"+o.Name] = &pod
		}
		a.store[key] = append(a.store[key], s)
	}
	for _, list := range a.store {
		sort.Slice(list, func(i, j int) bool {
			if list[i].obj.Namespace != list[j].obj.Namespace {
				return list[i].obj.Namespace < list[j].obj.Namespace
			}
			return list[i].obj.Name < list[j].obj.Name
		})
	}
	return a, nil
}

func newStored(o Object) (*stored, error) {
	raw, err := json.Marshal(o.content)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", o.Kind, o.Name, err)
	}
	s := &stored{obj: o, raw: raw, fields: selectableFields(o.Kind, o.content, false)}
	if o.Kind == "Event" {
		v1 := eventToV1(o.content)
		if s.v1raw, err = json.Marshal(v1); err != nil {
			return nil, fmt.Errorf("event %s: %w", o.Name, err)
		}
		s.v1fields = selectableFields("Event", v1, true)
	}
	return s, nil
}

// selectableFields are the field selector keys the real API supports for the
// kind (a useful subset).
func selectableFields(kind string, m map[string]any, eventsV1 bool) fields.Set {
	set := fields.Set{
		"metadata.name":      field(m, "metadata", "name"),
		"metadata.namespace": field(m, "metadata", "namespace"),
	}
	add := func(key string, path ...string) { set[key] = field(m, path...) }
	switch kind {
	case "Pod":
		add("spec.nodeName", "spec", "nodeName")
		add("spec.restartPolicy", "spec", "restartPolicy")
		add("spec.schedulerName", "spec", "schedulerName")
		add("spec.serviceAccountName", "spec", "serviceAccountName")
		add("status.phase", "status", "phase")
		add("status.podIP", "status", "podIP")
		add("status.nominatedNodeName", "status", "nominatedNodeName")
	case "Event":
		obj, ctrl := "involvedObject", "reportingComponent"
		if eventsV1 {
			obj, ctrl = "regarding", "reportingController"
		} else {
			add("source", "source", "component")
		}
		for _, f := range []string{"kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"} {
			add(obj+"."+f, obj, f)
		}
		add(ctrl, ctrl)
		add("reason", "reason")
		add("type", "type")
	case "Node":
		add("spec.unschedulable", "spec", "unschedulable")
		if set["spec.unschedulable"] == "" {
			set["spec.unschedulable"] = "false"
		}
	case "Namespace":
		add("status.phase", "status", "phase")
	}
	return set
}

// ServeHTTP answers GET requests the way kube-apiserver does.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeStatus(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "this API is read-only", "", "")
		return
	}
	path := strings.Trim(r.URL.Path, "/")
	segs := strings.Split(path, "/")
	switch {
	case path == "version":
		writeJSON(w, map[string]string{"major": "1", "minor": "33", "gitVersion": "v1.33.0-kubeapi",
			"platform": "linux/amd64"})
	case path == "api":
		writeJSON(w, map[string]any{"kind": "APIVersions", "versions": []string{"v1"},
			"serverAddressByClientCIDRs": []map[string]string{{"clientCIDR": "0.0.0.0/0", "serverAddress": r.Host}}})
	case path == "apis":
		writeJSON(w, apiGroupList())
	case segs[0] == "api" && len(segs) >= 2:
		a.serveGroup(w, r, "", segs[1], segs[2:])
	case segs[0] == "apis" && len(segs) >= 3:
		a.serveGroup(w, r, segs[1], segs[2], segs[3:])
	default:
		writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource", "", "")
	}
}

func (a *API) serveGroup(w http.ResponseWriter, r *http.Request, group, version string, rest []string) {
	if len(rest) == 0 {
		list, ok := apiResourceList(group, version)
		if !ok {
			writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource", "", "")
			return
		}
		writeJSON(w, list)
		return
	}
	var ns, plural, name, sub string
	switch {
	case len(rest) >= 3 && rest[0] == "namespaces":
		ns, plural = rest[1], rest[2]
		if len(rest) >= 4 {
			name = rest[3]
		}
		if len(rest) == 5 {
			sub = rest[4]
		}
		if len(rest) > 5 {
			writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource", "", "")
			return
		}
	case len(rest) <= 2:
		plural = rest[0]
		if len(rest) == 2 {
			name = rest[1]
		}
	default:
		writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource", "", "")
		return
	}
	if plural == "secrets" {
		writeStatus(w, http.StatusForbidden, "Forbidden", "secrets are never served by this API", plural, name)
		return
	}
	res, ok := resourceForPath(group, version, plural)
	if !ok || (ns != "" && !res.namespaced) {
		writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource", plural, name)
		return
	}
	q := r.URL.Query()
	if q.Get("watch") == "true" || q.Get("watch") == "1" {
		writeStatus(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "watch is not supported by this read-only API", plural, "")
		return
	}
	switch {
	case sub == "log" && plural == "pods" && group == "":
		a.serveLog(w, ns, name, q)
	case sub != "":
		writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource", plural, name)
	case name != "":
		a.serveGet(w, res, ns, name)
	default:
		a.serveList(w, res, ns, q)
	}
}

func (a *API) serveGet(w http.ResponseWriter, res resource, ns, name string) {
	for _, s := range a.store[storeKey(res)] {
		if s.obj.Namespace == ns && s.obj.Name == name {
			w.Header().Set("Content-Type", "application/json")
			if res.group == "events.k8s.io" {
				_, _ = w.Write(s.v1raw)
			} else {
				_, _ = w.Write(s.raw)
			}
			return
		}
	}
	writeStatus(w, http.StatusNotFound, "NotFound", fmt.Sprintf("%s %q not found", res.plural, name), res.plural, name)
}

func (a *API) serveList(w http.ResponseWriter, res resource, ns string, q url.Values) {
	lsel, err := labels.Parse(q.Get("labelSelector"))
	if err != nil {
		writeStatus(w, http.StatusBadRequest, "BadRequest", "unable to parse labelSelector: "+err.Error(), res.plural, "")
		return
	}
	fsel, err := fields.ParseSelector(q.Get("fieldSelector"))
	if err != nil {
		writeStatus(w, http.StatusBadRequest, "BadRequest", "unable to parse fieldSelector: "+err.Error(), res.plural, "")
		return
	}
	v1 := res.group == "events.k8s.io"
	var sample fields.Set
	if v1 {
		sample = selectableFields("Event", map[string]any{}, true)
	} else {
		sample = selectableFields(res.kind, map[string]any{}, false)
	}
	for _, req := range fsel.Requirements() {
		if _, ok := sample[req.Field]; !ok {
			writeStatus(w, http.StatusBadRequest, "BadRequest",
				fmt.Sprintf("%q is not a known field selector: only %q", req.Field, sortedKeys(sample)), res.plural, "")
			return
		}
	}
	limit, offset, err := paging(q)
	if err != nil {
		writeStatus(w, http.StatusBadRequest, "BadRequest", err.Error(), res.plural, "")
		return
	}
	var items []json.RawMessage
	matched := 0
	for _, s := range a.store[storeKey(res)] {
		fset := s.fields
		if v1 {
			fset = s.v1fields
		}
		if (ns != "" && s.obj.Namespace != ns) || !lsel.Matches(labels.Set(s.obj.Labels)) || !fsel.Matches(fset) {
			continue
		}
		matched++
		if matched <= offset || (limit > 0 && len(items) >= limit) {
			continue
		}
		if v1 {
			items = append(items, s.v1raw)
		} else {
			items = append(items, s.raw)
		}
	}
	meta := map[string]any{"resourceVersion": "1"}
	if rest := matched - offset - len(items); limit > 0 && rest > 0 {
		meta["continue"] = strconv.Itoa(offset + len(items))
		meta["remainingItemCount"] = rest
	}
	if items == nil {
		items = []json.RawMessage{}
	}
	writeJSON(w, map[string]any{"kind": res.kind + "List", "apiVersion": res.groupVersion(), "metadata": meta, "items": items})
}

// paging reads limit and continue; the continue token is the offset.
func paging(q url.Values) (limit, offset int, err error) {
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 0 {
			return 0, 0, errors.New("limit must be a non-negative integer")
		}
	}
	if s := q.Get("continue"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, errors.New("invalid continue token")
		}
	}
	return limit, offset, nil
}

func (a *API) serveLog(w http.ResponseWriter, ns, name string, q url.Values) {
	pod, ok := a.pods[ns+"/"+name]
	if !ok {
		writeStatus(w, http.StatusNotFound, "NotFound", fmt.Sprintf("pods %q not found", name), "pods", name)
		return
	}
	opts, err := parseLogQuery(q, a.now())
	if err != nil {
		writeStatus(w, http.StatusBadRequest, "BadRequest", err.Error(), "pods", name)
		return
	}
	container := q.Get("container")
	if container == "" {
		if len(pod.Spec.Containers) != 1 {
			var names []string
			for _, c := range pod.Spec.Containers {
				names = append(names, c.Name)
			}
			writeStatus(w, http.StatusBadRequest, "BadRequest",
				fmt.Sprintf("a container name must be specified for pod %s, choose one of: %v", name, names), "pods", name)
			return
		}
		container = pod.Spec.Containers[0].Name
	}
	status, known := containerStatus(pod, container)
	if !known {
		writeStatus(w, http.StatusBadRequest, "BadRequest",
			fmt.Sprintf("container %s is not valid for pod %s", container, name), "pods", name)
		return
	}
	previous := q.Get("previous") == "true" || q.Get("previous") == "1"
	stream, ok := a.logs.streams[logKey{ns, name, container, previous}]
	if !ok {
		switch {
		case previous:
			writeStatus(w, http.StatusBadRequest, "BadRequest",
				fmt.Sprintf("previous terminated container %q in pod %q not found", container, name), "pods", name)
			return
		case status != nil && status.State.Waiting != nil && status.LastTerminationState.Terminated == nil:
			writeStatus(w, http.StatusBadRequest, "BadRequest",
				fmt.Sprintf("container %q in pod %q is waiting to start: %s", container, name, status.State.Waiting.Reason), "pods", name)
			return
		}
		stream = &logStream{}
	}
	w.Header().Set("Content-Type", "text/plain")
	_ = stream.write(w, opts)
}

func containerStatus(pod *corev1.Pod, name string) (*corev1.ContainerStatus, bool) {
	known := false
	for _, cs := range [][]corev1.Container{pod.Spec.Containers, pod.Spec.InitContainers} {
		for _, c := range cs {
			known = known || c.Name == name
		}
	}
	for _, sts := range [][]corev1.ContainerStatus{pod.Status.ContainerStatuses, pod.Status.InitContainerStatuses} {
		for i := range sts {
			if sts[i].Name == name {
				return &sts[i], true
			}
		}
	}
	return nil, known
}

func parseLogQuery(q url.Values, now time.Time) (logQuery, error) {
	opts := logQuery{tailLines: -1, timestamps: q.Get("timestamps") == "true" || q.Get("timestamps") == "1"}
	if q.Get("sinceTime") != "" && q.Get("sinceSeconds") != "" {
		return opts, errors.New("at most one of sinceTime or sinceSeconds may be specified")
	}
	if s := q.Get("sinceTime"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return opts, fmt.Errorf("sinceTime: %w", err)
		}
		opts.since = t
	}
	if s := q.Get("sinceSeconds"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return opts, errors.New("sinceSeconds: must be greater than 0")
		}
		opts.since = now.Add(-time.Duration(min(n, int64(1<<33))) * time.Second)
	}
	if s := q.Get("tailLines"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return opts, errors.New("tailLines: must be greater than or equal to 0")
		}
		opts.tailLines = n
	}
	if s := q.Get("limitBytes"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return opts, errors.New("limitBytes: must be greater than 0")
		}
		opts.limitBytes = n
	}
	return opts, nil
}

// writeStatus writes a metav1.Status failure, which client-go turns into a
// typed error (errors.IsNotFound and friends).
func writeStatus(w http.ResponseWriter, code int, reason, msg, kind, name string) {
	status := map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": msg, "reason": reason, "code": code}
	if kind != "" {
		status["details"] = map[string]string{"name": name, "kind": kind}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(status)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func apiGroupList() map[string]any {
	var groups []map[string]any
	seen := map[string]bool{}
	for _, r := range resources {
		if r.group == "" || seen[r.group] {
			continue
		}
		seen[r.group] = true
		gv := map[string]string{"groupVersion": r.groupVersion(), "version": r.version}
		groups = append(groups, map[string]any{"name": r.group, "versions": []any{gv}, "preferredVersion": gv})
	}
	return map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
}

func apiResourceList(group, version string) (map[string]any, bool) {
	var list []map[string]any
	for _, r := range resources {
		if r.group != group || r.version != version {
			continue
		}
		list = append(list, map[string]any{"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
			"kind": r.kind, "verbs": []string{"get", "list"}})
		if r.kind == "Pod" {
			list = append(list, map[string]any{"name": "pods/log", "singularName": "", "namespaced": true,
				"kind": "Pod", "verbs": []string{"get"}})
		}
	}
	if list == nil {
		return nil, false
	}
	gv := version
	if group != "" {
		gv = group + "/" + version
	}
	return map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": list}, true
}

func sortedKeys(s fields.Set) []string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Server is an API listening on a free loopback port.
type Server struct {
	// URL is the base address, e.g. http://127.0.0.1:41234.
	URL string
	srv *http.Server
}

// Start serves the API on 127.0.0.1 on a free port until Close.
func (a *API) Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(),
		srv: &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server and its open connections.
func (s *Server) Close() error { return s.srv.Close() }

// RESTConfig is a client-go configuration that talks to this server.
func (s *Server) RESTConfig() *rest.Config {
	return &rest.Config{Host: s.URL}
}
