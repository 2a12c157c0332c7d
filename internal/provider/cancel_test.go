package provider

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// cancelBound is how soon after its context is cancelled a read blocked on
// a slow server must end.
const cancelBound = time.Second

// slowEnv is a simulator that holds every area codes request for a minute.
func slowEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newTestEnv(t, simulator.Options{})
	env.sim.AddFault(simulator.Fault{Path: areaCodesPath, Latency: time.Minute})
	return env
}

// cancelSoon cancels ctx once the simulator holds a request, and returns
// when it did.
func cancelSoon(t *testing.T, env *testEnv, cancel context.CancelFunc) <-chan time.Time {
	t.Helper()
	cancelled := make(chan time.Time, 1)
	go func() {
		for env.sim.RequestCount() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancelled <- time.Now()
		cancel()
	}()
	return cancelled
}

func TestCancel_clientListing(t *testing.T) {
	env := slowEnv(t)
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(env.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := cancelSoon(t, env, cancel)

	areaCodes, err := client.ListAvailableAreaCodes(ctx, flowroute.AreaCodesQuery{})
	returned := time.Now()
	if !errors.Is(err, context.Canceled) || areaCodes != nil {
		t.Fatalf("got %d area codes and error %v, want no list and context.Canceled", len(areaCodes), err)
	}
	if late := returned.Sub(<-cancelled); late > cancelBound {
		t.Errorf("the listing ended %s after cancellation, want within %s", late, cancelBound)
	}
}

func TestCancel_dataSourceRead(t *testing.T) {
	env := slowEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := cancelSoon(t, env, cancel)
	resp := readAreaCodes(ctx, t, env)
	returned := time.Now()

	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "The read was cancelled before it finished") {
		t.Fatalf("diagnostics %v, want a cancellation error", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Errorf("the state was set after a cancelled read: %v", resp.State.Raw)
	}
	if late := returned.Sub(<-cancelled); late > cancelBound {
		t.Errorf("the read ended %s after cancellation, want within %s", late, cancelBound)
	}
}

// A page that fails after others arrived leaves no state at all: never the
// pages that came before it.
func TestRead_failedPageLeavesNoPartialList(t *testing.T) {
	env := newTestEnv(t, simulator.Options{Inventory: simulator.SyntheticAreaCodes(faultInventorySize)})
	env.sim.AddFault(simulator.Fault{Path: areaCodesPath, Offset: page(2), Status: 500})
	resp := readAreaCodes(t.Context(), t, env)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "HTTP 500") {
		t.Fatalf("diagnostics %v, want the page's HTTP 500", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Errorf("the state was set after a failed read: %v", resp.State.Raw)
	}
	// Page 1 was served: the error came after some items had arrived.
	if !slices.ContainsFunc(env.sim.Requests(), func(r simulator.Request) bool { return r.Query.Get("offset") == "0" }) {
		t.Fatal("page 1 was never asked for")
	}
}

// readAreaCodes runs flowroute_available_areacodes' Read, with no arguments,
// on a provider configured for env, and returns its response.
func readAreaCodes(ctx context.Context, t *testing.T, env *testEnv) datasource.ReadResponse {
	t.Helper()
	configured := configure(t, map[string]tftypes.Value{
		"access_key":  tftypes.NewValue(tftypes.String, testAccessKey),
		"secret_key":  tftypes.NewValue(tftypes.String, testSecretKey),
		"base_url":    tftypes.NewValue(tftypes.String, env.baseURL),
		"max_retries": tftypes.NewValue(tftypes.Number, 0),
	})
	if configured.Diagnostics.HasError() {
		t.Fatal(configured.Diagnostics)
	}
	ds := &availableAreaCodesDataSource{}
	ds.Configure(ctx, datasource.ConfigureRequest{ProviderData: configured.DataSourceData}, &datasource.ConfigureResponse{})
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	schemaType := schemaResp.Schema.Type().TerraformType(ctx)

	resp := datasource.ReadResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaType, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: objectValue(t, schemaType, nil)}}, &resp)
	return resp
}
