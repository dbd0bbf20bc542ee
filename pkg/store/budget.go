package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// Budgets are held by reserving before a model call and settling after it.
// Reserve checks today's spend plus the open reservations plus the new
// estimate against the limits and records the reservation in one
// transaction that no other Reserve or Settle on the same database (any
// handle, any process, any replica) can interleave with, so concurrent
// requests cannot all pass a check that only one of them fits. The spend can
// exceed a limit only by what calls consumed beyond their estimates.
//
// A model with no known price (no configured price and none in the model
// table) cannot be held to a cost cap: its reservation says Unpriced, its
// tokens count against the daily token cap as any other, and when only a
// cost cap is configured it is refused rather than let through at $0.

// ErrBudgetExceeded is wrapped by every refusal of Reserve.
var ErrBudgetExceeded = errors.New("daily AI budget exceeded")

// ErrUnknownReservation is returned by Settle for an id never reserved (or
// pruned long after it expired).
var ErrUnknownReservation = errors.New("unknown budget reservation")

// ErrAlreadySettled is returned by a second Settle of one reservation; the
// usage is not counted twice.
var ErrAlreadySettled = errors.New("budget reservation already settled")

// Reservation is the estimated cost of one model call.
type Reservation struct {
	// Day is any instant of the UTC day the budget applies to; zero means now.
	Day              time.Time
	User             string
	Provider, Model  string
	EstimatedTokens  int64
	EstimatedCostUSD float64
	// Unpriced says the model has no known price, so EstimatedCostUSD means
	// nothing and only a token cap can bound it.
	Unpriced bool
}

// Limits are the daily caps; zero means no cap.
type Limits struct {
	DailyTokens  int64
	DailyCostUSD float64
}

// BudgetExceededError tells what a refused reservation would have reached.
type BudgetExceededError struct {
	Limits Limits
	// Used is what was settled today; Reserved what open reservations hold.
	UsedTokens, ReservedTokens   int64
	UsedCostUSD, ReservedCostUSD float64
	Reason                       string
}

func (e *BudgetExceededError) Error() string {
	return fmt.Sprintf("%s: %s (used %d tokens and $%.4f, reserved %d tokens and $%.4f; caps %d tokens, $%.4f)",
		ErrBudgetExceeded, e.Reason, e.UsedTokens, e.UsedCostUSD, e.ReservedTokens, e.ReservedCostUSD, e.Limits.DailyTokens, e.Limits.DailyCostUSD)
}

func (e *BudgetExceededError) Unwrap() error { return ErrBudgetExceeded }

