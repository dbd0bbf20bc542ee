// Command order-service takes orders: it verifies the caller with
// auth-service and charges through payment-service.
//
// Environment: PORT (8080), AUTH_URL, PAYMENT_URL (both required), ADMIN_TOKEN,
// FAULT_* and OTEL_* (see services/README.md).
package main

import (
	"os"

	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/order"
)

func main() {
	os.Exit(kit.Main("order-service", func(s *kit.Service, getenv func(string) string) error {
		return order.Register(s, order.Config{AuthURL: getenv("AUTH_URL"), PaymentURL: getenv("PAYMENT_URL")})
	}))
}
