// Command gpx_aiops_datasource is the backend of the nested AI Observability
// data source. Grafana starts it beside the app's gpx_aiops.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	aiopsds "github.com/cloudobs/aiops-app/pkg/datasource"
)

func main() {
	if err := datasource.Manage(aiopsds.ID, aiopsds.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Data source plugin stopped", "error", err)
		os.Exit(1)
	}
}
