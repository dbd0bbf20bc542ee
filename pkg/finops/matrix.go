package finops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// A range query's answer is read here straight from the body's bytes into
// the caller's per-container rows, without building client_golang's
// model.Matrix: for a week of 1,000 containers the five selectors answer
// about 175 MB of JSON, and decoding it into a Matrix (a string per label,
// a pair per sample, through encoding/json's validation pass) was most of
// an allocation's time.
//
// The reader accepts the answer Prometheus writes,
//
//	{"status":"success","data":{"resultType":"matrix","result":[
//	  {"metric":{"namespace":"a",…},"values":[[1730419500,"0.25"],…]},…]},
//	 "warnings":[…],"infos":[…]}
//
// with its members in any order, except that a series' "metric" must come
// before its "values" (Prometheus writes them so). Members it does not
// know are skipped; anything that is not JSON is an error.

// seriesSink receives one answer's series: series is called with a
// series' container labels and returns the function that takes its
// samples (timestamp in milliseconds, value).
type seriesSink func(k containerKey3) func(ms int64, v float64) error

// maxJSONDepth bounds the nesting of the members the reader skips.
const maxJSONDepth = 64

// readMatrix reads a successful range query's answer, giving its series
// to sink, at most maxSeries of them, and returns the answer's warnings.
func readMatrix(body []byte, maxSeries int, sink seriesSink) ([]string, error) {
	r := &jsonReader{b: body}
	var (
		warns   []string
		status  string
		gotData bool
	)
	err := r.object(func(key []byte) error {
		switch string(key) {
		case "status":
			s, err := r.str()
			status = s
			return err
		case "data":
			if gotData {
				return r.errorf("two data members")
			}
			gotData = true
			return r.data(maxSeries, sink)
		case "warnings":
			return r.array(func() error {
				s, err := r.str()
				warns = append(warns, s)
				return err
			})
		default:
			return r.skip(0)
		}
	})
	if err == nil {
		r.ws()
		if r.p != len(r.b) {
			err = r.errorf("data after the answer")
		}
	}
	switch {
	case err != nil:
		return warns, fmt.Errorf("malformed answer: %w", err)
	case status != "success":
		return warns, fmt.Errorf("answer status %q, want success", status)
	case !gotData:
		return warns, errors.New("malformed answer: no data")
	}
	return warns, nil
}

// data reads {"resultType":"matrix","result":[…]}.
func (r *jsonReader) data(maxSeries int, sink seriesSink) error {
	n := 0
	typ := ""
	return r.object(func(key []byte) error {
		switch string(key) {
		case "resultType":
			var err error
			if typ, err = r.str(); err == nil && typ != "matrix" {
				err = fmt.Errorf("result type %q, want matrix", typ)
			}
			return err
		case "result":
			return r.array(func() error {
				if n++; n > maxSeries {
					return fmt.Errorf("more than the %d series allowed (narrow the query or raise the bound)", maxSeries)
				}
				return r.series(sink)
			})
		default:
			return r.skip(0)
		}
	})
}

// series reads {"metric":{…},"values":[[t,"v"],…]}.
func (r *jsonReader) series(sink seriesSink) error {
	var add func(int64, float64) error
	return r.object(func(key []byte) error {
		switch string(key) {
		case "metric":
			var k containerKey3
			err := r.object(func(name []byte) error {
				var dst *string
				switch string(name) {
				case "namespace":
					dst = &k.namespace
				case "pod":
					dst = &k.pod
				case "container":
					dst = &k.container
				default:
					return r.skip(0)
				}
				var err error
				*dst, err = r.str()
				return err
			})
			if err == nil {
				add = sink(k)
			}
			return err
		case "values":
			if add == nil {
				return r.errorf("series values before its labels")
			}
			return r.array(func() error {
				if err := r.want('['); err != nil {
					return err
				}
				ms, err := r.timestamp()
				if err != nil {
					return err
				}
				if err := r.want(','); err != nil {
					return err
				}
				v, err := r.sampleValue()
				if err != nil {
					return err
				}
				if err := r.want(']'); err != nil {
					return err
				}
				return add(ms, v)
			})
		default:
			return r.skip(0)
		}
	})
}

