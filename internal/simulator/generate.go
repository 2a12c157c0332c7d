package simulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Size is the shape of a generated inventory. Counts beyond what the
// numbering plan allows are clamped; negative counts count as zero.
type Size struct {
	AreaCodes, ExchangesPerAreaCode, NumbersPerExchange int
}

// DefaultSize gives 300 area codes (7 of them toll-free) and 6,000 numbers.
var DefaultSize = Size{AreaCodes: 300, ExchangesPerAreaCode: 4, NumbersPerExchange: 5}

// DefaultSeed is the seed of the inventory New serves when given none.
const DefaultSeed = 1

// Price levels seen on Flowroute's price list. Each area code has a base
// level and its numbers cost that level or the next, so max_setup_cost
// filters out a realistic share of area codes.
var (
	setupCosts   = []float64{0, 1, 1.5, 3.25, 10}
	monthlyCosts = []float64{1.25, 3.99}
)

// Generate builds a deterministic inventory: the same seed and size always
// give the same numbers. Area codes are real US ones (then other valid NANP
// codes when more are asked for), plus toll-free codes once there are at least
// ten area codes; exchanges are valid NXX codes.
func Generate(seed int64, size Size) *Inventory {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x666c6f77726f7574))
	exchangeCandidates := validExchangeCodes()
	perExchange := min(max(size.NumbersPerExchange, 0), 10000)

	areas := pickAreaCodes(rng, size.AreaCodes)
	perArea := min(max(size.ExchangesPerAreaCode, 0), len(exchangeCandidates))
	inv := &Inventory{Numbers: make([]Number, 0, len(areas)*perArea*perExchange)}
	for _, area := range areas {
		numberType, state := NumberTypeLongcode, area.state
		var rateCenters []string
		if area.tollFree {
			// Toll-free numbers belong to no state or rate center.
			numberType, state = NumberTypeTollFree, ""
			rateCenters = []string{""}
		} else {
			for range 1 + rng.IntN(3) {
				rateCenters = append(rateCenters, rateCenterName(rng, townNames[rng.IntN(len(townNames))]))
			}
		}
		baseLevel := rng.IntN(len(setupCosts))
		monthly := monthlyCosts[rng.IntN(len(monthlyCosts))]

		for _, e := range sampleSorted(rng, len(exchangeCandidates), perArea) {
			exchange := area.code + exchangeCandidates[e]
			rateCenter := rateCenters[rng.IntN(len(rateCenters))]
			for _, line := range sampleSorted(rng, 10000, perExchange) {
				inv.Numbers = append(inv.Numbers, Number{
					Number:      fmt.Sprintf("1%s%04d", exchange, line),
					AreaCode:    area.code,
					Exchange:    exchange,
					State:       state,
					RateCenter:  rateCenter,
					NumberType:  numberType,
					SetupCost:   setupCosts[min(baseLevel+rng.IntN(2), len(setupCosts)-1)],
					MonthlyCost: monthly,
				})
			}
		}
	}
	return inv
}

// SyntheticAreaCodes builds an inventory of n distinct area codes with one
// number each, for benchmarks: the valid three-digit NANP codes first, then
// longer numeric ids ("1000", "1001", ...) that no real plan has.
func SyntheticAreaCodes(n int) *Inventory {
	nanp := validAreaCodes()
	inv := &Inventory{Numbers: make([]Number, 0, max(n, 0))}
	for i := range max(n, 0) {
		id := strconv.Itoa(1000 + i - len(nanp))
		if i < len(nanp) {
			id = nanp[i]
		}
		inv.Numbers = append(inv.Numbers, Number{
			Number:      "1" + id + "2000100",
			AreaCode:    id,
			Exchange:    id + "200",
			State:       states[i%len(states)],
			RateCenter:  abbreviate(townNames[i%len(townNames)]),
			NumberType:  NumberTypeLongcode,
			SetupCost:   setupCosts[i%len(setupCosts)],
			MonthlyCost: monthlyCosts[i%len(monthlyCosts)],
		})
	}
	return inv
}

type areaCode struct {
	code, state string
	tollFree    bool
}

