// Command benchplot draws the SVG plots of docs/benchmarks.md from the
// figures make bench writes: go-bench.txt (the Go benchmarks' output) and
// cpu.tsv (tools/bench-cpu.sh). It is its own module so that the plotting
// library stays out of the provider's dependencies.
//
// usage: go run . -dir ../../docs/benchmarks
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func main() {
	dir := flag.String("dir", "docs/benchmarks", "`directory` holding go-bench.txt and cpu.tsv, where the SVGs are written")
	flag.Parse()
	if err := run(*dir); err != nil {
		log.Fatal(err)
	}
}

func run(dir string) error {
	listing, err := readListing(filepath.Join(dir, "go-bench.txt"))
	if err != nil {
		return err
	}
	cpu, err := readCPU(filepath.Join(dir, "cpu.tsv"))
	if err != nil {
		return err
	}
	purchaseCPU, purchaseWall := purchasePlots(cpu)
	plots := map[string]*plot.Plot{
		"listing-time.svg":  listingTime(listing),
		"requests.svg":      requestsPlot(listing, cpu),
		"refresh-cpu.svg":   cpuRefresh(cpu),
		"purchase-cpu.svg":  purchaseCPU,
		"purchase-time.svg": purchaseWall,
	}
	for name, p := range plots {
		if err := p.Save(6*vg.Inch, 4*vg.Inch, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// listingPoint is one BenchmarkListAreaCodes result.
type listingPoint struct {
	n, latencyMS          int
	ms, floorMS, requests float64
}

var listingName = regexp.MustCompile(`^BenchmarkListAreaCodes/N=(\d+)/latency=(\d+)ms`)

// readListing takes the BenchmarkListAreaCodes lines of go test -bench
// output: name, iterations, then value-unit pairs.
func readListing(path string) ([]listingPoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var points []listingPoint
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) < 2 {
			continue
		}
		m := listingName.FindStringSubmatch(fields[0])
		if m == nil {
			continue
		}
		p := listingPoint{n: atoi(m[1]), latencyMS: atoi(m[2])}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %w", path, s.Text(), err)
			}
			switch fields[i+1] {
			case "ms/op":
				p.ms = v
			case "floor-ms":
				p.floorMS = v
			case "requests/op":
				p.requests = v
			}
		}
		points = append(points, p)
	}
	if err := s.Err(); err != nil {
		return nil, err
	}
	if len(points) == 0 {
		return nil, fmt.Errorf("%s: no BenchmarkListAreaCodes results", path)
	}
	return points, nil
}

// cpuKey names the commands of one section, size and provider.
type cpuKey struct {
	section  string
	n        int
	provider string
}

// cpuRuns are the figures of every run of one cpuKey.
type cpuRuns struct{ wallMS, cpuMS, requests []float64 }

// readCPU reads cpu.tsv: section, n, run, provider, wall_ms, cpu_ms, requests.
func readCPU(path string) (map[cpuKey]*cpuRuns, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	runs := map[cpuKey]*cpuRuns{}
	for {
		rec, err := r.Read()
		if err == io.EOF && len(runs) == 0 {
			return nil, fmt.Errorf("%s: no figures", path)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		k := cpuKey{section: rec[0], n: atoi(rec[1]), provider: rec[3]}
		if runs[k] == nil {
			runs[k] = &cpuRuns{}
		}
		runs[k].wallMS = append(runs[k].wallMS, atof(rec[4]))
		runs[k].cpuMS = append(runs[k].cpuMS, atof(rec[5]))
		runs[k].requests = append(runs[k].requests, atof(rec[6]))
	}
	return runs, nil
}

func atoi(s string) int {
	v, err := strconv.Atoi(s)
	if err != nil {
		log.Fatalf("not a whole number: %q", s)
	}
	return v
}

func atof(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		log.Fatalf("not a number: %q", s)
	}
	return v
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// sizes are the Ns of a section, in order.
func sizes(cpu map[cpuKey]*cpuRuns, section string) []int {
	var ns []int
	for k := range cpu {
		if k.section == section && k.provider == "flowroute" {
			ns = append(ns, k.n)
		}
	}
	sort.Ints(ns)
	return ns
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

// logLog sets both axes to log scales with plain tick labels.
func logLog(p *plot.Plot) {
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
}

// addLine adds a line with points, styled by its index, and its legend.
func addLine(p *plot.Plot, i int, name string, xys plotter.XYs, dashed bool) {
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		log.Fatal(err)
	}
	l.Color = plotutil.Color(i)
	s.Color = l.Color
	s.Shape = plotutil.Shape(i)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l, s)
	p.Legend.Add(name, l, s)
}

