package tokens

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tiktoken-go/tokenizer/codec"
)

// reference is tiktoken-go, the library the encoder replaces; the tests
// hold the two to the same ids.
var reference = map[Encoding]*codec.Codec{
	O200k:  codec.NewO200kBase(),
	Cl100k: codec.NewCl100kBase(),
}

func ids(enc Encoding, s string) []uint {
	var out []uint
	encode(enc, s, func(r uint32, _ int) { out = append(out, uint(r)) })
	return out
}

// checkParity fails unless both encodings give tiktoken-go's ids and count
// for s.
func checkParity(t testing.TB, s string) {
	t.Helper()
	for enc, ref := range reference {
		want, _, err := ref.Encode(s)
		if err != nil {
			t.Fatalf("%s: tiktoken-go: %v", enc, err)
		}
		got := ids(enc, s)
		if !slices.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: ids differ at token %d of %q: got %v, want %v", enc, i, trimTo(s, 200),
				got[i:min(len(got), i+5)], want[i:min(len(want), i+5)])
		}
		if n := CountWith(enc, s); len(s) <= maxExactBytes && n != len(want) {
			t.Fatalf("%s: CountWith = %d, want %d", enc, n, len(want))
		}
	}
}

func trimTo(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func TestParityCases(t *testing.T) {
	cases := []string{
		"", "hello world", "  leading and trailing  ", "tabs\tand\nnewlines\r\n\r\n  \n",
		"I'm, you're, they've, he'll, she'd, it's, DON'T, WE'LL, 'S 'ſ 'Re",
		"CamelCaseIdentifier HTTPServerError snake_case_name kebab-case-name",
		"path/to/file.go:123 //comment\n/usr/bin/env\n//\n", "!!!\n\n///\r\n",
		"12345678901 3.14159 1,000,000 ١٢٣٤ ⅫⅩ ²³",
		"日本語のログ行です。中文日志。한국어 로그", "Привет, мир! Ἀθῆναι ÉCOLE école",
		"emoji 😀👍🏽👨‍👩‍👧 flags 🇩🇪🇯🇵 keycap 1️⃣", "combining e\u0301 a\u0308 \u0301\u0301x",
		"ǅungla ǈ ǋ ʰʲ ᴬ", "nbsp\u00a0x\u2003y\u3000z\u2028w\u0085v\u180ev\u200bv",
		"\x00\x01\x1f\x7f control", "ends with spaces   ", "ends with newline\n",
		"invalid \xff\xfe utf8 \xe2\x82 cut \xf0\x9f\x98 and \xc0\xaf", "\xed\xa0\x80 surrogate",
		strings.Repeat("a", 5000), strings.Repeat("ab1 ", 3000), strings.Repeat("😀", 2000),
		strings.Repeat("-", 10000), strings.Repeat("0123456789", 500), strings.Repeat(" ", 3000) + "x",
		`{"level":"error","msg":"payment declined","order":"ord_8f3a2c","latency_ms":123}`,
		"2026-11-20T10:00:00Z ERROR order-service failed: dial tcp 10.0.0.1:5432: connect: connection refused",
	}
	for _, s := range cases {
		checkParity(t, s)
	}
}

// TestParityCorpus runs every log, manifest and metrics file of the
// scenario corpora through both encoders, in chunks as Count cuts them.
func TestParityCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the scenario corpus")
	}
	root := filepath.Join("..", "..", "testdata")
	files, bytes := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".log", ".yaml", ".om", ".json":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// The first 16 KB of each file: every kind of line the corpus has,
		// at a bounded cost under -race (whole files up to 256 KB, 39 MB in
		// all, also agreed when last checked).
		s := cutBytes(string(b), 16<<10)
		for piece := range pieces(s) {
			checkParity(t, piece)
		}
		files++
		bytes += len(s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d corpus files, want the scenario corpus", files)
	}
	t.Logf("%d files, %d bytes", files, bytes)
}

func FuzzParity(f *testing.F) {
	for _, s := range []string{"hello world", "I'M 'ſ x\r\n\r\n /a//", "日本語 😀\xff\xfe", "  \n\t x 123456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		checkParity(t, s)
	})
}

// BenchmarkCountTiktoken is BenchmarkCount through tiktoken-go, for
// benchstat old vs new.
func BenchmarkCountTiktoken(b *testing.B) {
	s := strings.Repeat(`{"level":"error","msg":"payment declined","order":"ord_8f3a2c","latency_ms":123}`+"\n", 100)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, err := reference[O200k].Count(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadO200k is the one-time cost of the first Count.
func BenchmarkLoadO200k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseVocab(o200kFile); err != nil {
			b.Fatal(err)
		}
	}
}
