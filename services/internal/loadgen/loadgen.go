// Package loadgen drives steady traffic across the three sample services:
// log in, create an order, read it back, list orders, check the payment.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Config of a load run.
type Config struct {
	AuthURL, OrderURL, PaymentURL string
	// Rate is journeys started per second.
	Rate float64
	// Duration bounds the run; zero runs until ctx ends.
	Duration time.Duration
	// Users are "name:password" accounts known to auth-service.
	Users [][2]string
	// MaxInFlight bounds concurrent journeys so a slow system is not
	// buried under an ever-growing backlog.
	MaxInFlight int
	Client      *http.Client
	Log         *slog.Logger
}

// Stats count what a run did.
type Stats struct {
	Journeys, Requests, Errors, Skipped atomic.Int64
}

type generator struct {
	cfg    Config
	stats  *Stats
	mu     sync.Mutex
	tokens map[string]string
}

// Run generates load until the duration elapses or ctx ends.
func Run(ctx context.Context, cfg Config) (*Stats, error) {
	if cfg.Rate <= 0 || cfg.Rate > 10000 {
		return nil, fmt.Errorf("rate must be between 0 and 10000 journeys/s, got %v", cfg.Rate)
	}
	if cfg.AuthURL == "" || cfg.OrderURL == "" || cfg.PaymentURL == "" {
		return nil, fmt.Errorf("AUTH_URL, ORDER_URL and PAYMENT_URL are required")
	}
	if len(cfg.Users) == 0 {
		return nil, fmt.Errorf("no users to log in with")
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 50
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	g := &generator{cfg: cfg, stats: &Stats{}, tokens: map[string]string{}}
	slots := make(chan struct{}, cfg.MaxInFlight)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.Rate))
	defer tick.Stop()
	report := time.NewTicker(10 * time.Second)
	defer report.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			g.logStats()
			return g.stats, nil
		case <-report.C:
			g.logStats()
		case <-tick.C:
			select {
			case slots <- struct{}{}:
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { <-slots }()
					g.journey(ctx)
				}()
			default:
				g.stats.Skipped.Add(1)
			}
		}
	}
}

func (g *generator) logStats() {
	g.cfg.Log.Info("load", "journeys", g.stats.Journeys.Load(), "requests", g.stats.Requests.Load(),
		"errors", g.stats.Errors.Load(), "skipped", g.stats.Skipped.Load())
}

// journey is one user's visit: every step is counted; a failing step ends it.
func (g *generator) journey(ctx context.Context) {
	g.stats.Journeys.Add(1)
	user := g.cfg.Users[rand.IntN(len(g.cfg.Users))]
	token, err := g.token(ctx, user)
	if err != nil {
		return
	}
	auth := "Bearer " + token
	var order struct {
		OrderID   string `json:"orderId"`
		PaymentID string `json:"paymentId"`
	}
	items := []string{"book", "lamp", "mug", "chair", "pen"}
	body := map[string]any{"item": items[rand.IntN(len(items))], "quantity": 1 + rand.IntN(3),
		"unitPriceCents": 500 + rand.IntN(5000), "currency": "EUR"}
	status, err := g.do(ctx, http.MethodPost, g.cfg.OrderURL+"/order/create", auth, body, &order)
	if status == http.StatusUnauthorized {
		g.forget(user[0])
	}
	if err != nil {
		return
	}
	if _, err := g.do(ctx, http.MethodGet, g.cfg.OrderURL+"/order/"+order.OrderID, auth, nil, nil); err != nil {
		return
	}
	if _, err := g.do(ctx, http.MethodGet, g.cfg.OrderURL+"/order/list", auth, nil, nil); err != nil {
		return
	}
	_, _ = g.do(ctx, http.MethodGet, g.cfg.PaymentURL+"/payment/status/"+order.PaymentID, "", nil, nil)
}

// token returns a cached session token, logging in when there is none.
func (g *generator) token(ctx context.Context, user [2]string) (string, error) {
	g.mu.Lock()
	t, ok := g.tokens[user[0]]
	g.mu.Unlock()
	if ok {
		return t, nil
	}
	var out struct {
		Token string `json:"token"`
	}
	if _, err := g.do(ctx, http.MethodPost, g.cfg.AuthURL+"/login", "",
		map[string]string{"username": user[0], "password": user[1]}, &out); err != nil {
		return "", err
	}
	g.mu.Lock()
	g.tokens[user[0]] = out.Token
	g.mu.Unlock()
	return out.Token, nil
}

func (g *generator) forget(user string) {
	g.mu.Lock()
	delete(g.tokens, user)
	g.mu.Unlock()
}

// do sends one request; any status of 400 or more counts as an error.
func (g *generator) do(ctx context.Context, method, url, auth string, in, out any) (int, error) {
	g.stats.Requests.Add(1)
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		g.stats.Errors.Add(1)
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := g.cfg.Client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			g.stats.Errors.Add(1)
		}
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 400 {
		g.stats.Errors.Add(1)
		return resp.StatusCode, fmt.Errorf("%s %s: %s", method, url, resp.Status)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			g.stats.Errors.Add(1)
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}
