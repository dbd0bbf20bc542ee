// Command loadgen sends steady traffic across auth-, order- and
// payment-service so their metrics, traces and logs have something to show.
//
// Environment (flags override): AUTH_URL, ORDER_URL, PAYMENT_URL, RATE
// (journeys per second, default 5), DURATION (default: until stopped),
// USERS ("name:password,...", default the auth-service demo users).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cloudobs/aiops-app/services/internal/loadgen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	envOr := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	rate, err := strconv.ParseFloat(envOr("RATE", "5"), 64)
	if err != nil {
		return fmt.Errorf("RATE: %w", err)
	}
	duration, err := time.ParseDuration(envOr("DURATION", "0s"))
	if err != nil {
		return fmt.Errorf("DURATION: %w", err)
	}
	cfg := loadgen.Config{Rate: rate, Duration: duration}
	flag.StringVar(&cfg.AuthURL, "auth-url", envOr("AUTH_URL", "http://localhost:8081"), "auth-service base URL")
	flag.StringVar(&cfg.OrderURL, "order-url", envOr("ORDER_URL", "http://localhost:8082"), "order-service base URL")
	flag.StringVar(&cfg.PaymentURL, "payment-url", envOr("PAYMENT_URL", "http://localhost:8083"), "payment-service base URL")
	flag.Float64Var(&cfg.Rate, "rate", cfg.Rate, "journeys started per second")
	flag.DurationVar(&cfg.Duration, "duration", cfg.Duration, "how long to run (0: until interrupted)")
	users := flag.String("users", envOr("USERS", "alice:wonderland,bob:builder,carol:demo"), "name:password accounts")
	flag.Parse()
	for _, pair := range strings.Split(*users, ",") {
		if name, pw, ok := strings.Cut(strings.TrimSpace(pair), ":"); ok {
			cfg.Users = append(cfg.Users, [2]string{name, pw})
		}
	}
	cfg.Log = slog.New(slog.NewJSONHandler(os.Stdout, nil)).With("service", "loadgen")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	_, err = loadgen.Run(ctx, cfg)
	return err
}
