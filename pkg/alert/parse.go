// Package alert turns the alert shapes the plugin receives into one
// incident.Alert: the alert context of DESIGN.md, an Alertmanager (or Grafana
// contact point) webhook body, and the alert instance Grafana hands a UI
// extension at grafana/alerting/instance/action. All of them are outside
// input: bounded, validated, and never able to panic.
package alert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxAlerts bounds one webhook body. Alertmanager's own max_alerts defaults
// to unlimited; past this count an explanation per alert makes no sense.
const maxAlerts = 1000

// Parse reads one body in any accepted shape and returns its normalised
// alerts (several for a webhook). Errors are *InputError (naming the field)
// or ErrTooLarge.
func Parse(r io.Reader) ([]incident.Alert, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read alert body: %w", err)
	}
	return ParseBytes(b)
}

// ParseBytes is Parse over a body already in memory. It also accepts the JSON
// that sigs.k8s.io/yaml.YAMLToJSON makes of a scenario's YAML alert.
func ParseBytes(b []byte) ([]incident.Alert, error) {
	if len(b) > MaxBodyBytes {
		return nil, ErrTooLarge
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, inputErr("body", "empty")
	}
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, jsonError(err)
	}
	switch {
	case env.Alerts != nil:
		return fromWebhook(env)
	case env.Instance != nil || env.Alert != nil:
		a, err := fromInstance(env)
		if err != nil {
			return nil, err
		}
		return []incident.Alert{a}, nil
	default:
		a, err := env.rawAlert.normalise()
		if err != nil {
			return nil, err
		}
		return []incident.Alert{a}, nil
	}
}

// FromMap normalises an alert decoded from YAML or JSON into a generic map
// (the alert of a scenario.yaml). Any accepted shape works, but a webhook
// must hold exactly one alert.
func FromMap(m map[string]any) (incident.Alert, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return incident.Alert{}, &InputError{Field: "alert", Msg: "not representable as JSON", Err: err}
	}
	alerts, err := ParseBytes(b)
	if err != nil {
		return incident.Alert{}, err
	}
	if len(alerts) != 1 {
		return incident.Alert{}, inputErr("alerts", fmt.Sprintf("want exactly one alert, got %d", len(alerts)))
	}
	return alerts[0], nil
}

// envelope has the fields of every accepted shape; which ones are present
// decides the shape.
type envelope struct {
	rawAlert

	// Webhook (Alertmanager version 4, Grafana contact point version 1).
	Version string      `json:"version"`
	Alerts  *[]rawAlert `json:"alerts"`

	// Grafana UI extension context: {instance, rule}; "alert" is accepted as a
	// synonym of "instance" for frontends that rename it.
	Instance *rawAlert `json:"instance"`
	Alert    *rawAlert `json:"alert"`
	Rule     *rawRule  `json:"rule"`
}

func fromWebhook(env envelope) ([]incident.Alert, error) {
	alerts := *env.Alerts
	switch {
	case len(alerts) == 0:
		return nil, inputErr("alerts", "empty")
	case len(alerts) > maxAlerts:
		return nil, inputErr("alerts", fmt.Sprintf("%d alerts, at most %d accepted", len(alerts), maxAlerts))
	}
	out := make([]incident.Alert, 0, len(alerts))
	for i, ra := range alerts {
		a, err := ra.normalise()
		if err != nil {
			return nil, prefixed("alerts["+strconv.Itoa(i)+"]", err)
		}
		out = append(out, a)
	}
	return out, nil
}

func fromInstance(env envelope) (incident.Alert, error) {
	field, inst := "instance", env.Instance
	if inst == nil {
		field, inst = "alert", env.Alert
	}
	if env.Rule != nil {
		inst.inheritRule(*env.Rule)
	}
	a, err := inst.normalise()
	if err != nil {
		return incident.Alert{}, prefixed(field, err)
	}
	return a, nil
}

// jsonError names the field of a type mismatch, or the offset of a syntax
// error, so the sender sees where the body is wrong.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		// The envelope embeds rawAlert; its name is not part of the body.
		field := strings.ReplaceAll(typeErr.Field, "rawAlert.", "")
		if field == "" {
			field = "body"
		}
		return &InputError{Field: field, Msg: fmt.Sprintf("want %s, got JSON %s", typeErr.Type, typeErr.Value)}
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return &InputError{Field: "body", Msg: fmt.Sprintf("invalid JSON at byte %d", syntaxErr.Offset), Err: err}
	}
	return &InputError{Field: "body", Msg: "invalid JSON", Err: err}
}
