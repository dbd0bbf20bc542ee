// Package deploy holds the configuration of the docker compose stack. Its
// tests prove the images and the stack without a Docker engine: they parse
// every Dockerfile, the .dockerignore and docker-compose.yaml and check them
// against the repository they build from.
package deploy

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/cloudobs/aiops-app/pkg/packaging"
)

const repo = ".."

// dockerfiles are every image recipe of the repository; each builds with the
// repository root as its context.
var dockerfiles = []string{"Dockerfile", "services/Dockerfile", "deploy/aiops/Dockerfile"}

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	line int
	cmd  string // upper case: FROM, RUN, COPY, ARG, ...
	args string
}

// parseDockerfile splits a Dockerfile into instructions: comments dropped,
// lines ending in a backslash joined with the next.
func parseDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	f, err := os.Open(filepath.Join(repo, path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	var pending strings.Builder
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if pending.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if pending.Len() == 0 {
			start = n
		}
		if strings.HasPrefix(line, "#") {
			continue // a comment inside a continued instruction
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			pending.WriteString(cont + " ")
			continue
		}
		pending.WriteString(line)
		cmd, args, _ := strings.Cut(pending.String(), " ")
		out = append(out, instruction{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)})
		pending.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if pending.Len() != 0 {
		t.Fatalf("%s: the last instruction ends in a line continuation", path)
	}
	return out
}

// copyArgs splits COPY/ADD arguments into flags, sources and destination.
func copyArgs(args string) (flags map[string]string, sources []string, dest string) {
	flags = map[string]string{}
	var words []string
	if strings.HasPrefix(args, "[") {
		_ = json.Unmarshal([]byte(args), &words)
	} else {
		words = strings.Fields(args)
	}
	for len(words) > 0 && strings.HasPrefix(words[0], "--") {
		k, v, _ := strings.Cut(strings.TrimPrefix(words[0], "--"), "=")
		flags[k] = v
		words = words[1:]
	}
	if len(words) < 2 {
		return flags, nil, ""
	}
	return flags, words[:len(words)-1], words[len(words)-1]
}

// stage names of FROM ... AS name.
func stageNames(ins []instruction) map[string]bool {
	names := map[string]bool{}
	for _, in := range ins {
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			if len(f) >= 3 && strings.EqualFold(f[len(f)-2], "AS") {
				names[f[len(f)-1]] = true
			}
		}
	}
	return names
}

