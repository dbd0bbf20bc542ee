//go:build mage

// Build, package and test the plugin. Run `go run github.com/magefile/mage -l`
// for the list of targets; `go run github.com/magefile/mage -v` builds both
// backends for every platform into dist/.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/build/buildinfo"
	"github.com/grafana/grafana-plugin-sdk-go/build/utils"
	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"

	"github.com/cloudobs/aiops-app/pkg/packaging"
)

// Default target: mage with no target builds everything.
var Default = Build

const (
	distDir  = "dist"
	buildDir = "build"
)

// backendBinary is one of the plugin's executables. The SDK's own build
// targets make one binary per plugin.json; this plugin has two.
type backendBinary struct {
	manifest string // plugin.json that names the executable
	pkg      string // Go package of its main
	outDir   string // where Grafana looks for it, beside its plugin.json
}

func backends() []backendBinary {
	return []backendBinary{
		{manifest: "plugin.json", pkg: "./pkg", outDir: distDir},
		{manifest: "src/datasource/plugin.json", pkg: "./pkg/datasource/cmd/gpx_aiops_datasource", outDir: filepath.Join(distDir, "datasource")},
	}
}

// Build builds both backends (app and data source) for linux/amd64,
// linux/arm64, darwin/arm64 and windows/amd64 into dist/, and stages the
// manifests, logos and documents beside them.
func Build(ctx context.Context) error {
	mg.CtxDeps(ctx, Manifests)
	for _, p := range packaging.Platforms {
		for _, b := range backends() {
			if err := buildBinary(ctx, b, p.OS, p.Arch); err != nil {
				return err
			}
		}
	}
	return writeSourceManifest()
}

// BuildHost builds both backends for this machine only: the fast loop for
// development and for the plugin-host test.
func BuildHost(ctx context.Context) error {
	mg.CtxDeps(ctx, Manifests)
	for _, b := range backends() {
		if err := buildBinary(ctx, b, runtime.GOOS, runtime.GOARCH); err != nil {
			return err
		}
	}
	return writeSourceManifest()
}

// Manifests stages plugin.json files with version and date filled in, their
// logos and screenshots, README, CHANGELOG and LICENSE into dist/.
func Manifests() error {
	version, err := packaging.Version(".")
	if err != nil {
		return err
	}
	return packaging.Stage(".", distDir, version, time.Now())
}

// Package writes one archive per platform, build/<id>-<version>.<os>_<arch>.zip
// (the release archives; run the frontend build first: npm run build), and
// checks each against the validator's offline rules.
func Package(ctx context.Context) error {
	mg.CtxDeps(ctx, Build)
	id, version, err := packageID()
	if err != nil {
		return err
	}
	for _, a := range packaging.PlatformArchives(id, version) {
		if err := writeArchive(id, a); err != nil {
			return err
		}
	}
	return nil
}

// PackageAll writes build/<id>-<version>.zip with every platform's binaries,
// for one plugin directory shared by Grafanas on different platforms.
func PackageAll(ctx context.Context) error {
	mg.CtxDeps(ctx, Build)
	id, version, err := packageID()
	if err != nil {
		return err
	}
	return writeArchive(id, packaging.UniversalArchive(id, version))
}

// packageID checks that dist/ is ready to be packaged and returns the
// plugin's id and version.
func packageID() (id, version string, err error) {
	if err := packaging.ValidateSource("."); err != nil {
		return "", "", err
	}
	if _, err := os.Stat(filepath.Join(distDir, "module.js")); err != nil {
		return "", "", fmt.Errorf("dist/module.js is missing: run the frontend build first (npm ci && npm run build): %w", err)
	}
	if version, err = packaging.Version("."); err != nil {
		return "", "", err
	}
	id, err = pluginID("plugin.json")
	return id, version, err
}

func writeArchive(id string, a packaging.Archive) error {
	out, err := packaging.Zip(distDir, id, buildDir, a)
	if err != nil {
		return err
	}
	if err := packaging.Validate(out, id, a.Platforms); err != nil {
		return fmt.Errorf("%s breaks the plugin validator's rules:\n%w", out, err)
	}
	info, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s (%.2f MiB)\n", out, float64(info.Size())/(1<<20))
	return nil
}

// Test runs every Go test with the race detector.
func Test() error {
	return sh.RunV("go", "test", "-race", "./...")
}

// Coverage writes coverage/backend.out and coverage/backend.html.
func Coverage() error {
	if err := os.MkdirAll("coverage", 0o755); err != nil {
		return err
	}
	if err := sh.RunV("go", "test", "-coverprofile=coverage/backend.out", "./pkg/..."); err != nil {
		return err
	}
	return sh.RunV("go", "tool", "cover", "-html=coverage/backend.out", "-o", "coverage/backend.html")
}

// Lint runs go vet and fails on files gofmt would change.
func Lint() error {
	if err := sh.RunV("go", "vet", "./..."); err != nil {
		return err
	}
	out, err := sh.Output("gofmt", "-l", "pkg", "services", "Magefile.go")
	if err != nil {
		return err
	}
	if strings.TrimSpace(out) != "" {
		return fmt.Errorf("gofmt would change:\n%s", out)
	}
	return nil
}

// Clean removes dist/, build/ and coverage/.
func Clean() error {
	for _, d := range []string{distDir, buildDir, "coverage"} {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}

func buildBinary(ctx context.Context, b backendBinary, goos, goarch string) error {
	exe, err := executable(b.manifest)
	if err != nil {
		return err
	}
	id, err := pluginID(b.manifest)
	if err != nil {
		return err
	}
	version, err := packaging.Version(".")
	if err != nil {
		return err
	}
	flags := map[string]string{}
	buildinfo.Info{Time: time.Now().UnixMilli(), PluginID: id, Version: version}.AppendFlags(flags)
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ldflags := `-w -s -extldflags "-static"`
	for _, k := range keys {
		ldflags += fmt.Sprintf(" -X '%s=%s'", k, flags[k])
	}
	out := filepath.Join(b.outDir, packaging.BinaryName(exe, goos, goarch))
	env := map[string]string{"GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0"}
	if err := sh.RunWithV(env, "go", "build", "-trimpath", "-o", out, "-tags", "arrow_json_stdlib", "-ldflags", ldflags, b.pkg); err != nil {
		return fmt.Errorf("build %s: %w", out, err)
	}
	return ctx.Err()
}

// writeSourceManifest records the hashes of the Go sources, which Grafana's
// plugin review uses to match binaries to source.
func writeSourceManifest() error {
	manifest, err := utils.GenerateManifest()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(distDir, "go_plugin_build_manifest"), []byte(manifest), 0o644)
}

func executable(manifest string) (string, error) {
	m, err := readManifest(manifest)
	if err != nil {
		return "", err
	}
	if m.Executable == "" {
		return "", fmt.Errorf("%s has no executable", manifest)
	}
	return m.Executable, nil
}

func pluginID(manifest string) (string, error) {
	m, err := readManifest(manifest)
	return m.ID, err
}

func readManifest(manifest string) (packaging.Manifest, error) {
	b, err := os.ReadFile(manifest)
	if err != nil {
		return packaging.Manifest{}, err
	}
	var m packaging.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", manifest, err)
	}
	return m, nil
}
