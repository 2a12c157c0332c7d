package provider

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// defaultReadTimeout bounds a read, retries and all, when timeouts.read is unset.
const defaultReadTimeout = 5 * time.Minute

// providerDataOf takes the provider's data in a data source's or a
// resource's Configure. It is nil while the provider is not configured yet
// (validation).
func providerDataOf(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", raw))
		return nil
	}
	return data
}

// listDataSource is a data source that lists one of the Numbers API's
// collections (area codes, exchanges, numbers) into one computed list. Its
// model says which: it embeds listArguments, describes the data source and
// makes the client call. The read around the call is shared: the
// configuration, timeouts.read, masked secrets, the error diagnostics, the
// default offset and the state. The zero value is ready for Configure.
type listDataSource[M any, P listModel[M]] struct {
	data *providerData
}

// newListDataSource is the list data source of model M, for the provider's
// DataSources.
func newListDataSource[M any, P listModel[M]]() datasource.DataSource {
	return &listDataSource[M, P]{}
}

// listModel is a pointer to a list data source's model.
type listModel[M any] interface {
	*M
	arguments() *listArguments
	// describe works on a nil model: it says which data source M is.
	describe() listDescription
	// list calls the client with the configuration's query and fills in the
	// computed list; it returns how many items it stored.
	list(ctx context.Context, client *flowroute.Client) (int, error)
}

// listDescription is what tells the list data sources apart, but for the call.
type listDescription struct {
	// typeName follows the provider's name, as in "_available_areacodes".
	typeName string
	schema   func(context.Context) schema.Schema
	// items names what is listed, in errors and logs: "available area codes".
	items string
	// blamed names the arguments that a rejected query (HTTP 400 or 422) blames.
	blamed string
}

// listArguments are the arguments every list data source has. Models embed
// it, so the shared read can get at them.
type listArguments struct {
	Limit    types.Int64    `tfsdk:"limit"`
	Offset   types.Int64    `tfsdk:"offset"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (a *listArguments) arguments() *listArguments { return a }

// limit is the client's form of the limit argument: nil for all items.
func (a *listArguments) limit() *int {
	if a.Limit.IsNull() {
		return nil
	}
	n := int(a.Limit.ValueInt64())
	return &n
}

// offset is the offset argument, 0 when unset.
func (a *listArguments) offset() int {
	return int(a.Offset.ValueInt64())
}

func (d *listDataSource[M, P]) describe() listDescription {
	var model P
	return model.describe()
}

func (d *listDataSource[M, P]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.describe().typeName
}

func (d *listDataSource[M, P]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.describe().schema(ctx)
}

func (d *listDataSource[M, P]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *listDataSource[M, P]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("Unconfigured Flowroute provider",
			"The data source was read before the provider was configured. This is a bug in the provider; please report it.")
		return
	}
	var config M
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	model := P(&config)
	args := model.arguments()
	readTimeout, diags := args.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(d.data.maskSecrets(ctx), readTimeout)
	defer cancel()

	count, err := model.list(ctx, d.data.client)
	what := model.describe()
	if err != nil {
		addReadError(&resp.Diagnostics, "Unable to list "+what.items, err, what.blamed, readTimeout)
		return
	}
	tflog.Debug(ctx, "listed "+what.items, map[string]any{"count": count})

	args.Offset = types.Int64Value(int64(args.offset()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// storeList stores what a list call returned as the model's list, each item
// converted, and says how many items it stored.
func storeList[T, E any](items []T, err error, list *[]E, convert func(T) E) (int, error) {
	if err != nil {
		return 0, err
	}
	*list = make([]E, len(items))
	for i, item := range items {
		(*list)[i] = convert(item)
	}
	return len(items), nil
}

// limitAttribute is the cap on the items a list data source returns in
// total. Optional, unset means all of them; a search over a large inventory
// requires it instead.
func limitAttribute(items string, required bool) schema.Int64Attribute {
	description := "The most " + items + " to return in total. Unset: all of them."
	if required {
		description = "The most " + items + " to return in total, at least 1. Required: the inventory is large, " +
			"so a search says how many it wants."
	}
	return schema.Int64Attribute{
		Description: description,
		Required:    required,
		Optional:    !required,
		Validators:  []validator.Int64{int64validator.AtLeast(1)},
	}
}

// offsetAttribute is the items to skip; the state shows 0 when it is unset.
func offsetAttribute(items string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Description: "How many " + items + " to skip from the start of the list. Defaults to 0.",
		Optional:    true,
		Computed:    true,
		// The client must be able to ask for a page after the offset.
		Validators: []validator.Int64{int64validator.AtLeast(0), int64validator.AtMost(maxOffset)},
	}
}

// maxOffset leaves room for the largest page any endpoint serves.
const maxOffset = math.MaxInt64 - flowroute.MaxAreaCodesPageSize

func maxSetupCostAttribute(items string) schema.Float64Attribute {
	return schema.Float64Attribute{
		Description: "Keep only the " + items + " that hold at least one number whose one-off setup fee, in USD, " +
			"is at most this value.",
		Optional:   true,
		Validators: []validator.Float64{float64validator.AtLeast(0)},
	}
}

// timeoutsAttribute is timeouts = { read = "..." }, the time the whole read
// may take.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	attr := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("How long the read may take, retries included, as a duration such as "+
			"`30s` or `10m` (units `s`, `m`, `h`). Defaults to `%s`.", strings.TrimSuffix(defaultReadTimeout.String(), "0s")),
	})
	if nested, ok := attr.(schema.SingleNestedAttribute); ok {
		nested.Description = "Time limits for this data source."
		nested.Validators = append(nested.Validators, positiveTimeouts{})
		return nested
	}
	return attr
}

// computedList is the list a data source returns, one object per item.
func computedList(description string, item map[string]schema.Attribute) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Description:  description,
		Computed:     true,
		NestedObject: schema.NestedAttributeObject{Attributes: item},
	}
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{Description: description, Computed: true}
}

// stringOrNull is null for a value the API left out or sent empty.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