// dockerignore is the build context's exclusion list, matched as Docker does.
func dockerignore(t *testing.T) *patternmatcher.PatternMatcher {
	t.Helper()
	f, err := os.Open(filepath.Join(repo, ".dockerignore"))
	if err != nil {
		t.Fatalf(".dockerignore: %v (without it host node_modules and dist go into the image)", err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

func ignored(t *testing.T, pm *patternmatcher.PatternMatcher, rel string) bool {
	t.Helper()
	m, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// trackedFiles is the clean checkout: what git tracks.
func trackedFiles(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("git", "-C", repo, "ls-files").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	return strings.Fields(string(out))
}

// TestBuildContextIsTheCleanCheckout: the .dockerignore keeps build outputs,
// host installs and local secrets out and nothing a clean checkout has.
func TestBuildContextIsTheCleanCheckout(t *testing.T) {
	pm := dockerignore(t)
	for _, f := range trackedFiles(t) {
		if ignored(t, pm, f) {
			t.Errorf("%s is tracked but .dockerignore drops it from the build context", f)
		}
	}
	for _, f := range []string{"node_modules/react/index.js", "dist/module.js", "build/cloudobs-aiops-app-1.0.0.zip", ".env", ".env.local", "coverage/lcov.info"} {
		if !ignored(t, pm, f) {
			t.Errorf(".dockerignore lets %s into the build context", f)
		}
	}
}

// TestDockerfileSources: every COPY/ADD source from the context exists and is
// not dropped by .dockerignore; every --from names an earlier stage; every
// base image is pinned.
func TestDockerfileSources(t *testing.T) {
	pm := dockerignore(t)
	for _, df := range dockerfiles {
		t.Run(df, func(t *testing.T) {
			ins := parseDockerfile(t, df)
			stages := stageNames(ins)
			args := map[string]string{}
			for _, in := range ins {
				switch in.cmd {
				case "ARG":
					k, v, _ := strings.Cut(in.args, "=")
					args[k] = v
				case "FROM":
					image := os.Expand(strings.Fields(in.args)[0], func(k string) string { return args[k] })
					if !stages[image] && image != "scratch" && !pinnedImage(image) {
						t.Errorf("%s:%d: base image %q is not pinned to a version", df, in.line, image)
					}
				case "COPY", "ADD":
					flags, sources, _ := copyArgs(in.args)
					if len(sources) == 0 {
						t.Errorf("%s:%d: %s without source and destination", df, in.line, in.cmd)
					}
					if from, ok := flags["from"]; ok {
						if !stages[from] {
							t.Errorf("%s:%d: --from=%s is no stage of this file", df, in.line, from)
						}
						continue
					}
					for _, src := range sources {
						checkContextSource(t, pm, df, in.line, src)
					}
				}
			}
		})
	}
}

func checkContextSource(t *testing.T, pm *patternmatcher.PatternMatcher, df string, line int, src string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(repo, src))
	if len(matches) == 0 {
		t.Errorf("%s:%d: COPY source %s does not exist", df, line, src)
		return
	}
	for _, m := range matches {
		rel, _ := filepath.Rel(repo, m)
		if rel != "." && ignored(t, pm, rel) {
			t.Errorf("%s:%d: COPY source %s is excluded by .dockerignore", df, line, rel)
		}
	}
}

// pinnedImage is an image with a version tag or a digest, not latest.
func pinnedImage(image string) bool {
	if strings.Contains(image, "@sha256:") {
		return true
	}
	i := strings.LastIndex(image, ":")
	if i < 0 || strings.Contains(image[i:], "/") {
		return false
	}
	tag := image[i+1:]
	return tag != "" && tag != "latest" && regexp.MustCompile(`\d`).MatchString(tag)
}

// TestDockerfileBuildStepsAreTheTestedOnes: every make, mage and npm command
// of a RUN names a target that exists, and one that `make test` or a CI
// workflow runs too, so CI proves the image's build steps.
func TestDockerfileBuildStepsAreTheTestedOnes(t *testing.T) {
	makeTargets := makefileTargets(t)
	tested := reachable(makeTargets, "test")
	scripts := npmScripts(t)
	frontendTest := readRepoFile(t, "scripts/frontend-test.sh")
	magefile := readRepoFile(t, "Magefile.go")
	elsewhere := readRepoFile(t, "Makefile")
	workflows, _ := filepath.Glob(filepath.Join(repo, ".github/workflows/*.yml"))
	for _, w := range workflows {
		b, err := os.ReadFile(w)
		if err != nil {
			t.Fatal(err)
		}
		elsewhere += string(b)
	}
	found := 0
	for _, df := range dockerfiles {
		for _, in := range parseDockerfile(t, df) {
			if in.cmd != "RUN" {
				continue
			}
			for _, step := range shellSteps(in.args) {
				words := strings.Fields(step)
				switch {
				case len(words) >= 2 && words[0] == "make":
					for _, target := range nonFlags(words[1:]) {
						found++
						if _, ok := makeTargets[target]; !ok {
							t.Errorf("%s:%d: make %s: the Makefile has no such target", df, in.line, target)
						} else if !tested[target] {
							t.Errorf("%s:%d: make %s is not run by make test, so CI does not prove it", df, in.line, target)
						}
					}
				case len(words) >= 3 && words[0] == "npm" && words[1] == "run":
					found++
					if _, ok := scripts[words[2]]; !ok {
						t.Errorf("%s:%d: npm run %s: package.json has no such script", df, in.line, words[2])
					} else if !strings.Contains(frontendTest, "npm run "+words[2]) {
						t.Errorf("%s:%d: npm run %s is not run by scripts/frontend-test.sh (make test)", df, in.line, words[2])
					}
				case strings.Contains(step, "magefile/mage") || (len(words) > 0 && words[0] == "mage"):
					for _, target := range nonFlags(words[slicesIndexAfterMage(words):]) {
						found++
						if !regexp.MustCompile(`(?m)^func (?i:` + regexp.QuoteMeta(target) + `)\(`).MatchString(magefile) {
							t.Errorf("%s:%d: mage %s: Magefile.go has no such target", df, in.line, target)
						}
						if !regexp.MustCompile(`mage( -v)? ` + regexp.QuoteMeta(target) + `\b`).MatchString(elsewhere) {
							t.Errorf("%s:%d: mage %s is run by neither the Makefile nor a CI workflow", df, in.line, target)
						}
					}
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no make, mage or npm build step found in any Dockerfile: the parser or the Dockerfiles changed")
	}
}

// slicesIndexAfterMage is where a mage invocation's arguments start.
func slicesIndexAfterMage(words []string) int {
	for i, w := range words {
		if w == "mage" || strings.HasSuffix(w, "magefile/mage") {
			return i + 1
		}
	}
	return len(words)
}

func nonFlags(words []string) []string {
	var out []string
	for _, w := range words {
		if !strings.HasPrefix(w, "-") && !strings.Contains(w, "=") {
			out = append(out, w)
		}
	}
	return out
}

// shellSteps splits a RUN command line at &&, || and ;.
func shellSteps(cmd string) []string {
	return regexp.MustCompile(`&&|\|\||;`).Split(cmd, -1)
}

// makefileTargets maps each target of the Makefile to its prerequisites.
func makefileTargets(t *testing.T) map[string][]string {
	t.Helper()
	targets := map[string][]string{}
	rule := regexp.MustCompile(`^([A-Za-z0-9_.-]+(?: [A-Za-z0-9_.-]+)*):([^=].*)?$`)
	for _, line := range strings.Split(readRepoFile(t, "Makefile"), "\n") {
		if strings.HasPrefix(line, "\t") {
			continue
		}
		m := rule.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, name := range strings.Fields(m[1]) {
			if !strings.HasPrefix(name, ".") {
				targets[name] = append(targets[name], strings.Fields(m[2])...)
			}
		}
	}
	return targets
}

func reachable(graph map[string][]string, from string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, d := range graph[n] {
			walk(d)
		}
	}
	walk(from)
	return seen
}

func npmScripts(t *testing.T) map[string]string {
	t.Helper()
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if err := json.Unmarshal([]byte(readRepoFile(t, "package.json")), &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.Scripts
}

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGrafanaImage: the image's Grafana is the oldest version plugin.json
// supports, and it runs the plugin unzipped from the archive `mage package`
// writes.
func TestGrafanaImage(t *testing.T) {
	manifest, err := packaging.ParseManifest([]byte(readRepoFile(t, "plugin.json")))
	if err != nil {
		t.Fatal(err)
	}
	minimum, ok := strings.CutPrefix(manifest.Dependencies.GrafanaDependency, ">=")
	if !ok {
		t.Fatalf("grafanaDependency %q is not a >= range", manifest.Dependencies.GrafanaDependency)
	}
	ins := parseDockerfile(t, "Dockerfile")
	var version, finalFrom string
	var unzips []string
	var finalCopies []instruction
	for _, in := range ins {
		switch in.cmd {
		case "ARG":
			if v, ok := strings.CutPrefix(in.args, "GRAFANA_VERSION="); ok {
				version = v
			}
		case "FROM":
			finalFrom, finalCopies = strings.Fields(in.args)[0], nil
		case "RUN":
			if strings.Contains(in.args, "unzip") {
				unzips = append(unzips, in.args)
			}
		case "COPY":
			finalCopies = append(finalCopies, in)
		}
	}
	if finalFrom != "grafana/grafana:${GRAFANA_VERSION}" {
		t.Errorf("the final stage is %q, want grafana/grafana:${GRAFANA_VERSION}", finalFrom)
	}
	if strings.TrimSpace(minimum) != version {
		t.Errorf("GRAFANA_VERSION %q, want %q, the oldest Grafana plugin.json accepts (%s)", version, minimum, manifest.Dependencies.GrafanaDependency)
	}
	archive := manifest.ID + "-*.linux_${TARGETARCH:-amd64}.zip"
	if len(unzips) != 1 || !strings.Contains(unzips[0], "build/"+archive) {
		t.Errorf("want one RUN that unzips build/%s (mage package's archive for the image's platform), got %q", archive, unzips)
	}
	if !slices.ContainsFunc(packaging.PlatformArchives(manifest.ID, "1.0.0"), func(a packaging.Archive) bool {
		return a.Name == strings.NewReplacer("*", "1.0.0", "${TARGETARCH:-amd64}", "arm64").Replace(archive)
	}) {
		t.Errorf("mage package writes no archive that %s names for arm64", archive)
	}
	installed := false
	for _, in := range finalCopies {
		flags, _, dest := copyArgs(in.args)
		installed = installed || (flags["from"] != "" && strings.HasPrefix(dest, "/var/lib/grafana/plugins"))
	}
	if !installed {
		t.Error("the final stage copies no unzipped plugin into /var/lib/grafana/plugins")
	}
}
