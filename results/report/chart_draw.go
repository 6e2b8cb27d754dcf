package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parley-sim/parley/scenarios"
)

// Type sizes, in points, for a projector.
const (
	titleSize     = 24
	subtitleSize  = 18
	axisLabelSize = 20
	tickLabelSize = 18
	legendSize    = 18
	minLegendSize = 12
)

// The blank border around a chart, with more at the top so the title
// does not touch the edge, and the space between the title, the legend
// and the plot.
const (
	margin    = vg.Length(14)
	topMargin = vg.Length(18)
	gap       = vg.Length(12)
)

// plotWidth is about the width of a chart's data area, for thinning the
// labels of a long axis.
const plotWidth = chartWidth * 0.85

// sans is the charts' font at a size: Liberation Sans (metrically
// compatible with Arial), which gonum/plot carries, so PNGs need no system
// fonts and the type matches the HTML report's sans-serif page.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// textStyle is black sans-serif text of a size.
func textStyle(size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: sans(size), Handler: plot.DefaultTextHandler}
}

// svgFamily is how gonum/plot's SVG names the charts' font, and
// svgFallback the same with fallbacks for a browser without it.
const (
	svgFamily   = "font-family:Liberation Sans;"
	svgFallback = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"
)

// layers says which parts of a chart to leave undrawn, in the same
// layout: tests draw a chart without its legend or without its data and
// tell the parts apart by what changes.
type layers struct{ noTitle, noLegend, noData bool }

// legendEntry is one entry of a chart's legend.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// builder collects a chart's plotters and legend entries.
type builder struct {
	p      *plot.Plot
	hide   bool
	legend []legendEntry
}

// add adds data plotters to the plot, drawn unless the data are hidden.
func (b *builder) add(ps ...plot.Plotter) {
	for _, x := range ps {
		b.p.Add(mark{x, b.hide})
	}
}

// mark is a data plotter that can be hidden while still taking its place
// in the plot's ranges and padding.
type mark struct {
	plot.Plotter
	hidden bool
}

func (m mark) Plot(c draw.Canvas, p *plot.Plot) {
	if !m.hidden {
		m.Plotter.Plot(c, p)
	}
}

func (m mark) DataRange() (xmin, xmax, ymin, ymax float64) {
	if r, ok := m.Plotter.(plot.DataRanger); ok {
		return r.DataRange()
	}
	return math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
}

func (m mark) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if g, ok := m.Plotter.(plot.GlyphBoxer); ok {
		return g.GlyphBoxes(p)
	}
	return nil
}

// Draw draws the chart onto dc with large type for a projector: the title
// (and subtitle) at the top inside a margin, the legend in a band under
// them, and the plot below, so the legend never covers the data.
func (c Chart) Draw(dc draw.Canvas) error {
	return c.draw(dc, layers{})
}

func (c Chart) draw(dc draw.Canvas, hide layers) error {
	p, legend, err := c.build(hide.noData)
	if err != nil {
		return err
	}
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	dc.Min.X += margin
	dc.Max.X -= margin
	dc.Min.Y += margin
	dc.Max.Y -= topMargin
	if c.Title != "" {
		dc.Max.Y = drawLines(dc, c.Title, titleSize, 20, !hide.noTitle) - gap
	}
	if c.Subtitle != "" {
		dc.Max.Y = drawLines(dc, c.Subtitle, subtitleSize, 14, !hide.noTitle) - gap
	}
	if len(legend) > 0 {
		dc.Max.Y = drawLegend(dc, legend, !hide.noLegend) - gap
	}
	p.Draw(dc)
	return nil
}

// drawLines draws text centred at the top of dc in type of size, wrapped
// to dc's width in lines (in smaller type, down to least, when it does not
// fit on one line; cut short after maxLines lines), if show is set. It returns where the text ends below.
func drawLines(dc draw.Canvas, s string, size, least vg.Length, show bool) vg.Length {
	sty := textStyle(size)
	lines := wrap(sty, s, dc.Size().X)
	for len(lines) > 1 && size > least {
		size -= 2
		sty = textStyle(size)
		lines = wrap(sty, s, dc.Size().X)
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] += "…"
	}
	for i := range lines { // a word too long for a line is cut
		lines[i] = fit(sty, lines[i], dc.Size().X)
	}
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	y := dc.Max.Y
	for _, l := range lines {
		if show {
			dc.FillText(sty, vg.Point{X: dc.Center().X, Y: y}, l)
		}
		y -= sty.Height(l)
	}
	return y
}

