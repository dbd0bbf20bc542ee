// Package payment is the payment-service's business logic: charge an order,
// refund a payment, report a payment's status.
package payment

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/token"
)

// Payment is one charge.
type Payment struct {
	ID          string    `json:"paymentId"`
	OrderID     string    `json:"orderId"`
	AmountCents int64     `json:"amountCents"`
	Currency    string    `json:"currency"`
	Status      string    `json:"status"` // captured | refunded
	CreatedAt   time.Time `json:"createdAt"`
}

// Config of the payment service.
type Config struct {
	// Signer verifies the caller's session token on the write routes; it
	// holds the key auth-service signs with.
	Signer *token.Signer
}

// Register adds /payment/charge, /payment/refund and /payment/status/{id}.
// Charge and refund need a valid session token.
func Register(svc *kit.Service, cfg Config) error {
	if cfg.Signer == nil {
		return errors.New("payment: no token verifier configured")
	}
	store := kit.NewStore[Payment](10000)
	var mu sync.Mutex // serialises refunds of the same payment
	payments := svc.Counter("payments_total", "Payments by operation and outcome.", "operation", "outcome")
	amount := svc.Counter("payment_amount_cents_total", "Amount charged, in cents, by currency.", "currency")

	// authorized writes the 401 itself when the caller has no valid token.
	authorized := func(w http.ResponseWriter, r *http.Request, operation string) bool {
		tok, err := token.Bearer(r)
		if err == nil {
			_, err = cfg.Signer.Verify(tok, time.Now())
		}
		if err != nil {
			payments.WithLabelValues(operation, "unauthorized").Inc()
			kit.WriteError(w, http.StatusUnauthorized, "a valid session token is required: "+err.Error())
			return false
		}
		return true
	}
	svc.Handle("POST /payment/charge", func(w http.ResponseWriter, r *http.Request) {
		if !authorized(w, r, "charge") {
			return
		}
		var req struct {
			OrderID     string `json:"orderId"`
			AmountCents int64  `json:"amountCents"`
			Currency    string `json:"currency"`
		}
		if err := kit.DecodeJSON(w, r, &req); err != nil {
			kit.WriteError(w, http.StatusBadRequest, err.Error())
			return
		}
		if req.OrderID == "" || req.AmountCents <= 0 || len(req.Currency) != 3 {
			payments.WithLabelValues("charge", "invalid").Inc()
			kit.WriteError(w, http.StatusBadRequest, "orderId, a positive amountCents and a 3-letter currency are required")
			return
		}
		p := Payment{ID: kit.NewID("pay"), OrderID: req.OrderID, AmountCents: req.AmountCents,
			Currency: req.Currency, Status: "captured", CreatedAt: time.Now().UTC()}
		store.Put(p.ID, p)
		payments.WithLabelValues("charge", "ok").Inc()
		amount.WithLabelValues(p.Currency).Add(float64(p.AmountCents))
		svc.Log.InfoContext(r.Context(), "payment captured", "payment_id", p.ID, "order_id", p.OrderID, "amount_cents", p.AmountCents)
		kit.WriteJSON(w, http.StatusCreated, p)
	})
	svc.Handle("POST /payment/refund", func(w http.ResponseWriter, r *http.Request) {
		if !authorized(w, r, "refund") {
			return
		}
		var req struct {
			PaymentID string `json:"paymentId"`
		}
		if err := kit.DecodeJSON(w, r, &req); err != nil {
			kit.WriteError(w, http.StatusBadRequest, err.Error())
			return
		}
		mu.Lock()
		defer mu.Unlock()
		p, ok := store.Get(req.PaymentID)
		switch {
		case !ok:
			payments.WithLabelValues("refund", "not_found").Inc()
			kit.WriteError(w, http.StatusNotFound, "no such payment")
		case p.Status == "refunded":
			payments.WithLabelValues("refund", "conflict").Inc()
			kit.WriteError(w, http.StatusConflict, "payment already refunded")
		default:
			p.Status = "refunded"
			store.Put(p.ID, p)
			payments.WithLabelValues("refund", "ok").Inc()
			svc.Log.InfoContext(r.Context(), "payment refunded", "payment_id", p.ID)
			kit.WriteJSON(w, http.StatusOK, p)
		}
	})
	svc.Handle("GET /payment/status/{id}", func(w http.ResponseWriter, r *http.Request) {
		p, ok := store.Get(r.PathValue("id"))
		if !ok {
			kit.WriteError(w, http.StatusNotFound, "no such payment")
			return
		}
		kit.WriteJSON(w, http.StatusOK, p)
	})
	return nil
}
