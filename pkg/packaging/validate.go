package packaging

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// maxCheckedFile bounds how much of one archived text file Validate reads.
const maxCheckedFile = 4 << 20

// scaffoldText is what create-plugin's README template and placeholders
// leave behind; the validator rejects a README that still has them.
var scaffoldText = []string{
	"%PLUGIN_ID%", "%VERSION%", "%TODAY%", "{{", "This template is a starting point",
	"Grafana app plugin template", "npx @grafana/create-plugin", "Replace this",
}

// insecureLink finds http:// links that do not point at this machine.
var insecureLink = regexp.MustCompile(`http://([^/\s)"'>\]]+)`)

// pluginIDPattern is the catalog's <org>-<name>-<type> id.
var pluginIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-(app|datasource|panel)$`)

// markdownLink finds the targets of [text](target) links.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// Validate checks an archive against the validator rules that need no
// network: layout, manifests, assets, the binaries of the platforms it is
// for and their modes, documents. It returns every problem found, joined.
func Validate(zipPath, pluginID string, platforms []Platform) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return fmt.Errorf("open archive: %w", err)
	}
	defer zr.Close()
	v := validator{files: map[string]*zip.File{}, pluginID: pluginID, platforms: platforms}
	for _, f := range zr.File {
		v.index(f)
	}
	v.checkManifest(pluginID+"/plugin.json", pluginID, "app")
	v.checkManifest(pluginID+"/datasource/plugin.json", "", "datasource")
	v.checkNestedDeclared(pluginID + "/plugin.json")
	for _, doc := range []string{"README.md", "CHANGELOG.md", "LICENSE"} {
		v.require(pluginID + "/" + doc)
	}
	v.checkREADME(pluginID + "/README.md")
	return errors.Join(v.problems...)
}

type validator struct {
	pluginID  string
	platforms []Platform
	files     map[string]*zip.File
	problems  []error
}

func (v *validator) fail(format string, args ...any) {
	v.problems = append(v.problems, fmt.Errorf(format, args...))
}

func (v *validator) index(f *zip.File) {
	name := f.Name
	switch {
	case strings.Contains(name, "\\") || strings.HasPrefix(name, "/") || strings.Contains("/"+name+"/", "/../"):
		v.fail("%s: unsafe path", name)
		return
	case name != v.pluginID+"/" && !strings.HasPrefix(name, v.pluginID+"/"):
		v.fail("%s: outside the single top-level folder %s/", name, v.pluginID)
		return
	case f.Mode()&0o170000 != 0 && !f.Mode().IsDir() && !f.Mode().IsRegular():
		v.fail("%s: not a regular file", name)
	}
	if !f.FileInfo().IsDir() {
		v.files[name] = f
	}
}

func (v *validator) require(name string) bool {
	if _, ok := v.files[name]; !ok {
		v.fail("%s: missing", name)
		return false
	}
	return true
}

func (v *validator) read(name string) ([]byte, bool) {
	f, ok := v.files[name]
	if !ok {
		return nil, false
	}
	rc, err := f.Open()
	if err != nil {
		v.fail("%s: %v", name, err)
		return nil, false
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxCheckedFile))
	if err != nil {
		v.fail("%s: %v", name, err)
		return nil, false
	}
	return b, true
}

func (v *validator) checkManifest(name, wantID, wantType string) {
	if !v.require(name) {
		return
	}
	raw, ok := v.read(name)
	if !ok {
		return
	}
	m, err := ParseManifest(raw)
	if err != nil {
		v.fail("%s: %v", name, err)
		return
	}
	if err := CheckSchema(raw); err != nil {
		v.fail("%s: %w", name, err)
	}
	dir := path.Dir(name)
	switch {
	case wantID != "" && m.ID != wantID:
		v.fail("%s: id %q, want %q (the top folder's name)", name, m.ID, wantID)
	case !pluginIDPattern.MatchString(m.ID):
		v.fail("%s: id %q does not follow <org>-<name>-<type>", name, m.ID)
	}
	if m.Type != wantType {
		v.fail("%s: type %q, want %q", name, m.Type, wantType)
	}
	if m.Name == "" || m.Info.Description == "" || m.Info.Author.Name == "" || len(m.Info.Keywords) == 0 {
		v.fail("%s: name, info.description, info.author.name and info.keywords are required", name)
	}
	if strings.Contains(string(raw), "%VERSION%") || strings.Contains(string(raw), "%TODAY%") || !semver.MatchString(m.Info.Version) {
		v.fail("%s: info.version %q is not a filled-in semantic version", name, m.Info.Version)
	}
	if _, err := time.Parse("2006-01-02", m.Info.Updated); err != nil {
		v.fail("%s: info.updated %q is not a date", name, m.Info.Updated)
	}
	if m.Dependencies.GrafanaDependency == "" {
		v.fail("%s: dependencies.grafanaDependency is required", name)
	}
	if m.Info.Logos.Small == "" || m.Info.Logos.Large == "" {
		v.fail("%s: info.logos.small and info.logos.large are required", name)
	}
	if wantType == "app" && len(m.Info.Screenshots) == 0 {
		v.fail("%s: info.screenshots needs at least one screenshot", name)
	}
	for _, asset := range m.Assets() {
		if !v.require(path.Join(dir, asset)) {
			continue
		}
		if b, ok := v.read(path.Join(dir, asset)); ok && !isImage(b) {
			v.fail("%s: not a PNG, JPEG, GIF or SVG image", path.Join(dir, asset))
		}
	}
	for _, l := range m.Info.Links {
		if !strings.HasPrefix(l.URL, "https://") {
			v.fail("%s: link %q must use https", name, l.URL)
		}
	}
	v.require(path.Join(dir, "module.js"))
	v.require(path.Join(dir, "module.js.map"))
	if m.Backend {
		if m.Executable == "" || strings.Contains(m.Executable, "/") {
			v.fail("%s: a backend plugin needs an executable name without a path", name)
			return
		}
		if !strings.HasPrefix(m.Executable, "gpx_") {
			v.fail("%s: executable %q must start with gpx_", name, m.Executable)
		}
		for _, p := range v.platforms {
			bin := path.Join(dir, BinaryName(m.Executable, p.OS, p.Arch))
			if !v.require(bin) {
				continue
			}
			if mode := v.files[bin].Mode().Perm(); mode&0o111 != 0o111 {
				v.fail("%s: mode %o, want executable (0755)", bin, mode)
			}
		}
	}
}

// checkNestedDeclared: Grafana loads a nested plugin of an app only when the
// app's includes name its plugin.json by path, with the nested plugin's type.
func (v *validator) checkNestedDeclared(root string) {
	raw, ok := v.read(root)
	if !ok {
		return
	}
	app, err := ParseManifest(raw)
	if err != nil {
		return // reported by checkManifest
	}
	declared := map[string]string{}
	for _, inc := range app.Includes {
		if inc.Path != "" {
			declared[inc.Path] = inc.Type
		}
	}
	for name := range v.files {
		rel := strings.TrimPrefix(name, v.pluginID+"/")
		if path.Base(rel) != "plugin.json" || rel == "plugin.json" {
			continue
		}
		nestedRaw, ok := v.read(name)
		if !ok {
			continue
		}
		nested, err := ParseManifest(nestedRaw)
		if err != nil {
			continue // reported by checkManifest
		}
		switch typ, ok := declared[rel]; {
		case !ok:
			v.fail("%s: nested plugin %s is not declared in includes with \"path\": %q", root, rel, rel)
		case typ != nested.Type:
			v.fail("%s: includes declares %s as %q, but it is a %q plugin", root, rel, typ, nested.Type)
		}
	}
}

// readmeJargon are the words the validator flags in a README as developer
// jargon: the catalog page is read by the people who run Grafana.
var readmeJargon = []string{"yarn", "nodejs"}

func (v *validator) checkREADME(name string) {
	b, ok := v.read(name)
	if !ok {
		return
	}
	text := string(b)
	for _, w := range readmeJargon {
		if strings.Contains(text, w) {
			v.fail("%s: contains developer jargon %q; move developer documentation to docs/", name, w)
		}
	}
	for _, s := range scaffoldText {
		if strings.Contains(text, s) {
			v.fail("%s: contains template text %q", name, s)
		}
	}
	for _, m := range insecureLink.FindAllStringSubmatch(text, -1) {
		host := strings.Split(m[1], ":")[0]
		if host != "localhost" && host != "127.0.0.1" && host != "0.0.0.0" {
			v.fail("%s: insecure link %s; use https", name, m[0])
		}
	}
	for _, m := range markdownLink.FindAllStringSubmatch(text, -1) {
		target := m[1]
		if !strings.HasPrefix(target, "https://") && !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "#") {
			v.fail("%s: relative link %q does not resolve in Grafana's plugin catalog; use an https:// URL", name, target)
		}
	}
	if len(strings.TrimSpace(text)) < 200 {
		v.fail("%s: too short to describe the plugin", name)
	}
}

func isImage(b []byte) bool {
	s := string(b[:min(len(b), 512)])
	return strings.HasPrefix(s, "\x89PNG\r\n\x1a\n") || strings.HasPrefix(s, "\xff\xd8\xff") ||
		strings.HasPrefix(s, "GIF8") || strings.Contains(s, "<svg")
}

// ValidateSource checks the repository for what the validator reads from the
// source code: create-plugin's frontend build layout and the SDK's mage build.
func ValidateSource(repoRoot string) error {
	var problems []error
	webpackConfig := filepath.Join(repoRoot, ".config", "webpack", "webpack.config.ts")
	if b, err := os.ReadFile(webpackConfig); err != nil || !strings.Contains(string(b), "@grafana/create-plugin") {
		problems = append(problems, fmt.Errorf("%s: missing or not in @grafana/create-plugin's layout (the validator reports non-standard frontend build tooling)", webpackConfig))
	}
	magefiles, _ := filepath.Glob(filepath.Join(repoRoot, "[Mm]agefile.go"))
	standardBackend := false
	for _, m := range magefiles {
		b, err := os.ReadFile(m)
		standardBackend = standardBackend || (err == nil && strings.Contains(string(b), "grafana-plugin-sdk-go/build"))
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "go.mod")); err != nil || !standardBackend {
		problems = append(problems, errors.New("go.mod and a Magefile.go using grafana-plugin-sdk-go/build are required (the validator reports non-standard backend build tooling)"))
	}
	return errors.Join(problems...)
}
