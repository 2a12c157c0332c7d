package simulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(DefaultSeed, DefaultSize), Generate(DefaultSeed, DefaultSize)
	if !reflect.DeepEqual(a.Numbers, b.Numbers) {
		t.Fatal("same seed, different inventories")
	}
	if c := Generate(DefaultSeed+1, DefaultSize); reflect.DeepEqual(a.Numbers, c.Numbers) {
		t.Fatal("different seeds, same inventory")
	}
}

func TestGenerateIsValid(t *testing.T) {
	inv := Generate(DefaultSeed, DefaultSize)
	want := DefaultSize.AreaCodes * DefaultSize.ExchangesPerAreaCode * DefaultSize.NumbersPerExchange
	if len(inv.Numbers) != want {
		t.Fatalf("%d numbers, want %d", len(inv.Numbers), want)
	}
	if got := len(inv.AreaCodes(nil)); got != DefaultSize.AreaCodes {
		t.Fatalf("%d area codes", got)
	}
	number := regexp.MustCompile(`^1[2-9]\d{2}[2-9]\d{6}$`)
	rateCenter := regexp.MustCompile(`^[a-z]{1,10}(\d\d)?$`)
	state := regexp.MustCompile(`^[a-z]{2}$`)
	tollFree := []string{"800", "833", "844", "855", "866", "877", "888"}
	seen := map[string]bool{}
	for _, n := range inv.Numbers {
		if seen[n.Number] {
			t.Fatalf("duplicate %s", n.Number)
		}
		seen[n.Number] = true
		if !number.MatchString(n.Number) || n.Number[1:4] != n.AreaCode || n.Number[1:7] != n.Exchange {
			t.Fatalf("bad number %+v", n)
		}
		if n.AreaCode[1:] == "11" || n.AreaCode[1] == '9' || n.Exchange[4:] == "11" {
			t.Fatalf("N11 or N9X code in %+v", n)
		}
		if slices.Contains(tollFree, n.AreaCode) {
			if n.NumberType != NumberTypeTollFree || n.State != "" || n.RateCenter != "" {
				t.Fatalf("toll-free %+v", n)
			}
		} else if n.NumberType != NumberTypeLongcode || !state.MatchString(n.State) || !rateCenter.MatchString(n.RateCenter) {
			t.Fatalf("longcode %+v", n)
		}
		if !slices.Contains(setupCosts, n.SetupCost) || !slices.Contains(monthlyCosts, n.MonthlyCost) {
			t.Fatalf("prices %+v", n)
		}
	}
	for _, code := range tollFree {
		if !slices.Contains(inv.AreaCodes(nil), code) {
			t.Fatalf("toll-free %s missing", code)
		}
	}
	if !slices.IsSortedFunc(inv.Numbers, func(a, b Number) int { return compareIDs(a.Number, b.Number) }) {
		t.Fatal("numbers not in order")
	}
}

func TestGenerateClampsSizes(t *testing.T) {
	if n := len(Generate(1, Size{}).Numbers); n != 0 {
		t.Fatalf("empty size gave %d numbers", n)
	}
	if n := len(Generate(1, Size{AreaCodes: -3, ExchangesPerAreaCode: 2, NumbersPerExchange: 2}).Numbers); n != 0 {
		t.Fatalf("negative size gave %d numbers", n)
	}
	inv := Generate(1, Size{AreaCodes: 5000, ExchangesPerAreaCode: 1, NumbersPerExchange: 1})
	areaCodes := inv.AreaCodes(nil)
	if len(areaCodes) != len(validAreaCodes())-countReserved() || len(areaCodes) < 600 {
		t.Fatalf("%d area codes", len(areaCodes))
	}
	for _, code := range areaCodes {
		if code[1:] == "11" || code[1] == '9' {
			t.Fatalf("invalid area code %s", code)
		}
	}
}

func countReserved() int {
	n := 0
	for _, code := range validAreaCodes() {
		if reservedAreaCode(code) && !slices.Contains(tollFreeAreaCodes, code) {
			n++
		}
	}
	return n
}

