// Package packaging stages the plugin manifests into dist/, writes the
// archive Grafana's plugin catalog expects, and checks it against the rules of
// Grafana's plugin validator that can be checked offline. The Magefile calls
// it; its tests run without a build.
package packaging

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Manifest is the part of plugin.json that packaging reads and checks.
type Manifest struct {
	Type       string `json:"type"`
	Name       string `json:"name"`
	ID         string `json:"id"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Info       struct {
		Description string `json:"description"`
		Author      struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"author"`
		Keywords []string `json:"keywords"`
		Logos    struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Links []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"links"`
		Screenshots []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"screenshots"`
		Version string `json:"version"`
		Updated string `json:"updated"`
	} `json:"info"`
	Includes []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"includes"`
	Dependencies struct {
		GrafanaDependency string `json:"grafanaDependency"`
	} `json:"dependencies"`
}

// ParseManifest decodes plugin.json.
func ParseManifest(b []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("plugin.json: %w", err)
	}
	return m, nil
}

// Assets are the files a manifest refers to: logos and screenshots.
func (m Manifest) Assets() []string {
	var out []string
	for _, p := range []string{m.Info.Logos.Small, m.Info.Logos.Large} {
		if p != "" {
			out = append(out, p)
		}
	}
	for _, s := range m.Info.Screenshots {
		out = append(out, s.Path)
	}
	return out
}

// Platforms are the GOOS/GOARCH pairs the backends are built for.
var Platforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "arm64"}, {"windows", "amd64"},
}

// BinaryName is the file name Grafana looks for: <executable>_<os>_<arch>[.exe].
func BinaryName(executable, goos, goarch string) string {
	name := fmt.Sprintf("%s_%s_%s", executable, goos, goarch)
	if goos == "windows" {
		name += ".exe"
	}
	return name
}

var semver = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// Version is the plugin version: package.json's, else plugin.json's if it is
// a real version rather than the %VERSION% placeholder.
func Version(repoRoot string) (string, error) {
	if b, err := os.ReadFile(filepath.Join(repoRoot, "package.json")); err == nil {
		var pkg struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(b, &pkg); err != nil {
			return "", fmt.Errorf("package.json: %w", err)
		}
		if !semver.MatchString(pkg.Version) {
			return "", fmt.Errorf("package.json version %q is not a semantic version", pkg.Version)
		}
		return pkg.Version, nil
	}
	b, err := os.ReadFile(filepath.Join(repoRoot, "plugin.json"))
	if err != nil {
		return "", fmt.Errorf("no package.json and no plugin.json: %w", err)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return "", err
	}
	if !semver.MatchString(m.Info.Version) {
		return "", errors.New("no package.json and plugin.json has no version; add one of them")
	}
	return m.Info.Version, nil
}

// Source is where a plugin's manifest lives in the repository and where it
// goes in dist/.
type Source struct {
	Manifest string // plugin.json path relative to the repository root
	DistDir  string // directory relative to dist/
}

// Sources are the app manifest and the nested data source manifest.
var Sources = []Source{
	{Manifest: "plugin.json", DistDir: "."},
	{Manifest: "src/datasource/plugin.json", DistDir: "datasource"},
}

// Stage writes every manifest into dist/ with %VERSION%, %TODAY% and
// %PLUGIN_ID% filled in, copies the logos and screenshots they name, and the
// README, CHANGELOG and LICENSE. The frontend build does the same; staging
// again keeps a backend-only build loadable by Grafana and by the host test.
func Stage(repoRoot, dist, version string, today time.Time) error {
	var appID string
	for _, src := range Sources {
		raw, err := os.ReadFile(filepath.Join(repoRoot, src.Manifest))
		if err != nil {
			return fmt.Errorf("stage %s: %w", src.Manifest, err)
		}
		m, err := ParseManifest(raw)
		if err != nil {
			return fmt.Errorf("stage %s: %w", src.Manifest, err)
		}
		if appID == "" {
			appID = m.ID
		}
		filled := strings.NewReplacer("%VERSION%", version, "%TODAY%", today.UTC().Format("2006-01-02"), "%PLUGIN_ID%", appID).Replace(string(raw))
		outDir := filepath.Join(dist, src.DistDir)
		if err := writeFile(filepath.Join(outDir, "plugin.json"), []byte(filled), 0o644); err != nil {
			return err
		}
		manifestDir := filepath.Dir(filepath.Join(repoRoot, src.Manifest))
		for _, asset := range m.Assets() {
			if err := copyAsset(asset, outDir, manifestDir, repoRoot); err != nil {
				return fmt.Errorf("stage %s: %w", src.Manifest, err)
			}
		}
	}
	for _, doc := range []string{"README.md", "CHANGELOG.md", "LICENSE"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, doc))
		if err != nil {
			return fmt.Errorf("stage %s: %w", doc, err)
		}
		if err := writeFile(filepath.Join(dist, doc), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// copyAsset copies a manifest-relative asset next to the staged manifest,
// looking for it beside the source manifest first, then at the repository
// root (where img/ lives).
func copyAsset(asset, outDir string, searchDirs ...string) error {
	if filepath.IsAbs(asset) || strings.Contains(filepath.ToSlash(asset), "..") {
		return fmt.Errorf("asset path %q must stay inside the plugin directory", asset)
	}
	for _, dir := range searchDirs {
		b, err := os.ReadFile(filepath.Join(dir, asset))
		if err == nil {
			return writeFile(filepath.Join(outDir, asset), b, 0o644)
		}
	}
	return fmt.Errorf("asset %s not found in %s", asset, strings.Join(searchDirs, " or "))
}

func writeFile(path string, b []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, b, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
