package provider

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// The listing benchmarks and TestListingRequestCounts drive the real client
// against the in-process simulator, with the client's defaults: pages of
// flowroute.MaxAreaCodesPageSize, benchWindow pages in flight.
const benchWindow = 2

var (
	benchSizes     = []int{100, 1_000, 10_000, 100_000}
	benchLatencies = []time.Duration{0, 20 * time.Millisecond}
)

// listingEnv is a simulator serving n synthetic area codes behind a loopback
// HTTP server, and a client with default settings pointed at it.
type listingEnv struct {
	sim    *simulator.Server
	client *flowroute.Client
}

func newListingEnv(tb testing.TB, n int) *listingEnv {
	tb.Helper()
	sim := simulator.New(simulator.Options{
		AccessKey: testAccessKey,
		SecretKey: testSecretKey,
		Inventory: simulator.SyntheticAreaCodes(n),
	})
	server := httptest.NewServer(sim)
	tb.Cleanup(server.Close)
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(server.URL+"/v2"))
	if err != nil {
		tb.Fatal(err)
	}
	return &listingEnv{sim: sim, client: client}
}

// list lists every area code and checks that all n arrived.
func (e *listingEnv) list(tb testing.TB, n int) []flowroute.AreaCode {
	tb.Helper()
	got, err := e.client.ListAvailableAreaCodes(tb.Context(), flowroute.AreaCodesQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	if len(got) != n {
		tb.Fatalf("listed %d area codes, want %d", len(got), n)
	}
	return got
}

// listingPages is how many pages hold n area codes (one, empty, when n is 0).
func listingPages(n int) int {
	return max(1, (n+flowroute.MaxAreaCodesPageSize-1)/flowroute.MaxAreaCodesPageSize)
}

// listingFloor is the least wall time any client with this window can list n area
// codes in when every answer takes latency: the pages go out window at a
// time, and each batch waits one round trip.
func listingFloor(n int, latency time.Duration) time.Duration {
	roundTrips := (listingPages(n) + benchWindow - 1) / benchWindow
	return time.Duration(roundTrips) * latency
}

// BenchmarkListAreaCodes lists N area codes through the client from the
// simulator, answering at once and with added latency. Besides time per
// listing it reports requests per listing, the latency floor and, at 0 ms,
// the peak live heap of one listing (see peakLiveHeap).
func BenchmarkListAreaCodes(b *testing.B) {
	for _, n := range benchSizes {
		env := newListingEnv(b, n)
		for _, latency := range benchLatencies {
			b.Run(fmt.Sprintf("N=%d/latency=%dms", n, latency.Milliseconds()), func(b *testing.B) {
				env.sim.ClearFaults()
				peakHeap := -1.0
				if latency > 0 {
					env.sim.AddFault(simulator.Fault{Path: simulator.PathAreaCodes, Latency: latency})
					b.Cleanup(env.sim.ClearFaults)
				} else {
					// Measured before the loop, whose start resets the
					// timer, the allocation counts and reported metrics.
					peakHeap = medianPeakLiveHeap(b, func() { env.list(b, n) })
				}
				env.sim.ResetRequests()
				b.ReportAllocs()
				for b.Loop() {
					env.list(b, n)
				}
				elapsed := b.Elapsed()
				b.ReportMetric(float64(env.sim.RequestCount())/float64(b.N), "requests/op")
				b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "items/s")
				b.ReportMetric(elapsed.Seconds()*1e3/float64(b.N), "ms/op")
				b.ReportMetric(listingFloor(n, latency).Seconds()*1e3, "floor-ms")
				if peakHeap >= 0 {
					b.ReportMetric(peakHeap/1e6, "peak-heap-MB")
					b.ReportMetric(peakHeap/float64(n), "peak-heap-B/item")
				}
			})
		}
	}
}

// heapSamplePeriod is how often peakLiveHeap samples; heapGCPercent the
// GOGC it lists under, so that collections come often enough to catch the
// peak; heapRuns how many listings medianPeakLiveHeap measures.
const (
	heapSamplePeriod = 200 * time.Microsecond
	heapGCPercent    = 5
	heapRuns         = 3
)

// medianPeakLiveHeap is the median of heapRuns peakLiveHeap measures: one
// varies by some 20% with where the collections fall.
func medianPeakLiveHeap(tb testing.TB, list func()) float64 {
	tb.Helper()
	peaks := make([]float64, heapRuns)
	for i := range peaks {
		peaks[i] = peakLiveHeap(tb, list)
	}
	slices.Sort(peaks)
	return peaks[len(peaks)/2]
}

// peakLiveHeap runs list once and returns, in bytes, how far the live heap
// rose above where it stood just before: the most memory list held live at
// once, garbage excluded. The live heap is what the last collection marked
// (/gc/heap/live:bytes); with GOGC lowered to heapGCPercent collections run
// every few percent of heap growth, so the highest value seen is the peak
// to within that. The simulator runs in this process too: its pages in
// flight count, its inventory (built before) does not.
func peakLiveHeap(tb testing.TB, list func()) float64 {
	tb.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(heapGCPercent))
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			tb.Fatalf("runtime/metrics: %s unsupported", sample[0].Name)
		}
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()

	stop, peak := make(chan struct{}), make(chan uint64)
	go func() {
		tick := time.NewTicker(heapSamplePeriod)
		defer tick.Stop()
		highest := base
		for {
			select {
			case <-tick.C:
				highest = max(highest, read())
			case <-stop:
				peak <- highest
				return
			}
		}
	}()
	list()
	runtime.GC() // the collection that marks what list left live at its end
	close(stop)
	highest := max(<-peak, read())
	return float64(highest - base)
}

// TestListingRequestCounts checks that listing every area code costs one
// request per page, plus at most the window's speculative requests past the
// end; wall times are the benchmarks' business, never a test's.
func TestListingRequestCounts(t *testing.T) {
	for _, n := range benchSizes {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			env := newListingEnv(t, n)
			env.list(t, n)
			got, least, most := env.sim.RequestCount(), listingPages(n), listingPages(n)+benchWindow-1
			t.Logf("%d requests for %d pages", got, listingPages(n))
			if got < least || got > most {
				t.Errorf("%d requests to list %d area codes, want %d to %d", got, n, least, most)
			}
		})
	}
}
