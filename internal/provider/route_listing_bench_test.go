package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// refreshRoutes is how many routes the refresh benchmarks read, and
// refreshParallelism how many of them the CLI reads at once (its
// -parallelism default).
const (
	refreshRoutes      = 500
	refreshParallelism = 10
)

// refreshEnv is a simulator with n routes besides the built-in one, and a
// client with default settings pointed at it.
type refreshEnv struct {
	sim    *simulator.Server
	client *flowroute.Client
	ids    []string
}

func newRefreshEnv(tb testing.TB, n int) *refreshEnv {
	tb.Helper()
	sim := simulator.New(simulator.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	server := httptest.NewServer(sim)
	tb.Cleanup(server.Close)
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(server.URL+"/v2"))
	if err != nil {
		tb.Fatal(err)
	}
	env := &refreshEnv{sim: sim, client: client}
	for i := range n {
		env.ids = append(env.ids, sim.AddRoute(simulator.Route{
			RouteType: simulator.RouteTypeNumber, Value: fmt.Sprintf("1206555%04d", i), Alias: fmt.Sprintf("route-%d", i),
		}))
	}
	return env
}

// finder reads one route.
type finder func(ctx context.Context, id string) (flowroute.Route, bool, error)

// shared reads through one listing, as a provider process does.
func (e *refreshEnv) shared() finder { return newRouteListing(e.client).find }

// unshared reads each route through a listing of its own: what a read
// would cost if the reads did not share one.
func (e *refreshEnv) unshared() finder {
	return func(ctx context.Context, id string) (flowroute.Route, bool, error) {
		return newRouteListing(e.client).find(ctx, id)
	}
}

// refresh reads every route as one refresh does, refreshParallelism at a time.
func (e *refreshEnv) refresh(tb testing.TB, find finder) {
	tb.Helper()
	ids := make(chan string)
	var wg sync.WaitGroup
	for range refreshParallelism {
		wg.Go(func() {
			for id := range ids {
				if _, ok, err := find(tb.Context(), id); err != nil || !ok {
					tb.Errorf("route %s: %v, %v", id, ok, err)
				}
			}
		})
	}
	for _, id := range e.ids {
		ids <- id
	}
	close(ids)
	wg.Wait()
}

// BenchmarkRouteRefresh refreshes refreshRoutes routes, each refresh through
// a new shared listing (each CLI command starts the provider anew), and for
// comparison with a listing per read, with the simulator answering at once
// and after 20 ms. It reports requests and wall time per refresh.
func BenchmarkRouteRefresh(b *testing.B) {
	env := newRefreshEnv(b, refreshRoutes)
	for _, latency := range []time.Duration{0, 20 * time.Millisecond} {
		for _, mode := range []struct {
			name   string
			finder func() finder
		}{{"shared", env.shared}, {"per-read", env.unshared}} {
			b.Run(fmt.Sprintf("routes=%d/latency=%dms/%s", refreshRoutes, latency.Milliseconds(), mode.name), func(b *testing.B) {
				env.sim.ClearFaults()
				if latency > 0 {
					env.sim.AddFault(simulator.Fault{Path: simulator.PathRoutes, Latency: latency})
					b.Cleanup(env.sim.ClearFaults)
				}
				env.sim.ResetRequests()
				for b.Loop() {
					env.refresh(b, mode.finder())
				}
				b.ReportMetric(float64(env.sim.RequestCount())/float64(b.N), "requests/refresh")
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/refresh")
			})
		}
	}
}

// TestRouteRefreshRequestCounts checks that a refresh of every route costs
// one listing: a request per page of 200, plus at most one asked for past
// the end, where a listing per read would cost that for every route.
func TestRouteRefreshRequestCounts(t *testing.T) {
	env := newRefreshEnv(t, refreshRoutes)
	env.refresh(t, env.shared())
	pages := (refreshRoutes + 1 + flowroute.MaxRoutesPageSize - 1) / flowroute.MaxRoutesPageSize
	got := env.sim.RequestCount()
	t.Logf("%d requests to refresh %d routes", got, refreshRoutes)
	if got < pages || got > pages+1 {
		t.Errorf("%d requests to refresh %d routes, want %d or %d", got, refreshRoutes, pages, pages+1)
	}
}
