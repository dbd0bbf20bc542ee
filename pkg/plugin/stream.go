package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// The progress of an explanation travels over Grafana Live on the channel
// plugin/cloudobs-aiops-app/explain/<streamId>. The handshake:
//
//  1. the UI makes a random stream id and subscribes to explain/<id>;
//     SubscribeStream checks the role and claims the id for the user;
//  2. the UI POSTs /explain?stream=<id>; the handler runs the explanation
//     and publishes each stage and summary token to the id's topic;
//  3. RunStream relays the topic (from its first event, so an early POST
//     loses nothing) until the done or error event;
//  4. when the last viewer leaves before the end, the explanation is
//     cancelled; the POST then answers 503 "cancelled".
//
// Either side may come first: the topic is created by whichever does.

// streamPathPrefix is the Live path prefix of explanation progress.
const streamPathPrefix = "explain/"

// validStreamID keeps ids short and free of path characters.
var validStreamID = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// Limits of the hub: topics are small, but their number and life are bounded
// so that a client that never POSTs or never subscribes costs nothing lasting,
// and a finished explanation (its events, tokens and result) is kept only
// briefly: the POST's answer carries the result anyway, the grace only serves
// a viewer whose subscription arrives just after the end.
const (
	maxTopics      = 1024
	maxTopicEvents = 2048
	topicTTL       = 10 * time.Minute
	finishedGrace  = 30 * time.Second
	maxFinished    = 64
	// sweepEvery spaces the scans for abandoned topics.
	sweepEvery      = 10 * time.Second
	streamStageDone = "done"
	streamStageErr  = "error"
)

// streamEvent is one Live message.
type streamEvent struct {
	Stage       string                `json:"stage"`
	Token       string                `json:"token,omitempty"`
	Explanation *incident.Explanation `json:"explanation,omitempty"`
	Error       string                `json:"error,omitempty"`
}

type topic struct {
	mu          sync.Mutex
	owner       string
	events      []streamEvent
	finished    time.Time
	changed     chan struct{}
	cancelJob   context.CancelFunc
	subscribers int
	abandoned   bool
	created     time.Time
	// retire hands the topic back to its hub when it finishes.
	retire func()
}

// hub holds the topics by stream id.
type hub struct {
	mu     sync.Mutex
	topics map[string]*topic
	// finished are the finished topics still held, in the order they ended.
	finished  []finishedTopic
	lastSweep time.Time
	now       func() time.Time
}

type finishedTopic struct {
	id string
	t  *topic
	at time.Time
}

func newHub() *hub { return &hub{topics: map[string]*topic{}, now: time.Now} }

// errStreamTaken refuses a stream id claimed by another user.
var errStreamTaken = fmt.Errorf("the stream id belongs to another user")

// claim returns the topic of id for user, creating it; it fails when another
// user owns it or the hub is full.
func (h *hub) claim(id, user string) (*topic, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	h.dropFinished(now)
	if now.Sub(h.lastSweep) > sweepEvery {
		h.sweep(now)
	}
	t, ok := h.topics[id]
	if !ok {
		if len(h.topics) >= maxTopics {
			h.sweep(now)
		}
		if len(h.topics) >= maxTopics {
			return nil, fmt.Errorf("too many explanations in progress")
		}
		t = &topic{owner: user, changed: make(chan struct{}), created: now}
		t.retire = func() { h.retire(id, t) }
		h.topics[id] = t
		return t, nil
	}
	if t.owner == "" {
		t.owner = user
	}
	if user != "" && t.owner != user {
		return nil, errStreamTaken
	}
	return t, nil
}

// sweep drops the topics nobody finished within topicTTL and nobody
// follows or feeds; h.mu is held.
func (h *hub) sweep(now time.Time) {
	h.lastSweep = now
	for id, t := range h.topics {
		t.mu.Lock()
		expired := now.Sub(t.created) > topicTTL
		idle := t.subscribers == 0 && t.cancelJob == nil
		t.mu.Unlock()
		if expired && idle {
			delete(h.topics, id)
		}
	}
}

// retire records that t (the topic of id) finished and drops what is beyond
// the grace period or the cap.
func (h *hub) retire(id string, t *topic) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	h.finished = append(h.finished, finishedTopic{id: id, t: t, at: now})
	h.dropFinished(now)
}

