package report

import (
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Palette is the Okabe–Ito colour-blind-safe palette (Okabe and Ito 2008),
// in the order charts use it.
var Palette = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0xF0, 0xE4, 0x42, 0xff}, // yellow
	{0x00, 0x00, 0x00, 0xff}, // black
}

// Chart sizes: 1280×720 pixels at gonum/plot's 96 dpi, a projector's frame.
const (
	chartWidth  = 1280 * vg.Inch / 96
	chartHeight = 720 * vg.Inch / 96
)

// A Chart is the data of one chart, with what it shows in words; Draw
// draws it. Charts are tested on these numbers, not on pixels.
type Chart struct {
	// Name is the file name without extension, saying what the chart is.
	Name  string
	Title string
	// Subtitle, drawn under the title in smaller type, says what the
	// title cannot (which scenario is A and which is B); optional.
	Subtitle string
	XLabel   string
	YLabel   string
	// Start, when set to a month ("2018-04"), labels a numeric x axis of
	// turns (Series) with months, turn 1 being that month.
	Start string
	// Bars: one bar per label, with optional interval whiskers (Low and
	// High, same length as Values, or nil).
	Labels    []string
	Values    []float64
	Low, High []float64
	// Groups: several bars per label, side by side (instead of Values),
	// each group with optional whiskers and a legend entry.
	Groups []Bars
	// Lines: one line per series against a numeric x, each with an
	// optional interval band.
	Series []Series
	// Dots draws the Series as points with interval whiskers, unjoined:
	// for points that are not ordered along x alone (a sweep whose design
	// is not a grid).
	Dots bool
	// Scatter: labelled points (instead of bars or lines).
	Points []Labelled
	// Tornado: horizontal spans, the first at the bottom, around a
	// vertical line at their common base.
	Spans []Span
}

// Span is one horizontal bar of a tornado chart, from From to To (either
// may be the larger: a bar is coloured by which way it goes), with the
// base the line marks.
type Span struct {
	Label          string
	From, To, Base float64
}

// Labelled is one labelled point of a scatter chart.
type Labelled struct {
	X, Y  float64
	Label string
}

// Bars is one group of a grouped bar chart.
type Bars struct {
	Name      string
	Values    []float64
	Low, High []float64
}

// Series is one line of a line chart.
type Series struct {
	Name      string
	X, Y      []float64
	Low, High []float64 // the band around Y, or nil
}

// RunCharts returns the charts of a run report: outcome shares with their
// 95% intervals, when runs ended, each actor's utility distribution, and
// for each issue the levels agreed.
func RunCharts(r results.Report, sc *scenarios.Scenario) []Chart {
	var charts []Chart
	runs := fmt.Sprintf("%d runs, seed %d", r.Runs, r.Seed)
	oc := Chart{
		Name:   "outcome-shares",
		Title:  fmt.Sprintf("%s: how the talks end (%s)", r.Scenario, runs),
		YLabel: "share of runs (%), with 95% interval",
	}
	for _, o := range sim.Outcomes {
		s := r.Outcomes.Get(o)
		oc.Labels = append(oc.Labels, o.String())
		oc.Values = append(oc.Values, 100*s.Share)
		oc.Low = append(oc.Low, 100*s.CILow)
		oc.High = append(oc.High, 100*s.CIHigh)
	}
	charts = append(charts, oc)

	tc := Chart{
		Name:   "end-turn",
		Title:  fmt.Sprintf("%s: the turn each run ended (%s)", r.Scenario, runs),
		XLabel: "turn",
		YLabel: "runs",
	}
	if sc.Start != "" {
		tc.Title = fmt.Sprintf("%s: the month each run ended (%s)", r.Scenario, runs)
		tc.XLabel = "month"
	}
	for t := 1; t < len(r.Histograms.EndTurn); t++ {
		tc.Labels = append(tc.Labels, turnLabel(sc.Start, t))
		tc.Values = append(tc.Values, float64(r.Histograms.EndTurn[t]))
	}
	charts = append(charts, tc)

	for _, a := range sc.Actors {
		h := r.Histograms.Utility[a.ID]
		uc := Chart{
			Name:   "utility-" + a.ID,
			Title:  fmt.Sprintf("%s: utility of the outcome to %s (%s)", r.Scenario, a.Name, runs),
			XLabel: "utility (0 = worst, conflict included; 1 = its best deal)",
			YLabel: "share of runs (%)",
		}
		for b, c := range h {
			uc.Labels = append(uc.Labels, strconv.FormatFloat(float64(b)/results.UtilityBins, 'f', -1, 64))
			uc.Values = append(uc.Values, 100*float64(c)/float64(max(r.Runs, 1)))
		}
		charts = append(charts, uc)
	}

	agreed := r.Outcomes.Agreement.Count
	for _, is := range sc.Issues {
		ic := Chart{
			Name:   "terms-" + is.ID,
			Title:  fmt.Sprintf("%s: %s in the %d agreements", r.Scenario, is.Name, agreed),
			YLabel: "share of agreements (%)",
		}
		for _, l := range is.Levels {
			ic.Labels = append(ic.Labels, l)
			ic.Values = append(ic.Values, 100*r.Terms[is.ID][l].Share)
		}
		charts = append(charts, ic)
	}
	return charts
}

