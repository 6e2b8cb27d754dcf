package report_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/explore"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/sweep"
)

// everyChart returns one chart of every kind parley draws: a run's
// (outcome shares, end turn by month, utilities, terms), a comparison's,
// a grid sweep's lines and a Latin hypercube's dots, the bands turn by
// turn, and the sensitivity charts (Sobol bars, Morris plane, tornado)
// and the peeling trajectory of discover.
func everyChart(t *testing.T) []report.Chart {
	t.Helper()
	sc := testmodel.TwoActors()
	sc.Start = "2018-04"
	s := results.NewSummary(sc)
	testmodel.Records(2000, 5, func(r *sim.Record) { s.Add(r) })
	rep := s.Report("test-talks", 5)
	charts := report.RunCharts(rep, sc)

	sa, sb := results.NewSummary(sc), results.NewSummary(sc)
	testmodel.Records(1500, 1, func(r *sim.Record) { sa.Add(r) })
	testmodel.Records(900, 2, func(r *sim.Record) { sb.Add(r) })
	a, b := sa.Report("korea-2018-hawkish-us", 1), sb.Report("korea-2018", 2)
	c := results.Compare(a, b)
	c.A.Scenario, c.B.Scenario = "korea-2018-hawkish-us", "korea-2018"
	c.B.Sets = []string{"actors.us.hawkishness=0.9", "dynamics.trust=0.2"}
	charts = append(charts, report.CompareCharts(c, a, b)...)

	for _, rows := range []string{gridRows(), lhsRows()} {
		sw, err := report.SweepCharts(strings.NewReader(rows), "korea-2018", sc)
		if err != nil {
			t.Fatal(err)
		}
		charts = append(charts, sw[0])
	}

	var bands []results.Band
	for turn := 1; turn <= 36; turn++ {
		x := float64(turn) / 36
		for _, v := range []string{"talks", "deal", "step"} {
			bands = append(bands, results.Band{Turn: turn, Variable: v, Mean: x / 2})
		}
		bands = append(bands, results.Band{Turn: turn, Variable: "tension", Mean: x, P10: x * 0.8, P90: min(1, x*1.2)},
			results.Band{Turn: turn, Variable: "trust", Mean: 1 - x, P10: (1 - x) * 0.8, P90: min(1, (1-x)*1.2)})
	}
	charts = append(charts, report.BandCharts(bands, sc)...)

	charts = append(charts, sensitivityCharts(t)...)

	// Long words everywhere: the title and subtitle wrap and are cut,
	// the legend's names shrink and are cut, all inside the canvas.
	long := strings.Repeat("a very long scenario title ", 80) + strings.Repeat("x", 300)
	charts = append(charts, report.Chart{Name: "long-words", Title: long, Subtitle: long,
		Labels: []string{"agreement", "breakdown"},
		Groups: []report.Bars{{Name: "A: " + long, Values: []float64{60, 40}}, {Name: "B: " + strings.Repeat("y", 400), Values: []float64{50, 50}}}})
	return charts
}

// gridRows is a grid sweep's CSV: one numeric key crossed with a
// categorical one.
func gridRows() string {
	var b strings.Builder
	b.WriteString(sweepHeader)
	n := 0
	for _, x := range []float64{0.1, 0.5, 0.9} {
		for _, m := range []string{"us", "none"} {
			n++
			s := 0.2 + 0.6*x
			if m == "none" {
				s /= 2
			}
			b.WriteString(sweepRow(n, []string{ftoa(x), ftoa(0.3), m}, s))
		}
	}
	return b.String()
}

// lhsRows is a Latin hypercube's CSV: 12 points of two numeric keys, each
// crossed with a categorical key's two values.
func lhsRows() string {
	var b strings.Builder
	b.WriteString(sweepHeader)
	r := rand.New(rand.NewPCG(3, 4))
	n := 0
	for i := range 12 {
		x, y := (float64(i)+r.Float64())/12, r.Float64()
		for _, m := range []string{"us", "none"} {
			n++
			b.WriteString(sweepRow(n, []string{ftoa(x), ftoa(y), m}, 0.1+0.5*x+0.3*y))
		}
	}
	return b.String()
}

const sweepHeader = "point,actors.us.hawkishness,dynamics.trust,protocol.mediator,agreement_share,agreement_ci_low,agreement_ci_high,stalemate_share,stalemate_ci_low,stalemate_ci_high,breakdown_share,breakdown_ci_low,breakdown_ci_high,conflict_share,conflict_ci_low,conflict_ci_high,us_mean_utility,kp_mean_utility\n"

