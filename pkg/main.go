// Command gpx_aiops is the backend of the AI Observability & FinOps app
// plugin. Grafana starts it and talks to it over gRPC.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/app"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/cloudobs/aiops-app/pkg/plugin"
)

func main() {
	if err := app.Manage(plugin.ID, plugin.NewApp, app.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("App plugin stopped", "error", err)
		os.Exit(1)
	}
}
