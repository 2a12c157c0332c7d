package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// The purchase benchmark and TestPurchaseForEachRequests buy numbers as
// `tofu apply` does for a for_each of flowroute_phone_number sharing one
// search: the resource's Create, given the plan the CLI sends, called for
// forEachCreates resources with at most cliParallelism running at once (the
// CLI's default -parallelism), all in one provider process, so they share
// its numberClaims.
const (
	forEachCreates = 50
	cliParallelism = 10
	// forEachState has 320 numbers in the default inventory, so every
	// search answers a full page and 50 purchases never run short.
	forEachState = "ny"
	forEachAlias = "bench"
)

var purchaseBenchLatencies = []time.Duration{0, 50 * time.Millisecond}

// purchaseEnv is a simulator with its default inventory behind a loopback
// HTTP server, a client with default settings pointed at it, and the plans
// of one flowroute_phone_number without and with an alias.
type purchaseEnv struct {
	sim            *simulator.Server
	client         *flowroute.Client
	plain, aliased resource.CreateRequest
	// emptyState is the state before a create: null.
	emptyState tftypes.Value
}

func newPurchaseEnv(tb testing.TB) *purchaseEnv {
	tb.Helper()
	sim := simulator.New(simulator.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	if n := len(sim.Inventory().SearchNumbers(simulator.NumberFilter{State: forEachState})); n < forEachCreates {
		tb.Fatalf("the inventory has %d numbers in %s, want at least %d", n, forEachState, forEachCreates)
	}
	server := httptest.NewServer(sim)
	tb.Cleanup(server.Close)
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(server.URL+"/v2"))
	if err != nil {
		tb.Fatal(err)
	}
	var s resource.SchemaResponse
	(&phoneNumberResource{}).Schema(tb.Context(), resource.SchemaRequest{}, &s)
	e := &purchaseEnv{sim: sim, client: client, emptyState: tftypes.NewValue(s.Schema.Type().TerraformType(tb.Context()), nil)}
	e.plain = e.plan(tb, s.Schema, types.StringNull())
	e.aliased = e.plan(tb, s.Schema, types.StringValue(forEachAlias))
	return e
}

// plan is the configuration and plan the CLI sends to create one resource of
//
//	for_each = ...
//	search = { state = forEachState }
//	alias = alias
//	deletion_protection = false
//
// where, in the plan, everything computed is unknown.
func (e *purchaseEnv) plan(tb testing.TB, s schema.Schema, alias types.String) resource.CreateRequest {
	tb.Helper()
	ctx := tb.Context()
	plan := tfsdk.Plan{Schema: s, Raw: e.emptyState}
	var diags diag.Diagnostics
	for name, v := range map[string]any{
		"deletion_protection": types.BoolValue(false),
		"search":              numberSearchModel{State: types.StringValue(forEachState)},
		"alias":               alias,
	} {
		diags.Append(plan.SetAttribute(ctx, path.Root(name), v)...)
	}
	config := tfsdk.Config{Schema: s, Raw: plan.Raw.Copy()}
	for name, attr := range s.Attributes {
		if attr.IsComputed() && name != "deletion_protection" {
			diags.Append(plan.SetAttribute(ctx, path.Root(name), unknownOf(attr))...)
		}
	}
	if diags.HasError() {
		tb.Fatalf("building the plan: %v", diags)
	}
	return resource.CreateRequest{Config: config, Plan: plan}
}

// unknownOf is the unknown value of a computed attribute's type.
func unknownOf(attr schema.Attribute) any {
	switch attr.(type) {
	case schema.Float64Attribute:
		return types.Float64Unknown()
	case schema.BoolAttribute:
		return types.BoolUnknown()
	case schema.SetAttribute:
		return types.SetUnknown(types.StringType)
	}
	return types.StringUnknown()
}

// createAll creates forEachCreates resources from plan, cliParallelism at a
// time, in a new provider process as far as the claims go, and returns the
// numbers bought.
func (e *purchaseEnv) createAll(tb testing.TB, req resource.CreateRequest) []string {
	tb.Helper()
	ctx := tb.Context()
	data := &providerData{client: e.client, claims: newNumberClaims(), maxRetries: flowroute.DefaultMaxRetries}
	numbers := make([]string, forEachCreates)
	failures := make([]diag.Diagnostics, forEachCreates)
	keys := make(chan int)
	var wg sync.WaitGroup
	for range cliParallelism {
		wg.Go(func() {
			for i := range keys {
				// The framework makes and configures a resource per call.
				r := &phoneNumberResource{data: data}
				resp := resource.CreateResponse{State: tfsdk.State{Schema: req.Plan.Schema, Raw: e.emptyState}}
				// The framework hands Create an empty private state, of a type
				// of its own.
				private := reflect.ValueOf(&resp.Private).Elem()
				private.Set(reflect.New(private.Type().Elem()))
				r.Create(ctx, req, &resp)
				var number types.String
				resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("number"), &number)...)
				numbers[i], failures[i] = number.ValueString(), resp.Diagnostics
			}
		})
	}
	for i := range forEachCreates {
		keys <- i
	}
	close(keys)
	wg.Wait()
	for i, d := range failures {
		if d.HasError() {
			tb.Fatalf("create %d: %v", i, d)
		}
	}
	return numbers
}

