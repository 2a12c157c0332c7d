// Package provider implements the flowroute Terraform and OpenTofu provider.
package provider

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// Environment variables read when the provider block leaves an argument unset,
// in order of precedence. FR_* are the names Flowroute's own SDK examples use.
var (
	accessKeyEnvVars = []string{"FLOWROUTE_ACCESS_KEY", "FR_ACCESS_KEY"}
	secretKeyEnvVars = []string{"FLOWROUTE_SECRET_KEY", "FR_SECRET_KEY"}
	baseURLEnvVars   = []string{"FLOWROUTE_BASE_URL"}
)

var (
	_ provider.ProviderWithFunctions     = (*flowrouteProvider)(nil)
	_ provider.ProviderWithListResources = (*flowrouteProvider)(nil)
)

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &flowrouteProvider{version: version}
	}
}

type flowrouteProvider struct {
	version string
	// clientOptions come after the configured ones; tests shorten the retry waits with them.
	clientOptions []flowroute.Option
}

type providerModel struct {
	AccessKey  types.String `tfsdk:"access_key"`
	SecretKey  types.String `tfsdk:"secret_key"`
	BaseURL    types.String `tfsdk:"base_url"`
	MaxRetries types.Int64  `tfsdk:"max_retries"`
	// SettleWindow is unconfirmed_purchase_window.
	SettleWindow types.String `tfsdk:"unconfirmed_purchase_window"`
}

// providerData is what Configure hands to every data source.
type providerData struct {
	client *flowroute.Client
	// secrets are masked in every log line written while serving a request;
	// none when the provider's logs are off.
	secrets []string
	// claims keeps parallel purchases from choosing the same number.
	claims *numberClaims
	// maxRetries also bounds the purchases of a number tried again after
	// the account was found not to own it.
	maxRetries int
	// routes is the listing that the route reads share.
	routes *routeListing
	// settleWindow is how long after an unclear purchase its number is
	// kept while the account does not own it.
	settleWindow time.Duration
}

// maskSecrets returns a context whose tflog output never shows the secrets.
func (d *providerData) maskSecrets(ctx context.Context) context.Context {
	return maskSecrets(ctx, d.secrets)
}

func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	return tflog.MaskMessageStrings(ctx, secrets...)
}

func (p *flowrouteProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "flowroute"
	resp.Version = p.version
}

func (p *flowrouteProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The Flowroute provider works with Flowroute's Numbers API v2: it lists the purchasable " +
			"area codes, exchanges and phone numbers, and buys, configures and releases the numbers the account owns.",
		Attributes: map[string]schema.Attribute{
			"access_key": schema.StringAttribute{
				Description: "Flowroute API access key (Flowroute portal, Manage > Preferences > API Control). " +
					"Falls back to the `FLOWROUTE_ACCESS_KEY`, then the `FR_ACCESS_KEY` environment variable.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(noColon, `must not contain ":", which HTTP basic auth cannot carry in a user name`),
				},
			},
			"secret_key": schema.StringAttribute{
				Description: "Flowroute API secret key, paired with `access_key`. " +
					"Falls back to the `FLOWROUTE_SECRET_KEY`, then the `FR_SECRET_KEY` environment variable. " +
					"Never shown in plans or logs.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"base_url": schema.StringAttribute{
				Description: "Base URL of the Numbers API v2, an absolute `http` or `https` URL. " +
					"Falls back to the `FLOWROUTE_BASE_URL` environment variable, then `" + flowroute.DefaultBaseURL + "`. " +
					"Point it at the local Flowroute simulator to try the provider without an account.",
				Optional:   true,
				Validators: []validator.String{baseURLValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				Description: fmt.Sprintf("How many times a request is retried after a rate limit (429), a server error "+
					"(5xx other than 501) or a connection failure, with exponential backoff. Defaults to %d; 0 disables retries.",
					flowroute.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"unconfirmed_purchase_window": schema.StringAttribute{
				Description: "How long Flowroute may still carry out a purchase whose outcome was unclear (its answer " +
					"lost, or its wait cut short by a time limit or an interrupt), as a duration such as `30m`. Until " +
					"then its number stays in the state, marked unconfirmed, and every refresh asks the account: the " +
					"number stays once the account owns it. If the account still does not own it when this window " +
					"has passed since the last purchase attempt, the refresh removes it from the state with a warning. " +
					"Defaults to `1h`.",
				Optional:   true,
				Validators: []validator.String{positiveDuration{}},
			},
		},
	}
}

func (p *flowrouteProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	accessKey := stringSetting(config.AccessKey, path.Root("access_key"), accessKeyEnvVars, resp)
	secretKey := stringSetting(config.SecretKey, path.Root("secret_key"), secretKeyEnvVars, resp)
	baseURL := stringSetting(config.BaseURL, path.Root("base_url"), baseURLEnvVars, resp)
	for name, unknown := range map[string]bool{
		"max_retries": config.MaxRetries.IsUnknown(), "unconfirmed_purchase_window": config.SettleWindow.IsUnknown(),
	} {
		if unknown {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown "+name,
				name+" must be known when the provider is configured: set it to a literal value.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// With the provider's logs off there is nothing to mask, nor to log.
	logsOff := providerLogsOff()
	var secrets []string
	if !logsOff {
		secrets = flowroute.SecretForms(accessKey, secretKey)
		ctx = maskSecrets(ctx, secrets)
	}
	if !noColon.MatchString(accessKey) {
		// Reached only through the environment: the attribute validator catches the config value.
		resp.Diagnostics.AddAttributeError(path.Root("access_key"), "Invalid Flowroute access key",
			`The access key from the environment contains ":", which HTTP basic auth cannot carry in a user name. `+
				"Check FLOWROUTE_ACCESS_KEY or FR_ACCESS_KEY: Flowroute's access keys are letters and digits.")
	}
	if accessKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("access_key"), "Missing Flowroute access key",
			"Set access_key in the provider block, or the FLOWROUTE_ACCESS_KEY or FR_ACCESS_KEY environment variable. "+
				"Keys are in the Flowroute portal under Manage > Preferences > API Control.")
	}
	if secretKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("secret_key"), "Missing Flowroute secret key",
			"Set secret_key in the provider block, or the FLOWROUTE_SECRET_KEY or FR_SECRET_KEY environment variable. "+
				"Keys are in the Flowroute portal under Manage > Preferences > API Control.")
	}
	if baseURL == "" {
		baseURL = flowroute.DefaultBaseURL
	}
	parsedBaseURL, err := flowroute.ParseBaseURL(baseURL)
	if err != nil {
		// Reached only through FLOWROUTE_BASE_URL: the attribute validator catches the config value.
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Flowroute base URL",
			fmt.Sprintf("FLOWROUTE_BASE_URL is not usable: %s.", err))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if parsedBaseURL.Scheme == "http" && !isLoopbackHost(parsedBaseURL.Hostname()) {
		resp.Diagnostics.AddAttributeWarning(path.Root("base_url"), "Unencrypted Flowroute base URL",
			fmt.Sprintf("base_url %q uses plain http to a host that is not loopback: the access key and secret key "+
				"would cross the network unencrypted. Use https.", parsedBaseURL.Redacted()))
	}

	maxRetries := flowroute.DefaultMaxRetries
	if !config.MaxRetries.IsNull() {
		maxRetries = int(config.MaxRetries.ValueInt64())
	}
	settleWindow := defaultSettleWindow
	if !config.SettleWindow.IsNull() && !config.SettleWindow.IsUnknown() {
		// The validator has checked it at plan time.
		settleWindow, _ = time.ParseDuration(config.SettleWindow.ValueString())
	}

	options := []flowroute.Option{
		flowroute.WithBaseURL(parsedBaseURL.String()),
		flowroute.WithUserAgent(userAgent(p.version, req.TerraformVersion)),
		flowroute.WithMaxRetries(maxRetries),
	}
	if !logsOff {
		options = append(options, flowroute.WithLogger(logToTflog))
	}
	client, err := flowroute.New(accessKey, secretKey, append(options, p.clientOptions...)...)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Flowroute client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured the Flowroute client", map[string]any{
		"base_url": parsedBaseURL.Redacted(), "max_retries": maxRetries,
	})

	data := &providerData{
		client: client, secrets: secrets,
		claims: newNumberClaims(), maxRetries: maxRetries,
		routes: newRouteListing(client), settleWindow: settleWindow,
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
}

