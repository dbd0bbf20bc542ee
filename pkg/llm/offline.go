package llm

import (
	"context"
	"errors"
)

// ErrOffline is returned by the offline provider's calls: there is no model,
// and the caller answers from its analyzers instead (IsOffline tells it so).
var ErrOffline = errors.New("offline provider has no model; answer from the analyzers")

// Offline is the default provider: no model, no network, no cost. The
// explanation pipeline sees it through IsOffline and uses the analyzers'
// explanation.
type Offline struct{}

func (Offline) Name() string  { return NameOffline }
func (Offline) Model() string { return "" }
func (Offline) Complete(context.Context, Request) (Response, error) {
	return Response{}, ErrOffline
}
func (Offline) Stream(context.Context, Request, func(string)) (Response, error) {
	return Response{}, ErrOffline
}

// Health is always fine: offline needs nothing.
func (Offline) Health(context.Context) error             { return nil }
func (Offline) Models(context.Context) ([]string, error) { return nil, nil }
func (Offline) CountTokens(s string) int                 { return 0 }
func (Offline) Price() Price                             { return Price{} }
func (Offline) ContextWindow() int                       { return 0 }