// jsonReader reads JSON from b at p.
type jsonReader struct {
	b []byte
	p int
}

func (r *jsonReader) errorf(format string, args ...any) error {
	return fmt.Errorf("at byte %d: %s", r.p, fmt.Sprintf(format, args...))
}

func (r *jsonReader) ws() {
	for r.p < len(r.b) {
		switch r.b[r.p] {
		case ' ', '\t', '\n', '\r':
			r.p++
		default:
			return
		}
	}
}

// peek is the next byte after white space, 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.p == len(r.b) {
		return 0
	}
	return r.b[r.p]
}

func (r *jsonReader) want(c byte) error {
	if got := r.peek(); got != c {
		if got == 0 {
			return r.errorf("want %q, the answer ends", c)
		}
		return r.errorf("want %q, got %q", c, got)
	}
	r.p++
	return nil
}

// object reads an object, calling member with each key once the reader is
// at the key's value; member must read the value.
func (r *jsonReader) object(member func(key []byte) error) error {
	return r.list('{', '}', "an object", func() error {
		key, err := r.rawStr()
		if err != nil {
			return err
		}
		if err := r.want(':'); err != nil {
			return err
		}
		return member(key)
	})
}

// array reads an array, calling elem at each element; elem must read it.
func (r *jsonReader) array(elem func() error) error {
	return r.list('[', ']', "an array", elem)
}

// list reads the comma-separated elements between open and close.
func (r *jsonReader) list(open, close byte, what string, elem func() error) error {
	if err := r.want(open); err != nil {
		return err
	}
	if r.peek() == close {
		r.p++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.p++
		case close:
			r.p++
			return nil
		case 0:
			return r.errorf("the answer ends in %s", what)
		default:
			return r.errorf("want ',' or '%c' in %s", close, what)
		}
	}
}

// rawStr reads a string and returns its bytes between the quotes, escapes
// undecoded; a key the reader compares has none in a valid answer.
func (r *jsonReader) rawStr() ([]byte, error) {
	if err := r.want('"'); err != nil {
		return nil, err
	}
	start := r.p
	ascii := true
	for r.p < len(r.b) {
		switch c := r.b[r.p]; {
		case c == '"':
			r.p++
			raw := r.b[start : r.p-1]
			if !ascii && !utf8.Valid(raw) {
				return nil, r.errorf("string is not UTF-8")
			}
			return raw, nil
		case c == '\\':
			if err := r.escape(); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, r.errorf("control character in a string")
		default:
			ascii = ascii && c < utf8.RuneSelf
			r.p++
		}
	}
	return nil, r.errorf("unterminated string")
}

// escape steps over one escape sequence of a string.
func (r *jsonReader) escape() error {
	if r.p+1 >= len(r.b) {
		return r.errorf("unterminated string")
	}
	switch r.b[r.p+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		r.p += 2
		return nil
	case 'u':
		if r.p+6 > len(r.b) {
			return r.errorf("unterminated string")
		}
		for _, h := range r.b[r.p+2 : r.p+6] {
			if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
				return r.errorf("bad \\u escape")
			}
		}
		r.p += 6
		return nil
	}
	return r.errorf("bad escape \\%c", r.b[r.p+1])
}

// str reads a string and decodes its escapes.
func (r *jsonReader) str() (string, error) {
	raw, err := r.rawStr()
	if err != nil {
		return "", err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw), nil
	}
	var s string
	if err := json.Unmarshal(r.b[r.p-len(raw)-2:r.p], &s); err != nil {
		return "", r.errorf("string: %v", err)
	}
	return s, nil
}

