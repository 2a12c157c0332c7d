package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// numberReadWindow is how many numbers include_resource reads at once: the
// list leaves out what a number is attached to, so each is read on its own.
const numberReadWindow = 4

var _ list.ListResourceWithConfigure = (*phoneNumberListResource)(nil)

func newPhoneNumberListResource() list.ListResource {
	return &phoneNumberListResource{listResourceBase{typeName: "_phone_number"}}
}

// phoneNumberListResource lists the numbers the account owns, for
// terraform query.
type phoneNumberListResource struct {
	listResourceBase
}

type phoneNumberListModel struct {
	StartsWith types.String `tfsdk:"starts_with"`
	Contains   types.String `tfsdk:"contains"`
	EndsWith   types.String `tfsdk:"ends_with"`
	Alias      types.String `tfsdk:"alias"`
}

// listedNumber is a number of the listing, and with include_resource the
// number as the account shows it on its own.
type listedNumber struct {
	listed flowroute.AccountNumber
	owned  *flowroute.AccountNumber
}

func (l *phoneNumberListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "The numbers the Flowroute account owns, in the API's order, for `terraform query`: " +
			"`terraform query -generate-config-out=numbers.tf` writes a `flowroute_phone_number` resource and an " +
			"`import` block for each, with `deletion_protection` on, so that one apply adopts them all without " +
			"buying, changing or releasing anything. The numbers are listed in pages of 200, at most the list " +
			"block's `limit` (Terraform's default is 100). With `include_resource` (which " +
			"`-generate-config-out` implies), each number is also read on its own, for what it is attached to. " +
			"Each result's display name is the number and its alias.",
		Attributes: map[string]listschema.Attribute{},
	}
	for _, f := range ownedNumberFilters {
		resp.Schema.Attributes[f.name] = listFilter(f.description, f.validator)
	}
}

func (l *phoneNumberListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listing[phoneNumberListModel, listedNumber]{
		data:   l.data,
		items:  "the account's numbers",
		blamed: "starts_with, contains, ends_with and alias",
		fetch:  l.fetch,
		result: phoneNumberResult,
	}.stream(ctx, req, stream)
}

func (l *phoneNumberListResource) fetch(ctx context.Context, req list.ListRequest, config phoneNumberListModel, limit *int) ([]listedNumber, error) {
	numbers, err := l.data.client.ListAccountNumbers(ctx, flowroute.AccountNumbersQuery{
		StartsWith: config.StartsWith.ValueString(),
		Contains:   config.Contains.ValueString(),
		EndsWith:   config.EndsWith.ValueString(),
		Alias:      config.Alias.ValueString(),
		Limit:      limit,
	})
	if err != nil {
		return nil, err
	}
	items := make([]listedNumber, len(numbers))
	for i, n := range numbers {
		items[i].listed = n
	}
	if req.IncludeResource {
		err = readNumbers(ctx, l.data.client, items)
	}
	return items, err
}

// readNumbers reads each listed number, numberReadWindow at a time; one
// released since the listing keeps owned nil.
func readNumbers(ctx context.Context, client *flowroute.Client, items []listedNumber) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, numberReadWindow)
	)
	for i := range items {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			owned, err := client.GetNumber(ctx, items[i].listed.Number)
			switch {
			case errors.Is(err, flowroute.ErrNotOnAccount):
			case err != nil:
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("reading %s: %w", items[i].listed.Number, err)
					cancel()
				}
				mu.Unlock()
			default:
				items[i].owned = owned
			}
		}()
	}
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return first
}

func phoneNumberResult(ctx context.Context, req list.ListRequest, item listedNumber, r *list.ListResult) bool {
	if req.IncludeResource && item.owned == nil {
		return true // released since it was listed
	}
	number := item.listed.Number
	r.DisplayName = number
	if alias := item.listed.Alias; alias != nil {
		r.DisplayName = fmt.Sprintf("%s (%s)", number, *alias)
	}
	setListIdentity(ctx, r, numberIdentity, number)
	if req.IncludeResource {
		setListResource(ctx, req, r, func(m *phoneNumberModel) {
			m.ID, m.Number = types.StringValue(number), types.StringValue(number)
			// As import does: a number adopted is as protected as one bought.
			m.DeletionProtection = types.BoolValue(true)
			m.fillFromOwned(item.owned)
		})
	}
	return false
}