// listingTime: listing wall time against N at each latency, with the floor.
func listingTime(points []listingPoint) *plot.Plot {
	p := newPlot("Listing N area codes: wall time", "area codes (N)", "wall time (ms)")
	logLog(p)
	latencies := map[int]plotter.XYs{}
	floors := map[int]plotter.XYs{}
	for _, pt := range points {
		latencies[pt.latencyMS] = append(latencies[pt.latencyMS], plotter.XY{X: float64(pt.n), Y: pt.ms})
		if pt.floorMS > 0 {
			floors[pt.latencyMS] = append(floors[pt.latencyMS], plotter.XY{X: float64(pt.n), Y: pt.floorMS})
		}
	}
	i := 0
	for _, lat := range slices.Sorted(maps.Keys(latencies)) {
		addLine(p, i, fmt.Sprintf("%d ms latency", lat), latencies[lat], false)
		if f := floors[lat]; len(f) > 0 {
			addLine(p, i, fmt.Sprintf("floor at %d ms", lat), f, true)
		}
		i++
	}
	return p
}

// requestsPlot: requests against N, for listing N area codes (one per page
// of 400, the floor) and refreshing N numbers (one GET each).
func requestsPlot(points []listingPoint, cpu map[cpuKey]*cpuRuns) *plot.Plot {
	p := newPlot("Requests against N", "items (N)", "requests")
	logLog(p)
	var listing, pages, refresh, perItem plotter.XYs
	for _, pt := range points {
		if pt.latencyMS == 0 {
			continue // with latency every request is counted whole
		}
		listing = append(listing, plotter.XY{X: float64(pt.n), Y: pt.requests})
		pages = append(pages, plotter.XY{X: float64(pt.n), Y: float64((pt.n + 399) / 400)})
	}
	sort.Slice(listing, func(i, j int) bool { return listing[i].X < listing[j].X })
	sort.Slice(pages, func(i, j int) bool { return pages[i].X < pages[j].X })
	for _, n := range sizes(cpu, "refresh") {
		refresh = append(refresh, plotter.XY{X: float64(n), Y: median(cpu[cpuKey{"refresh", n, "flowroute"}].requests)})
		perItem = append(perItem, plotter.XY{X: float64(n), Y: float64(n)})
	}
	addLine(p, 0, "listing N area codes", listing, false)
	addLine(p, 0, "one per page of 400", pages, true)
	addLine(p, 1, "refreshing N numbers", refresh, false)
	addLine(p, 1, "one per number", perItem, true)
	var bought, twoPerItem plotter.XYs
	for _, n := range sizes(cpu, "purchase") {
		bought = append(bought, plotter.XY{X: float64(n), Y: median(cpu[cpuKey{"purchase", n, "flowroute"}].requests)})
		twoPerItem = append(twoPerItem, plotter.XY{X: float64(n), Y: float64(2 * n)})
	}
	addLine(p, 2, "buying N numbers", bought, false)
	addLine(p, 2, "two per number (search, purchase)", twoPerItem, true)
	p.Legend.Top, p.Legend.Left = false, false // below the listing's line
	return p
}

// contenders are the providers measured against the floor, as labelled in
// the plots: the provider, and the baseline build when there was one.
var contenders = []struct{ name, label string }{
	{"flowroute", "flowroute_phone_number"},
	{"baseline", "flowroute_phone_number, baseline build"},
	{"default", "do-nothing, framework defaults"},
}

