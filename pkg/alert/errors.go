package alert

import (
	"errors"
	"fmt"
)

// MaxBodyBytes bounds an alert body. Real payloads are a few KiB; a webhook
// grouping hundreds of alerts stays well below this.
const MaxBodyBytes = 1 << 20

// ErrTooLarge is returned for bodies over MaxBodyBytes (HTTP 413).
var ErrTooLarge = fmt.Errorf("alert body larger than %d bytes", MaxBodyBytes)

// InputError is a malformed or incomplete alert (HTTP 400). Field is a path
// into the body such as "labels" or "alerts[2].startsAt", so the sender can
// find what to fix.
type InputError struct {
	Field string
	Msg   string
	Err   error
}

func (e *InputError) Error() string {
	if e.Err != nil {
		return e.Field + ": " + e.Msg + ": " + e.Err.Error()
	}
	return e.Field + ": " + e.Msg
}

func (e *InputError) Unwrap() error { return e.Err }

// IsInputError reports whether err (or one it wraps) is an *InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

func inputErr(field, msg string) error { return &InputError{Field: field, Msg: msg} }

// prefixed re-roots the field of an InputError under a parent path, leaving
// other errors untouched.
func prefixed(parent string, err error) error {
	var ie *InputError
	if !errors.As(err, &ie) {
		return err
	}
	field := parent
	if ie.Field != "" {
		field = parent + "." + ie.Field
	}
	return &InputError{Field: field, Msg: ie.Msg, Err: ie.Err}
}
