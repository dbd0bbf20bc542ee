package engine

import (
	"errors"
	"time"
)

// Code says what kind of failure an Error is, so that each caller (HTTP,
// data source, CLI) can map it to its own vocabulary.
type Code int

// Error codes.
const (
	// Invalid: the request itself is wrong (an unknown or unconfigured provider).
	Invalid Code = iota + 1
	// Unavailable: something the engine needs cannot be reached or set up.
	Unavailable
	// Refused: a limit (the AI budget) forbids the request for now.
	Refused
)

// Error is a failure with a message meant for the user who asked.
type Error struct {
	Code    Code
	Message string
	// RetryAfter is when a Refused request may succeed again.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// ErrBudget marks refusals for an exhausted budget (the webhook skips them).
var ErrBudget = errors.New("daily AI budget exhausted")
