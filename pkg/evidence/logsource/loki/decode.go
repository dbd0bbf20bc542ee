package loki

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// stream is one Loki stream: a label set and its entries.
type stream struct {
	labels  map[string]string
	entries []entry
}

type entry struct {
	t    time.Time
	line string
}

// queryResponse is Loki's query_range answer for a log query.
type queryResponse struct {
	Status string `json:"status"`
	Data   struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Stream map[string]string `json:"stream"`
			// Each value is [ "<unix ns>", "<line>" ] or, with structured
			// metadata (categorize-labels), [ "<unix ns>", "<line>", {..} ].
			Values [][]json.RawMessage `json:"values"`
		} `json:"result"`
	} `json:"data"`
}

// decode parses a query_range response body. Entries it cannot read are
// refused as a whole: a malformed answer is not evidence.
func decode(body []byte) ([]stream, error) {
	var resp queryResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("decode response: %w", err)
	}
	if resp.Status != "success" {
		return nil, fmt.Errorf("status %q", resp.Status)
	}
	if resp.Data.ResultType != "streams" {
		return nil, fmt.Errorf("result type %q, want streams (a log query, not a metric query)", resp.Data.ResultType)
	}
	out := make([]stream, 0, len(resp.Data.Result))
	for i, r := range resp.Data.Result {
		s := stream{labels: r.Stream, entries: make([]entry, 0, len(r.Values))}
		for j, v := range r.Values {
			e, err := decodeEntry(v)
			if err != nil {
				return nil, fmt.Errorf("result[%d].values[%d]: %w", i, j, err)
			}
			s.entries = append(s.entries, e)
		}
		out = append(out, s)
	}
	return out, nil
}

func decodeEntry(v []json.RawMessage) (entry, error) {
	if len(v) < 2 {
		return entry{}, errors.New("want [timestamp, line]")
	}
	var ts, line string
	if err := json.Unmarshal(v[0], &ts); err != nil {
		return entry{}, fmt.Errorf("timestamp: %w", err)
	}
	ns, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return entry{}, fmt.Errorf("timestamp %q: %w", ts, err)
	}
	if err := json.Unmarshal(v[1], &line); err != nil {
		return entry{}, fmt.Errorf("line: %w", err)
	}
	return entry{t: time.Unix(0, ns).UTC(), line: line}, nil
}