// build makes the chart's plot, its data drawn by marks that hide when
// hideData is set (the layout stays the same), and returns its legend's
// entries, which Draw puts outside the plot.
func (c Chart) build(hideData bool) (*plot.Plot, []legendEntry, error) {
	p := plot.New()
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(axisLabelSize)
		a.Tick.Label.Font = sans(tickLabelSize)
		a.Tick.Marker = cleanTicks{}
	}
	b := &builder{p: p, hide: hideData}
	var err error
	switch {
	case len(c.Spans) > 0:
		err = c.tornado(b)
	case len(c.Points) > 0:
		err = c.scatter(b)
	case len(c.Series) > 0:
		err = c.lines(b)
	default:
		err = c.bars(b)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("results: chart %s: %w", c.Name, err)
	}
	return p, b.legend, nil
}

// tornado draws the spans as horizontal bars, one a row, blue where the
// output rises from the input's min to its max and orange where it falls,
// and a vertical line at the base.
func (c Chart) tornado(bd *builder) error {
	p := bd.p
	lo, hi := c.Spans[0].Base, c.Spans[0].Base
	labels := make([]string, len(c.Spans))
	for i, s := range c.Spans {
		a, b := min(s.From, s.To), max(s.From, s.To)
		if a == b { // no swing: a sliver, so the row shows
			a, b = a-1e-9, b+1e-9
		}
		poly, err := plotter.NewPolygon(plotter.XYs{{X: a, Y: float64(i) - 0.35}, {X: b, Y: float64(i) - 0.35}, {X: b, Y: float64(i) + 0.35}, {X: a, Y: float64(i) + 0.35}})
		if err != nil {
			return err
		}
		poly.Color = Palette[0]
		if s.To < s.From {
			poly.Color = Palette[1]
		}
		poly.LineStyle.Width = 0
		bd.add(poly)
		labels[i] = s.Label
		lo, hi = min(lo, a), max(hi, b)
	}
	base := c.Spans[0].Base
	line, err := plotter.NewLine(plotter.XYs{{X: base, Y: -0.6}, {X: base, Y: float64(len(c.Spans)) - 0.4}})
	if err != nil {
		return err
	}
	line.Width, line.Color = vg.Points(3), Palette[7]
	bd.add(line)
	p.NominalY(labels...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(c.Spans))-0.4
	pad := max((hi-lo)*0.08, 1e-6)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	return nil
}

// scatter draws the labelled points, each label beside its point.
func (c Chart) scatter(bd *builder) error {
	p := bd.p
	xys := make(plotter.XYs, len(c.Points))
	labels := make([]string, len(c.Points))
	top, right := 0.0, 0.0
	for i, pt := range c.Points {
		xys[i] = plotter.XY{X: pt.X, Y: pt.Y}
		labels[i] = pt.Label
		top, right = max(top, pt.Y), max(right, pt.X)
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = Palette[0], vg.Points(7), draw.CircleGlyph{}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return err
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font = sans(16)
		lb.TextStyle[i].XAlign = draw.XLeft
	}
	lb.Offset = vg.Point{X: vg.Points(10), Y: vg.Points(-6)}
	bd.add(sc, lb)
	p.X.Min, p.Y.Min = 0, 0
	// Room for the labels right of the rightmost point.
	p.X.Max, p.Y.Max = max(right*1.35, 1e-9), max(top*1.15, 1e-9)
	return nil
}

