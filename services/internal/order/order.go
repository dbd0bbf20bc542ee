// Package order is the order-service's business logic: create an order (the
// caller's token verified by auth-service, the amount charged through
// payment-service), get one, list the caller's orders.
package order

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cloudobs/aiops-app/services/internal/kit"
)

// Config names the dependencies.
type Config struct {
	AuthURL    string
	PaymentURL string
}

// Order is one order.
type Order struct {
	ID          string    `json:"orderId"`
	User        string    `json:"user"`
	Item        string    `json:"item"`
	Quantity    int       `json:"quantity"`
	AmountCents int64     `json:"amountCents"`
	Currency    string    `json:"currency"`
	PaymentID   string    `json:"paymentId"`
	CreatedAt   time.Time `json:"createdAt"`
}

// errUnauthorized is a token auth-service rejected (not an auth outage).
var errUnauthorized = errors.New("unauthorized")

type server struct {
	svc    *kit.Service
	cfg    Config
	client *http.Client
	store  *kit.Store[Order]
}

// Register adds /order/create, /order/list and /order/{id}, and makes
// reports auth-service and payment-service as its dependencies.
func Register(svc *kit.Service, cfg Config) error {
	if cfg.AuthURL == "" || cfg.PaymentURL == "" {
		return errors.New("config: AUTH_URL and PAYMENT_URL are required")
	}
	s := &server{svc: svc, cfg: cfg, client: svc.Client(), store: kit.NewStore[Order](10000)}
	orders := svc.Counter("orders_total", "Orders by outcome.", "outcome")
	svc.AddDependency(svc.HealthCheck("auth-service", func() string { return svc.DependencyURL("auth", cfg.AuthURL) }))
	svc.AddDependency(svc.HealthCheck("payment-service", func() string { return svc.DependencyURL("payment", cfg.PaymentURL) }))

	svc.Handle("POST /order/create", func(w http.ResponseWriter, r *http.Request) {
		user, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		var req struct {
			Item           string `json:"item"`
			Quantity       int    `json:"quantity"`
			UnitPriceCents int64  `json:"unitPriceCents"`
			Currency       string `json:"currency"`
		}
		if err := kit.DecodeJSON(w, r, &req); err != nil {
			kit.WriteError(w, http.StatusBadRequest, err.Error())
			return
		}
		if req.Item == "" || req.Quantity <= 0 || req.Quantity > 1000 || req.UnitPriceCents <= 0 || req.UnitPriceCents > 1e9 {
			orders.WithLabelValues("invalid").Inc()
			kit.WriteError(w, http.StatusBadRequest, "item, quantity (1-1000) and unitPriceCents are required")
			return
		}
		if req.Currency == "" {
			req.Currency = "EUR"
		}
		o := Order{ID: kit.NewID("ord"), User: user, Item: req.Item, Quantity: req.Quantity,
			AmountCents: int64(req.Quantity) * req.UnitPriceCents, Currency: req.Currency, CreatedAt: time.Now().UTC()}
		paymentID, err := s.charge(r.Context(), o, r.Header.Get("Authorization"))
		if err != nil {
			orders.WithLabelValues("payment_failed").Inc()
			svc.Log.ErrorContext(r.Context(), "order failed: payment-service charge failed", "order_id", o.ID, "error", err.Error())
			kit.WriteError(w, http.StatusBadGateway, "payment failed")
			return
		}
		o.PaymentID = paymentID
		s.store.Put(o.ID, o)
		orders.WithLabelValues("created").Inc()
		svc.Log.InfoContext(r.Context(), "order created", "order_id", o.ID, "payment_id", paymentID)
		kit.WriteJSON(w, http.StatusCreated, o)
	})
	svc.Handle("GET /order/list", func(w http.ResponseWriter, r *http.Request) {
		user, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		list := s.store.Newest(50, func(o Order) bool { return o.User == user })
		kit.WriteJSON(w, http.StatusOK, map[string]any{"orders": list})
	})
	svc.Handle("GET /order/{id}", func(w http.ResponseWriter, r *http.Request) {
		user, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		o, found := s.store.Get(r.PathValue("id"))
		if !found || o.User != user {
			kit.WriteError(w, http.StatusNotFound, "no such order")
			return
		}
		kit.WriteJSON(w, http.StatusOK, o)
	})
	return nil
}

// authenticate verifies the caller's token with auth-service and writes the
// error answer itself when it fails.
func (s *server) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	var out struct {
		User string `json:"user"`
	}
	err := s.call(r.Context(), http.MethodGet, s.svc.DependencyURL("auth", s.cfg.AuthURL)+"/verify",
		r.Header.Get("Authorization"), nil, &out)
	switch {
	case errors.Is(err, errUnauthorized):
		kit.WriteError(w, http.StatusUnauthorized, "invalid or missing token")
		return "", false
	case err != nil:
		s.svc.Log.ErrorContext(r.Context(), "token verification failed: auth-service unavailable", "error", err.Error())
		kit.WriteError(w, http.StatusServiceUnavailable, "authentication unavailable")
		return "", false
	}
	return out.User, true
}

// charge passes the caller's token on: payment-service charges only for a
// logged-in user.
func (s *server) charge(ctx context.Context, o Order, authorization string) (string, error) {
	var out struct {
		PaymentID string `json:"paymentId"`
	}
	body := map[string]any{"orderId": o.ID, "amountCents": o.AmountCents, "currency": o.Currency}
	if err := s.call(ctx, http.MethodPost, s.svc.DependencyURL("payment", s.cfg.PaymentURL)+"/payment/charge", authorization, body, &out); err != nil {
		return "", err
	}
	return out.PaymentID, nil
}

// call makes one traced JSON request to a dependency.
func (s *server) call(ctx context.Context, method, url, authorization string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, url, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return errUnauthorized
	case resp.StatusCode >= 300:
		return fmt.Errorf("%s %s: upstream returned %d", method, url, resp.StatusCode)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: invalid answer: %w", method, url, err)
	}
	return nil
}
