// Command payment-service charges and refunds orders.
//
// Environment: PORT (8080), ADMIN_TOKEN, FAULT_* and OTEL_* (see services/README.md).
package main

import (
	"os"

	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/payment"
)

func main() {
	os.Exit(kit.Main("payment-service", func(s *kit.Service, _ func(string) string) error {
		payment.Register(s)
		return nil
	}))
}
