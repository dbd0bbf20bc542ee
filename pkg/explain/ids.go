package explain

import (
	"crypto/rand"
	"strings"
	"time"
)

// crockford is the ULID alphabet: no I, L, O or U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewID returns an explanation id "ex_" + 26 ULID-style characters: 10 for
// the millisecond time (so ids sort by creation) and 16 random ones.
func NewID() string {
	var sb strings.Builder
	sb.WriteString("ex_")
	ms := uint64(time.Now().UnixMilli())
	var ts [10]byte
	for i := 9; i >= 0; i-- {
		ts[i] = crockford[ms&31]
		ms >>= 5
	}
	sb.Write(ts[:])
	var rnd [16]byte
	_, _ = rand.Read(rnd[:]) // crypto/rand.Read never fails (Go 1.24+).
	for _, b := range rnd {
		sb.WriteByte(crockford[b&31])
	}
	return sb.String()
}

// oneLine collapses whitespace so an error fits a note or a log line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clipText bounds s to n bytes on a rune boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
