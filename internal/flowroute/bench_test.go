package flowroute

import (
	"net/http"
	"runtime"
	"strconv"
	"testing"
)

// reportPerItem adds items/s, B/item and allocs/item to a benchmark that
// handled items items per iteration.
func reportPerItem(b *testing.B, items int, memBefore, allocsBefore uint64) {
	b.Helper()
	total := float64(b.N) * float64(items)
	b.ReportMetric(total/b.Elapsed().Seconds(), "items/s")
	memAfter, allocsAfter := memStats()
	b.ReportMetric(float64(memAfter-memBefore)/total, "B/item")
	b.ReportMetric(float64(allocsAfter-allocsBefore)/total, "allocs/item")
}

func BenchmarkDecodeAreaCodes(b *testing.B) {
	ids := make([]string, MaxAreaCodesPageSize)
	for i := range ids {
		ids[i] = areaID(i)
	}
	body := pageJSON(ids, "https://api.flowroute.com/v2/numbers/available/areacodes?limit=400&offset=400")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	mem, allocs := memStats()
	for b.Loop() {
		items, _, err := decodeAreaCodesPage(body)
		if err != nil || len(items) != len(ids) {
			b.Fatal(err, len(items))
		}
	}
	reportPerItem(b, len(ids), mem, allocs)
}

func BenchmarkListAreaCodes100k(b *testing.B) {
	const total = 100_000
	// Pages are encoded once so that the benchmark measures the client.
	pages := map[int][]byte{}
	for offset := 0; offset < total; offset += MaxAreaCodesPageSize {
		ids := make([]string, 0, MaxAreaCodesPageSize)
		for i := offset; i < min(offset+MaxAreaCodesPageSize, total); i++ {
			ids = append(ids, strconv.Itoa(1_000_000+i))
		}
		next := ""
		if offset+len(ids) < total {
			next = "https://api.flowroute.com/v2/numbers/available/areacodes?limit=400&offset=" + strconv.Itoa(offset+len(ids))
		}
		pages[offset] = pageJSON(ids, next)
	}
	empty := pageJSON(nil, "")
	srv, _ := serve(b, func(w http.ResponseWriter, req *http.Request) {
		offset, _ := strconv.Atoi(req.URL.Query().Get("offset"))
		body, ok := pages[offset]
		if !ok {
			body = empty
		}
		w.Header().Set("Content-Type", mediaType)
		_, _ = w.Write(body)
	})
	c := newTestClient(b, srv.URL)
	b.ReportAllocs()
	mem, allocs := memStats()
	for b.Loop() {
		got, err := c.ListAvailableAreaCodes(b.Context(), AreaCodesQuery{})
		if err != nil || len(got) != total {
			b.Fatal(err, len(got))
		}
	}
	reportPerItem(b, total, mem, allocs)
}

func memStats() (bytes, allocs uint64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc, m.Mallocs
}