// stringSetting returns the configured value, else the first environment
// variable set. An unknown value is an error: the client needs it now.
func stringSetting(value types.String, attr path.Path, envVars []string, resp *provider.ConfigureResponse) string {
	if value.IsUnknown() {
		resp.Diagnostics.AddAttributeError(attr, "Unknown "+attr.String(),
			fmt.Sprintf("%s must be known when the provider is configured, and here it depends on a value that is "+
				"only known after apply. Set it to a literal value or a variable, or through the %s environment variable.",
				attr, envVars[0]))
		return ""
	}
	if !value.IsNull() {
		return value.ValueString()
	}
	for _, name := range envVars {
		if v := os.Getenv(name); v != "" {
			return v
		}
	}
	return ""
}

// noColon matches an access key that basic auth can carry.
var noColon = regexp.MustCompile(`^[^:]*$`)

func isLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// userAgent names the provider and the CLI that runs it, as the CLI reports itself.
func userAgent(providerVersion, cliVersion string) string {
	ua := "terraform-provider-flowroute/" + providerVersion
	if cliVersion != "" {
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", os.Getppid()))
		ua += " " + cliName(exe) + "/" + cliVersion
	}
	return ua
}

// cliName tells OpenTofu from Terraform by the executable that started the
// provider, since both report only a version through the plugin protocol.
// That executable is known on Linux only; elsewhere, and when the provider
// runs on its own (-debug, in-process tests), the name is the protocol's.
func cliName(parentExe string) string {
	if strings.HasPrefix(filepath.Base(parentExe), "tofu") {
		return "OpenTofu"
	}
	return "Terraform"
}

func (p *flowrouteProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newListDataSource[availableAreaCodesModel],
		newListDataSource[availableExchangesModel],
		newListDataSource[availableNumbersModel],
		newListDataSource[phoneNumbersModel],
		newEdgeStrategiesDataSource,
	}
}

func (p *flowrouteProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newPhoneNumberResource,
		newRouteResource,
		newE911AddressResource,
		newCNAMPresetResource,
		newMessagingCallbackResource,
	}
}

func (p *flowrouteProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newPhoneNumberListResource,
		newRouteListResource,
		newE911AddressListResource,
		newCNAMPresetListResource,
	}
}

func (p *flowrouteProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		newNormalizeNumberFunction,
		newParseNumberFunction,
	}
}
