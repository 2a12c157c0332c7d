package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var _ list.ListResourceWithConfigure = (*cnamPresetListResource)(nil)

func newCNAMPresetListResource() list.ListResource {
	return &cnamPresetListResource{listResourceBase{typeName: "_cnam_preset"}}
}

// cnamPresetListResource lists the account's CNAM presets, for terraform
// query.
type cnamPresetListResource struct {
	listResourceBase
}

type cnamPresetListModel struct {
	IsApproved types.Bool `tfsdk:"is_approved"`
}

func (l *cnamPresetListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: fmt.Sprintf("The account's caller-name (CNAM) presets, in the API's order, for `terraform query`, "+
			"in pages of %d and at most the list block's `limit` (Terraform's default is 100). The listing carries "+
			"every attribute, so `include_resource` asks nothing more of the API. Each result's display name is the "+
			"caller name and whether Flowroute approved it.", flowroute.MaxCNAMPageSize),
		Attributes: map[string]listschema.Attribute{
			"is_approved": listschema.BoolAttribute{
				Description: "Only the approved presets (`true`), or only those awaiting approval or rejected (`false`). Unset: all.",
				Optional:    true,
			},
		},
	}
}

func (l *cnamPresetListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listing[cnamPresetListModel, flowroute.CNAMPreset]{
		data:   l.data,
		items:  "the account's CNAM presets",
		blamed: "is_approved",
		fetch: func(ctx context.Context, _ list.ListRequest, config cnamPresetListModel, limit *int) ([]flowroute.CNAMPreset, error) {
			return l.data.client.ListCNAMs(ctx, flowroute.CNAMQuery{IsApproved: config.IsApproved.ValueBoolPointer(), Limit: limit})
		},
		result: cnamPresetResult,
	}.stream(ctx, req, stream)
}

func cnamPresetResult(ctx context.Context, req list.ListRequest, p flowroute.CNAMPreset, r *list.ListResult) bool {
	status := "awaiting approval"
	switch {
	case p.IsApproved:
		status = "approved"
	case p.RejectionReason != "":
		status = "rejected: " + p.RejectionReason
	}
	r.DisplayName = fmt.Sprintf("%s (%s)", p.Value, status)
	setListIdentity(ctx, r, idIdentity, p.ID)
	if req.IncludeResource {
		setListResource(ctx, req, r, func(m *cnamPresetModel) { *m = cnamPresetModelOf(p, m.Timeouts) })
	}
	return false
}
