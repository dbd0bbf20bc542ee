// Command payment-service charges and refunds orders.
//
// Environment: PORT (8080), AUTH_SIGNING_KEY (required outside SHOP_DEV_MODE;
// the key auth-service signs with), ADMIN_TOKEN, ADMIN_PORT, FAULT_* and OTEL_*
// (see services/README.md).
package main

import (
	"os"

	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/payment"
	"github.com/cloudobs/aiops-app/services/internal/token"
)

func main() {
	os.Exit(kit.Main("payment-service", func(s *kit.Service, getenv func(string) string) error {
		signer, err := token.FromEnv(getenv, s.DevMode, s.Log)
		if err != nil {
			return err
		}
		return payment.Register(s, payment.Config{Signer: signer})
	}))
}
