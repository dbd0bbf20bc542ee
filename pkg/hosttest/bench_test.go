package hosttest

import (
	"context"
	"errors"
	"io"
	"os/exec"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// BenchmarkPluginStart measures what Grafana waits for when it (re)starts the
// app backend: process start, handshake and the first gRPC answer.
func BenchmarkPluginStart(b *testing.B) {
	path := benchBinary(b)
	b.ReportAllocs()
	for b.Loop() {
		client := goplugin.NewClient(&goplugin.ClientConfig{
			HandshakeConfig:  grafanaHandshake(grpcplugin.MagicCookieValue),
			VersionedPlugins: grafanaPluginSet(),
			Cmd:              exec.Command(path),
			AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
			Logger:           hclog.NewNullLogger(),
		})
		rpc, err := client.Client()
		if err != nil {
			b.Fatal(err)
		}
		raw, err := rpc.Dispense("diagnostics")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := raw.(grpcplugin.DiagnosticsClient).CheckHealth(context.Background(),
			&pluginv2.CheckHealthRequest{PluginContext: appContext(`{}`, nil)}); err != nil {
			b.Fatal(err)
		}
		client.Kill()
	}
}

// BenchmarkHealthResource measures one GET /health resource call through
// Grafana's gRPC path with default settings (offline LLM, nothing else
// configured): the adapter's own overhead.
func BenchmarkHealthResource(b *testing.B) {
	path := benchBinary(b)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  grafanaHandshake(grpcplugin.MagicCookieValue),
		VersionedPlugins: grafanaPluginSet(),
		Cmd:              exec.Command(path),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		b.Fatal(err)
	}
	raw, err := rpc.Dispense("resource")
	if err != nil {
		b.Fatal(err)
	}
	res := raw.(grpcplugin.ResourceClient)
	pc := appContext(`{}`, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		stream, err := res.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: pc, Path: "health", Method: "GET", Url: "health"})
		if err != nil {
			b.Fatal(err)
		}
		for {
			msg, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if msg.Code != 0 && msg.Code != 200 {
				b.Fatalf("code %d: %s", msg.Code, msg.Body)
			}
		}
	}
}

func benchBinary(b *testing.B) string {
	b.Helper()
	path, err := builtBinary("", "gpx_aiops")
	if err != nil {
		b.Skip("SKIP: " + err.Error())
	}
	return path
}
