// Command auth-service logs users in and verifies their session tokens.
//
// Environment: PORT (8080), AUTH_USERS ("name:password,..."; demo users when
// unset), AUTH_SIGNING_KEY (required outside SHOP_DEV_MODE; shared by every
// replica and by payment-service), ADMIN_TOKEN, ADMIN_PORT, FAULT_* and OTEL_*
// (see services/README.md).
package main

import (
	"os"

	"github.com/cloudobs/aiops-app/services/internal/auth"
	"github.com/cloudobs/aiops-app/services/internal/kit"
	"github.com/cloudobs/aiops-app/services/internal/token"
)

// demoUsers are the load generator's accounts when AUTH_USERS is unset.
const demoUsers = "alice:wonderland,bob:builder,carol:demo"

func main() {
	os.Exit(kit.Main("auth-service", func(s *kit.Service, getenv func(string) string) error {
		spec := getenv("AUTH_USERS")
		if spec == "" {
			spec = demoUsers
		}
		users, err := auth.ParseUsers(spec)
		if err != nil {
			return err
		}
		signer, err := token.FromEnv(getenv, s.DevMode, s.Log)
		if err != nil {
			return err
		}
		return auth.Register(s, auth.Config{Users: users, Signer: signer})
	}))
}