// wrap breaks s into lines no wider than width where it can, between
// words.
func wrap(sty text.Style, s string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && sty.Width(line+" "+w) > width {
			lines, line = append(lines, line), w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// fit returns s, cut short with an ellipsis if it is wider than width.
func fit(sty text.Style, s string, width vg.Length) string {
	w := sty.Width(s)
	if w <= width {
		return s
	}
	r := []rune(s)
	n := int(float64(len(r)) * float64(width/w))
	for n > 0 && sty.Width(string(r[:n])+"…") > width {
		n--
	}
	return string(r[:n]) + "…"
}

// maxLines is the most lines a title or subtitle takes.
const maxLines = 3

// Legend geometry: a thumbnail's width, the space between it and its
// name, and between one entry and the next.
const (
	thumbWidth = vg.Length(36)
	thumbGap   = vg.Length(8)
	entryGap   = vg.Length(28)
)

// drawLegend lays the entries out in rows across the top of dc, each row
// centred, in smaller type when an entry is wider than dc, and draws them
// if draw is set. It returns where the legend ends below.
func drawLegend(dc draw.Canvas, entries []legendEntry, show bool) vg.Length {
	width := dc.Size().X
	size := vg.Length(legendSize)
	sty := textStyle(size)
	widest := func() vg.Length {
		w := vg.Length(0)
		for _, e := range entries {
			w = max(w, thumbWidth+thumbGap+sty.Width(e.name))
		}
		return w
	}
	for widest() > width && size > minLegendSize {
		size--
		sty = textStyle(size)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = fit(sty, e.name, width-thumbWidth-thumbGap)
	}
	// Rows of entries: their indexes and width.
	type row struct {
		first, last int
		width       vg.Length
	}
	var rows []row
	for i, n := range names {
		w := thumbWidth + thumbGap + sty.Width(n)
		if len(rows) > 0 && rows[len(rows)-1].width+entryGap+w <= width {
			r := &rows[len(rows)-1]
			r.last, r.width = i, r.width+entryGap+w
			continue
		}
		rows = append(rows, row{i, i, w})
	}
	rowHeight := sty.FontExtents().Height * 1.3
	sty.YAlign = draw.YCenter
	top := dc.Max.Y
	for _, r := range rows {
		x := dc.Center().X - r.width/2
		mid := top - rowHeight/2
		for i := r.first; i <= r.last; i++ {
			if show {
				icon := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: mid - size/2},
					Max: vg.Point{X: x + thumbWidth, Y: mid + size/2},
				}}
				for _, t := range entries[i].thumbs {
					t.Thumbnail(&icon)
				}
				dc.FillText(sty, vg.Point{X: x + thumbWidth + thumbGap, Y: mid}, names[i])
			}
			x += thumbWidth + thumbGap + sty.Width(names[i]) + entryGap
		}
		top -= rowHeight
	}
	return top
}

// render writes the chart as an image of format png or svg, 1280×720 at
// 96 dpi, leaving out the layers hide names.
func (c Chart) render(w io.Writer, format string, hide layers) error {
	cw, err := draw.NewFormattedCanvas(chartWidth, chartHeight, format)
	if err != nil {
		return fmt.Errorf("results: chart %s: %w", c.Name, err)
	}
	if err := c.draw(draw.New(cw), hide); err != nil {
		return err
	}
	if format != "svg" {
		_, err = cw.WriteTo(w)
		return err
	}
	var b bytes.Buffer
	if _, err := cw.WriteTo(&b); err != nil {
		return err
	}
	_, err = w.Write(bytes.ReplaceAll(b.Bytes(), []byte(svgFamily), []byte(svgFallback)))
	return err
}

// cleanTicks places about six labelled ticks at a round step (1, 2, 2.5
// or 5 times a power of ten), with unlabelled ticks between, and writes
// each label without needless decimals: "50", not "50.00"; "0.25".
type cleanTicks struct{}

// tickTarget is the most steps between labelled ticks.
const tickTarget = 6

func (cleanTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: formatTick(lo)}}
	}
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/tickTarget)))
	step, minor := 10*mag, 5
	for _, m := range []struct {
		f     float64
		minor int
	}{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}} {
		if (hi-lo)/(m.f*mag) <= tickTarget+1e-9 {
			step, minor = m.f*mag, m.minor
			break
		}
	}
	sub := step / float64(minor)
	var ts []plot.Tick
	for k := math.Ceil(lo/sub - 1e-9); k*sub <= hi+sub*1e-9; k++ {
		x := k * sub
		tk := plot.Tick{Value: x}
		if math.Mod(k, float64(minor)) == 0 {
			tk.Label = formatTick(x)
		}
		ts = append(ts, tk)
	}
	return ts
}

// formatTick writes x with the fewest decimals (at most 6) that hold it,
// without a minus on zero.
func formatTick(x float64) string {
	x = math.Round(x*1e6) / 1e6
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// monthTicks labels an axis of turns with months, turn 1 being the
// month start ("2018-04"): every month, or every 2, 3, 6, 12, 24 or 60
// months counted from a January, the least step that shows eight labels or
// fewer; the other turns get unlabelled ticks.
type monthTicks struct{ start string }

func (m monthTicks) Ticks(lo, hi float64) []plot.Tick {
	t0, ok := scenarios.MonthOf(m.start, 1)
	if !ok {
		return cleanTicks{}.Ticks(lo, hi)
	}
	first, last := int(math.Ceil(lo)), int(math.Floor(hi))
	step := 60
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60} {
		if (last-first+1)/s <= 8 {
			step = s
			break
		}
	}
	var ts []plot.Tick
	for t := first; t <= last; t++ {
		month := t0.AddDate(0, t-1, 0)
		tk := plot.Tick{Value: float64(t)}
		if (month.Year()*12+int(month.Month())-1)%step == 0 {
			tk.Label = month.Format("Jan 2006")
		}
		ts = append(ts, tk)
	}
	return ts
}