// Reserve holds r's estimate against the day's limits and returns the
// reservation's id for Settle. A reservation not settled within
// Options.ReservationTTL (a replica that died mid-call) stops counting.
func (s *Store) Reserve(ctx context.Context, r Reservation, lim Limits) (string, error) {
	if err := boundedFields(map[string]string{"user": r.User, "provider": r.Provider, "model": r.Model}); err != nil {
		return "", err
	}
	if r.EstimatedTokens < 0 || r.EstimatedCostUSD < 0 || math.IsNaN(r.EstimatedCostUSD) || math.IsInf(r.EstimatedCostUSD, 0) {
		return "", fmt.Errorf("negative estimate (%d tokens, $%v)", r.EstimatedTokens, r.EstimatedCostUSD)
	}
	now := s.opt.Now()
	if r.Day.IsZero() {
		r.Day = now
	}
	day := r.Day.UTC().Format(dayLayout)
	id, err := newReservationID()
	if err != nil {
		return "", err
	}
	err = s.inTx(ctx, lockBudget, func(tx *sql.Tx) error {
		var e BudgetExceededError
		// One statement, so that PostgreSQL reads usage and reservations
		// from one snapshot.
		if err := tx.QueryRowContext(ctx, s.sql.rebind(`SELECT
			(SELECT CAST(COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS BIGINT) FROM usage WHERE day = ?),
			(SELECT COALESCE(SUM(cost_usd), 0) FROM usage WHERE day = ?),
			(SELECT CAST(COALESCE(SUM(tokens), 0) AS BIGINT) FROM reservations WHERE day = ? AND settled_at IS NULL AND expires_at > ?),
			(SELECT COALESCE(SUM(cost_usd), 0) FROM reservations WHERE day = ? AND settled_at IS NULL AND expires_at > ?)`),
			day, day, day, now.UnixMilli(), day, now.UnixMilli()).
			Scan(&e.UsedTokens, &e.UsedCostUSD, &e.ReservedTokens, &e.ReservedCostUSD); err != nil {
			return fmt.Errorf("read today's spend: %w", err)
		}
		e.Limits = lim
		switch {
		case r.Unpriced && lim.DailyCostUSD > 0 && lim.DailyTokens <= 0:
			e.Reason = fmt.Sprintf("model %s/%s has no known price and no daily token cap is set to bound it; configure its price or a token cap", r.Provider, r.Model)
		case lim.DailyTokens > 0 && e.UsedTokens+e.ReservedTokens+r.EstimatedTokens > lim.DailyTokens:
			e.Reason = fmt.Sprintf("%d more tokens do not fit today's token cap", r.EstimatedTokens)
		case lim.DailyCostUSD > 0 && !r.Unpriced && e.UsedCostUSD+e.ReservedCostUSD+r.EstimatedCostUSD > lim.DailyCostUSD:
			e.Reason = fmt.Sprintf("$%.4f more does not fit today's cost cap", r.EstimatedCostUSD)
		}
		if e.Reason != "" {
			return &e
		}
		cost := r.EstimatedCostUSD
		if r.Unpriced {
			cost = 0
		}
		_, err := tx.ExecContext(ctx, s.sql.rebind(`INSERT INTO reservations
			(id, day, "user", provider, model, tokens, cost_usd, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?)`),
			id, day, r.User, r.Provider, r.Model, r.EstimatedTokens, cost, now.UnixMilli(), now.Add(s.opt.ReservationTTL).UnixMilli())
		if err != nil {
			return fmt.Errorf("record reservation: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// Settle closes a reservation with what the call really consumed, also when
// it failed or was cut short (actual then holds the tokens up to that
// point), and adds it to the day's usage in the same transaction.
func (s *Store) Settle(ctx context.Context, id string, actual UsageEvent) error {
	if actual.At.IsZero() {
		actual.At = s.opt.Now()
	}
	// No budget lock: the reservation closes and the usage grows in one
	// commit, and Reserve reads both in one statement, so it sees the call
	// either reserved or spent, never neither nor both.
	return s.inTx(ctx, noLock, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.sql.rebind(`UPDATE reservations SET settled_at = ? WHERE id = ? AND settled_at IS NULL`),
			s.opt.Now().UnixMilli(), id)
		if err != nil {
			return fmt.Errorf("settle reservation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, s.sql.rebind(`SELECT 1 FROM reservations WHERE id = ?`), id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w %q", ErrUnknownReservation, id)
			} else if err != nil {
				return err
			}
			return fmt.Errorf("%w: %q", ErrAlreadySettled, id)
		}
		return s.recordUsage(ctx, tx, actual)
	})
}

func newReservationID() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("reservation id: %w", err)
	}
	return "rsv_" + hex.EncodeToString(b[:]), nil
}

// maxField bounds the names a caller passes (users, models, claim owners):
// they reach the database and come, in the end, from outside.
const maxField = 512

func boundedFields(fields map[string]string) error {
	for name, v := range fields {
		if len(v) > maxField {
			return fmt.Errorf("%s is %d bytes, more than %d", name, len(v), maxField)
		}
	}
	return nil
}

// settleTimeout bounds one settlement; an unsettled reservation still
// expires after ReservationTTL.
const settleTimeout = 10 * time.Second

// Hold reserves r and returns the function that settles it, for callers
// that pair the two around one model call (the engine's budget gate). The
// settle function records the usage once, however often it is called, and
// even when ctx was cancelled meanwhile: a cut call still consumed tokens.
func (s *Store) Hold(ctx context.Context, r Reservation, lim Limits) (settle func(UsageEvent) error, err error) {
	id, err := s.Reserve(ctx, r, lim)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	var settleErr error
	settleCtx := context.WithoutCancel(ctx)
	return func(actual UsageEvent) error {
		once.Do(func() {
			// Detached from ctx, so bounded here: a database that stops
			// answering must not hold the request that settles.
			ctx, cancel := context.WithTimeout(settleCtx, settleTimeout)
			defer cancel()
			if actual.Provider == "" && actual.Model == "" {
				actual.Provider, actual.Model = r.Provider, r.Model
			}
			if actual.User == "" {
				actual.User = r.User
			}
			settleErr = s.Settle(ctx, id, actual)
		})
		return settleErr
	}, nil
}
