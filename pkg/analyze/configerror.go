package analyze

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// configError finds configuration the container cannot start with: a
// missing ConfigMap, Secret or key (CreateContainerConfigError, failed
// mounts), and startup failures whose last words are about configuration,
// environment variables or flags.
type configError struct{}

func (configError) Name() string { return "configerror" }

var (
	// missingRefRe names the missing object in kubelet messages:
	// configmap "x" not found, secret "y" not found,
	// couldn't find key K in ConfigMap ns/x.
	missingRefRe = regexp.MustCompile(`(?i)(configmaps?|secrets?) "([^"]+)" not found|couldn't find key (\S+) in (ConfigMap|Secret) (\S+)`)

	// missingSecretWordings are frameworks refusing to serve because a key or
	// setting they cannot run without is empty or malformed: unlike generic
	// configuration warnings, each of these fails every request it touches.
	missingSecretWordings = []string{
		// Laravel (MissingAppKeyException, a key of the wrong length).
		`no application encryption key has been specified|missingappkeyexception|unsupported cipher or incorrect key length`,
		// Rails: secret_key_base or the master key missing.
		"missing `?secret_key_base`?|missing encryption key to decrypt|rails_master_key",
		// Django and Flask.
		`improperlyconfigured|the secret_key setting must not be empty|no secret key was set`,
		// ASP.NET Core: an empty or malformed connection string or signing key.
		`the connectionstring property has not been initialized|parameter '?connectionstring'?\)|format of the initialization string does not conform|idx10(?:603|720)`,
		// Spring Boot without a datasource URL.
		`failed to configure a datasource`,
		// Node: jsonwebtoken and express-session without their secret.
		`secretorprivatekey must have a value|secret option required for sessions`,
	}
	missingSecretRe = regexp.MustCompile(`(?i)` + strings.Join(missingSecretWordings, "|"))

	// configLogRe matches what applications print when their configuration
	// is missing or wrong, across Go, Java, Python and Node idioms.
	configLogRe = regexp.MustCompile(`(?i)` + strings.Join(slices.Concat(missingSecretWordings, []string{
		`(?:missing|required|undefined|unset)\b.{0,40}\b(?:env(?:ironment)?(?: var(?:iable)?)?|config(?:uration)?|setting|variable|option|key)`,
		`\b(?:env(?:ironment)?(?: var(?:iable)?)?|config(?:uration)?(?: file| key| value)?|setting|variable)\b.{0,60}\b(?:is (?:not set|missing|required|empty|invalid)|not (?:set|defined|found)|must be (?:set|provided|specified)|is required)`,
		`invalid (?:config(?:uration)?|value for|setting|flag|argument|option)`,
		`failed to (?:load|parse|read|decode|unmarshal) (?:the )?(?:config|configuration|settings)`,
		`flag provided but not defined|unknown (?:flag|option|shorthand flag)`,
		`could not resolve placeholder|configurationexception|illegalargumentexception: .{0,40}(?:config|property)`,
		`keyerror: '[a-z0-9_]+'|os\.environ|pydantic.{0,40}validationerror|settings.{0,20}validation error|validation errors? for \w*(?:settings|config)`,
		`failed to bind properties|application failed to start|could not resolve placeholder`,
		`yaml: (?:line \d+|unmarshal)|toml: |json: cannot unmarshal.{0,60}config`,
		`open [^ ]*(?:conf|config|settings|\.ya?ml|\.json|\.toml|\.ini|\.properties)[^ ]*: no such file`,
		`panic: .{0,80}(?:config|env|setting)`,
		`config(?:uration)?(?: file)? (?:contains|has) (?:errors?|invalid)|(?:config(?:uration)?|settings?) (?:error|is invalid)`,
		`error (?:in|parsing|reading|loading|validating) (?:the )?(?:config|configuration|settings)|\[config\]`,
		`unknown (?:config(?:uration)? )?(?:key|field|directive|section|property|parameter|setting)s?\b|invalid (?:yaml|json|toml|syntax)`,
		// A server rejecting a line of its configuration file (nginx's
		// "[emerg] ... in /etc/nginx/nginx.conf:61", HAProxy, Envoy).
		`\bin /[^ "]*\.(?:conf|cfg|ya?ml|toml|ini|properties|json):\d+`,
		// An environment variable (upper snake case) failing validation.
		`(?-i:\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b)"? (?:must be|should be|is not) (?:a |an )?(?:numeric|number|integer|int|bool(?:ean)?|valid|one of|positive|a duration)`,
	}), "|"))
)