// cpuRefresh: the provider's CPU per refreshed number against the floor's.
func cpuRefresh(cpu map[cpuKey]*cpuRuns) *plot.Plot {
	p := newPlot("Plan refreshing N resources: provider CPU per resource", "resources (N)", "CPU per resource (ms)")
	p.Y.Min = 0
	ns := sizes(cpu, "refresh")
	perResource := func(provider string) plotter.XYs {
		var xys plotter.XYs
		for _, n := range ns {
			if r := cpu[cpuKey{"refresh", n, provider}]; r != nil {
				xys = append(xys, plotter.XY{X: float64(n), Y: median(r.cpuMS) / float64(n)})
			}
		}
		return xys
	}
	i := 0
	for _, c := range contenders {
		if xys := perResource(c.name); len(xys) > 0 {
			addLine(p, i, c.label, xys, false)
			i++
		}
	}
	floor := perResource("noop")
	goal := make(plotter.XYs, len(floor))
	for j, xy := range floor {
		goal[j] = plotter.XY{X: xy.X, Y: 1.5 * xy.Y}
	}
	addLine(p, i, "do-nothing resource (floor)", floor, false)
	addLine(p, i+1, "1.5 x floor (goal)", goal, true)
	p.Legend.Top, p.Legend.Left = false, false // the lines fall from the top left
	return p
}

// purchasePlots: buying N numbers at 50 ms against creating N do-nothing
// resources: CPU per number, and wall time against its floor (the
// do-nothing apply's, plus 2 round trips per wave of 10).
func purchasePlots(cpu map[cpuKey]*cpuRuns) (cpuPlot, wallPlot *plot.Plot) {
	ns := sizes(cpu, "purchase")
	var names []string
	for _, n := range ns {
		names = append(names, fmt.Sprintf("N=%d", n))
	}
	series := func(provider string, f func(n int, r *cpuRuns) float64) plotter.Values {
		var v plotter.Values
		for _, n := range ns {
			v = append(v, f(n, cpu[cpuKey{"purchase", n, provider}]))
		}
		return v
	}
	perNumber := func(n int, r *cpuRuns) float64 { return median(r.cpuMS) / float64(n) }
	wall := func(_ int, r *cpuRuns) float64 { return median(r.wallMS) }
	var cpuLabels, wallLabels []string
	var cpuBars, wallBars []plotter.Values
	for _, c := range contenders {
		if cpu[cpuKey{"purchase", ns[0], c.name}] == nil {
			continue
		}
		cpuLabels, cpuBars = append(cpuLabels, c.label), append(cpuBars, series(c.name, perNumber))
		if c.name != "default" { // it waits on no latency: its time compares with nothing
			wallLabels, wallBars = append(wallLabels, c.label), append(wallBars, series(c.name, wall))
		}
	}
	floorWall := series("noop", func(n int, r *cpuRuns) float64 { return median(r.wallMS) + float64((n+9)/10*2*50) })
	cpuPlot = barPlot("Apply buying N numbers: provider CPU per number", "CPU per resource (ms)", names,
		append(cpuLabels, "do-nothing resource (floor)"), append(cpuBars, series("noop", perNumber)))
	wallPlot = barPlot("Apply buying N numbers at 50 ms latency: wall time", "wall time (ms)", names,
		append(wallLabels, "floor: do-nothing apply + 2 round trips per wave"), append(wallBars, floorWall))
	return cpuPlot, wallPlot
}

// barPlot draws groups of bars side by side, one group per name, with room
// above them for the legend.
func barPlot(title, y string, names, labels []string, bars []plotter.Values) *plot.Plot {
	p := newPlot(title, "", y)
	w := vg.Points(40)
	top := 0.0
	for i, values := range bars {
		b, err := plotter.NewBarChart(values, w)
		if err != nil {
			log.Fatal(err)
		}
		b.Color = plotutil.Color(i)
		b.LineStyle.Width = 0
		b.Offset = vg.Length(2*i-len(bars)+1) * w / 2
		p.Add(b)
		p.Legend.Add(labels[i], b)
		top = max(top, slices.Max(values))
	}
	p.NominalX(names...)
	p.Y.Min, p.Y.Max = 0, top*1.4
	return p
}
