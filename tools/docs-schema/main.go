// Command docs-schema completes the providers schema JSON that make docs
// hands tfplugindocs: it reads the CLI's (providers schema -json, the
// provider under the key "flowroute") on stdin and writes it on stdout with
// the provider's list resource schemas and resource identity schemas added
// where the CLI left them out. OpenTofu, which make docs runs, has no list
// resources; taking them from the provider itself keeps the generated docs
// the same on every machine.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/provider"
)

const providerKey = "flowroute"

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "docs-schema:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	var schemas struct {
		FormatVersion   string                                `json:"format_version"`
		ProviderSchemas map[string]map[string]json.RawMessage `json:"provider_schemas"`
	}
	if err := json.NewDecoder(in).Decode(&schemas); err != nil {
		return fmt.Errorf("reading the providers schema: %w", err)
	}
	cli, ok := schemas.ProviderSchemas[providerKey]
	if !ok {
		return fmt.Errorf("the providers schema has no %q provider", providerKey)
	}

	ctx := context.Background()
	server := providerserver.NewProtocol6(provider.New("docs")())()
	schemaResp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err := problem(err, schemaResp.Diagnostics); err != nil {
		return err
	}
	identityResp, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err := problem(err, identityResp.Diagnostics); err != nil {
		return err
	}

	if _, ok := cli["list_resource_schemas"]; !ok {
		lists := map[string]any{}
		for name, s := range schemaResp.ListResourceSchemas {
			if lists[name], err = listSchemaJSON(s); err != nil {
				return fmt.Errorf("list resource %s: %w", name, err)
			}
		}
		if cli["list_resource_schemas"], err = json.Marshal(lists); err != nil {
			return err
		}
	}
	if _, ok := cli["resource_identity_schemas"]; !ok {
		identities := map[string]any{}
		for name, s := range identityResp.IdentitySchemas {
			attrs := map[string]any{}
			for _, a := range s.IdentityAttributes {
				t, err := typeJSON(a.Type)
				if err != nil {
					return fmt.Errorf("identity of %s: %s: %w", name, a.Name, err)
				}
				attrs[a.Name] = map[string]any{"type": t, "description": a.Description,
					"required_for_import": a.RequiredForImport, "optional_for_import": a.OptionalForImport}
			}
			identities[name] = map[string]any{"version": s.Version, "attributes": attrs}
		}
		if cli["resource_identity_schemas"], err = json.Marshal(identities); err != nil {
			return err
		}
	}
	encoder := json.NewEncoder(out)
	encoder.SetIndent("", "  ")
	return encoder.Encode(schemas)
}

func problem(err error, diags []*tfprotov6.Diagnostic) error {
	if err != nil {
		return err
	}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}

// listSchemaJSON is a list resource's schema as providers schema -json
// shows it. The list blocks' configurations are flat: primitive attributes.
func listSchemaJSON(s *tfprotov6.Schema) (map[string]any, error) {
	if len(s.Block.BlockTypes) > 0 {
		return nil, fmt.Errorf("nested blocks are not supported")
	}
	attrs := map[string]any{}
	for _, a := range s.Block.Attributes {
		if a.NestedType != nil {
			return nil, fmt.Errorf("%s: nested attributes are not supported", a.Name)
		}
		t, err := typeJSON(a.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		attr := map[string]any{"type": t, "description": a.Description, "description_kind": "plain"}
		for flag, set := range map[string]bool{"required": a.Required, "optional": a.Optional, "computed": a.Computed, "sensitive": a.Sensitive} {
			if set {
				attr[flag] = true
			}
		}
		attrs[a.Name] = attr
	}
	return map[string]any{"version": s.Version, "block": map[string]any{
		"attributes": attrs, "description": s.Block.Description, "description_kind": "plain",
	}}, nil
}

func typeJSON(t tftypes.Type) (string, error) {
	switch {
	case t.Is(tftypes.String):
		return "string", nil
	case t.Is(tftypes.Bool):
		return "bool", nil
	case t.Is(tftypes.Number):
		return "number", nil
	}
	return "", fmt.Errorf("type %s is not supported", t)
}
