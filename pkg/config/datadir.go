package config

// Where the app and its nested data source keep their files. Both backends
// run as separate processes and must agree on the path of each
// organisation's history database without talking to each other.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvDir overrides the data directory (set it to a persistent volume when
// Grafana runs in a pod).
const EnvDir = "AIOPS_DATA_DIR"

// HistoryFile is the SQLite file name inside an organisation's directory.
const HistoryFile = "history.db"

// Dir returns the data directory: $AIOPS_DATA_DIR, else
// $GF_PATHS_DATA/cloudobs-aiops-app (Grafana's own data volume), else the
// user's cache directory, else the temporary directory.
func Dir(getenv func(string) string) string {
	if d := strings.TrimSpace(getenv(EnvDir)); d != "" {
		return d
	}
	if d := strings.TrimSpace(getenv("GF_PATHS_DATA")); d != "" {
		return filepath.Join(d, "cloudobs-aiops-app")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "cloudobs-aiops-app")
	}
	return filepath.Join(os.TempDir(), "cloudobs-aiops-app")
}

// HistoryPath is the history database of one Grafana organisation: orgs never
// see each other's explanations.
func HistoryPath(getenv func(string) string, orgID int64) string {
	if orgID <= 0 {
		orgID = 1
	}
	return filepath.Join(Dir(getenv), fmt.Sprintf("org-%d", orgID), HistoryFile)
}
