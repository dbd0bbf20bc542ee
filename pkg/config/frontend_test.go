package config

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// settingsTS is the frontend's copy of the settings contract.
const settingsTS = "../../src/settings.ts"

// jsonPaths lists the JSON paths of t's fields: nested structs as a.b,
// maps and scalars as leaves.
func jsonPaths(t reflect.Type, prefix string) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Struct {
			out = append(out, jsonPaths(f.Type, prefix+name+".")...)
			continue
		}
		out = append(out, prefix+name)
	}
	return out
}

var (
	tsOpen  = regexp.MustCompile(`^\s*(\w+)\?: \{\s*$`)
	tsLeaf  = regexp.MustCompile(`^\s*(\w+)\?: `)
	tsClose = regexp.MustCompile(`^\s*\};?\s*$`)
)

// tsPaths reads the AppSettings interface's paths from settings.ts:
// one-line nested objects ({ a?: ...; b?: ... }) and multi-line ones.
func tsPaths(t *testing.T, src string) []string {
	start := strings.Index(src, "export interface AppSettings {")
	if start < 0 {
		t.Fatal("settings.ts has no AppSettings interface")
	}
	var out, stack []string
	for _, line := range strings.Split(src[start:], "\n")[1:] {
		switch {
		case tsOpen.MatchString(line):
			stack = append(stack, tsOpen.FindStringSubmatch(line)[1])
		case tsClose.MatchString(line):
			if len(stack) == 0 {
				return out
			}
			stack = stack[:len(stack)-1]
		case tsLeaf.MatchString(line):
			key := tsLeaf.FindStringSubmatch(line)[1]
			prefix := strings.Join(append(slices.Clone(stack), key), ".")
			if inner, ok := strings.CutPrefix(strings.TrimSpace(line[strings.Index(line, ": ")+2:]), "{ "); ok && strings.HasSuffix(inner, "};") {
				for _, field := range strings.Split(strings.TrimSuffix(inner, " };"), "; ") {
					name, _, _ := strings.Cut(field, "?:")
					out = append(out, prefix+"."+strings.TrimSpace(name))
				}
				continue
			}
			out = append(out, prefix)
		}
	}
	return out
}

func TestFrontendSettingsTypesMatchGo(t *testing.T) {
	raw, err := os.ReadFile(settingsTS)
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	goPaths := jsonPaths(reflect.TypeFor[Settings](), "")
	ts := tsPaths(t, src)
	for _, p := range goPaths {
		if !slices.Contains(ts, p) {
			t.Errorf("%s is a setting in Go but missing from AppSettings in %s", p, settingsTS)
		}
	}
	for _, p := range ts {
		if !slices.Contains(goPaths, p) {
			t.Errorf("%s is in AppSettings (%s) but not a setting in Go", p, settingsTS)
		}
	}
	keys := src[strings.Index(src, "export const SECRET_KEYS"):]
	keys = keys[:strings.Index(keys, "] as const")]
	for secret := range DefaultSettings().SecretsSet() {
		if !strings.Contains(keys, "'"+secret+"'") {
			t.Errorf("secret %s is missing from SECRET_KEYS in %s", secret, settingsTS)
		}
	}
	if n := strings.Count(keys, "'") / 2; n != len(DefaultSettings().SecretsSet()) {
		t.Errorf("SECRET_KEYS lists %d secrets, Go knows %d", n, len(DefaultSettings().SecretsSet()))
	}
}

// TestFrontendDefaultsAreTheBackends checks the placeholders the config page
// shows (DEFAULTS in settings.ts) against DefaultSettings, so the two copies
// cannot drift.
func TestFrontendDefaultsAreTheBackends(t *testing.T) {
	raw, err := os.ReadFile(settingsTS)
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	block := src[strings.Index(src, "export const DEFAULTS = {"):]
	block = block[:strings.Index(block, "\n};")]
	entry := regexp.MustCompile(`(?m)^\s*(\w+): '?([^',]*)'?(?: as [\w ]+)?,$`)
	d := DefaultSettings()
	want := map[string]string{
		"provider": string(d.Provider), "openaiBaseURL": d.OpenAI.BaseURL, "openaiModel": d.OpenAI.Model,
		"ollamaURL": d.Ollama.URL, "ollamaModel": d.Ollama.Model, "bedrockModelId": d.Bedrock.ModelID,
		"minRoleExplain": d.MinRoleExplain, "cacheTTL": strings.TrimSuffix(time.Duration(d.CacheTTL).String(), "0s"),
		"explainTimeout": time.Duration(d.ExplainTimeout).String(), "historyRetentionDays": strconv.Itoa(d.HistoryRetentionDays),
		"historyMaxCount": strconv.Itoa(d.HistoryMaxCount),
	}
	got := map[string]string{}
	for _, m := range entry.FindAllStringSubmatch(block, -1) {
		got[m[1]] = m[2]
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("DEFAULTS.%s is %q in %s, the backend's default is %q", k, got[k], settingsTS, v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("DEFAULTS has %d entries %v; this test knows %d: map the new ones to DefaultSettings", len(got), got, len(want))
	}
}