// minMissingSecretFailures is how many times a framework must report its
// missing key before that alone explains the alert.
const minMissingSecretFailures = 3

var configWaitingReasons = map[string]bool{
	"CreateContainerConfigError": true, "CreateContainerError": true, "RunContainerError": true,
}

func (c configError) Analyze(b *incident.Bundle) []incident.Finding {
	return c.analyzeLogs(b, logRecords(b))
}

func (configError) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	out := byWorkload(b, func(sub *incident.Bundle) []incident.Finding {
		if f, ok := configFromKubernetes(sub); ok {
			return []incident.Finding{f}
		}
		return nil
	})
	if f, ok := configFromLogs(b, recs); ok {
		out = append(out, f)
	}
	if f, ok := identityRejected(b, recs); ok {
		out = append(out, f)
	}
	return out
}

var (
	// identityRejectedRe is an identity provider refusing the token of the
	// pod's ServiceAccount because the role it asks for does not bind that
	// account or namespace: AWS STS (IRSA, EKS Pod Identity), Vault's
	// Kubernetes auth, Azure Workload Identity's federated credentials and
	// GKE Workload Identity.
	identityRejectedRe = regexp.MustCompile(`(?i)not authorized to perform:? sts:assumerolewithwebidentity|\(accessdenied\) when calling the assumerolewithwebidentity operation|service account (?:name )?not authorized|namespace not authorized|aadsts700(?:21|211|213)\b|no matching federated identity record|permission '?iam\.serviceaccounts\.getaccesstoken'? denied`)
	// vaultLoginRe is Vault's login endpoint in the "URL: PUT .../v1/auth/
	// <mount>/login" line of its API errors; the reason follows a few lines
	// later ("Code: 403. Errors:", "* permission denied").
	vaultLoginRe  = regexp.MustCompile(`(?i)/v1/(?:[a-z0-9_-]+/)?auth/[a-z0-9_/-]*?login\b`)
	vaultDeniedRe = regexp.MustCompile(`(?i)code: 403|\* permission denied`)
)

// vaultErrorLines is how many lines after the login URL Vault's multi-line
// API error may give its code and reason.
const vaultErrorLines = 5

// identityRejected finds pods whose workload identity is refused: the
// provider is healthy and answers, but the role's binding (an IAM trust
// policy's subject, a Vault role's bound_service_account_names and
// namespaces, a federated credential) does not name the ServiceAccount the
// pods run as, typically after a rename or a move to another namespace. The
// workload's identity configuration is responsible.
func identityRejected(b *incident.Bundle, recs []logRecord) (incident.Finding, bool) {
	var hits []logRecord
	line := ""
	for _, r := range recs {
		if stale(b, r) {
			continue
		}
		text := r.text()
		switch {
		case identityRejectedRe.MatchString(text):
			if line == "" {
				line = excerpt(firstMatch([]logRecord{r}, identityRejectedRe), identityRejectedRe)
			}
		case vaultLoginRe.MatchString(text) && vaultLoginDenied(b, r):
			if line == "" {
				line = excerpt(firstMatch([]logRecord{r}, vaultLoginRe), vaultLoginRe) + " (Code: 403, permission denied)"
			}
		default:
			continue
		}
		hits = append(hits, r)
	}
	if len(hits) == 0 {
		return incident.Finding{}, false
	}
	pods := recordPods(hits)
	entity := responsible(b, hits[0].Namespace, pods)
	detail := fmt.Sprintf("The identity provider refuses the ServiceAccount token of %s (%s): %q. "+
		"The provider answers, so the role's binding no longer names the ServiceAccount or namespace the pods run as "+
		"(an IAM trust policy's sub condition, a Vault role's bound_service_account_names / bound_service_account_namespaces, a federated credential's subject): "+
		"bind the role to the current ServiceAccount and namespace, or run the pods as the account the role names.",
		plural(len(pods), "pod", "pods"), plural(totalCount(hits), "rejection", "rejections"), line)
	return criticalLogFinding(b, incident.CategoryConfigError, entity, fmt.Sprintf("%s: workload identity rejected (permission denied for its ServiceAccount)", entity.Name), detail, hits, pods, 0.85), true
}

