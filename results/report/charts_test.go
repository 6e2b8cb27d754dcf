package report

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/sim"
)

// chartReport summarises 2,000 made-up runs; ends[t] counts the runs that
// ended on turn t.
func chartReport(t *testing.T) (results.Report, []int) {
	t.Helper()
	sc := testmodel.TwoActors()
	s, ends := results.NewSummary(sc), make([]int, sc.Horizon+1)
	testmodel.Records(2000, 5, func(r *sim.Record) { s.Add(r); ends[r.EndTurn]++ })
	return s.Report("demo", 5), ends
}

func findChart(t *testing.T, charts []Chart, name string) Chart {
	t.Helper()
	for _, c := range charts {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no chart %q", name)
	return Chart{}
}

// The charts carry the report's numbers: bar heights are the shares and
// their whiskers the Wilson intervals; histogram bins count every run.
func TestRunChartsNumbers(t *testing.T) {
	r, ends := chartReport(t)
	sc := testmodel.TwoActors()
	charts := RunCharts(r, sc)
	oc := findChart(t, charts, "outcome-shares")
	for i, o := range sim.Outcomes {
		st := r.Outcomes.Get(o)
		if oc.Labels[i] != o.String() || oc.Values[i] != 100*st.Share || oc.Low[i] != 100*st.CILow || oc.High[i] != 100*st.CIHigh {
			t.Errorf("bar %d: %s %v [%v, %v], want %s %v [%v, %v]", i, oc.Labels[i], oc.Values[i], oc.Low[i], oc.High[i],
				o, 100*st.Share, 100*st.CILow, 100*st.CIHigh)
		}
	}
	tc := findChart(t, charts, "end-turn")
	total := 0.0
	for i, v := range tc.Values {
		if v != float64(ends[i+1]) {
			t.Errorf("turn %d: bar %v, want %d", i+1, v, ends[i+1])
		}
		total += v
	}
	if int(total) != r.Runs {
		t.Errorf("end-turn bars count %v runs, want %d", total, r.Runs)
	}
	for _, a := range sc.Actors {
		uc := findChart(t, charts, "utility-"+a.ID)
		sum := 0.0
		for _, v := range uc.Values {
			sum += v
		}
		if len(uc.Values) != results.UtilityBins || sum < 99.999 || sum > 100.001 {
			t.Errorf("%s: %d bins summing to %v%%", a.ID, len(uc.Values), sum)
		}
	}
	for _, is := range sc.Issues {
		ic := findChart(t, charts, "terms-"+is.ID)
		for l, label := range is.Levels {
			if ic.Values[l] != 100*r.Terms[is.ID][label].Share {
				t.Errorf("%s=%s: bar %v, want %v", is.ID, label, ic.Values[l], 100*r.Terms[is.ID][label].Share)
			}
		}
	}
}

// Every chart is written as a valid PNG of 1280×720 and a valid SVG.
func TestWriteChartsFiles(t *testing.T) {
	r, _ := chartReport(t)
	charts := RunCharts(r, testmodel.TwoActors())
	charts = append(charts, Chart{Name: "lines", Title: "a line chart", Series: []Series{
		{Name: "a", X: []float64{0, 0.5, 1}, Y: []float64{10, 20, 30}, Low: []float64{5, 15, 25}, High: []float64{15, 25, 35}},
		{Name: "b", X: []float64{0, 0.5, 1}, Y: []float64{30, 20, 10}},
	}})
	dir := t.TempDir()
	paths, err := WriteCharts(dir, charts)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2*len(charts) {
		t.Fatalf("%d files for %d charts", len(paths), len(charts))
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(p) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if sz := img.Bounds().Size(); sz.X != 1280 || sz.Y != 720 {
				t.Errorf("%s is %v, want 1280×720", p, sz)
			}
			inked := 0
			for y := 0; y < 720; y += 4 {
				for x := 0; x < 1280; x += 4 {
					if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0xf000 {
						inked++
					}
				}
			}
			if inked < 1280*720/16/100 {
				t.Errorf("%s is nearly blank: %d of %d sampled pixels inked", p, inked, 1280*720/16)
			}
		case ".svg":
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("%s is not well-formed XML: %v", p, err)
					}
					break
				}
			}
			if !strings.Contains(string(b), "<svg") {
				t.Errorf("%s has no <svg> element", p)
			}
		}
	}
}

