package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// directTable is the reference for buildTable: every package decoded and
// its utility summed by Prefs.Raw, extremes folded by min and max, each
// order sorted outright.
func directTable(sp actors.Space, prefs []actors.Prefs) *table {
	n := len(prefs)
	t := &table{actors: n, raw: make([]float64, sp.Size*n), rawMin: make([]float64, n), rawMax: make([]float64, n), byU: make([]order, n)}
	for i := range n {
		t.rawMin[i], t.rawMax[i] = math.Inf(1), math.Inf(-1)
	}
	pkg := make([]int, len(sp.Levels))
	for p := range sp.Size {
		sp.Decode(p, pkg)
		for i := range prefs {
			r := prefs[i].Raw(pkg)
			t.raw[p*n+i] = r
			t.rawMin[i], t.rawMax[i] = min(t.rawMin[i], r), max(t.rawMax[i], r)
		}
	}
	for i := range n {
		o := allPackages(sp.Size)
		slices.SortFunc(o, func(a, b int32) int {
			if c := cmp.Compare(t.raw[int(b)*n+i], t.raw[int(a)*n+i]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		t.byU[i] = order{pkgs: o}
	}
	return t
}

// sameTable reports how got differs from want, bit for bit, or "". want's
// orders are sorted outright; got's may be bucketed: then every bucket
// sorted on its own must give want's order (the same packages, and each
// bucket worth no less than the next), and stop must find the buckets.
func sameTable(got, want *table) string {
	bits := func(x []float64) []uint64 {
		b := make([]uint64, len(x))
		for k, v := range x {
			b[k] = math.Float64bits(v)
		}
		return b
	}
	switch {
	case got.actors != want.actors:
		return fmt.Sprintf("%d actors, want %d", got.actors, want.actors)
	case !slices.Equal(bits(got.raw), bits(want.raw)):
		return "raw utilities differ"
	case !slices.Equal(bits(got.rawMin), bits(want.rawMin)) || !slices.Equal(bits(got.rawMax), bits(want.rawMax)):
		return fmt.Sprintf("extremes %v–%v, want %v–%v", got.rawMin, got.rawMax, want.rawMin, want.rawMax)
	}
	n := got.actors
	for i := range want.byU {
		o := got.byU[i]
		if len(o.bucket) == 0 {
			if !slices.Equal(o.pkgs, want.byU[i].pkgs) {
				return fmt.Sprintf("actor %d's order differs", i)
			}
			continue
		}
		whole := slices.Clone(o.pkgs)
		for lo := 0; lo < len(whole); {
			hi := o.stop(lo)
			if hi <= lo || hi > len(whole) {
				return fmt.Sprintf("actor %d's bucket at %d ends at %d", i, lo, hi)
			}
			for k := lo; k < hi; k++ {
				if o.stop(k) != hi {
					return fmt.Sprintf("actor %d: position %d's bucket ends at %d, its bucket's first at %d", i, k, o.stop(k), hi)
				}
			}
			slices.SortFunc(whole[lo:hi], func(a, b int32) int {
				if c := cmp.Compare(got.raw[int(b)*n+i], got.raw[int(a)*n+i]); c != 0 {
					return c
				}
				return cmp.Compare(a, b)
			})
			lo = hi
		}
		if !slices.Equal(whole, want.byU[i].pkgs) {
			return fmt.Sprintf("actor %d's bucketed order differs", i)
		}
	}
	return ""
}

// tableDomain draws a space of 1–5 issues and n actors' preferences over
// it: values on a coarse grid (many ties) or continuous, some weights
// zero, some actors with links.
func tableDomain(r *rand.Rand, n int) (actors.Space, []actors.Prefs) {
	levels := make([]int, 1+r.IntN(5))
	for j := range levels {
		levels[j] = 1 + r.IntN(8)
	}
	sp := actors.NewSpace(levels)
	prefs := make([]actors.Prefs, n)
	for i := range prefs {
		redrawPrefs(r, &prefs[i], levels)
	}
	return sp, prefs
}

// redrawPrefs draws p anew over issues with the given level counts.
func redrawPrefs(r *rand.Rand, p *actors.Prefs, levels []int) {
	coarse := r.IntN(2) == 0
	draw := func() float64 {
		if coarse {
			return float64(r.IntN(5)) / 4
		}
		return r.Float64()
	}
	p.Weights, p.Values, p.Links = p.Weights[:0], nil, nil
	for _, l := range levels {
		w := draw()
		if r.IntN(5) == 0 {
			w = 0
		}
		p.Weights = append(p.Weights, w)
		vals := make([]float64, l)
		for k := range vals {
			vals[k] = draw()
		}
		p.Values = append(p.Values, vals)
	}
	actors.NormaliseWeights(p.Weights)
	for range r.IntN(3) {
		j := r.IntN(len(levels))
		l := actors.Link{When: []scenarios.Condition{{Issue: j, AtLeast: r.IntN(levels[j])}}, Value: draw() - 0.5}
		if r.IntN(2) == 0 {
			k := r.IntN(len(levels))
			l.Unless = []scenarios.Condition{{Issue: k, AtLeast: r.IntN(levels[k])}}
		}
		p.Links = append(p.Links, l)
	}
}

// buildTable gives the table the direct computation gives, bit for bit,
// on random domains, ties and links included; rebuilt in place for
// preferences of which only some changed (as each run's draws are), it
// still does.
func TestBuildTableMatchesDirect(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	none := []actors.Prefs{{Links: []actors.Link{{Value: 0.5}}}}
	if d := sameTable(buildTable(actors.NewSpace(nil), none, nil, true, nil, nil), directTable(actors.NewSpace(nil), none)); d != "" {
		t.Fatalf("no issues: %s", d)
	}
	for trial := range 300 {
		n := 1 + r.IntN(4)
		sp, prefs := tableDomain(r, n)
		var tab *table
		exact := trial%2 == 0 // kept tables sort outright; rebuilt ones, by bucket
		for step := range 4 {
			if step > 0 {
				// Change some actors' preferences: a weight, a value, a
				// link's value, or everything.
				for i := range prefs {
					p := &prefs[i]
					switch r.IntN(5) {
					case 0:
						p.Weights[r.IntN(len(p.Weights))] = r.Float64()
						actors.NormaliseWeights(p.Weights)
					case 1:
						j := r.IntN(len(p.Values))
						p.Values[j][r.IntN(len(p.Values[j]))] = r.Float64()
					case 2:
						if len(p.Links) > 0 {
							p.Links[0].Value = r.Float64()
						}
					case 3:
						redrawPrefs(r, p, sp.Levels)
					}
				}
			}
			tab = buildTable(sp, prefs, nil, exact, tab, nil)
			if d := sameTable(tab, directTable(sp, prefs)); d != "" {
				t.Fatalf("trial %d step %d, levels %v, exact %v: %s", trial, step, sp.Levels, exact, d)
			}
		}
	}
}

// The orders of large spaces, where packages are dealt into buckets by
// utility, are the direct sort's, outright or bucket by bucket: utilities spread out, crowded into a few
// clusters (an issue whose weight dwarfs the others'), all equal, with a
// NaN (which sorts last, and makes the extremes NaN), and with a link.
func TestBuildTableOrdersLargeSpaces(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	levels := []int{7, 9, 10, 12}
	sp := actors.NewSpace(levels)
	cases := map[string]func(p *actors.Prefs){
		"spread": func(*actors.Prefs) {},
		"clustered": func(p *actors.Prefs) {
			p.Weights[0] = 1
			for j := 1; j < len(p.Weights); j++ {
				p.Weights[j] = 1e-9 * r.Float64()
			}
		},
		"equal": func(p *actors.Prefs) {
			for j := range p.Weights {
				p.Weights[j] = 0
			}
		},
		"coarse": func(p *actors.Prefs) {
			for j := range p.Values {
				for l := range p.Values[j] {
					p.Values[j][l] = float64(r.IntN(3)) / 2
				}
			}
		},
		"nan": func(p *actors.Prefs) {
			p.Values[2][3] = math.NaN()
		},
		"linked": func(p *actors.Prefs) {
			p.Links = []actors.Link{{When: []scenarios.Condition{{Issue: 1, AtLeast: 4}, {Issue: 3, AtLeast: 6}}, Value: 0.3}}
		},
	}
	for name, shape := range cases {
		prefs := make([]actors.Prefs, 2)
		for i := range prefs {
			redrawPrefs(r, &prefs[i], levels)
			prefs[i].Links = nil
			shape(&prefs[i])
		}
		for _, exact := range []bool{true, false} {
			if d := sameTable(buildTable(sp, prefs, nil, exact, nil, nil), directTable(sp, prefs)); d != "" {
				t.Errorf("%s, exact %v: %s", name, exact, d)
			}
		}
	}
}

// A table whose rebuild was halted rebuilds, next time, every column it
// left unfinished.
func TestBuildTableAfterHalt(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	levels := []int{6, 8, 9, 10}
	sp := actors.NewSpace(levels)
	prefs := make([]actors.Prefs, 3)
	for i := range prefs {
		redrawPrefs(r, &prefs[i], levels)
	}
	tab := buildTable(sp, prefs, nil, true, nil, nil)
	redrawPrefs(r, &prefs[1], levels)
	stopped := make(chan struct{})
	close(stopped)
	tab = buildTable(sp, prefs, nil, true, tab, stopped)
	tab = buildTable(sp, prefs, nil, true, tab, nil)
	if d := sameTable(tab, directTable(sp, prefs)); d != "" {
		t.Fatal(d)
	}
}

// A scenario whose weights are drawn each run gives, run by run, the
// records of the same scenario with those draws written in as constants:
// the per-run table, rebuilt in place column by column and normalised
// only where it changed, gives what a table built once from scratch
// gives. (The other numbers draw from streams of their own, which do not
// depend on whether the weights are drawn.) The variants make a column
// that is not rebuilt change its scale (the mediator's or the importer's
// chance of prevailing drawn, the importer's weights constant), and a
// column that is rebuilt keep it (the exporter's least and greatest
// utility fixed whatever its weights).
func TestDrawnWeightsMatchConstant(t *testing.T) {
	runs := 40
	if testing.Short() {
		runs = 15
	}
	variants := map[string]func(sc *scenarios.Scenario){
		"bilateral": func(*scenarios.Scenario) {},
		"mediated": func(sc *scenarios.Scenario) {
			sc.Protocol.Mediator, sc.Protocol.MediatorBias, sc.Protocol.Agenda = 2, num(0.5), scenarios.AgendaMediatorFirst
			sc.Actors[2].Conflict.Prevail = uniform(0, 0.25)
		},
		"scale moves": func(sc *scenarios.Scenario) {
			a := &sc.Actors[1]
			for j, w := range a.Weights {
				a.Weights[j] = num(w.Dist.A + w.Dist.B) // the built-in's, doubled
			}
			a.Conflict.Prevail, a.Conflict.Cost = uniform(0, 0.2), num(0.5)
		},
		"fixed range": func(sc *scenarios.Scenario) {
			for j, vs := range sc.Actors[0].Values {
				for l := range vs {
					sc.Actors[0].Values[j][l] = scenarios.Const(float64(l) / float64(max(len(vs)-1, 1)))
				}
			}
		},
	}
	for name, vary := range variants {
		sc := scaleScenario(t, 3600, true, false)
		vary(sc)
		m := mustCompile(t, sc)
		if m.constPrefs {
			t.Fatal("the scale scenario's weights are constant")
		}
		w := NewWorker(m)
		for run := 1; run <= runs; run++ {
			got := recordLine(w.Run(1, run, nil))
			fixed := *sc
			fixed.Actors = slices.Clone(sc.Actors)
			for i := range fixed.Actors {
				a := &fixed.Actors[i]
				a.Weights = slices.Clone(a.Weights)
				for j, s := range m.actors[i].weights {
					a.Weights[j] = scenarios.Const(w.vals[s])
				}
			}
			mc := mustCompile(t, &fixed)
			if !mc.constPrefs {
				t.Fatal("weights written in as constants are still drawn")
			}
			if want := recordLine(NewWorker(mc).Run(1, run, nil)); got != want {
				t.Fatalf("%s, run %d: drawn weights give\n%s\nthe same weights as constants\n%s", name, run, got, want)
			}
		}
	}
}

// recordLine writes out the fields of a record that recordsDigest digests.
func recordLine(r *Record) string {
	return fmt.Sprintf("%d %d %d %v %v %d %d %d %d %d %v %v %v", r.Run, r.Outcome, r.EndTurn, r.Utility, r.Terms,
		r.Tests, r.Strikes, r.Deals, r.Collapsed, r.FirstDeal, r.Collapses, r.Breakdowns, r.Resumptions)
}
