package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunAddsListAndIdentitySchemas(t *testing.T) {
	in := `{"format_version": "1.0", "provider_schemas": {"flowroute": {"resource_schemas": {"flowroute_route": {"version": 0}}}}}`
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas map[string]any `json:"resource_schemas"`
			ListSchemas     map[string]struct {
				Block struct {
					Attributes map[string]struct {
						Type     string `json:"type"`
						Optional bool   `json:"optional"`
					} `json:"attributes"`
				} `json:"block"`
			} `json:"list_resource_schemas"`
			IdentitySchemas map[string]struct {
				Attributes map[string]struct {
					Type              string `json:"type"`
					RequiredForImport bool   `json:"required_for_import"`
				} `json:"attributes"`
			} `json:"resource_identity_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	p := got.ProviderSchemas["flowroute"]
	if len(p.ResourceSchemas) != 1 {
		t.Errorf("the CLI's schemas were not kept: %s", out.String())
	}
	if len(p.ListSchemas) != 4 || len(p.IdentitySchemas) != 4 {
		t.Fatalf("%d list and %d identity schemas, want 4 each", len(p.ListSchemas), len(p.IdentitySchemas))
	}
	if a := p.ListSchemas["flowroute_cnam_preset"].Block.Attributes["is_approved"]; a.Type != "bool" || !a.Optional {
		t.Errorf("is_approved %+v", a)
	}
	if a := p.IdentitySchemas["flowroute_phone_number"].Attributes["number"]; a.Type != "string" || !a.RequiredForImport {
		t.Errorf("the phone number's identity %+v", a)
	}

	if err := run(strings.NewReader(`{"provider_schemas": {}}`), &out); err == nil {
		t.Error("a schema without the provider accepted")
	}
}