// dropFinished forgets the finished topics older than finishedGrace and the
// oldest beyond maxFinished; h.mu is held. A relay still sending one keeps
// its own reference until it returns.
func (h *hub) dropFinished(now time.Time) {
	for len(h.finished) > 0 && (len(h.finished) > maxFinished || now.Sub(h.finished[0].at) > finishedGrace) {
		f := h.finished[0]
		if h.topics[f.id] == f.t {
			delete(h.topics, f.id)
		}
		h.finished[0] = finishedTopic{} // release it from the backing array
		h.finished = h.finished[1:]
	}
}

// publish appends an event and wakes the relays. Consecutive tokens beyond
// the event cap are merged so that a long answer cannot grow the topic.
func (t *topic) publish(e streamEvent) {
	if t.append(e) && t.retire != nil {
		t.retire()
	}
}

// append adds e and reports whether it finished the topic.
func (t *topic) append(e streamEvent) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.finished.IsZero() {
		return false
	}
	n := len(t.events)
	if e.Token != "" && n >= maxTopicEvents && t.events[n-1].Token != "" && len(t.events[n-1].Token) < 1<<16 {
		t.events[n-1].Token += e.Token
	} else if n < maxTopicEvents+16 || e.Stage == streamStageDone || e.Stage == streamStageErr {
		t.events = append(t.events, e)
	}
	final := e.Stage == streamStageDone || e.Stage == streamStageErr
	if final {
		t.finished = time.Now()
		t.cancelJob = nil
	}
	close(t.changed)
	t.changed = make(chan struct{})
	return final
}

// attachJob registers the cancel function of the explanation feeding t. A
// topic whose viewers already left cancels the job at once.
func (t *topic) attachJob(cancel context.CancelFunc) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cancelJob = cancel
	if t.abandoned {
		cancel()
	}
}

// detachJob forgets the job's cancel function when it returns.
func (t *topic) detachJob() {
	t.mu.Lock()
	t.cancelJob = nil
	t.mu.Unlock()
}

// relay sends t's events from the first to send until the final one or
// until ctx ends; the last viewer leaving early cancels the job.
func (t *topic) relay(ctx context.Context, send func(streamEvent) error) error {
	t.mu.Lock()
	t.subscribers++
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.subscribers--
		if t.subscribers == 0 && t.finished.IsZero() {
			t.abandoned = true
			if t.cancelJob != nil {
				t.cancelJob()
			}
		}
		t.mu.Unlock()
	}()
	next := 0
	for {
		t.mu.Lock()
		pending := append([]streamEvent(nil), t.events[next:]...)
		next = len(t.events)
		finished := !t.finished.IsZero()
		changed := t.changed
		t.mu.Unlock()
		for _, e := range pending {
			if err := send(e); err != nil {
				return fmt.Errorf("send stream event: %w", err)
			}
		}
		if finished {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}

// streamID extracts the id from a Live path.
func streamID(path string) (string, bool) {
	id, ok := strings.CutPrefix(path, streamPathPrefix)
	return id, ok && validStreamID.MatchString(id)
}

// SubscribeStream lets a user with the explain role follow their own
// explanation's progress.
func (a *App) SubscribeStream(_ context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	id, ok := streamID(req.Path)
	if !ok {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	u := req.PluginContext.User
	if a.svc == nil || !hasRole(u, a.explainRole()) {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	if _, err := a.svc.hub.claim(id, userName(u)); err != nil {
		a.logger.Warn("Stream subscription refused", "path", req.Path, "user", userName(u), "error", err)
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

// PublishStream refuses: progress flows from the backend only.
func (a *App) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream relays one explanation's progress to Grafana Live.
func (a *App) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	id, ok := streamID(req.Path)
	if !ok || a.svc == nil {
		return fmt.Errorf("unknown stream path %q", clip(req.Path, 80))
	}
	// Access was checked per viewer in SubscribeStream; Grafana runs one
	// relay per channel for all of them, so no owner check here.
	t, err := a.svc.hub.claim(id, "")
	if err != nil {
		return fmt.Errorf("stream %s: %w", id, err)
	}
	return t.relay(ctx, func(e streamEvent) error {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return sender.SendJSON(b)
	})
}
