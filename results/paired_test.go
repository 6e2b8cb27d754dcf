package results

import (
	"math"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"

	"github.com/parley-sim/parley/sim"
)

// Newcombe (1998), Stat Med 17:2635, method 10, on the paired table
// (1, 1, 7, 12) of Bentur et al. (2009), as Fagerland, Lydersen and Laake,
// Statistical Analysis of Contingency Tables (2017), ch. 8, report it:
// −0.2857 (−0.5069, −0.0256).
func TestNewcombePairedPublished(t *testing.T) {
	d, lo, hi := NewcombePaired(1, 1, 7, 12)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"d", d, -0.2857}, {"lo", lo, -0.5069}, {"hi", hi, -0.0256}} {
		if math.Round(c.got*1e4)/1e4 != c.want {
			t.Errorf("%s = %.6f, want %.4f", c.name, c.got, c.want)
		}
	}
}

func TestNewcombePairedEdges(t *testing.T) {
	for _, c := range [][4]int{{0, 0, 0, 10}, {10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0}, {5, 0, 0, 5}, {3, 2, 2, 3}, {0, 1, 0, 0}, {40, 3, 9, 48}} {
		d, lo, hi := NewcombePaired(c[0], c[1], c[2], c[3])
		if !(lo <= d && d <= hi && lo >= -1 && hi <= 1) || math.IsNaN(lo) || math.IsNaN(hi) {
			t.Errorf("NewcombePaired%v = %v (%v, %v)", c, d, lo, hi)
		}
	}
	// Swapping the two samples mirrors the interval.
	d1, lo1, hi1 := NewcombePaired(40, 3, 9, 48)
	d2, lo2, hi2 := NewcombePaired(40, 9, 3, 48)
	if d1 != -d2 || math.Abs(lo1+hi2) > 1e-15 || math.Abs(hi1+lo2) > 1e-15 {
		t.Errorf("not antisymmetric: %v (%v, %v) and %v (%v, %v)", d1, lo1, hi1, d2, lo2, hi2)
	}
	// Pairs that agree (many concordant, few discordant) give a narrower
	// interval than the same margins from independent samples.
	_, plo, phi := NewcombePaired(40, 3, 9, 48)
	_, ilo, ihi := Newcombe(43, 100, 49, 100)
	if phi-plo >= ihi-ilo {
		t.Errorf("paired interval %.4f wide, independent %.4f: pairing should narrow it", phi-plo, ihi-ilo)
	}
	if d, lo, hi := NewcombePaired(0, 0, 0, 0); d != 0 || lo != -1 || hi != 1 {
		t.Errorf("no pairs: %v (%v, %v)", d, lo, hi)
	}
}

// A batch paired with itself differs in nothing: every difference and
// every utility shift is exactly zero, and so is each shift's interval.
func TestComparePairedSelf(t *testing.T) {
	sc := testmodel.TwoActors()
	s, p := NewSummary(sc), NewPaired(len(sc.Actors))
	testmodel.Records(300, 5, func(r *sim.Record) { s.Add(r); p.Add(r) })
	r := s.Report("t", 5)
	ids := []string{sc.Actors[0].ID, sc.Actors[1].ID}
	c, err := ComparePaired(r, r, p, p, ids, ids)
	if err != nil {
		t.Fatal(err)
	}
	if c.Design != DesignPaired {
		t.Errorf("design %q", c.Design)
	}
	for name, d := range c.Outcomes {
		if d.Diff != 0 || d.AShare != d.BShare || d.DiffCILow > 0 || d.DiffCIHigh < 0 {
			t.Errorf("%s: %+v", name, d)
		}
	}
	for id, u := range c.Actors {
		if u.Shift != 0 || u.ShiftCILow != 0 || u.ShiftCIHigh != 0 {
			t.Errorf("%s: %+v", id, u)
		}
	}
	if _, err := ComparePaired(r, r, p, NewPaired(2), ids, ids); err == nil {
		t.Error("runs of A and B of different numbers compared without an error")
	}
}

// Pair by pair: two batches whose runs differ in known ways give the
// paired table's counts.
func TestComparePairedCounts(t *testing.T) {
	sc := testmodel.TwoActors()
	pa, pb := NewPaired(2), NewPaired(2)
	sa, sb := NewSummary(sc), NewSummary(sc)
	add := func(p *Paired, s *Summary, o sim.Outcome, u float64) {
		r := &sim.Record{Outcome: o, EndTurn: 1, Utility: []float64{u, 1 - u}, Terms: []int{-1, -1}}
		if o == sim.Agreement {
			r.Terms = []int{0, 0}
		}
		p.Add(r)
		s.Add(r)
	}
	// 1 pair both agree, 1 only A, 7 only B, 12 neither (both break down).
	for _, x := range []struct {
		n    int
		a, b sim.Outcome
	}{{1, sim.Agreement, sim.Agreement}, {1, sim.Agreement, sim.Breakdown}, {7, sim.Breakdown, sim.Agreement}, {12, sim.Breakdown, sim.Breakdown}} {
		for range x.n {
			add(pa, sa, x.a, 0.6)
			add(pb, sb, x.b, 0.5)
		}
	}
	ids := []string{sc.Actors[0].ID, sc.Actors[1].ID}
	c, err := ComparePaired(sa.Report("a", 1), sb.Report("b", 1), pa, pb, ids, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := [3]float64{}
	want[0], want[1], want[2] = NewcombePaired(1, 1, 7, 12)
	if ag := c.Outcomes["agreement"]; ag.Diff != want[0] || ag.DiffCILow != want[1] || ag.DiffCIHigh != want[2] {
		t.Errorf("agreement %+v, want %v", ag, want)
	}
	// Every run's shift is +0.1 to the first actor: no spread, a zero-width
	// interval at +0.1.
	if u := c.Actors[ids[0]]; math.Abs(u.ShiftCILow-0.1) > 1e-12 || math.Abs(u.ShiftCIHigh-0.1) > 1e-12 {
		t.Errorf("shift %+v, want [0.1, 0.1]", u)
	}
}
