// Command noop-provider is the floor that make bench measures the provider
// against: a provider on the same framework version with one resource,
// noop_thing, whose operations return at once. It sets its process up as
// the provider does (flowroute.SetUpProcess), so whatever CPU it spends per
// resource is the plugin protocol's and the framework's, which no provider
// can avoid; with -defaults it runs as the framework leaves a provider, as
// most providers run. It is a benchmark tool and is never released.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	flowroute "github.com/flowroute-community/terraform-provider-flowroute/internal/provider"
)

func main() {
	var defaults bool
	flag.BoolVar(&defaults, "defaults", false, "run as the framework sets a provider up, not as flowroute's does")
	flag.Parse()
	if !defaults {
		flowroute.SetUpProcess()
	}
	err := providerserver.Serve(context.Background(), func() provider.Provider { return noopProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/flowroute-community/noop", ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return thing{} }}
}

// thing does nothing: a read keeps the state as it is, a create takes the
// name as its id and leaves the rest null. Its schema has the shape of
// flowroute_phone_number's (the same attributes, types and flags, without
// validators), since the framework's work on each resource grows with its
// schema: what the provider spends beyond it is its own.
type thing struct{}

func (thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed:      true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			Required:      true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"search": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"starts_with": schema.StringAttribute{Optional: true},
			"contains":    schema.StringAttribute{Optional: true},
			"ends_with":   schema.StringAttribute{Optional: true},
			"state":       schema.StringAttribute{Optional: true},
			"rate_center": schema.StringAttribute{Optional: true},
			"number_type": schema.StringAttribute{Optional: true},
		}},
		"max_setup_cost":       schema.Float64Attribute{Optional: true},
		"max_monthly_cost":     schema.Float64Attribute{Optional: true},
		"alias":                schema.StringAttribute{Optional: true},
		"cnam_lookups_enabled": schema.BoolAttribute{Optional: true, Computed: true},
		"messaging_enabled":    schema.BoolAttribute{Optional: true, Computed: true},
		"deletion_protection":  schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
		"state":                schema.StringAttribute{Computed: true},
		"rate_center":          schema.StringAttribute{Computed: true},
		"number_type":          schema.StringAttribute{Computed: true},
		"setup_cost":           schema.Float64Attribute{Computed: true},
		"monthly_cost":         schema.Float64Attribute{Computed: true},
		"timeouts": timeouts.Attributes(context.Background(), timeouts.Opts{
			Create: true, Read: true, Update: true, Delete: true,
		}),
	}
	for _, name := range []string{"primary_route_id", "failover_route_id", "e911_address_id", "cnam_preset_id"} {
		attrs[name] = schema.StringAttribute{Optional: true, Computed: true}
	}
	resp.Schema = schema.Schema{Description: "Does nothing.", Attributes: attrs}
}

// Create takes the name as the id; every other computed value is null.
func (thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), name)...)
	for _, attr := range []string{"cnam_lookups_enabled", "messaging_enabled"} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), types.BoolNull())...)
	}
	for _, attr := range []string{"state", "rate_center", "number_type", "primary_route_id", "failover_route_id",
		"e911_address_id", "cnam_preset_id"} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), types.StringNull())...)
	}
	for _, attr := range []string{"setup_cost", "monthly_cost"} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), types.Float64Null())...)
	}
}

func (thing) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update is never called: changing the name replaces the thing.
func (thing) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}

func (thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
