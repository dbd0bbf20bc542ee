package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// requestID is the id of the request, shared by its log lines and its error envelope.
func requestID(r *http.Request) string { return ctxRequestID(r.Context()) }

// ctxRequestID is the request id carried by ctx; background work has none
// and logs the alert or explanation instead.
func ctxRequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// postExplain serves POST /explain.
func (a *App) postExplain(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	u := requestUser(r.Context())
	q := r.URL.Query()
	provider := config.Provider(strings.ToLower(strings.TrimSpace(q.Get("provider"))))
	refresh := q.Get("refresh") == "true" || q.Get("refresh") == "1"
	streamParam := q.Get("stream")
	if streamParam != "" && !validStreamID.MatchString(streamParam) {
		return Errorf(http.StatusBadRequest, "stream must be 8 to 64 letters, digits, '-' or '_'")
	}
	alerts, err := alert.Parse(r.Body)
	if err != nil {
		return alertError(err)
	}
	if len(alerts) == 0 {
		return Errorf(http.StatusBadRequest, "the body holds no alert")
	}
	if err := a.svc.checkRate(userName(u)); err != nil {
		return err
	}
	req := engine.Request{Alert: alerts[0], Provider: provider, Refresh: refresh, User: userName(u)}
	if len(engine.GroupByTarget(alerts)) > 1 {
		if streamParam != "" {
			return Errorf(http.StatusBadRequest, "these %d alerts are about different targets: stream one target at a time, or send them without stream to get one explanation per target", len(alerts))
		}
		return a.explainSeveral(w, r, alerts, req)
	}
	ctx := r.Context()
	var t *topic
	if streamParam != "" {
		t, err = a.svc.hub.claim(streamParam, userName(u))
		if err != nil {
			return Errorf(http.StatusConflict, "the stream id %s is in use; make a new one", streamParam)
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		t.attachJob(cancel)
		defer t.detachJob()
		req.Progress = func(stage, token string) {
			if token != "" {
				t.publish(streamEvent{Stage: explain.StageAskingModel, Token: token})
				return
			}
			if stage != explain.StageDone {
				t.publish(streamEvent{Stage: stage})
			}
		}
	}
	a.logger.Info("Explaining alert", "requestId", requestID(r), "alertname", clip(req.Alert.Name(), 128),
		"user", req.User, "provider", string(provider), "refresh", refresh, "stream", streamParam != "")
	ex, err := a.svc.engine.Explain(ctx, req)
	if err == nil {
		a.svc.engine.JoinGroup(ctx, &ex, alerts, req.User)
	}
	if t != nil {
		if err != nil {
			_, msg := statusOf(err)
			t.publish(streamEvent{Stage: streamStageErr, Error: msg})
		} else {
			t.publish(streamEvent{Stage: streamStageDone, Explanation: &ex})
		}
	}
	if err != nil {
		return err
	}
	a.logger.Info("Explained alert", "requestId", requestID(r), "id", ex.ID, "category", string(ex.RootCause.Category),
		"provider", ex.Provider.Name, "totalMs", ex.Timings.TotalMs)
	writeJSON(w, http.StatusOK, ex)
	return nil
}

// severalExplanations is the answer for alerts that are several incidents.
type severalExplanations struct {
	Explanations []incident.Explanation `json:"explanations"`
}

// explainSeveral answers an Alertmanager group whose alerts point at
// different targets: one explanation per incident (targets whose causes
// are linked are one), none dropped; a single incident is answered as one
// explanation, as for alerts on one target.
func (a *App) explainSeveral(w http.ResponseWriter, r *http.Request, alerts []incident.Alert, req engine.Request) error {
	a.logger.Info("Explaining alerts", "requestId", requestID(r), "alerts", len(alerts), "user", req.User, "provider", string(req.Provider))
	out, err := a.svc.engine.ExplainAll(r.Context(), alerts, req)
	if err != nil {
		return err
	}
	if len(out) == 1 {
		writeJSON(w, http.StatusOK, out[0])
		return nil
	}
	writeJSON(w, http.StatusOK, severalExplanations{Explanations: out})
	return nil
}

// alertError maps the alert parser's errors to 400 and 413.
func alertError(err error) error {
	var ie *alert.InputError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &ie):
		return &StatusError{Status: http.StatusBadRequest, Message: ie.Error(), Err: err}
	case errors.Is(err, alert.ErrTooLarge), errors.As(err, &tooBig):
		return &StatusError{Status: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf("the body is larger than %d bytes", min(alert.MaxBodyBytes, maxRequestBody)), Err: err}
	}
	return fmt.Errorf("read alert: %w", err)
}

// summarizeRequest and summarizeResponse are the seed's API.
type summarizeRequest struct {
	Logs string `json:"logs"`
}

type summarizeResponse struct {
	Summary   string   `json:"summary"`
	RootCause string   `json:"rootCause"`
	NextSteps []string `json:"nextSteps"`
	// Explanation is the full answer, for clients that want more.
	Explanation incident.Explanation `json:"explanation"`
}

// postSummarize serves POST /summarize.
func (a *App) postSummarize(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	var req summarizeRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return Errorf(http.StatusBadRequest, `the body is empty; send {"logs": "..."}`)
		}
		return Errorf(http.StatusBadRequest, `the body is not JSON of the form {"logs": "..."}`)
	}
	if strings.TrimSpace(req.Logs) == "" {
		return Errorf(http.StatusBadRequest, `"logs" is empty; send the log lines to summarize`)
	}
	u := requestUser(r.Context())
	if err := a.svc.checkRate(userName(u)); err != nil {
		return err
	}
	ex, err := a.svc.engine.Summarize(r.Context(), req.Logs, engine.Request{User: userName(u)})
	if err != nil {
		return err
	}
	resp := summarizeResponse{Summary: ex.Summary, RootCause: ex.RootCause.Description, Explanation: ex, NextSteps: []string{}}
	if resp.RootCause == "" {
		resp.RootCause = string(ex.RootCause.Category)
	}
	for _, s := range ex.NextSteps {
		text := s.Text
		if s.Command != "" {
			text += ": " + s.Command
		}
		resp.NextSteps = append(resp.NextSteps, text)
	}
	a.logger.Info("Summarized logs", "requestId", requestID(r), "id", ex.ID, "user", userName(u), "bytes", len(req.Logs))
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// ready refuses work when the settings are invalid.
func (a *App) ready() error {
	if a.settingsErr != nil || a.svc == nil {
		return errSettings
	}
	return nil
}
