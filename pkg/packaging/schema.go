package packaging

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var english = message.NewPrinter(language.English)

// pluginSchemaJSON is Grafana's plugin.json schema, the one the plugin
// validator downloads from grafana/grafana (docs/sources/developers/plugins/
// plugin.schema.json) and checks the archive's plugin.json against: field
// types, patterns, enums, lengths (addedLinks titles of at least 10
// characters) and no unknown fields. This copy is the validator's own
// (github.com/grafana/plugin-validator config/plugin.schema.json, Apache-2.0,
// commit c5c6291 of 2026-07-13); replace the file to follow a newer schema.
//
//go:embed schema/plugin.schema.json
var pluginSchemaJSON []byte

var pluginSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(pluginSchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("plugin.json schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	// The validator's gojsonschema asserts formats (uri, email) too.
	c.AssertFormat()
	if err := c.AddResource("plugin.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("plugin.schema.json")
})

// CheckSchema validates one plugin.json against Grafana's schema and returns
// every violation, each with its location in the document.
func CheckSchema(raw []byte) error {
	sch, err := pluginSchema()
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("plugin.json: %w", err)
	}
	err = sch.Validate(doc)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var problems []error
	for _, leaf := range leaves(ve) {
		problems = append(problems, fmt.Errorf("schema: /%s: %s", strings.Join(leaf.InstanceLocation, "/"), leaf.ErrorKind.LocalizedString(english)))
	}
	return errors.Join(problems...)
}

// leaves are the innermost causes: the violations themselves rather than
// the "does not match the schema" wrappers around them.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}
