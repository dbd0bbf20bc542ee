package file

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// BenchmarkFetchTail: the 256 KiB tail of a 20 MiB timestamped log.
func BenchmarkFetchTail(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "shop", "order-1", "order.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i := 0; sb.Len() < 20<<20; i++ {
		fmt.Fprintf(&sb, "%s level=info msg=\"handled request\" route=/orders status=200 duration_ms=%d\n",
			start.Add(time.Duration(i)*time.Millisecond).Format(time.RFC3339Nano), i%97)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Pattern: filepath.Join(dir, "{namespace}", "{pod}", "{container}.log")})
	if err != nil {
		b.Fatal(err)
	}
	req := logsource.Request{Target: incident.Target{Namespace: "shop"}, Until: start.Add(24 * time.Hour), MaxBytes: DefaultMaxBytes}
	b.ReportAllocs()
	for b.Loop() {
		out, err := s.Fetch(context.Background(), req)
		if err != nil || len(out) != 1 || !out[0].Truncated {
			b.Fatalf("%v %d", err, len(out))
		}
	}
}