// vaultLoginDenied reports whether, in the stream the record came from, a
// login URL line of Vault's multi-line API error is followed by its 403.
// Mined templates carry no stream: their own lines are all there is.
func vaultLoginDenied(b *incident.Bundle, r logRecord) bool {
	if vaultDeniedRe.MatchString(r.text()) {
		return true
	}
	for _, s := range b.Logs {
		if s.Namespace != r.Namespace || s.Pod != r.Pod || s.Container != r.Container || s.Previous != r.Previous {
			continue
		}
		lines := s.Lines
		if len(lines) > maxRawLinesPerStream {
			lines = lines[len(lines)-maxRawLinesPerStream:]
		}
		for i, l := range lines {
			if !vaultLoginRe.MatchString(l.Text) {
				continue
			}
			for _, next := range lines[i:min(len(lines), i+vaultErrorLines+1)] {
				if vaultDeniedRe.MatchString(next.Text) {
					return true
				}
			}
		}
	}
	return false
}

// configFromKubernetes reads container waiting reasons and kubelet events.
func configFromKubernetes(b *incident.Bundle) (incident.Finding, bool) {
	var ids, pods, messages []string
	namespace := b.Target.Namespace
	var onset incident.Event
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			if !configWaitingReasons[c.Reason] {
				continue
			}
			// CreateContainerError is also how a missing binary shows; only
			// count it when the message names configuration.
			if c.Reason != "CreateContainerConfigError" && !missingRefRe.MatchString(c.Message) && !configLogRe.MatchString(c.Message) {
				continue
			}
			ids = append(ids, p.ID)
			if !contains(pods, p.Name) {
				pods = append(pods, p.Name)
			}
			namespace = p.Namespace
			messages = append(messages, fmt.Sprintf("%s: %s", c.Reason, c.Message))
		}
	}
	for _, e := range b.Events {
		if staleEvent(b, e) || e.Type == "Normal" || !missingRefRe.MatchString(e.Message) {
			continue
		}
		ids = append(ids, e.ID)
		messages = append(messages, e.Message)
		if onset.ID == "" {
			onset = e
		}
		if e.Object.Kind == incident.KindPod && !contains(pods, e.Object.Name) {
			pods = append(pods, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	if len(ids) == 0 {
		return incident.Finding{}, false
	}
	entity := responsible(b, namespace, pods)
	missing := ""
	for _, m := range messages {
		if sub := missingRefRe.FindStringSubmatch(m); sub != nil {
			if sub[2] != "" {
				missing = fmt.Sprintf("%s %q does not exist", singular(strings.ToLower(sub[1])), sub[2])
			} else {
				missing = fmt.Sprintf("key %s is missing from %s %s", sub[3], sub[4], sub[5])
			}
			break
		}
	}
	detail := fmt.Sprintf("Containers of %s cannot be created: %s.", plural(len(pods), "pod", "pods"), truncate(messages[0], 300))
	if missing != "" {
		detail += fmt.Sprintf(" The %s; create it or fix the reference in the pod spec.", missing)
	}
	title := fmt.Sprintf("%s has a configuration error", entity.Name)
	if missing != "" {
		title = fmt.Sprintf("%s: %s", entity.Name, missing)
	}
	return incident.Finding{
		Category:   incident.CategoryConfigError,
		Severity:   incident.SeverityCritical,
		Title:      title,
		Detail:     detail,
		Entity:     entity,
		Evidence:   ids,
		Confidence: 0.9,
		Onset:      onset.FirstSeen,
	}, true
}

func singular(s string) string { return strings.TrimSuffix(s, "s") }

// configFromLogs finds configuration complaints among error lines, strongest
// when they are the last words of a crashed run.
func configFromLogs(b *incident.Bundle, recs []logRecord) (incident.Finding, bool) {
	var hits []logRecord
	for _, r := range matchRecords(b, recs, configLogRe) {
		if r.Tail || r.Previous || severeLevel(r.Level) || missingSecretRe.MatchString(r.text()) {
			hits = append(hits, r)
		}
	}
	if len(hits) == 0 {
		return incident.Finding{}, false
	}
	pods := recordPods(hits)
	entity := responsible(b, hits[0].Namespace, pods)
	line := firstMatch(hits, configLogRe)
	// The complaint explains the failure when the process then exits by
	// itself; a container the kubelet killed (a hung app failing its
	// liveness probe) may have printed the same warning for weeks.
	confidence := 0.45
	crashing := false
	for _, r := range hits {
		if r.Tail || r.Previous {
			crashing = true
		}
	}
	if !crashing {
		crashing = podsRestarting(b, pods)
	}
	secretLine := firstMatch(hits, missingSecretRe)
	secretMissing := secretLine != ""
	if secretMissing {
		line = secretLine
	}
	switch {
	case crashing && selfExited(b, pods):
		confidence = 0.8
	case secretMissing && totalCount(hits) >= minMissingSecretFailures:
		// The framework names the empty key on every request it fails,
		// whether or not the process then exits.
		confidence = 0.75
	}
	detail := fmt.Sprintf("The application reports a configuration problem %s: %q.",
		plural(totalCount(hits), "time", "times"), display(line))
	if secretMissing && !crashing {
		detail += " A key or setting the framework needs is empty or malformed in the environment the pods started with: set it in the ConfigMap or Secret they read (pods started before an edit keep the old value) and restart them."
	}
	if crashing {
		detail += " It is among the last lines before the container exits, so the process cannot start with its current configuration, environment or flags."
	}
	return criticalLogFinding(b, incident.CategoryConfigError, entity, fmt.Sprintf("%s fails on its configuration", entity.Name), detail, hits, pods, confidence), true
}

func severeLevel(level string) bool {
	switch strings.ToLower(level) {
	case "error", "fatal", "panic", "critical", "crit", "emerg", "alert":
		return true
	}
	return false
}

// selfExited reports whether the pods' last terminated runs ended on their
// own (a non-zero exit), rather than killed by the kubelet or the kernel.
func selfExited(b *incident.Bundle, pods []string) bool {
	for _, p := range b.Pods {
		if !contains(pods, p.Name) {
			continue
		}
		for _, c := range p.Containers {
			t := c.LastTermination
			if t == nil {
				t = c.Terminated
			}
			if t != nil && t.ExitCode != 0 && t.ExitCode != 137 && t.ExitCode != 143 && !strings.EqualFold(t.Reason, "OOMKilled") {
				return true
			}
		}
	}
	return false
}

// podsRestarting reports whether any of the pods has a container that has
// restarted or is not running.
func podsRestarting(b *incident.Bundle, pods []string) bool {
	for _, p := range b.Pods {
		if !contains(pods, p.Name) {
			continue
		}
		for _, c := range p.Containers {
			if c.RestartCount > 0 || c.Reason == "CrashLoopBackOff" || c.State == "terminated" {
				return true
			}
		}
	}
	return false
}
