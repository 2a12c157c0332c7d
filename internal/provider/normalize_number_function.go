package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = normalizeNumberFunction{}

// normalizeNumberFunction is provider::flowroute::normalize_number.
type normalizeNumberFunction struct{}

func newNormalizeNumberFunction() function.Function { return normalizeNumberFunction{} }

func (normalizeNumberFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "normalize_number"
}

func (normalizeNumberFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	const description = "Returns a phone number in the Flowroute API's form, E.164 digits without the `+`, " +
		"such as `16463439507`: the form of the numbers the data sources return." + numberFormsMarkdown
	resp.Definition = function.Definition{
		Summary:             "Normalize a NANP phone number to the Flowroute API's form",
		Description:         withoutBackquotes(description),
		MarkdownDescription: description,
		Parameters:          []function.Parameter{phoneNumberParameter()},
		Return:              function.StringReturn{},
	}
}

func (normalizeNumberFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	n, funcErr := phoneNumberArgument(ctx, req)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	resp.Error = resp.Result.Set(ctx, n.Number)
}
