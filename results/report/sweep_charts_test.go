package report

import (
	"strconv"
	"strings"
	"testing"
)

// Sweep charts carry the rows' shares: one line per categorical value, the
// marginal mean over other numeric keys, bands from the intervals.
func TestSweepChartsNumbers(t *testing.T) {
	head := "point,a.x,b.y,m.cat,agreement_share,agreement_ci_low,agreement_ci_high,stalemate_share,stalemate_ci_low,stalemate_ci_high,breakdown_share,breakdown_ci_low,breakdown_ci_high,conflict_share,conflict_ci_low,conflict_ci_high,u_mean_utility\n"
	var b strings.Builder
	b.WriteString(head)
	// x in {0, 1}, y in {10, 20}, cat in {p, q}; agreement share = x/10 + y/100 (+0.5 for q).
	n := 0
	for _, x := range []float64{0, 1} {
		for _, y := range []float64{10, 20} {
			for _, cat := range []string{"p", "q"} {
				n++
				s := x/10 + y/100
				if cat == "q" {
					s += 0.5
				}
				b.WriteString(strings.Join([]string{itoa(n), ftoa(x), ftoa(y), cat,
					ftoa(s), ftoa(s - 0.01), ftoa(s + 0.01), "0", "0", "0", ftoa(1 - s), "0", "1", "0", "0", "0", "0.5"}, ",") + "\n")
			}
		}
	}
	charts, err := SweepCharts(strings.NewReader(b.String()), "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 2*4 { // two numeric keys × four outcomes
		t.Fatalf("%d charts, want 8", len(charts))
	}
	c := findChart(t, charts, "sweep-agreement-vs-a_x")
	if len(c.Series) != 2 || c.Series[0].Name != "cat = p" || c.Series[1].Name != "cat = q" {
		t.Fatalf("series %+v", c.Series)
	}
	// Marginal over y: mean of y/100 over {10, 20} is 0.15.
	want := map[string][]float64{"cat = p": {15, 25}, "cat = q": {65, 75}}
	for _, s := range c.Series {
		for i, x := range s.X {
			if x != float64(i) || abs(s.Y[i]-want[s.Name][i]) > 1e-9 || abs(s.Low[i]-(s.Y[i]-1)) > 1e-9 || abs(s.High[i]-(s.Y[i]+1)) > 1e-9 {
				t.Errorf("%s at x=%v: %v [%v, %v], want %v ± 1", s.Name, x, s.Y[i], s.Low[i], s.High[i], want[s.Name][i])
			}
		}
	}
	if _, err := WriteCharts(t.TempDir(), charts[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := SweepCharts(strings.NewReader("point,m.cat,agreement_share\n1,p,0.5\n"), "x", nil); err == nil {
		t.Error("a sweep with no numeric key gave charts")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func itoa(n int) string     { return strconv.Itoa(n) }
func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