// turnLabel names turn t: its month ("Apr 2018") when the scenario has a
// start month, else its number.
func turnLabel(start string, t int) string {
	if m, ok := scenarios.MonthOf(start, t); ok {
		return m.Format("Jan 2006")
	}
	return strconv.Itoa(t)
}

// wrapLabels breaks each label at spaces into at most three lines no
// wider than width; false when a label cannot be made to fit.
func wrapLabels(labels []string, sty text.Style, width vg.Length) ([]string, bool) {
	out := make([]string, len(labels))
	for i, l := range labels {
		var lines []string
		for _, w := range strings.Fields(l) {
			if n := len(lines); n > 0 && sty.Width(lines[n-1]+" "+w) <= width {
				lines[n-1] += " " + w
				continue
			}
			if sty.Width(w) > width {
				return nil, false
			}
			lines = append(lines, w)
		}
		if len(lines) > 3 {
			return nil, false
		}
		out[i] = strings.Join(lines, "\n")
	}
	return out, true
}

// thinLabels fits a bar axis's labels into width in style sty: wrapped
// onto lines when that shows them all (wrapLabels), else every k-th
// (from the first), k the least of 1, 2, 3, 4, 5, 6, 10, 12, … that leaves
// room between them.
func thinLabels(labels []string, sty text.Style, width vg.Length) []string {
	if len(labels) == 0 {
		return labels
	}
	per := width / vg.Length(len(labels))
	// Labels of words (an input's name, an outcome) are wrapped onto up
	// to three lines when that lets every one of them be shown: a bar
	// whose label is dropped cannot be read.
	if wrapped, ok := wrapLabels(labels, sty, per-sty.Width("  ")); ok {
		return wrapped
	}
	widest := vg.Length(0)
	for _, l := range labels {
		widest = max(widest, sty.Width(l))
	}
	need := widest + sty.Width("  ")
	k := 1
	for _, s := range []int{1, 2, 3, 4, 5, 6, 10, 12, 20, 24, 50, 100, 200, 500} {
		k = s
		if vg.Length(s)*per >= need {
			break
		}
	}
	if k == 1 {
		return labels
	}
	out := make([]string, len(labels))
	for i := range labels {
		if i%k == 0 {
			out[i] = labels[i]
		}
	}
	return out
}

// KeyLabel says a --set key path in the scenario's words: the actor's,
// issue's or event's display name, then the field ("actors.us.hawkishness"
// is "United States: hawkishness"; "actors.china.leverage.us" is "China:
// leverage on United States"; "dynamics.trust" is "trust"). With
// sc nil, or a part it does not know, ids stand for names.
func KeyLabel(sc *scenarios.Scenario, key string) string {
	parts := strings.Split(key, ".")
	if len(parts) < 2 {
		return words(key)
	}
	head, rest := parts[0], parts[1:]
	switch head {
	case "actors", "issues", "events":
		if len(rest) >= 2 {
			return nameOf(sc, rest[0]) + ": " + field(sc, rest[1:])
		}
	}
	return field(sc, rest) // a section's field: "dynamics.trust" is "trust"
}

// field says the rest of a key path: its field, then the names of the
// actors or issues it is about.
func field(sc *scenarios.Scenario, parts []string) string {
	s := words(parts[0])
	if len(parts) == 1 {
		return s
	}
	names := make([]string, len(parts)-1)
	for i, p := range parts[1:] {
		names[i] = nameOf(sc, p)
	}
	switch parts[0] {
	case "leverage", "pressure", "restraint":
		s += " on"
	case "goodwill":
		s += " toward"
	}
	return s + " " + strings.Join(names, ", ")
}

// valueLabel says a key's value in the scenario's words: an actor's,
// issue's or event's display name for its id, else the value.
func valueLabel(sc *scenarios.Scenario, v string) string {
	if n := nameOf(sc, v); n != words(v) {
		return n
	}
	return v
}

// nameOf returns the display name of the actor, issue or event with id,
// or id in words.
func nameOf(sc *scenarios.Scenario, id string) string {
	if sc != nil {
		for _, a := range sc.Actors {
			if a.ID == id && a.Name != "" {
				return a.Name
			}
		}
		for _, is := range sc.Issues {
			if is.ID == id && is.Name != "" {
				return is.Name
			}
		}
		for _, ev := range sc.Events {
			if ev.ID == id && ev.Label != "" {
				return ev.Label
			}
		}
	}
	return words(id)
}

// words writes an id's underscores as spaces.
func words(id string) string { return strings.ReplaceAll(id, "_", " ") }
