package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// identityCLIs are the CLIs that store identities: Terraform and OpenTofu
// 1.12 or newer.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

func expectIdentity(address, attr, value string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(address, map[string]knownvalue.Check{attr: knownvalue.StringExact(value)})
}

// identityImportSteps import the resource at address again, by an import block
// with its identity and by one with its id: each plans an import that
// changes nothing, with the identity the state has.
func identityImportSteps(address string) []tfresource.TestStep {
	return []tfresource.TestStep{
		{ResourceName: address, ImportState: true, ImportStateKind: tfresource.ImportBlockWithResourceIdentity},
		{ResourceName: address, ImportState: true, ImportStateKind: tfresource.ImportBlockWithID},
	}
}

// Each record resource has its id as identity from its creation, and
// imports by identity as by id.
func TestAccIdentity_records(t *testing.T) {
	for _, tc := range []struct {
		name, address, id string
		config            func(env *testEnv) string
	}{
		{"route", routeAddress, "98396", func(env *testEnv) string {
			return env.routeConfig(`route_type = "host"
  value = "pbx.example.com"
  alias = "pbx"`)
		}},
		{"e911_address", e911Address, "21301", func(env *testEnv) string { return env.e911Config(nil) }},
		{"cnam_preset", cnamPreset, "23454", func(env *testEnv) string { return env.cnamConfig("ACME SUPPORT") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			steps := []tfresource.TestStep{{
				Config:            tc.config(env),
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity(tc.address, idIdentity, tc.id)},
			}}
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: factories(),
				TerraformVersionChecks:   identityCLIs,
				Steps:                    append(steps, identityImportSteps(tc.address)...),
			})
		})
	}
}

// A number the account owns is adopted by an import block with its
// identity: nothing is bought, changed or released, and the next plan is
// empty. The bought number's identity holds from its purchase.
func TestAccIdentity_phoneNumber(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	numbers := candidates(env, testAreaCode(t, env))
	owned := numbers[0].Number
	if err := env.sim.AddOwned(owned); err != nil {
		t.Fatal(err)
	}
	env.sim.ResetRequests()
	adopt := env.phoneNumberConfig(fmt.Sprintf("number = %q", owned)) + fmt.Sprintf(`
import {
  to       = flowroute_phone_number.test
  identity = { number = %q }
}
`, owned)
	steps := []tfresource.TestStep{
		{
			Config: env.phoneNumberConfig(fmt.Sprintf("number = %q", owned)) + `
import {
  to       = flowroute_phone_number.test
  identity = { number = "6463439507" }
}
`,
			ExpectError: errorPattern("Invalid number of the import identity", "E.164 digits", `got "6463439507"`),
		},
		{
			Config: adopt,
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expectIdentity(phoneNumberAddress, numberIdentity, owned),
				statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
			},
			Check: env.expectWrites(map[string]int{}),
		},
		// The import steps below add their own import block to this configuration.
		{Config: env.phoneNumberConfig(fmt.Sprintf("number = %q", owned)), PlanOnly: true},
	}
	steps = append(steps, identityImportSteps(phoneNumberAddress)...)
	steps = append(steps,
		// Released on purpose, then another number bought: its identity is
		// the new number from the purchase on.
		tfresource.TestStep{Config: env.phoneNumberConfig(fmt.Sprintf("number = %q\n  deletion_protection = false", owned))},
		tfresource.TestStep{
			Config: env.phoneNumberConfig(fmt.Sprintf("number = %q\n  deletion_protection = false", numbers[1].Number)),
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: []statecheck.StateCheck{expectIdentity(phoneNumberAddress, numberIdentity, numbers[1].Number)},
		},
	)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		TerraformVersionChecks:   identityCLIs,
		Steps:                    steps,
	})
}

// A resource stored before identities existed has none; when the refresh
// finds it gone, the identity still comes from the state it had, since the
// framework refuses a read without one.
func TestIdentity_readOfGoneResourceWithoutIdentity(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(env.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	r := &phoneNumberResource{data: &providerData{client: client}}
	ctx := t.Context()
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	var identityResp resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &identityResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: objectValue(t, schemaResp.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"id":     tftypes.NewValue(tftypes.String, "16463439507"),
		"number": tftypes.NewValue(tftypes.String, "16463439507"),
	})}
	identityType := identityResp.IdentitySchema.Type().TerraformType(ctx)
	resp := resource.ReadResponse{
		State:    state,
		Identity: &tfsdk.ResourceIdentity{Schema: identityResp.IdentitySchema, Raw: tftypes.NewValue(identityType, nil)},
	}
	r.Read(ctx, resource.ReadRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() || !resp.State.Raw.IsNull() {
		t.Fatalf("diagnostics %v, state %v: want the number removed", resp.Diagnostics, resp.State.Raw)
	}
	var number string
	if diags := resp.Identity.GetAttribute(ctx, path.Root(numberIdentity), &number); diags.HasError() || number != "16463439507" {
		t.Errorf("identity %v (%v), want the number", resp.Identity.Raw, diags)
	}
}