func (c Chart) bars(bd *builder) error {
	p := bd.p
	groups := c.Groups
	if groups == nil {
		groups = []Bars{{Values: c.Values, Low: c.Low, High: c.High}}
	}
	n := len(groups[0].Values)
	G := float64(len(groups))
	// Bars of a group sit side by side within 0.8 of a category; the width
	// in points is the plotting area's share of one category (about 85%
	// of the chart's width spread over n+0.2 categories).
	w := max(chartWidth*0.85/vg.Length(float64(n)+0.2)*vg.Length(0.8/G), vg.Points(2))
	lo, top := 0.0, 0.0
	for g, b := range groups {
		bars, err := plotter.NewBarChart(plotter.Values(b.Values), w)
		if err != nil {
			return err
		}
		bars.Color = Palette[g%len(Palette)]
		bars.LineStyle.Width = 0
		shift := (float64(g) - (G-1)/2) * 0.8 / G
		bars.XMin = shift
		bd.add(bars)
		if b.Name != "" {
			bd.legend = append(bd.legend, legendEntry{b.Name, []plot.Thumbnailer{bars}})
		}
		for i, v := range b.Values {
			lo, top = min(lo, v), max(top, v)
			if b.Low != nil {
				lo, top = min(lo, b.Low[i]), max(top, b.High[i])
			}
		}
		if b.Low != nil {
			eb, err := plotter.NewYErrorBars(whiskers{b.Values, b.Low, b.High, shift})
			if err != nil {
				return err
			}
			eb.LineStyle.Width = vg.Points(3)
			eb.CapWidth = vg.Points(24) / vg.Length(G)
			bd.add(eb)
		}
	}
	p.NominalX(thinLabels(c.Labels, p.X.Tick.Label, plotWidth)...)
	p.X.Min, p.X.Max = -0.6, float64(n)-0.4
	p.Y.Min = lo * 1.08
	p.Y.Max = max(top*1.08, 1)
	if lo < 0 {
		zero := plotter.NewFunction(func(float64) float64 { return 0 })
		zero.Width = vg.Points(1)
		bd.add(zero)
	}
	return nil
}

func (c Chart) lines(bd *builder) error {
	p := bd.p
	dashes := [][]vg.Length{nil, {vg.Points(12), vg.Points(6)}, {vg.Points(4), vg.Points(4)}, {vg.Points(16), vg.Points(4), vg.Points(4), vg.Points(4)}}
	if c.Start != "" {
		p.X.Tick.Marker = monthTicks{c.Start}
	}
	for i, s := range c.Series {
		col := Palette[i%len(Palette)]
		if c.Dots {
			if err := c.dots(bd, i, s); err != nil {
				return err
			}
			continue
		}
		if s.Low != nil {
			band := make(plotter.XYs, 0, 2*len(s.X))
			for k := range s.X {
				band = append(band, plotter.XY{X: s.X[k], Y: s.Low[k]})
			}
			for k := len(s.X) - 1; k >= 0; k-- {
				band = append(band, plotter.XY{X: s.X[k], Y: s.High[k]})
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return err
			}
			poly.Color = color.NRGBA{col.R, col.G, col.B, 0x40}
			poly.LineStyle.Width = 0
			bd.add(poly)
		}
		xys := make(plotter.XYs, len(s.X))
		for k := range s.X {
			xys[k] = plotter.XY{X: s.X[k], Y: s.Y[k]}
		}
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		l.Color, l.Width = col, vg.Points(3)
		l.Dashes = dashes[i%len(dashes)]
		pts.Color, pts.Radius = col, vg.Points(5)
		pts.Shape = glyphs[i%len(glyphs)]
		bd.add(l, pts)
		if s.Name != "" {
			bd.legend = append(bd.legend, legendEntry{s.Name, []plot.Thumbnailer{l, pts}})
		}
	}
	p.Y.Min = 0
	return nil
}

// glyphs are the point shapes of series 0, 1, …, in turn.
var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}}

// dots draws series i as unjoined points with thin interval whiskers.
func (c Chart) dots(bd *builder, i int, s Series) error {
	col := Palette[i%len(Palette)]
	xys := make(plotter.XYs, len(s.X))
	for k := range s.X {
		xys[k] = plotter.XY{X: s.X[k], Y: s.Y[k]}
	}
	if s.Low != nil {
		eb, err := plotter.NewYErrorBars(dotWhiskers{xys, s.Low, s.High})
		if err != nil {
			return err
		}
		eb.LineStyle.Color, eb.LineStyle.Width = color.NRGBA{col.R, col.G, col.B, 0x80}, vg.Points(1.5)
		eb.CapWidth = vg.Points(6)
		bd.add(eb)
	}
	pts, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	pts.Color, pts.Radius, pts.Shape = col, vg.Points(5), glyphs[i%len(glyphs)]
	bd.add(pts)
	if s.Name != "" {
		bd.legend = append(bd.legend, legendEntry{s.Name, []plot.Thumbnailer{pts}})
	}
	return nil
}

// dotWhiskers gives the interval whiskers of unjoined points.
type dotWhiskers struct {
	xy     plotter.XYs
	lo, hi []float64
}

func (w dotWhiskers) Len() int                    { return len(w.xy) }
func (w dotWhiskers) XY(i int) (float64, float64) { return w.xy[i].X, w.xy[i].Y }
func (w dotWhiskers) YError(i int) (float64, float64) {
	return w.xy[i].Y - w.lo[i], w.hi[i] - w.xy[i].Y
}

// whiskers gives interval whiskers around bar heights, for plotter.
// shift moves them sideways, in category units, onto a bar of a group.
type whiskers struct {
	v, lo, hi []float64
	shift     float64
}

