package tokens

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"hello world", "hello world", 2},
		{"single word", "Kubernetes", 2},
		{"log line", `level=error msg="connection refused" host=10.0.0.1`, 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.in); got != tt.want {
				t.Errorf("Count(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestCountWithCl100kDiffers(t *testing.T) {
	// "hello world" is 2 tokens in both; a non-English text differs between
	// the vocabularies, which shows the right one is used.
	s := "Привет, мир! Это журнал ошибок контейнера."
	if CountWith(Cl100k, s) == CountWith(O200k, s) {
		t.Fatalf("cl100k and o200k gave the same count %d for %q", Count(s), s)
	}
}

func TestCountLongTextIsNearExact(t *testing.T) {
	line := "2026-11-20T10:00:00Z ERROR order-service failed to reserve stock for order 12345: timeout after 3s\n"
	s := strings.Repeat(line, 2000) // ~200 KB, cut into pieces
	per := Count(line)
	got := Count(s)
	if got < per*2000-10 || got > per*2000+10 {
		t.Fatalf("Count of 2000 lines = %d, want about %d", got, per*2000)
	}
}

func TestEstimate(t *testing.T) {
	if Estimate("") != 0 || Estimate("a") != 1 || Estimate("abcdefgh") != 2 {
		t.Fatal("Estimate: wrong values for small inputs")
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("the quick brown fox jumps over the lazy dog ", 50)
	tests := []struct {
		name string
		in   string
		max  int
	}{
		{"fits", "hello world", 5},
		{"cut ascii", long, 10},
		{"cut unicode", strings.Repeat("日本語のログ行です。", 30), 7},
		{"zero", "hello", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.max)
			if n := Count(got); n > tt.max {
				t.Fatalf("Truncate(..., %d) has %d tokens", tt.max, n)
			}
			if !strings.HasPrefix(tt.in, got) {
				t.Fatalf("Truncate result is not a prefix: %q", got)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("Truncate cut inside a character: %q", got)
			}
			if Count(tt.in) <= tt.max && got != tt.in {
				t.Fatalf("Truncate changed a text that fits: %q", got)
			}
			if tt.max > 0 && Count(tt.in) > tt.max && Count(got) < tt.max-2 {
				t.Fatalf("Truncate cut too much: %d tokens of %d allowed", Count(got), tt.max)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if Count("hello world") != 2 {
				t.Error("wrong count under concurrency")
			}
		}()
	}
	wg.Wait()
}

func BenchmarkCount(b *testing.B) {
	s := strings.Repeat(`{"level":"error","msg":"payment declined","order":"ord_8f3a2c","latency_ms":123}`+"\n", 100)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Count(s)
	}
}

func BenchmarkEstimate(b *testing.B) {
	s := strings.Repeat("x", 8000)
	for b.Loop() {
		Estimate(s)
	}
}