// pickAreaCodes chooses n area codes in ascending order: toll-free ones
// (one per ten, up to all seven), then a sample of the real geographic
// codes, then other valid codes if still short.
func pickAreaCodes(rng *rand.Rand, n int) []areaCode {
	n = max(n, 0)
	var picked []areaCode
	for _, code := range tollFreeAreaCodes[:min(len(tollFreeAreaCodes), n/10)] {
		picked = append(picked, areaCode{code: code, tollFree: true})
	}

	known := make([]string, 0, len(geographicAreaCodes))
	for code := range geographicAreaCodes {
		known = append(known, code)
	}
	slices.Sort(known)
	for _, i := range sampleSorted(rng, len(known), n-len(picked)) {
		picked = append(picked, areaCode{code: known[i], state: geographicAreaCodes[known[i]]})
	}

	var spare []string
	for _, code := range validAreaCodes() {
		if _, ok := geographicAreaCodes[code]; !ok && !reservedAreaCode(code) {
			spare = append(spare, code)
		}
	}
	for _, i := range sampleSorted(rng, len(spare), n-len(picked)) {
		picked = append(picked, areaCode{code: spare[i], state: states[rng.IntN(len(states))]})
	}

	slices.SortFunc(picked, func(a, b areaCode) int { return compareIDs(a.code, b.code) })
	return picked
}

// validAreaCodes lists every NXX area code in ascending order: N is 2-9, and
// N11 (service codes) and N9X (reserved for expansion) are left out.
func validAreaCodes() []string {
	var codes []string
	for n := '2'; n <= '9'; n++ {
		for x := '0'; x <= '8'; x++ {
			for y := '0'; y <= '9'; y++ {
				if x == '1' && y == '1' {
					continue
				}
				codes = append(codes, string([]rune{n, x, y}))
			}
		}
	}
	return codes
}

// reservedAreaCode reports codes that are valid NXX but never geographic:
// easily recognizable N00 and NNN codes, 8NX toll-free ranges, and the
// 37X and 96X blocks held in reserve.
func reservedAreaCode(code string) bool {
	return code[1:] == "00" || (code[1] == code[2] && code[0] == code[1]) ||
		(code[0] == '8' && (code[1] == code[2] || code[1] == '8')) ||
		strings.HasPrefix(code, "37") || strings.HasPrefix(code, "96")
}

// validExchangeCodes lists NXX exchange codes, leaving out N11 and the codes
// set aside for fiction (555) and special services (950, 958, 959, 976).
func validExchangeCodes() []string {
	var codes []string
	for i := 200; i <= 999; i++ {
		code := strconv.Itoa(i)
		if code[1:] == "11" || slices.Contains([]string{"555", "950", "958", "959", "976"}, code) {
			continue
		}
		codes = append(codes, code)
	}
	return codes
}

// sampleSorted returns k distinct values from 0..n-1, ascending (all of
// them when k >= n).
func sampleSorted(rng *rand.Rand, n, k int) []int {
	k = min(max(k, 0), n)
	var picked []int
	if k*4 < n {
		seen := make(map[int]bool, k)
		for len(picked) < k {
			if v := rng.IntN(n); !seen[v] {
				seen[v] = true
				picked = append(picked, v)
			}
		}
	} else {
		picked = rng.Perm(n)[:k]
	}
	slices.Sort(picked)
	return picked
}

// rateCenterName abbreviates a town the way rate centers are, sometimes with
// a zone suffix ("nwyrkcty01").
func rateCenterName(rng *rand.Rand, town string) string {
	name := abbreviate(town)
	if len(name) <= 8 && rng.IntN(3) == 0 {
		name += fmt.Sprintf("%02d", 1+rng.IntN(3))
	}
	return name
}

// abbreviate fits a name in ten letters by dropping vowels after the first letter.
func abbreviate(name string) string {
	if len(name) <= 10 {
		return name
	}
	short := name[:1] + strings.Map(func(r rune) rune {
		if strings.ContainsRune("aeiou", r) {
			return -1
		}
		return r
	}, name[1:])
	return short[:min(len(short), 10)]
}
