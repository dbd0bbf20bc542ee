package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Ping asks the API server for its version with the collector's
// credentials: it proves the address, the TLS trust and the token.
func (c *Collector) Ping(ctx context.Context) (string, error) {
	body, err := c.api.rest.Get().AbsPath("/version").Do(ctx).Raw()
	if err != nil {
		return "", fmt.Errorf("kubernetes API: %w", err)
	}
	var v struct {
		GitVersion string `json:"gitVersion"`
	}
	if json.Unmarshal(body, &v) != nil || v.GitVersion == "" {
		return "", errors.New("kubernetes API: /version answered without a version")
	}
	return v.GitVersion, nil
}
