package explore

import (
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim/sweep"
)

// A Sobol sweep's rows, laid out as the design lays out points, give the
// indices Sobol gives the same numbers; the charts carry them, the dummy
// last; and rows short of the sweep's points are refused.
func TestAnalyzeSweepSobol(t *testing.T) {
	const n, k = 16, 2
	d := &sweep.DesignInfo{Design: sweep.Sobol, Samples: n, Seed: 1, Inputs: []sweep.Input{{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: 0, Max: 1}},
		Labels: map[string]string{"a": "Alpha: hawkishness"}}
	header := []string{"point", "a", "b", "agreement_share", "agreement_ci_low"}
	var rows [][]string
	f := func(x, y float64) float64 { return x + 0.3*y*y }
	fA, fB := make([]float64, n), make([]float64, n)
	fAB := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	p := 0
	add := func(x, y float64) float64 {
		p++
		v := f(x, y)
		rows = append(rows, []string{strconv.Itoa(p), fmtf(x), fmtf(y), fmtf(v), "0"})
		return v
	}
	for j := range n {
		ax, ay := float64(j%4)/4, float64(j/4)/4
		bx, by := float64((j+1)%4)/4, float64((j+2)%4)/4
		fA[j], fB[j] = add(ax, ay), add(bx, by)
		fAB[0][j], fAB[1][j], fAB[2][j] = add(bx, ay), add(ax, by), add(ax, ay)
	}
	s, err := AnalyzeSweep(header, rows, d, n*(k+3), 50, 9)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Sobol(fA, fB, fAB, 0, nil)
	for i, in := range []string{"a", "b", Dummy} {
		got := s.Outputs["agreement_share"].Inputs[in].(Index)
		if got.S1 != want[i].S1 || got.ST != want[i].ST {
			t.Errorf("%s: %+v, want S1 %v, ST %v", in, got, want[i].S1, want[i].ST)
		}
	}
	if len(s.Outputs) != 1 {
		t.Errorf("outputs %v: the interval column is not an output", s.Outputs)
	}
	c := Charts(s, "t")
	if len(c) != 1 || len(c[0].Labels) != 3 || c[0].Labels[2] != Dummy || c[0].Groups[1].Values[2] != want[2].ST {
		t.Errorf("chart %+v", c)
	}
	// An input the manifest names is labelled by its name, the others by
	// their key.
	if len(c) == 1 && (c[0].Labels[0] != "Alpha: hawkishness" || c[0].Labels[1] != "b") {
		t.Errorf("chart labels %q, want the manifest's name for a and the key for b", c[0].Labels)
	}
	if _, err := AnalyzeSweep(header, rows[:len(rows)-1], d, n*(k+3), 50, 9); err == nil {
		t.Error("a sweep missing its last point gave no error")
	}
}

func fmtf(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// The table warns when the ranking is not settled (the top two intervals
// overlap) or a first-order interval reaches well below zero, and not when
// the inputs stand apart.
func TestSensitivityWarning(t *testing.T) {
	mk := func(a, b Index) *Sensitivity {
		return &Sensitivity{Design: sweep.Sobol, Outputs: map[string]OutputAnalysis{"y": {Inputs: map[string]any{
			"a": a, "b": b, Dummy: Index{ST: 0.01, STLow: 0, STHigh: 0.02}}}}, inputs: []string{"a", "b", Dummy}, outputs: []string{"y"}}
	}
	apart := mk(Index{S1: 0.6, S1Low: 0.55, S1High: 0.65, ST: 0.7, STLow: 0.6, STHigh: 0.8},
		Index{S1: 0.2, S1Low: 0.15, S1High: 0.25, ST: 0.3, STLow: 0.25, STHigh: 0.35})
	if w := apart.Warning("y"); w != "" {
		t.Errorf("inputs apart: %q", w)
	}
	close := mk(Index{S1: 0.4, S1Low: 0.3, S1High: 0.5, ST: 0.5, STLow: 0.35, STHigh: 0.65},
		Index{S1: 0.3, S1Low: 0.2, S1High: 0.4, ST: 0.45, STLow: 0.3, STHigh: 0.6})
	if w := close.Warning("y"); !strings.Contains(w, "overlap") {
		t.Errorf("overlapping intervals: %q", w)
	}
	negative := mk(Index{S1: 0.6, S1Low: 0.55, S1High: 0.65, ST: 0.7, STLow: 0.6, STHigh: 0.8},
		Index{S1: 0.02, S1Low: -0.2, S1High: 0.24, ST: 0.3, STLow: 0.25, STHigh: 0.35})
	if w := negative.Warning("y"); !strings.Contains(w, "below zero") {
		t.Errorf("a first-order interval down to -0.2: %q", w)
	}
}

// A one-at-a-time sweep's swings: each key's output at its min and max,
// the base from the first point; the tornado's spans carry them, the
// widest on top (last).
func TestAnalyzeSweepOAT(t *testing.T) {
	d := &sweep.DesignInfo{Design: sweep.OAT, Inputs: []sweep.Input{{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: 0, Max: 1}}}
	header := []string{"point", "a", "b", "agreement_share"}
	rows := [][]string{{"1", "0.5", "0.5", "0.5"}, {"2", "0", "0.5", "0.45"}, {"3", "1", "0.5", "0.55"}, {"4", "0.5", "0", "0.9"}, {"5", "0.5", "1", "0.1"}}
	s, err := AnalyzeSweep(header, rows, d, 5, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Outputs["agreement_share"].Inputs["b"].(Swing); got != (Swing{Base: 0.5, Low: 0.9, High: 0.1, Swing: 0.1 - 0.9}) {
		t.Errorf("b: %+v", got)
	}
	c := Charts(s, "t")
	if len(c) != 1 || len(c[0].Spans) != 2 || c[0].Spans[1].Label != "b" || c[0].Spans[1].From != 0.9 || c[0].Spans[0].To != 0.55 {
		t.Errorf("tornado %+v", c)
	}
	if !strings.Contains(s.Sentence("agreement_share"), "hangs most on b (from 0.9 to 0.1 over its range), then a") {
		t.Errorf("sentence %q", s.Sentence("agreement_share"))
	}
}