// check fails unless the account owns exactly numbers, all distinct, all in
// forEachState, and aliased when wantAlias.
func (e *purchaseEnv) check(tb testing.TB, numbers []string, wantAlias bool) {
	tb.Helper()
	owned := e.sim.OwnedNumbers()
	distinct := slices.Compact(slices.Sorted(slices.Values(numbers)))
	if len(distinct) != forEachCreates || len(owned) != forEachCreates {
		tb.Fatalf("bought %d distinct numbers, the account owns %d; want %d", len(distinct), len(owned), forEachCreates)
	}
	for i, o := range owned {
		switch {
		case o.Number != distinct[i]:
			tb.Fatalf("the account owns %s, not in the state", o.Number)
		case o.State != forEachState:
			tb.Fatalf("%s is in %q, want %q", o.Number, o.State, forEachState)
		case wantAlias && (o.Alias == nil || *o.Alias != forEachAlias):
			tb.Fatalf("%s has alias %v, want %q", o.Number, o.Alias, forEachAlias)
		}
	}
}

// releaseAll gives the numbers back to the inventory outside the API, and
// empties the request log, so the next round starts as the first did.
func (e *purchaseEnv) releaseAll(tb testing.TB, numbers []string) {
	tb.Helper()
	for _, n := range numbers {
		if err := e.sim.ReleaseOutside(n); err != nil {
			tb.Fatal(err)
		}
	}
	e.sim.ResetRequests()
}

// purchaseRequests counts the simulator's requests by what they are to a
// purchase; other is anything else (none without faults).
type purchaseRequests struct{ searches, purchases, patches, other int }

func (c *purchaseRequests) add(requests []simulator.Request) {
	for _, r := range requests {
		switch {
		case r.Method == http.MethodGet && r.Path == simulator.PathNumbers:
			c.searches++
		case r.Method == http.MethodPost:
			c.purchases++
		case r.Method == http.MethodPatch:
			c.patches++
		default:
			c.other++
		}
	}
}

func (c purchaseRequests) total() int { return c.searches + c.purchases + c.patches + c.other }

// purchaseFloor is the least wall time forEachCreates purchases can take
// when every answer takes latency: cliParallelism run at once, so they go
// in waves, and each waits its round trips (search, purchase, and the PATCH
// when there are settings to apply).
func purchaseFloor(withAlias bool, latency time.Duration) time.Duration {
	waves := (forEachCreates + cliParallelism - 1) / cliParallelism
	roundTrips := 2
	if withAlias {
		roundTrips = 3
	}
	return time.Duration(waves*roundTrips) * latency
}

// BenchmarkPurchaseForEach buys forEachCreates numbers with one shared
// search, without and with an alias to set, from the simulator answering at
// once and with added latency. One op is the forEachCreates purchases; each
// starts from the same inventory (the numbers are released, untimed). Besides
// time per op it reports the requests per number bought, in all and by
// kind, and the latency floor.
func BenchmarkPurchaseForEach(b *testing.B) {
	env := newPurchaseEnv(b)
	for _, withAlias := range []bool{false, true} {
		plan := env.plain
		if withAlias {
			plan = env.aliased
		}
		for _, latency := range purchaseBenchLatencies {
			b.Run(fmt.Sprintf("alias=%v/latency=%dms", withAlias, latency.Milliseconds()), func(b *testing.B) {
				env.sim.ClearFaults()
				if latency > 0 {
					env.sim.AddFault(simulator.Fault{Latency: latency})
					b.Cleanup(env.sim.ClearFaults)
				}
				env.sim.ResetRequests()
				var counted purchaseRequests
				for b.Loop() {
					numbers := env.createAll(b, plan)
					b.StopTimer()
					env.check(b, numbers, withAlias)
					counted.add(env.sim.Requests())
					env.releaseAll(b, numbers)
					b.StartTimer()
				}
				bought := float64(forEachCreates * b.N)
				b.ReportMetric(float64(counted.total())/bought, "requests/number")
				b.ReportMetric(float64(counted.searches)/bought, "searches/number")
				b.ReportMetric(float64(counted.purchases)/bought, "purchases/number")
				b.ReportMetric(float64(counted.patches)/bought, "patches/number")
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
				b.ReportMetric(purchaseFloor(withAlias, latency).Seconds()*1e3, "floor-ms")
			})
		}
	}
}

// TestPurchaseForEachRequests checks that each number bought with a search
// costs one search, one purchase, and one PATCH only when there is a setting
// to apply; wall times are the benchmark's business, never a test's.
func TestPurchaseForEachRequests(t *testing.T) {
	env := newPurchaseEnv(t)
	for _, withAlias := range []bool{false, true} {
		t.Run(fmt.Sprintf("alias=%v", withAlias), func(t *testing.T) {
			plan, patches := env.plain, 0
			if withAlias {
				plan, patches = env.aliased, forEachCreates
			}
			numbers := env.createAll(t, plan)
			env.check(t, numbers, withAlias)
			var got purchaseRequests
			got.add(env.sim.Requests())
			want := purchaseRequests{searches: forEachCreates, purchases: forEachCreates, patches: patches}
			if got != want {
				t.Errorf("%d purchases made %+v requests, want %+v", forEachCreates, got, want)
			}
			env.releaseAll(t, numbers)
		})
	}
}
