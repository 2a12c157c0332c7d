package simulator

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Number types as the current API spells them.
const (
	NumberTypeLongcode = "longcode"
	NumberTypeTollFree = "toll-free"
)

// Inventory is the set of numbers for sale when the simulator starts; the
// Server tracks which of them are bought since. Area codes and exchanges are
// derived from the numbers. Build one by hand, with Generate or with
// SyntheticAreaCodes; Numbers must not change once the inventory has been
// queried or served, because the indexes are built once.
type Inventory struct {
	Numbers []Number

	once sync.Once
	idx  *index
}

// Number is one purchasable number. Exchange is the exchange id as the API
// shows it: area code followed by the three-digit exchange ("201555").
type Number struct {
	Number, AreaCode, Exchange, State, RateCenter, NumberType string
	SetupCost, MonthlyCost                                    float64
}

// NumberFilter holds the search filters of GET /v2/numbers/available, with the
// values as a client sends them (StartsWith "646" is searched as "1646").
type NumberFilter struct {
	StartsWith, Contains, EndsWith, State, RateCenter, NumberType string
}

// AreaCodes lists the area codes the areacodes endpoint would answer before
// any purchase, in API order, keeping those with a number whose setup cost is at most
// *maxSetupCost when it is not nil.
func (inv *Inventory) AreaCodes(maxSetupCost *float64) []string {
	return slices.Clone(inv.index().areaCodes.filter(maxSetupCost))
}

// Exchanges lists the exchanges the exchanges endpoint would answer before any
// purchase, in API order; areaCode "" means every area code.
func (inv *Inventory) Exchanges(areaCode string, maxSetupCost *float64) []string {
	return slices.Clone(inv.index().exchangeList(areaCode).filter(maxSetupCost))
}

// SearchNumbers lists the numbers the search endpoint would answer before any
// purchase, in API order.
func (inv *Inventory) SearchNumbers(f NumberFilter) []Number {
	found, _ := inv.index().searchWindow(f, nil, 0, math.MaxInt)
	return slices.Clone(found)
}

func (inv *Inventory) index() *index {
	inv.once.Do(func() { inv.idx = buildIndex(inv.Numbers) })
	return inv.idx
}