// timestamp reads a sample time, seconds with up to millisecond decimals,
// as milliseconds.
func (r *jsonReader) timestamp() (int64, error) {
	r.ws()
	start := r.p
	neg := r.p < len(r.b) && r.b[r.p] == '-'
	if neg {
		r.p++
	}
	var sec int64
	digits := 0
	if r.p+1 < len(r.b) && r.b[r.p] == '0' && r.b[r.p+1] >= '0' && r.b[r.p+1] <= '9' {
		return 0, r.errorf("timestamp with a leading zero")
	}
	for ; r.p < len(r.b) && r.b[r.p] >= '0' && r.b[r.p] <= '9'; r.p++ {
		if digits++; digits > 12 {
			return 0, r.errorf("timestamp %s is out of range", r.b[start:r.p])
		}
		sec = sec*10 + int64(r.b[r.p]-'0')
	}
	if digits == 0 {
		return 0, r.errorf("want a timestamp")
	}
	ms := sec * 1000
	if r.p < len(r.b) && r.b[r.p] == '.' {
		r.p++
		scale := int64(100)
		frac := 0
		for ; r.p < len(r.b) && r.b[r.p] >= '0' && r.b[r.p] <= '9'; r.p++ {
			if frac++; frac > 3 {
				return 0, r.errorf("timestamp %s is finer than a millisecond", r.b[start:r.p+1])
			}
			ms += int64(r.b[r.p]-'0') * scale
			scale /= 10
		}
		if frac == 0 {
			return 0, r.errorf("timestamp without decimals after its point")
		}
	}
	if neg {
		ms = -ms
	}
	return ms, nil
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// sampleValue reads a sample's value, a string such as "0.25", "1e+09",
// "NaN" or "+Inf". A plain decimal of at most 15 digits is one exact
// division of two exactly held numbers, so correctly rounded, the value
// strconv gives; anything else goes through strconv.
func (r *jsonReader) sampleValue() (float64, error) {
	raw, err := r.rawStr()
	if err != nil {
		return 0, err
	}
	var mant uint64
	digits, point, ok := 0, -1, len(raw) > 0
	for i, c := range raw {
		switch {
		case c >= '0' && c <= '9' && digits < 15:
			mant = mant*10 + uint64(c-'0')
			digits++
		case c == '.' && point < 0:
			point = i
		default:
			ok = false
		}
		if !ok {
			break
		}
	}
	if ok && digits > 0 {
		scale := 0
		if point >= 0 {
			scale = len(raw) - point - 1
		}
		return float64(mant) / pow10[scale], nil
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, r.errorf("sample value %q is not a number", raw)
	}
	return v, nil
}

// skip reads any value.
func (r *jsonReader) skip(depth int) error {
	if depth > maxJSONDepth {
		return r.errorf("nested deeper than %d", maxJSONDepth)
	}
	switch c := r.peek(); {
	case c == '{':
		return r.object(func([]byte) error { return r.skip(depth + 1) })
	case c == '[':
		return r.array(func() error { return r.skip(depth + 1) })
	case c == '"':
		_, err := r.str()
		return err
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := r.p
		for r.p < len(r.b) && (r.b[r.p] == '-' || r.b[r.p] == '+' || r.b[r.p] == '.' || r.b[r.p] == 'e' || r.b[r.p] == 'E' || r.b[r.p] >= '0' && r.b[r.p] <= '9') {
			r.p++
		}
		if !json.Valid(r.b[start:r.p]) {
			return r.errorf("bad number %q", r.b[start:r.p])
		}
		return nil
	case c == 0:
		return r.errorf("want a value, the answer ends")
	default:
		return r.errorf("want a value, got %q", c)
	}
}

func (r *jsonReader) literal(word string) error {
	if len(r.b)-r.p < len(word) || string(r.b[r.p:r.p+len(word)]) != word {
		return r.errorf("want %s", word)
	}
	r.p += len(word)
	return nil
}

// finite reports a value a sum can use.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
