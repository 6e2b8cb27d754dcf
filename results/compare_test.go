package results

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/parley-sim/parley/sim"
)

// Newcombe (1998), Stat Med 17:873, Table II, example (a): 56/70 − 48/80,
// method 10 (hybrid score): 0.2000 (0.0524, 0.3339).
func TestNewcombePublished(t *testing.T) {
	d, lo, hi := Newcombe(56, 70, 48, 80)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"d", d, 0.2}, {"lo", lo, 0.0524}, {"hi", hi, 0.3339}} {
		if math.Round(c.got*1e4)/1e4 != c.want {
			t.Errorf("%s = %.6f, want %.4f", c.name, c.got, c.want)
		}
	}
}

func TestNewcombeEdges(t *testing.T) {
	for _, c := range []struct{ k1, n1, k2, n2 int }{
		{0, 10, 0, 20}, {10, 10, 0, 10}, {0, 10, 10, 10}, {0, 50, 3, 40}, {5, 5, 5, 5}, {1, 1000, 0, 1000}, {0, 0, 3, 7},
	} {
		d, lo, hi := Newcombe(c.k1, c.n1, c.k2, c.n2)
		if !(lo <= d && d <= hi && lo >= -1 && hi <= 1) || math.IsNaN(lo) || math.IsNaN(hi) {
			t.Errorf("Newcombe%v = %v (%v, %v)", c, d, lo, hi)
		}
	}
	// 0/n1 − 0/n2: the interval is (−u2, u1), the Wilson upper bounds.
	_, lo, hi := Newcombe(0, 10, 0, 20)
	_, u1 := Wilson(0, 10)
	_, u2 := Wilson(0, 20)
	if lo != -u2 || hi != u1 {
		t.Errorf("0/10 − 0/20: (%v, %v), want (%v, %v)", lo, hi, -u2, u1)
	}
	// All successes against none: the difference is 1 and the interval
	// reaches it.
	if d, lo, hi := Newcombe(10, 10, 0, 10); d != 1 || hi != 1 || lo <= 0.5 || lo >= 1 {
		t.Errorf("10/10 − 0/10 = %v (%v, %v)", d, lo, hi)
	}
	// Swapping the samples mirrors the interval.
	d1, lo1, hi1 := Newcombe(56, 70, 48, 80)
	d2, lo2, hi2 := Newcombe(48, 80, 56, 70)
	if d1 != -d2 || math.Abs(lo1+hi2) > 1e-15 || math.Abs(hi1+lo2) > 1e-15 {
		t.Errorf("not antisymmetric: (%v, %v) and (%v, %v)", lo1, hi1, lo2, hi2)
	}
}

func fakeReport(runs int, counts [sim.NumOutcomes]int, utils map[string]float64) Report {
	r := Report{Scenario: "s", Runs: runs, Seed: 1, Actors: map[string]ActorStats{}}
	for i, o := range sim.Outcomes {
		*r.Outcomes.field(o) = OutcomeStat{Count: counts[i], Share: float64(counts[i]) / float64(runs)}
	}
	for id, u := range utils {
		r.Actors[id] = ActorStats{MeanUtility: u}
	}
	return r
}

func TestCompare(t *testing.T) {
	a := fakeReport(70, [4]int{56, 4, 5, 5}, map[string]float64{"us": 0.75, "china": 0.5})
	b := fakeReport(80, [4]int{48, 2, 10, 20}, map[string]float64{"us": 0.5, "dprk": 0.25})
	c := Compare(a, b)
	ag := c.Outcomes["agreement"]
	if ag.AShare != 0.8 || ag.BShare != 0.6 || math.Abs(ag.Diff-0.2) > 1e-15 {
		t.Errorf("agreement %+v", ag)
	}
	if _, lo, hi := Newcombe(56, 70, 48, 80); ag.DiffCILow != lo || ag.DiffCIHigh != hi {
		t.Errorf("agreement interval %+v", ag)
	}
	if len(c.Outcomes) != 4 || len(c.Actors) != 1 || c.Actors["us"] != (UtilityShift{0.75, 0.5, 0.25, 0, 0}) {
		t.Errorf("outcomes %v actors %v", c.Outcomes, c.Actors)
	}

	var buf bytes.Buffer
	if err := WriteComparisonJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "outcomes", "actors"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON lacks %q:\n%s", k, buf.String())
		}
	}
	if sets := back["a"].(map[string]any)["sets"]; sets == nil {
		t.Error("a.sets is null, want []")
	}

	buf.Reset()
	c.B.Sets = []string{"protocol.mediator=none"}
	if err := WriteComparisonTable(&buf, c, nil, "note"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--set protocol.mediator=none", "note", "agreement", "80.0%", "60.0%", "+20.0", "[+5.2, +33.4]", "us", "+0.250"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}

// The agreements split into settlements and steps only, each compared with
// its own Newcombe interval; the table shows the split only when some run
// ended with a step in force.
func TestCompareSettlementAndPartial(t *testing.T) {
	a := fakeReport(70, [4]int{56, 4, 5, 5}, nil)
	b := fakeReport(80, [4]int{48, 2, 10, 20}, nil)
	var buf bytes.Buffer
	if err := WriteComparisonTable(&buf, Compare(a, b), nil, ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "a step only") {
		t.Errorf("table splits agreements without steps:\n%s", buf.String())
	}
	a.Partial.Count, b.Partial.Count = 16, 40
	c := Compare(a, b)
	if _, lo, hi := Newcombe(40, 70, 8, 80); c.Settlement.AShare != 40.0/70 || c.Settlement.BShare != 0.1 || c.Settlement.DiffCILow != lo || c.Settlement.DiffCIHigh != hi {
		t.Errorf("settlement %+v", c.Settlement)
	}
	if _, lo, hi := Newcombe(16, 70, 40, 80); c.Partial.BShare != 0.5 || c.Partial.DiffCILow != lo || c.Partial.DiffCIHigh != hi {
		t.Errorf("partial %+v", c.Partial)
	}
	buf.Reset()
	if err := WriteComparisonTable(&buf, c, nil, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  a settlement", "57.1%", "10.0%", "  a step only", "22.9%", "50.0%"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}
