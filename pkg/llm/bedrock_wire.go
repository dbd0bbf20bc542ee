package llm

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/cloudobs/aiops-app/pkg/awsapi"
)

// The Bedrock runtime's REST-JSON shapes, with only the fields the provider
// sends or reads.

type converseIn struct {
	Messages        []converseMessage `json:"messages"`
	System          []textBlock       `json:"system,omitempty"`
	InferenceConfig inferenceConfig   `json:"inferenceConfig"`
	OutputConfig    *outputConfig     `json:"outputConfig,omitempty"`
}

type converseMessage struct {
	Role    string      `json:"role"`
	Content []textBlock `json:"content"`
}

type textBlock struct {
	Text string `json:"text"`
}

type inferenceConfig struct {
	MaxTokens   int     `json:"maxTokens,omitempty"`
	Temperature float32 `json:"temperature"`
}

type outputConfig struct {
	TextFormat struct {
		Type      string `json:"type"`
		Structure struct {
			JSONSchema jsonSchema `json:"jsonSchema"`
		} `json:"structure"`
	} `json:"textFormat"`
}

type jsonSchema struct {
	Name   string `json:"name"`
	Schema string `json:"schema"`
}

type converseOut struct {
	Output struct {
		Message struct {
			Content []textBlock `json:"content"`
		} `json:"message"`
	} `json:"output"`
	StopReason string      `json:"stopReason"`
	Usage      *tokenUsage `json:"usage"`
}

type tokenUsage struct {
	InputTokens  int `json:"inputTokens"`
	OutputTokens int `json:"outputTokens"`
}

func (u *tokenUsage) usage() Usage {
	if u == nil {
		return Usage{}
	}
	return Usage{PromptTokens: u.InputTokens, CompletionTokens: u.OutputTokens}
}

// apiFailure is a runtime error answer with its Retry-After.
type apiFailure struct {
	*awsapi.APIError
	retryAfter time.Duration
}

func (f *apiFailure) Unwrap() error { return f.APIError }

// credentialsError is a failure to obtain or use credentials before any
// request was sent.
type credentialsError struct{ err error }

func (e *credentialsError) Error() string { return e.err.Error() }
func (e *credentialsError) Unwrap() error { return e.err }

// streamException is an exception or error event inside a 200 stream
// (throttling, a model error midway).
type streamException struct{ code, message string }

func (e *streamException) Error() string { return e.code + ": " + e.message }

// runtimeEndpoint picks override (settings), then the SDK's endpoint
// variables (service-specific, then AWS_ENDPOINT_URL or the profile's
// endpoint_url, which LoadDefaultConfig put in BaseEndpoint), then the
// regional endpoint.
func runtimeEndpoint(cfg aws.Config, override string) string {
	endpoint := "https://bedrock-runtime." + cfg.Region + ".amazonaws.com"
	if strings.HasPrefix(cfg.Region, "cn-") {
		endpoint += ".cn"
	}
	switch {
	case override != "":
		endpoint = override
	case os.Getenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME") != "":
		endpoint = os.Getenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
	case cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "":
		endpoint = *cfg.BaseEndpoint
	}
	return strings.TrimRight(endpoint, "/")
}

// escapeSegment escapes a model id (or ARN) as one path segment the way the
// SDK does: everything but RFC 3986's unreserved characters, so the ':' and
// '/' of ARNs and versioned ids are sent as %3A and %2F.
func escapeSegment(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			sb.WriteByte(c)
			continue
		}
		fmt.Fprintf(&sb, "%%%02X", c)
	}
	return sb.String()
}

// Bounds of one event-stream frame: a delta carries a few tokens, metadata
// a few hundred bytes; 1 MB leaves room for any event the provider reads.
const (
	maxFrameBytes = 1 << 20
	// preludeBytes is the frame's total length, headers length and CRC.
	preludeBytes = 12
	// minFrameBytes is a frame without headers or payload: prelude and CRC.
	minFrameBytes = preludeBytes + 4
)

var errFrameTooLarge = fmt.Errorf("event-stream frame larger than %d bytes", maxFrameBytes)

// readConverseStream decodes a ConverseStream answer, calling onToken with
// each text delta. Frames are size-checked from their prelude before they
// are read, then decoded (CRCs included) by the SDK's decoder; the text
// is bounded by maxResponseBytes.
func readConverseStream(r io.Reader, onToken func(string)) (Response, error) {
	br := bufio.NewReader(r)
	dec := eventstream.NewDecoder()
	var resp Response
	var text strings.Builder
	var frame, payload []byte
	for {
		prelude, err := br.Peek(preludeBytes)
		if len(prelude) == 0 && errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Response{}, fmt.Errorf("converse-stream: frame prelude: %w", noEOF(err))
		}
		total, headers := binary.BigEndian.Uint32(prelude), binary.BigEndian.Uint32(prelude[4:])
		if total > maxFrameBytes {
			return Response{}, fmt.Errorf("converse-stream: %w", errFrameTooLarge)
		}
		if total < minFrameBytes || headers > total-minFrameBytes {
			return Response{}, fmt.Errorf("converse-stream: frame of %d bytes declares %d header bytes", total, headers)
		}
		if cap(frame) < int(total) {
			frame = make([]byte, total)
		}
		frame = frame[:total]
		if _, err := io.ReadFull(br, frame); err != nil {
			return Response{}, fmt.Errorf("converse-stream: frame: %w", noEOF(err))
		}
		msg, err := dec.Decode(bytes.NewReader(frame), payload[:0])
		if err != nil {
			return Response{}, fmt.Errorf("converse-stream: decode frame: %w", err)
		}
		payload = msg.Payload
		if err := streamEvent(msg, &resp, &text, onToken); err != nil {
			return Response{}, err
		}
		if text.Len() > maxResponseBytes {
			return Response{}, errResponseTooLarge
		}
	}
	resp.Text = text.String()
	return resp, nil
}

// noEOF turns a stream cut inside a frame into io.ErrUnexpectedEOF, which
// classifies as the provider being unavailable.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// streamEvent applies one decoded frame.
func streamEvent(msg eventstream.Message, resp *Response, text *strings.Builder, onToken func(string)) error {
	header := func(name string) string {
		if v := msg.Headers.Get(name); v != nil {
			return v.String()
		}
		return ""
	}
	switch header(":message-type") {
	case "event":
	case "exception":
		var body struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(msg.Payload, &body)
		// Stream exceptions are named like union members
		// ("throttlingException"); error answers capitalise them.
		code := header(":exception-type")
		if code != "" {
			code = strings.ToUpper(code[:1]) + code[1:]
		}
		return &streamException{code: code, message: body.Message}
	case "error":
		return &streamException{code: header(":error-code"), message: header(":error-message")}
	default:
		return fmt.Errorf("converse-stream: frame of message type %q", header(":message-type"))
	}
	var ev struct {
		Delta *struct {
			Text string `json:"text"`
		} `json:"delta"`
		StopReason string      `json:"stopReason"`
		Usage      *tokenUsage `json:"usage"`
	}
	if err := json.Unmarshal(msg.Payload, &ev); err != nil {
		return fmt.Errorf("converse-stream: %s event: %w", header(":event-type"), err)
	}
	switch header(":event-type") {
	case "contentBlockDelta":
		if ev.Delta != nil && ev.Delta.Text != "" {
			text.WriteString(ev.Delta.Text)
			onToken(ev.Delta.Text)
		}
	case "messageStop":
		resp.StopReason = ev.StopReason
	case "metadata":
		resp.Usage = ev.Usage.usage()
	}
	return nil
}
