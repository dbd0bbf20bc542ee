package packaging

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const appID = "cloudobs-aiops-app"

// repoRoot is the repository, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestRepositoryManifests checks the real plugin.json files: ids, executables,
// pages, extension links, dependency, and that every asset they name exists
// in the repository and is a real image.
func TestRepositoryManifests(t *testing.T) {
	root := repoRoot(t)
	for _, src := range Sources {
		t.Run(src.Manifest, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(root, src.Manifest))
			if err != nil {
				t.Fatal(err)
			}
			m, err := ParseManifest(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Backend || !strings.HasPrefix(m.Executable, "gpx_aiops") {
				t.Errorf("backend %v executable %q", m.Backend, m.Executable)
			}
			if m.Dependencies.GrafanaDependency != ">=12.4.0" {
				t.Errorf("grafanaDependency = %q", m.Dependencies.GrafanaDependency)
			}
			if m.Info.Version != "%VERSION%" || m.Info.Updated != "%TODAY%" {
				t.Errorf("version/updated must be left to the build: %q %q", m.Info.Version, m.Info.Updated)
			}
			for _, asset := range m.Assets() {
				b, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Join(root, src.Manifest)), asset))
				if err != nil {
					b, err = os.ReadFile(filepath.Join(root, asset))
				}
				if err != nil {
					t.Errorf("asset %s: %v", asset, err)
					continue
				}
				if !isImage(b) {
					t.Errorf("asset %s is not an image", asset)
				}
				if strings.HasSuffix(asset, ".png") {
					img, err := png.Decode(bytes.NewReader(b))
					if err != nil || img.Bounds().Dx() < 640 {
						t.Errorf("screenshot %s: %v (want a decodable PNG at least 640 wide)", asset, err)
					}
				}
			}
		})
	}

	raw, _ := os.ReadFile(filepath.Join(root, "plugin.json"))
	var app struct {
		ID         string `json:"id"`
		Executable string `json:"executable"`
		Includes   []struct {
			Type, Name, Path string
		} `json:"includes"`
		Extensions struct {
			AddedLinks []struct {
				Targets []string `json:"targets"`
				Title   string   `json:"title"`
			} `json:"addedLinks"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(raw, &app); err != nil {
		t.Fatal(err)
	}
	if app.ID != appID || app.Executable != "gpx_aiops" {
		t.Errorf("id %q executable %q", app.ID, app.Executable)
	}
	pages := map[string]string{}
	var nested bool
	for _, inc := range app.Includes {
		if inc.Type == "page" {
			pages[inc.Name] = inc.Path
		}
		nested = nested || inc.Type == "datasource"
	}
	for name, path := range map[string]string{
		"Incidents": "/a/cloudobs-aiops-app/incidents", "History": "/a/cloudobs-aiops-app/history",
		"Log watch": "/a/cloudobs-aiops-app/watch", "AI usage": "/a/cloudobs-aiops-app/usage", "Configuration": "/plugins/cloudobs-aiops-app",
	} {
		if pages[name] != path {
			t.Errorf("page %s at %q, want %q", name, pages[name], path)
		}
	}
	if !nested {
		t.Error("the nested data source is not included")
	}
	targets := map[string]bool{}
	for _, l := range app.Extensions.AddedLinks {
		for _, tg := range l.Targets {
			targets[tg] = l.Title != ""
		}
	}
	for _, tg := range []string{"grafana/alerting/instance/action", "grafana/dashboard/panel/menu", "grafana/explore/toolbar/action"} {
		if !targets[tg] {
			t.Errorf("no titled addedLink for %s", tg)
		}
	}
}

func TestVersion(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "plugin.json"), `{"info":{"version":"%VERSION%"}}`)
	if _, err := Version(dir); err == nil {
		t.Error("a placeholder version was accepted")
	}
	write(t, filepath.Join(dir, "plugin.json"), `{"info":{"version":"0.3.1"}}`)
	if v, err := Version(dir); err != nil || v != "0.3.1" {
		t.Errorf("Version from plugin.json = %q, %v", v, err)
	}
	write(t, filepath.Join(dir, "package.json"), `{"version":"1.2.0-rc.1"}`)
	if v, err := Version(dir); err != nil || v != "1.2.0-rc.1" {
		t.Errorf("Version from package.json = %q, %v", v, err)
	}
	write(t, filepath.Join(dir, "package.json"), `{"version":"latest"}`)
	if _, err := Version(dir); err == nil {
		t.Error("a non-semantic version was accepted")
	}
}

// fakeDist stages the real manifests and documents into a temporary dist/
// and adds what the frontend and backend builds would: module.js with its
// source map and the binaries.
func fakeDist(t *testing.T) string {
	t.Helper()
	dist := filepath.Join(t.TempDir(), "dist")
	if err := Stage(repoRoot(t), dist, "1.0.0", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("Stage: %v", err)
	}
	for _, dir := range []string{".", "datasource"} {
		write(t, filepath.Join(dist, dir, "module.js"), "define([],function(){return {}});")
		write(t, filepath.Join(dist, dir, "module.js.map"), "{}")
	}
	for _, p := range Platforms {
		for dir, exe := range map[string]string{".": "gpx_aiops", "datasource": "gpx_aiops_datasource"} {
			path := filepath.Join(dist, dir, BinaryName(exe, p.OS, p.Arch))
			write(t, path, "\x7fELF fake")
			if err := os.Chmod(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dist
}

func TestStageFillsPlaceholders(t *testing.T) {
	dist := fakeDist(t)
	for _, p := range []string{"plugin.json", "datasource/plugin.json"} {
		b, err := os.ReadFile(filepath.Join(dist, p))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "%") || !strings.Contains(string(b), `"version": "1.0.0"`) || !strings.Contains(string(b), `"updated": "2026-11-23"`) {
			t.Errorf("%s not filled in:\n%s", p, b)
		}
	}
	if _, err := os.Stat(filepath.Join(dist, "datasource", "img", "logo.svg")); err != nil {
		t.Errorf("nested data source logo not staged: %v", err)
	}
}

func TestZipLayoutAndValidate(t *testing.T) {
	dist := fakeDist(t)
	out, err := Zip(dist, appID, t.TempDir(), UniversalArchive(appID, "1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(out) != "cloudobs-aiops-app-1.0.0.zip" {
		t.Errorf("archive name %s", out)
	}
	if err := Validate(out, appID, Platforms); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	modes := map[string]os.FileMode{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, appID+"/") {
			t.Errorf("%s outside the top folder", f.Name)
		}
		modes[f.Name] = f.Mode()
	}
	for name, want := range map[string]os.FileMode{
		appID + "/gpx_aiops_linux_amd64":                        0o755,
		appID + "/gpx_aiops_windows_amd64.exe":                  0o755,
		appID + "/datasource/gpx_aiops_datasource_darwin_arm64": 0o755,
		appID + "/plugin.json":                                  0o644,
		appID + "/README.md":                                    0o644,
		appID + "/img/logo.svg":                                 0o644,
		appID + "/datasource/plugin.json":                       0o644,
		appID + "/datasource/gpx_aiops_datasource_linux_arm64":  0o755,
	} {
		if got, ok := modes[name]; !ok || got.Perm() != want {
			t.Errorf("%s: mode %v present %v, want %v", name, got.Perm(), ok, want)
		}
	}
}

// TestPlatformArchivesCarryTheirPlatform: each release archive holds its
// platform's two binaries plus the linux/amd64 pair the validator reads, and
// no other platform's; it validates for those platforms and no others.
func TestPlatformArchivesCarryTheirPlatform(t *testing.T) {
	dist := fakeDist(t)
	archives := PlatformArchives(appID, "1.0.0")
	if len(archives) != len(Platforms) {
		t.Fatalf("%d archives for %d platforms", len(archives), len(Platforms))
	}
	for _, a := range archives {
		out, err := Zip(dist, appID, t.TempDir(), a)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(out, appID, a.Platforms); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
		var binaries []string
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if isBackendBinary(f.Name) {
				binaries = append(binaries, strings.TrimPrefix(f.Name, appID+"/"))
			}
		}
		_ = zr.Close()
		var want []string
		for _, p := range a.Platforms {
			want = append(want, BinaryName("gpx_aiops", p.OS, p.Arch), "datasource/"+BinaryName("gpx_aiops_datasource", p.OS, p.Arch))
		}
		slices.Sort(want)
		slices.Sort(binaries)
		if !slices.Equal(binaries, want) {
			t.Errorf("%s holds %v, want %v", a.Name, binaries, want)
		}
		if a.Platforms[0] != linuxAMD64 {
			if err := Validate(out, appID, Platforms); err == nil || !strings.Contains(err.Error(), ": missing") {
				t.Errorf("%s validated as an all-platform archive: %v", a.Name, err)
			}
		}
	}
	if got := archives[1].Name; got != "cloudobs-aiops-app-1.0.0.linux_arm64.zip" {
		t.Errorf("linux/arm64 archive named %s", got)
	}
}

// TestPlatformArchiveWithoutItsBinaryFails: a darwin/arm64 archive whose
// data source binary was not built is refused, though linux/amd64's is there.
func TestPlatformArchiveWithoutItsBinaryFails(t *testing.T) {
	dist := fakeDist(t)
	remove(t, filepath.Join(dist, "datasource", BinaryName("gpx_aiops_datasource", "darwin", "arm64")))
	for _, a := range PlatformArchives(appID, "1.0.0") {
		if a.Platforms[0] != (Platform{"darwin", "arm64"}) {
			continue
		}
		out, err := Zip(dist, appID, t.TempDir(), a)
		if err != nil {
			t.Fatal(err)
		}
		err = Validate(out, appID, a.Platforms)
		if err == nil || !strings.Contains(err.Error(), "gpx_aiops_datasource_darwin_arm64: missing") {
			t.Errorf("Validate = %v, want the missing darwin/arm64 data source binary", err)
		}
		return
	}
	t.Fatal("no darwin/arm64 archive")
}

func TestValidateFindsProblems(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, dist string)
		want   string
	}{
		{"binary missing", func(t *testing.T, d string) {
			remove(t, filepath.Join(d, "datasource", "gpx_aiops_datasource_linux_arm64"))
		},
			"gpx_aiops_datasource_linux_arm64: missing"},
		{"module.js missing", func(t *testing.T, d string) { remove(t, filepath.Join(d, "module.js")) }, "module.js: missing"},
		{"screenshot missing", func(t *testing.T, d string) { remove(t, filepath.Join(d, "img", "screenshot-explanation.png")) }, "screenshot-explanation.png: missing"},
		{"logo not an image", func(t *testing.T, d string) { write(t, filepath.Join(d, "img", "logo.svg"), "hello") }, "not a PNG"},
		{"README scaffold", func(t *testing.T, d string) {
			appendTo(t, filepath.Join(d, "README.md"), "\nThis template is a starting point for building an app plugin.\n")
		}, "template text"},
		{"README insecure link", func(t *testing.T, d string) {
			appendTo(t, filepath.Join(d, "README.md"), "\nSee http://example.com/docs for more.\n")
		}, "insecure link http://example.com"},
		{"README relative link", func(t *testing.T, d string) {
			appendTo(t, filepath.Join(d, "README.md"), "\nSee [the docs](docs/setup.md).\n")
		}, `relative link "docs/setup.md"`},
		{"README jargon", func(t *testing.T, d string) {
			appendTo(t, filepath.Join(d, "README.md"), "\nInstall nodejs and yarn first.\n")
		}, `developer jargon "yarn"`},
		{"unknown manifest field", func(t *testing.T, d string) {
			b, _ := os.ReadFile(filepath.Join(d, "plugin.json"))
			write(t, filepath.Join(d, "plugin.json"), strings.Replace(string(b), `"backend": true,`, `"backend": true, "frontend": true,`, 1))
		}, "schema: /: additional properties 'frontend' not allowed"},
		{"nested plugin of another type", func(t *testing.T, d string) {
			b, _ := os.ReadFile(filepath.Join(d, "plugin.json"))
			write(t, filepath.Join(d, "plugin.json"), strings.Replace(string(b), `"type": "datasource",`, `"type": "panel",`, 1))
		}, `declares datasource/plugin.json as "panel"`},
		{"CHANGELOG missing", func(t *testing.T, d string) { remove(t, filepath.Join(d, "CHANGELOG.md")) }, "CHANGELOG.md: missing"},
		{"version placeholder", func(t *testing.T, d string) {
			b, _ := os.ReadFile(filepath.Join(d, "plugin.json"))
			write(t, filepath.Join(d, "plugin.json"), strings.Replace(string(b), `"version": "1.0.0"`, `"version": "%VERSION%"`, 1))
		}, "not a filled-in semantic version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dist := fakeDist(t)
			tt.break_(t, dist)
			out, err := Zip(dist, appID, t.TempDir(), UniversalArchive(appID, "1.0.0"))
			if err != nil {
				t.Fatal(err)
			}
			err = Validate(out, appID, Platforms)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want a problem containing %q", err, tt.want)
			}
		})
	}
}

// TestValidateRejectsThe100Manifest: the plugin.json of the 1.0.0 archive,
// kept as it was, fails where Grafana's validator failed it: three addedLinks
// titles under 10 characters and the nested data source without its path.
func TestValidateRejectsThe100Manifest(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "plugin-1.0.0-rejected.json"))
	if err != nil {
		t.Fatal(err)
	}
	dist := fakeDist(t)
	filled := strings.NewReplacer("%VERSION%", "1.0.0", "%TODAY%", "2026-11-30").Replace(string(old))
	write(t, filepath.Join(dist, "plugin.json"), filled)
	out, err := Zip(dist, appID, t.TempDir(), UniversalArchive(appID, "1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	err = Validate(out, appID, Platforms)
	if err == nil {
		t.Fatal("the 1.0.0 manifest passed")
	}
	for _, want := range []string{
		"/extensions/addedLinks/0/title: minLength: got 7, want 10",
		"/extensions/addedLinks/1/title: minLength: got 7, want 10",
		"/extensions/addedLinks/2/title: minLength: got 7, want 10",
		`nested plugin datasource/plugin.json is not declared in includes with "path": "datasource/plugin.json"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate found\n%v\nwant a problem containing %q", err, want)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 4 {
		t.Errorf("want exactly the validator's 4 plugin.json errors, got %d:\n%v", n, err)
	}
}

func TestCheckSchemaAcceptsTheRepositoryManifests(t *testing.T) {
	for _, src := range Sources {
		raw, err := os.ReadFile(filepath.Join(repoRoot(t), src.Manifest))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckSchema(raw); err != nil {
			t.Errorf("%s: %v", src.Manifest, err)
		}
	}
}

func TestValidateRejectsForeignLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range []string{"other-app/plugin.json", "cloudobs-aiops-app/../../etc/passwd"} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte("{}"))
	}
	_ = zw.Close()
	_ = f.Close()
	err = Validate(path, appID, Platforms)
	for _, want := range []string{"outside the single top-level folder", "unsafe path", "plugin.json: missing"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want %q", err, want)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, path, content string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, string(b)+content)
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func TestValidateSource(t *testing.T) {
	if err := ValidateSource(repoRoot(t)); err != nil {
		t.Errorf("the repository: %v", err)
	}
	empty := t.TempDir()
	write(t, filepath.Join(empty, ".config", "webpack", "webpack.config.js"), "module.exports = {}")
	err := ValidateSource(empty)
	for _, want := range []string{"webpack.config.ts: missing", "non-standard backend build tooling"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateSource of a foreign layout = %v, want %q", err, want)
		}
	}
}