// The comparison charts carry each arm's shares with their Wilson intervals
// and the differences with Newcombe's.
func TestCompareChartsNumbers(t *testing.T) {
	sa, sb := results.NewSummary(testmodel.TwoActors()), results.NewSummary(testmodel.TwoActors())
	testmodel.Records(1500, 1, func(r *sim.Record) { sa.Add(r) })
	testmodel.Records(900, 2, func(r *sim.Record) { sb.Add(r) })
	a, b := sa.Report("a", 1), sb.Report("b", 2)
	c := results.Compare(a, b)
	charts := CompareCharts(c, a, b)
	shares := findChart(t, charts, "compare-shares")
	diff := findChart(t, charts, "compare-difference")
	for i, o := range sim.Outcomes {
		for g, r := range []results.Report{a, b} {
			s := r.Outcomes.Get(o)
			bg := shares.Groups[g]
			if bg.Values[i] != 100*s.Share || bg.Low[i] != 100*s.CILow || bg.High[i] != 100*s.CIHigh {
				t.Errorf("%s, arm %d: bar %v [%v, %v], want %v [%v, %v]", o, g, bg.Values[i], bg.Low[i], bg.High[i], 100*s.Share, 100*s.CILow, 100*s.CIHigh)
			}
		}
		d, lo, hi := results.Newcombe(a.Outcomes.Get(o).Count, a.Runs, b.Outcomes.Get(o).Count, b.Runs)
		if diff.Values[i] != 100*d || diff.Low[i] != 100*lo || diff.High[i] != 100*hi {
			t.Errorf("%s: difference bar %v [%v, %v], want %v [%v, %v]", o, diff.Values[i], diff.Low[i], diff.High[i], 100*d, 100*lo, 100*hi)
		}
	}
	if _, err := WriteCharts(t.TempDir(), charts); err != nil {
		t.Fatal(err)
	}
}

// Tick labels carry the decimals they need and no more: percent axes
// read "20", "40", not "20.00"; and they fall at round steps.
func TestTickLabelsWithoutNeedlessDecimals(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 100, []string{"0", "20", "40", "60", "80", "100"}},
		{0, 0.6, []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6"}},
		{0, 1.5, []string{"0", "0.25", "0.5", "0.75", "1", "1.25", "1.5"}},
		{1, 30, []string{"5", "10", "15", "20", "25", "30"}},
		{-12, 8, []string{"-10", "-5", "0", "5"}},
	} {
		var got []string
		for _, tk := range (cleanTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("ticks over [%v, %v]: %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
	// The outcome chart's percent axis, read back from its SVG.
	r, _ := chartReport(t)
	l, err := ChartLayers(findChart(t, RunCharts(r, testmodel.TwoActors()), "outcome-shares"))
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, s := range l.Texts {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			numbers = append(numbers, s)
		}
	}
	if len(numbers) < 3 {
		t.Fatalf("the outcome chart has tick labels %q", numbers)
	}
	for _, s := range numbers {
		if strings.Contains(s, ".") {
			t.Errorf("the outcome chart's percent ticks %q have decimals", numbers)
			break
		}
	}
}

// With a start month the turn axes read months: the band charts' ticks
// and the end-turn bars' labels; without one, turn numbers.
func TestTurnAxesInMonths(t *testing.T) {
	var bands []results.Band
	for turn := 1; turn <= 30; turn++ {
		for _, v := range []string{"talks", "deal", "step", "tension", "trust"} {
			bands = append(bands, results.Band{Turn: turn, Variable: v, Mean: 0.5, P10: 0.4, P90: 0.6})
		}
	}
	sc := testmodel.TwoActors()
	sc.Start = "2018-04"
	months := regexp.MustCompile(`^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d$`)
	for _, c := range BandCharts(bands, sc) {
		l, err := ChartLayers(c)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range l.Texts {
			if months.MatchString(s) {
				got = append(got, s)
			}
		}
		// Turn 1 is April 2018; 30 turns are labelled every 6 months, from January and July.
		if strings.Join(got, " ") != "Jul 2018 Jan 2019 Jul 2019 Jan 2020 Jul 2020" || c.XLabel != "month" {
			t.Errorf("%s: x label %q, month ticks %q", c.Name, c.XLabel, got)
		}
	}
	r, _ := chartReport(t)
	tc := findChart(t, RunCharts(r, sc), "end-turn")
	if tc.Labels[0] != "Apr 2018" || tc.Labels[11] != "Mar 2019" || tc.XLabel != "month" {
		t.Errorf("end-turn with a start: x label %q, labels %q", tc.XLabel, tc.Labels)
	}
	sc.Start = ""
	for _, c := range BandCharts(bands, sc) {
		l, err := ChartLayers(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range l.Texts {
			if months.MatchString(s) {
				t.Errorf("%s without a start shows month %q", c.Name, s)
			}
		}
		if c.XLabel != "turn" || !slices.Contains(l.Texts, "10") {
			t.Errorf("%s without a start: x label %q, texts %q", c.Name, c.XLabel, l.Texts)
		}
	}
}

// Labels of words too wide for their bars are wrapped onto lines so that
// every bar keeps its label; labels that cannot be wrapped (numbers) are
// thinned to every k-th as before.
func TestBarLabelsWrapBeforeThinning(t *testing.T) {
	sty := textStyle(14)
	names := []string{"China: leverage on United States", "United States: discount", "trust", "dummy"}
	width := 4 * (sty.Width("China: leverage on") + sty.Width("    "))
	got := thinLabels(names, sty, width)
	for i, l := range got {
		if strings.ReplaceAll(l, "\n", " ") != names[i] {
			t.Errorf("label %d: %q, want %q wrapped", i, l, names[i])
		}
	}
	if !strings.Contains(got[0], "\n") {
		t.Errorf("the widest label %q is not wrapped", got[0])
	}
	var turns []string
	for i := 1; i <= 36; i++ {
		turns = append(turns, strconv.Itoa(1000+i))
	}
	thin := thinLabels(turns, sty, 36*sty.Width("10"))
	if thin[0] == "" || thin[1] != "" {
		t.Errorf("numbers too wide for their bars: %q, want every k-th kept", thin[:4])
	}
}