func sweepRow(n int, keys []string, s float64) string {
	cells := append([]string{strconv.Itoa(n)}, keys...)
	cells = append(cells, ftoa(s), ftoa(max(0, s-0.05)), ftoa(min(1, s+0.05)), "0", "0", "0.02",
		ftoa(1-s), ftoa(max(0, 0.95-s)), ftoa(min(1, 1.05-s)), "0", "0", "0.02", "0.5", "0.5")
	return strings.Join(cells, ",") + "\n"
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// sensitivityCharts returns the charts of a Sobol and of a one-at-a-time
// analysis, a Morris plane, and a peeling trajectory.
func sensitivityCharts(t *testing.T) []report.Chart {
	t.Helper()
	var charts []report.Chart
	inputs := []sweep.Input{{Key: "actors.us.hawkishness", Min: 0, Max: 1}, {Key: "dynamics.trust", Min: 0, Max: 1}}
	header := []string{"point", "actors.us.hawkishness", "dynamics.trust", "agreement_share"}
	var rows [][]string
	const n = 16
	add := func(x, y float64) {
		rows = append(rows, []string{strconv.Itoa(len(rows) + 1), ftoa(x), ftoa(y), ftoa(x + 0.3*y*y)})
	}
	for j := range n { // A, B, AB_1, AB_2, AB_dummy
		ax, ay := float64(j%4)/4, float64(j/4)/4
		bx, by := float64((j+1)%4)/4, float64((j+2)%4)/4
		add(ax, ay)
		add(bx, by)
		add(bx, ay)
		add(ax, by)
		add(ax, ay)
	}
	s, err := explore.AnalyzeSweep(header, rows, &sweep.DesignInfo{Design: sweep.Sobol, Samples: n, Seed: 1, Inputs: inputs}, len(rows), 50, 9)
	if err != nil {
		t.Fatal(err)
	}
	charts = append(charts, explore.Charts(s, "sobol.csv")...)

	oat := [][]string{{"1", "0.5", "0.5", "0.5"}, {"2", "0", "0.5", "0.45"}, {"3", "1", "0.5", "0.55"}, {"4", "0.5", "0", "0.9"}, {"5", "0.5", "1", "0.1"}}
	s, err = explore.AnalyzeSweep(header, oat, &sweep.DesignInfo{Design: sweep.OAT, Inputs: inputs}, 5, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	charts = append(charts, explore.Charts(s, "oat.csv")...)

	// The Morris plane as explore.Charts draws it (a Morris analysis needs
	// a whole design of trajectories).
	charts = append(charts, report.Chart{
		Name: "morris-agreement_share", Title: "morris.csv: elementary effects on agreement_share (Morris)",
		XLabel: "μ* (mean absolute effect, per whole range)", YLabel: "σ (spread of the effects)",
		Points: []report.Labelled{{X: 0.4, Y: 0.1, Label: report.KeyLabel(nil, "actors.us.hawkishness")}, {X: 0.1, Y: 0.3, Label: report.KeyLabel(nil, "dynamics.trust")}},
	})

	r := rand.New(rand.NewPCG(7, 7))
	prows := [][]string{}
	for i := range 400 {
		x, y := r.Float64(), r.Float64()
		out := "breakdown"
		if x > 0.6 && y < 0.4 || r.Float64() < 0.05 {
			out = "agreement"
		}
		prows = append(prows, []string{strconv.Itoa(i + 1), ftoa(x), ftoa(y), out})
	}
	d, err := explore.Discover([]string{"run", "actors.us.hawkishness", "dynamics.trust", "outcome"}, prows, "agreement",
		explore.PRIMOptions{}, 0, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return append(charts, d.Chart("runs.csv"))
}

// hasLegend reports whether the chart has legend entries.
func hasLegend(c report.Chart) bool {
	for _, g := range c.Groups {
		if g.Name != "" {
			return true
		}
	}
	for _, s := range c.Series {
		if s.Name != "" {
			return true
		}
	}
	return false
}

// In every chart parley draws, read back from its SVG: the legend (its
// names and swatches) lies outside the data marks' bounding box, and the
// title lies inside the canvas with a margin, clear of both.
func TestChartLegendsClearOfData(t *testing.T) {
	const edge = 10 // points of margin around the title
	kinds := map[string]bool{}
	for _, c := range everyChart(t) {
		t.Run(c.Name, func(t *testing.T) {
			l, err := report.ChartLayers(c)
			if err != nil {
				t.Fatal(err)
			}
			if l.Data.Empty() {
				t.Fatalf("no data marks found")
			}
			if hasLegend(c) {
				kinds["legend"] = true
				if l.Legend.Empty() {
					t.Fatalf("no legend found")
				}
				if l.Legend.Intersects(l.Data) {
					t.Errorf("legend %v overlaps the data %v", l.Legend, l.Data)
				}
				if !inside(l.Legend, l.Canvas, 0) {
					t.Errorf("legend %v leaves the canvas %v", l.Legend, l.Canvas)
				}
			} else if !l.Legend.Empty() {
				t.Errorf("a legend %v with no entries", l.Legend)
			}
			if l.Title.Empty() {
				t.Fatalf("no title found")
			}
			if !inside(l.Title, l.Canvas, edge) {
				t.Errorf("title %v not inside the canvas %v with %d points to spare", l.Title, l.Canvas, edge)
			}
			if l.Title.Intersects(l.Data) || l.Title.Intersects(l.Legend) {
				t.Errorf("title %v overlaps the data %v or the legend %v", l.Title, l.Data, l.Legend)
			}
		})
	}
	if !kinds["legend"] {
		t.Error("no chart with a legend was checked")
	}
}

func inside(b, canvas report.Box, margin float64) bool {
	return b.MinX >= canvas.MinX+margin && b.MinY >= canvas.MinY+margin && b.MaxX <= canvas.MaxX-margin && b.MaxY <= canvas.MaxY-margin
}

// The comparison's difference chart says which scenario (with which
// changes) is A and which is B.
func TestCompareDifferenceNamesArms(t *testing.T) {
	for _, c := range everyChart(t) {
		if c.Name != "compare-difference" {
			continue
		}
		l, err := report.ChartLayers(c)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(l.Texts, " ")
		for _, want := range []string{"A: korea-2018-hawkish-us", "B: korea-2018 (actors.us.hawkishness=0.9, dynamics.trust=0.2)"} {
			if !strings.Contains(all, want) {
				t.Errorf("the difference chart's text %q does not say %q", all, want)
			}
		}
		return
	}
	t.Fatal("no compare-difference chart")
}

func Example_keyLabel() {
	sc := testmodel.TwoActors()
	fmt.Println(report.KeyLabel(sc, "actors.us.hawkishness"))
	fmt.Println(report.KeyLabel(sc, "actors.kp.goodwill.us"))
	fmt.Println(report.KeyLabel(sc, "dynamics.trust"))
	fmt.Println(report.KeyLabel(nil, "actors.us.talk_value"))
	// Output:
	// United States: hawkishness
	// North Korea: goodwill toward United States
	// trust
	// us: talk value
}

// A Latin hypercube sweep is drawn as a scatter, one dot per point with
// no line joining them; a grid sweep as lines of the marginal shares.
func TestSweepChartNonGridIsScatter(t *testing.T) {
	sc := testmodel.TwoActors()
	lhs, err := report.SweepCharts(strings.NewReader(lhsRows()), "korea-2018", sc)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := report.SweepCharts(strings.NewReader(gridRows()), "korea-2018", sc)
	if err != nil {
		t.Fatal(err)
	}
	c := lhs[0]
	if !c.Dots || len(c.Series) != 2 || len(c.Series[0].X) != 12 || len(c.Series[1].X) != 12 {
		t.Fatalf("LHS chart: dots %v, series %+v; want 2 series of 12 dots", c.Dots, c.Series)
	}
	l, err := report.ChartLayers(c)
	if err != nil {
		t.Fatal(err)
	}
	if l.Polylines != 0 {
		t.Errorf("the LHS chart joins its points with %d lines", l.Polylines)
	}
	g := grid[0]
	if g.Dots || len(g.Series) != 2 || len(g.Series[0].X) != 3 {
		t.Fatalf("grid chart: dots %v, series %+v; want 2 lines of 3 points", g.Dots, g.Series)
	}
	if l, err = report.ChartLayers(g); err != nil {
		t.Fatal(err)
	}
	if l.Polylines < 2 {
		t.Errorf("the grid chart draws %d lines, want 2", l.Polylines)
	}
	if g.XLabel != "United States: hawkishness" || g.Series[0].Name != "mediator = United States" || g.Series[1].Name != "mediator = none" {
		t.Errorf("grid chart's x label %q and series %q, %q: want the scenario's names", g.XLabel, g.Series[0].Name, g.Series[1].Name)
	}
}
