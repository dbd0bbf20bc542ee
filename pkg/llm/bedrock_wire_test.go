package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// The whole Converse body, as the Bedrock runtime's REST-JSON protocol
// wants it; the model id, an ARN here, goes in the path with ':' and '/'
// escaped as the SDK escaped them.
func TestBedrockRequestShape(t *testing.T) {
	const arn = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"
	f := &fakeBedrock{text: "ok"}
	p := newTestBedrock(t, f, func(s *Settings) { s.Model = arn })
	_, err := p.Complete(context.Background(), Request{System: "be brief", MaxTokens: 64, Temperature: 0.25,
		Messages: []Message{{Role: RoleUser, Content: "q"}, {Role: RoleAssistant, Content: "a"}, {Role: RoleUser, Content: "q2"}},
		Schema:   testSchema})
	if err != nil {
		t.Fatal(err)
	}
	f.assertSigned(t)
	if want := "POST /model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Ainference-profile%2Feu.anthropic.claude-3-haiku-20240307-v1%3A0/converse"; f.paths[0] != want {
		t.Errorf("path %s\nwant %s", f.paths[0], want)
	}
	got, _ := json.Marshal(f.bodies[0])
	schema, _ := json.Marshal(string(testSchema.JSON))
	want := `{"inferenceConfig":{"maxTokens":64,"temperature":0.25},` +
		`"messages":[{"content":[{"text":"q"}],"role":"user"},{"content":[{"text":"a"}],"role":"assistant"},{"content":[{"text":"q2"}],"role":"user"}],` +
		`"outputConfig":{"textFormat":{"structure":{"jsonSchema":{"name":"` + testSchema.Name + `","schema":` + string(schema) + `}},"type":"json_schema"}},` +
		`"system":[{"text":"be brief"}]}`
	if string(got) != want {
		t.Errorf("body\n%s\nwant\n%s", got, want)
	}
}

// frame encodes one event-stream message with the SDK's encoder.
func frame(t testing.TB, headers map[string]string, payload string) []byte {
	t.Helper()
	var h eventstream.Headers
	for k, v := range headers {
		h.Set(k, eventstream.StringValue(v))
	}
	var buf bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&buf, eventstream.Message{Headers: h, Payload: []byte(payload)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func event(t testing.TB, typ, payload string) []byte {
	return frame(t, map[string]string{":message-type": "event", ":event-type": typ, ":content-type": "application/json"}, payload)
}

func TestReadConverseStream(t *testing.T) {
	delta := event(t, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"hi"}}`)
	stop := event(t, "messageStop", `{"stopReason":"max_tokens"}`)
	meta := event(t, "metadata", `{"usage":{"inputTokens":7,"outputTokens":2}}`)
	throttled := frame(t, map[string]string{":message-type": "exception", ":exception-type": "throttlingException"}, `{"message":"slow down"}`)
	failed := frame(t, map[string]string{":message-type": "error", ":error-code": "InternalFailure", ":error-message": "boom"}, "")
	big := event(t, "contentBlockDelta", `{"delta":{"text":"`+strings.Repeat("x", maxFrameBytes)+`"}}`)
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	b := &bedrockBackend{model: "m", region: testRegion}

	for _, tc := range []struct {
		name   string
		stream []byte
		text   string
		kind   ErrorKind
		errHas string
	}{
		{"events", join(delta, delta, stop, meta), "hihi", "", ""},
		{"empty", nil, "", "", ""},
		{"throttled midway", join(delta, throttled), "", KindRateLimited, "ThrottlingException: slow down"},
		{"error frame", join(delta, failed), "", KindBadRequest, "InternalFailure: boom"},
		{"cut inside a frame", join(delta, stop[:len(stop)-3]), "", KindUnavailable, "unexpected EOF"},
		{"bad CRC", join(delta[:len(delta)-1], []byte{0}), "", KindBadRequest, "checksum"},
		{"frame over the bound", big, "", KindBadRequest, "larger than"},
		{"headers longer than the frame", []byte{0, 0, 0, 16, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0}, "", KindBadRequest, "header bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tokens strings.Builder
			resp, err := readConverseStream(bytes.NewReader(tc.stream), func(s string) { tokens.WriteString(s) })
			if tc.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Text != tc.text || tokens.String() != tc.text {
					t.Errorf("text %q, tokens %q, want %q", resp.Text, tokens.String(), tc.text)
				}
				if len(tc.stream) > 0 && (resp.StopReason != "max_tokens" || resp.Usage.PromptTokens != 7 || resp.Usage.CompletionTokens != 2) {
					t.Errorf("response %+v", resp)
				}
				return
			}
			var perr *Error
			if err == nil || !errors.As(b.classify(err), &perr) || perr.Kind != tc.kind || !strings.Contains(perr.Error(), tc.errHas) {
				t.Fatalf("error %v (classified %v), want kind %s containing %q", err, perr, tc.kind, tc.errHas)
			}
		})
	}
}

// Credentials that cannot be had fail before any request, as an auth error.
func TestBedrockCredentialFailure(t *testing.T) {
	b := &bedrockBackend{model: "m", region: testRegion, endpoint: "http://127.0.0.1:1", signer: nil}
	_, err := b.complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	var perr *Error
	if !errors.As(err, &perr) || perr.Kind != KindAuth || !strings.Contains(err.Error(), "no AWS credentials") {
		t.Fatalf("error %v, want an auth error", err)
	}
}

// FuzzReadConverseStream: any answer decodes without panic, and what it
// accepts is exactly what it passed on, within the bounds.
func FuzzReadConverseStream(f *testing.F) {
	f.Add(bytes.Join([][]byte{
		event(f, "messageStart", `{"role":"assistant"}`),
		event(f, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"node pressure"}}`),
		event(f, "messageStop", `{"stopReason":"end_turn"}`),
		event(f, "metadata", `{"usage":{"inputTokens":1,"outputTokens":2}}`),
	}, nil))
	f.Add(frame(f, map[string]string{":message-type": "exception", ":exception-type": "validationException"}, `{"message":"no"}`))
	f.Add([]byte{0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var tokens strings.Builder
		resp, err := readConverseStream(io.LimitReader(bytes.NewReader(data), 4*maxFrameBytes), func(s string) { tokens.WriteString(s) })
		if err != nil {
			return
		}
		if resp.Text != tokens.String() || len(resp.Text) > maxResponseBytes {
			t.Fatalf("text %q, tokens %q", resp.Text, tokens.String())
		}
	})
}
