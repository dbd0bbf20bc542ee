package prompt

import (
	"encoding/json"
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// SchemaName names the answer schema for APIs that require a name.
const SchemaName = "incident_explanation"

// entityKinds are the kinds a root cause may name (DESIGN.md).
var entityKinds = []string{
	incident.KindPod, incident.KindDeployment, incident.KindStatefulSet, incident.KindDaemonSet,
	incident.KindJob, incident.KindCronJob, incident.KindNode, incident.KindService,
	incident.KindPVC, incident.KindExternal,
}

// Schema is the JSON Schema of an answer. It keeps to the subset that
// OpenAI's strict structured outputs accept (every property required, no
// additional properties). evidenceIDs, when not empty, become an enum so a
// schema-enforcing provider cannot cite an id it was not shown. "summary"
// comes first so it is generated, and streamed, first.
func Schema(evidenceIDs []string) (json.RawMessage, error) {
	evidence := map[string]any{"type": "string"}
	if len(evidenceIDs) > 0 {
		evidence["enum"] = evidenceIDs
	}
	str := func(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
	object := func(props [][2]any) map[string]any {
		// Ordered properties keep "summary" first in the serialised schema.
		ordered := orderedProps(props)
		required := make([]string, len(props))
		for i, p := range props {
			required[i] = p[0].(string)
		}
		return map[string]any{"type": "object", "properties": ordered, "required": required, "additionalProperties": false}
	}
	schema := object([][2]any{
		{"summary", str("One or two sentences: what is failing and why, for the alert channel.")},
		{"rootCause", object([][2]any{
			{"category", map[string]any{"type": "string", "enum": incident.Categories()}},
			{"entity", object([][2]any{
				{"namespace", str("Empty for Node and External.")},
				{"kind", map[string]any{"type": "string", "enum": entityKinds}},
				{"name", str("Object name, or host/service for External.")},
			})},
			{"description", str("The causal chain in two to four sentences, referring to the evidence.")},
			{"confidence", map[string]any{"type": "number", "description": "0 to 1."}},
		})},
		{"nextSteps", map[string]any{"type": "array", "items": object([][2]any{
			{"text", str("What to do.")},
			{"command", str("A kubectl or shell command, or empty.")},
		})}},
		{"evidence", map[string]any{"type": "array", "items": evidence}},
	})
	b, err := json.Marshal(schema)
	if err != nil {
		return nil, fmt.Errorf("encode answer schema: %w", err)
	}
	return b, nil
}

// orderedProps is a JSON object that keeps its keys in the given order.
type orderedProps [][2]any

func (o orderedProps) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, p := range o {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, err := json.Marshal(p[0])
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(p[1])
		if err != nil {
			return nil, err
		}
		buf = append(buf, k...)
		buf = append(buf, ':')
		buf = append(buf, v...)
	}
	return append(buf, '}'), nil
}