func (w whiskers) Len() int                    { return len(w.v) }
func (w whiskers) XY(i int) (float64, float64) { return float64(i) + w.shift, w.v[i] }
func (w whiskers) YError(i int) (float64, float64) {
	return w.v[i] - w.lo[i], w.hi[i] - w.v[i]
}

// CompareCharts returns the charts of a comparison of batches a and b:
// each outcome's share under both, side by side with its Wilson interval,
// and the difference A − B with its Newcombe interval. Each names A and B
// by the arms' scenarios and --set changes.
func CompareCharts(c results.Comparison, a, b results.Report) []Chart {
	label := func(r results.Report, arm results.Arm) string {
		name := arm.Scenario
		if name == "" {
			name = r.Scenario
		}
		if len(arm.Sets) > 0 {
			return fmt.Sprintf("%s (%s)", name, strings.Join(arm.Sets, ", "))
		}
		return name
	}
	la, lb := "A: "+label(a, c.A), "B: "+label(b, c.B)
	shares := Chart{
		Name:   "compare-shares",
		Title:  fmt.Sprintf("How the talks end under A and B (%d and %d runs)", a.Runs, b.Runs),
		YLabel: "share of runs (%), with 95% interval",
		Groups: []Bars{{Name: la}, {Name: lb}},
	}
	diff := Chart{
		Name:     "compare-difference",
		Title:    "Difference in outcome shares, A − B, with 95% intervals (Newcombe)",
		Subtitle: la + "; " + lb,
		YLabel:   "A − B (percentage points)",
	}
	for _, o := range sim.Outcomes {
		shares.Labels = append(shares.Labels, o.String())
		diff.Labels = append(diff.Labels, o.String())
		for g, r := range []results.Report{a, b} {
			s := r.Outcomes.Get(o)
			bg := &shares.Groups[g]
			bg.Values = append(bg.Values, 100*s.Share)
			bg.Low = append(bg.Low, 100*s.CILow)
			bg.High = append(bg.High, 100*s.CIHigh)
		}
		d := c.Outcomes[o.String()]
		diff.Values = append(diff.Values, 100*d.Diff)
		diff.Low = append(diff.Low, 100*d.DiffCILow)
		diff.High = append(diff.High, 100*d.DiffCIHigh)
	}
	return []Chart{shares, diff}
}

// WriteCharts writes each chart to dir as NAME.png and NAME.svg, each file
// atomically, creating dir if need be. It returns the paths written.
func WriteCharts(dir string, charts []Chart) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	var paths []string
	for _, c := range charts {
		for _, ext := range []string{"png", "svg"} {
			path := filepath.Join(dir, c.Name+"."+ext)
			if err := outfile.Write(path, func(w io.Writer) error { return c.render(w, ext, layers{}) }); err != nil {
				return paths, fmt.Errorf("results: chart %s: %w", c.Name, err)
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}

// SVG returns the chart as an SVG document, for embedding in a page.
func (c Chart) SVG(w io.Writer) error {
	return c.render(w, "svg", layers{})
}

// BandCharts returns per-turn charts of the bands of scenario sc: the
// shares of runs with talks alive and with a deal (or only a step) in
// force, and the tension and the trust with their mean and 10–90% band.
// The turns are labelled with months when sc has a start.
func BandCharts(bands []results.Band, sc *scenarios.Scenario) []Chart {
	series := func(name string, mean bool) Series {
		s := Series{Name: name}
		for _, b := range bands {
			if b.Variable != name {
				continue
			}
			s.X = append(s.X, float64(b.Turn))
			if mean {
				s.Y = append(s.Y, 100*b.Mean)
				continue
			}
			s.Y, s.Low, s.High = append(s.Y, b.Mean), append(s.Low, b.P10), append(s.High, b.P90)
		}
		return s
	}
	xlabel, by := "turn", "turn by turn"
	if sc.Start != "" {
		xlabel, by = "month", "month by month"
	}
	state := Chart{
		Name: "turns-talks", Title: sc.ID + ": the talks, " + by,
		XLabel: xlabel, YLabel: "share of runs (%)", Start: sc.Start,
		Series: []Series{series("talks", true), series("deal", true), series("step", true)},
	}
	state.Series[0].Name, state.Series[1].Name, state.Series[2].Name = "talks alive", "a deal in force", "only a step in force"
	climate := Chart{
		Name: "turns-tension-trust", Title: sc.ID + ": tension and trust, " + by + " (mean, 10–90% of runs)",
		XLabel: xlabel, YLabel: "level (0 to 1)", Start: sc.Start,
		Series: []Series{series("tension", false), series("trust", false)},
	}
	return []Chart{state, climate}
}
