package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPromserveCommand(t *testing.T) {
	om := filepath.Join(t.TempDir(), "metrics.om")
	if err := os.WriteFile(om, []byte("# TYPE demo_value gauge\ndemo_value 42 1795168800\n# EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"promserve", "--openmetrics", om},
			stdio{in: strings.NewReader(""), out: outW, errOut: &errOut, getenv: func(string) string { return "" }})
		outW.Close()
	}()
	urls := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(outR).ReadString('\n')
		urls <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, outR)
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(60 * time.Second):
		t.Fatal("promserve did not print its URL")
	}
	if url == "" { // it exited without serving
		code := <-done
		if strings.Contains(errOut.String(), "apt-get install prometheus") {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI needs prometheus: %s", errOut.String())
			}
			t.Skipf("SKIP: %s", errOut.String())
		}
		t.Fatalf("promserve exited %d: %s", code, errOut.String())
	}
	resp, err := http.Get(url + "/api/v1/query?query=demo_value&time=1795168800")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"42"`) {
		t.Errorf("query answer %s", body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after interrupt: %s", code, errOut.String())
	}
	if _, err := http.Get(url + "/-/ready"); err == nil {
		t.Error("prometheus still running after interrupt")
	}
}