// compareIDs orders numeric ids by value (shorter first), so synthetic ids
// longer than three digits follow the NANP ones.
func compareIDs(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

type index struct {
	areaCodes           costedList
	exchanges           costedList
	exchangesByAreaCode map[string]*costedList
	numbers             []Number // sorted by value, so a prefix is a contiguous range
}

func buildIndex(numbers []Number) *index {
	sorted := slices.Clone(numbers)
	slices.SortStableFunc(sorted, func(a, b Number) int { return strings.Compare(a.Number, b.Number) })

	areaCost := map[string]float64{}
	exchangeCost := map[string]float64{}
	exchangeArea := map[string]string{}
	for _, n := range sorted {
		lowerCost(areaCost, n.AreaCode, n.SetupCost)
		lowerCost(exchangeCost, n.Exchange, n.SetupCost)
		exchangeArea[n.Exchange] = n.AreaCode
	}

	idx := &index{
		areaCodes:           newCostedList(areaCost),
		exchanges:           newCostedList(exchangeCost),
		exchangesByAreaCode: map[string]*costedList{},
		numbers:             sorted,
	}
	perArea := map[string]map[string]float64{}
	for exchange, cost := range exchangeCost {
		area := exchangeArea[exchange]
		if perArea[area] == nil {
			perArea[area] = map[string]float64{}
		}
		perArea[area][exchange] = cost
	}
	for area, costs := range perArea {
		list := newCostedList(costs)
		idx.exchangesByAreaCode[area] = &list
	}
	return idx
}

func lowerCost(costs map[string]float64, id string, cost float64) {
	if old, ok := costs[id]; !ok || cost < old {
		costs[id] = cost
	}
}

// positions returns where the numbers with this value lie in ix.numbers:
// lo == hi when there is none.
func (ix *index) positions(number string) (lo, hi int) {
	lo = sort.Search(len(ix.numbers), func(i int) bool { return ix.numbers[i].Number >= number })
	hi = lo + sort.Search(len(ix.numbers)-lo, func(i int) bool { return ix.numbers[lo+i].Number != number })
	return lo, hi
}

// exchangeList returns nil for an unknown area code.
func (ix *index) exchangeList(areaCode string) *costedList {
	if areaCode == "" {
		return &ix.exchanges
	}
	return ix.exchangesByAreaCode[areaCode]
}

// costedList is a sorted id list with, per id, the lowest setup cost among
// its numbers. Since a max_setup_cost filter only depends on how many distinct
// cost levels it admits, filtered lists are cached per level count.
type costedList struct {
	ids     []string
	minCost []float64
	levels  []float64 // distinct values of minCost, ascending

	mu      sync.Mutex
	byLevel map[int][]string
}

// maxCachedLevels bounds the cache for hand-built inventories with many
// distinct prices; beyond it filtered lists are recomputed per request.
const maxCachedLevels = 16

func newCostedList(costs map[string]float64) costedList {
	ids := make([]string, 0, len(costs))
	for id := range costs {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, compareIDs)
	minCost := make([]float64, len(ids))
	levels := make([]float64, 0, len(ids))
	for i, id := range ids {
		minCost[i] = costs[id]
		levels = append(levels, costs[id])
	}
	slices.Sort(levels)
	return costedList{ids: ids, minCost: minCost, levels: slices.Compact(levels)}
}

// cost returns the lowest setup cost of id's numbers, or +Inf for an id
// the list lacks.
func (l *costedList) cost(id string) float64 {
	if i, ok := slices.BinarySearchFunc(l.ids, id, compareIDs); ok {
		return l.minCost[i]
	}
	return math.Inf(1)
}

// filter returns a shared slice: callers must not modify it. A nil list (an
// unknown area code) has no ids.
func (l *costedList) filter(maxSetupCost *float64) []string {
	if l == nil {
		return nil
	}
	if maxSetupCost == nil {
		return l.ids
	}
	limit := *maxSetupCost
	if math.IsNaN(limit) {
		return nil // no cost compares <= NaN, as in Python
	}
	admitted := sort.Search(len(l.levels), func(i int) bool { return l.levels[i] > limit })
	switch admitted {
	case 0:
		return nil
	case len(l.levels):
		return l.ids
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if ids, ok := l.byLevel[admitted]; ok {
		return ids
	}
	threshold := l.levels[admitted-1]
	var ids []string
	for i, cost := range l.minCost {
		if cost <= threshold {
			ids = append(ids, l.ids[i])
		}
	}
	if l.byLevel == nil {
		l.byLevel = map[int][]string{}
	}
	if len(l.byLevel) < maxCachedLevels {
		l.byLevel[admitted] = ids
	}
	return ids
}

// searchWindow returns the matches with positions start..start+count-1 in
// API order, and whether a match exists after them, leaving out the numbers
// at the positions in gone (ascending). The result may share the index's
// storage: callers must not modify it.
func (ix *index) searchWindow(f NumberFilter, gone []int, start, count int) ([]Number, bool) {
	lo, hi := 0, len(ix.numbers)
	if f.StartsWith != "" {
		prefix := numberPrefix(f.StartsWith)
		lo = sort.Search(len(ix.numbers), func(i int) bool { return ix.numbers[i].Number >= prefix })
		hi = lo + sort.Search(len(ix.numbers)-lo, func(i int) bool {
			return !strings.HasPrefix(ix.numbers[lo+i].Number, prefix)
		})
	}
	candidates := ix.numbers[lo:hi]
	first, last := sort.SearchInts(gone, lo), sort.SearchInts(gone, hi)
	skip := make([]int, last-first)
	for i := range skip {
		skip[i] = gone[first+i] - lo
	}

	if f.Contains == "" && f.EndsWith == "" && f.State == "" && f.RateCenter == "" && f.NumberType == "" {
		return skipWindow(candidates, skip)(start, count)
	}

	var found []Number
	position := 0
	for i := range candidates {
		if len(skip) > 0 && skip[0] == i {
			skip = skip[1:]
			continue
		}
		n := &candidates[i]
		if !f.matches(n) {
			continue
		}
		if position-start >= count {
			return found, true
		}
		if position >= start {
			found = append(found, *n)
		}
		position++
	}
	return found, false
}

func (f NumberFilter) matches(n *Number) bool {
	return strings.Contains(n.Number, f.Contains) &&
		strings.HasSuffix(n.Number, f.EndsWith) &&
		(f.State == "" || strings.EqualFold(n.State, f.State)) &&
		(f.RateCenter == "" || strings.EqualFold(n.RateCenter, f.RateCenter)) &&
		(f.NumberType == "" || strings.EqualFold(n.NumberType, f.NumberType))
}

// numberPrefix applies the API's country-code rule to starts_with: digits
// after "+" are taken as given; otherwise country code 1 is assumed. NANP area
// codes never begin with 1, so a leading 1 already is the country code (the
// exchanges' related links search "starts_with=1347215").
func numberPrefix(startsWith string) string {
	if digits, ok := strings.CutPrefix(startsWith, "+"); ok {
		return digits
	}
	if strings.HasPrefix(startsWith, "1") {
		return startsWith
	}
	return "1" + startsWith
}