func TestSyntheticAreaCodes(t *testing.T) {
	inv := SyntheticAreaCodes(1000)
	ids := inv.AreaCodes(nil)
	if len(ids) != 1000 || ids[0] != "200" || ids[len(ids)-1] != fmt.Sprint(1000+1000-len(validAreaCodes())-1) {
		t.Fatalf("%d ids from %s to %s", len(ids), ids[0], ids[len(ids)-1])
	}
	if !slices.Equal(ids[:len(validAreaCodes())], validAreaCodes()) {
		t.Fatal("NANP codes do not come first")
	}
}

func TestHandBuiltInventory(t *testing.T) {
	h := newHarness(t, Options{Inventory: &Inventory{}})
	for _, path := range []string{PathAreaCodes, PathExchanges, PathNumbers} {
		if p := h.page(path); len(p.Data) != 0 || p.Links.Next != nil {
			t.Fatalf("%s on an empty inventory: %+v", path, p)
		}
	}

	inv := &Inventory{Numbers: []Number{
		{Number: "12125550100", AreaCode: "212", Exchange: "212555", SetupCost: 3.25},
		{Number: "12015550100", AreaCode: "201", Exchange: "201555", SetupCost: 10},
		{Number: "12015550199", AreaCode: "201", Exchange: "201555", SetupCost: 1},
	}}
	cheap := 1.0
	if got := inv.AreaCodes(&cheap); !slices.Equal(got, []string{"201"}) {
		t.Fatalf("area codes %v", got)
	}
	if got := inv.Exchanges("212", nil); !slices.Equal(got, []string{"212555"}) {
		t.Fatalf("exchanges %v", got)
	}
	if got := inv.Exchanges("999", nil); got != nil {
		t.Fatalf("exchanges of unknown area code %v", got)
	}
	if got := inv.SearchNumbers(NumberFilter{StartsWith: "201"}); len(got) != 2 || got[0].Number != "12015550100" {
		t.Fatalf("search %v", got)
	}
}

// Filtering with many distinct prices goes past the filtered-list cache.
func TestManyPriceLevels(t *testing.T) {
	inv := &Inventory{}
	for i := range 100 {
		code := fmt.Sprint(200 + i)
		inv.Numbers = append(inv.Numbers, Number{Number: "1" + code + "5550100", AreaCode: code, Exchange: code + "555", SetupCost: float64(i)})
	}
	for range 2 {
		for i := range 100 {
			limit := float64(i) + 0.5
			if got := len(inv.AreaCodes(&limit)); got != i+1 {
				t.Fatalf("<= %v: %d area codes", limit, got)
			}
		}
	}
}

// benchServe times the server answering target from inv; the capped log
// keeps memory flat however many iterations run.
func benchServe(b *testing.B, inv *Inventory, target string) {
	sim := New(Options{AccessKey: testAccessKey, SecretKey: testSecretKey, Inventory: inv, RequestLogLimit: 1000})
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.SetBasicAuth(testAccessKey, testSecretKey)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkServeAreaCodesPage400(b *testing.B) {
	benchServe(b, SyntheticAreaCodes(100000), PathAreaCodes+"?limit=400&offset=50000")
}

func BenchmarkServeAreaCodesPage400MaxSetupCost(b *testing.B) {
	benchServe(b, SyntheticAreaCodes(100000), PathAreaCodes+"?limit=400&offset=20000&max_setup_cost=1.5")
}

func BenchmarkGenerate100000Numbers(b *testing.B) {
	size := Size{AreaCodes: 500, ExchangesPerAreaCode: 20, NumbersPerExchange: 10}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(Generate(DefaultSeed, size).Numbers); n != 100000 {
			b.Fatalf("%d numbers", n)
		}
	}
}

func BenchmarkIndex100000Numbers(b *testing.B) {
	numbers := Generate(DefaultSeed, Size{AreaCodes: 500, ExchangesPerAreaCode: 20, NumbersPerExchange: 10}).Numbers
	b.ReportAllocs()
	for b.Loop() {
		(&Inventory{Numbers: numbers}).index()
	}
}

func BenchmarkSearchNumbersPage200(b *testing.B) {
	inv := Generate(DefaultSeed, Size{AreaCodes: 500, ExchangesPerAreaCode: 20, NumbersPerExchange: 10})
	benchServe(b, inv, PathNumbers+"?limit=200&offset=1000&state=ca")
}
