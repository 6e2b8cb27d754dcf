package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// scaleScenario is the built-in trade-deal (36 packages: two signatories
// and a third party that only presses them, so three columns of
// utilities, and an election that changes the importer's weights) grown
// to size packages by extra issues, each valued in opposite directions by
// the two signatories and not at all by the third party, so that the
// frontier grows with the space. With uncertain set, every weight of
// every actor is a distribution (uniform on ±50% of the built-in's, or on
// [0.05, 0.15] for an added issue), so the engine rebuilds the utility
// table every run; otherwise every weight is the built-in's constant.
// With mediated set the third party mediates as China does in
// korea-2018: it tables its compromise before the proposer speaks, with a
// bias drawn on [0.2, 0.6], so that mediation's searches run every round. The levels' values are drawn once
// from a fixed seed, without ties.
func scaleScenario(tb testing.TB, size int, uncertain, mediated bool) *scenarios.Scenario {
	tb.Helper()
	sc, err := scenarios.Load("trade-deal", nil)
	if err != nil {
		tb.Fatal(err)
	}
	base := 1
	for _, is := range sc.Issues {
		base *= len(is.Levels)
	}
	if size%base != 0 {
		tb.Fatalf("size %d is not a multiple of trade-deal's %d packages", size, base)
	}
	var extra []int
	switch size / base {
	case 1:
	case 5:
		extra = []int{5}
	case 100:
		extra = []int{10, 10}
	case 1200:
		extra = []int{10, 10, 12}
	default:
		tb.Fatalf("no issues for %d packages", size)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for x, nl := range extra {
		is := scenarios.Issue{ID: fmt.Sprintf("extra%d", x), Name: fmt.Sprintf("Extra issue %d", x), IrreversibleFrom: -1}
		for l := range nl {
			is.Levels = append(is.Levels, fmt.Sprintf("level%d", l))
		}
		sc.Issues = append(sc.Issues, is)
		for i := range sc.Actors {
			a := &sc.Actors[i]
			vals := make([]scenarios.Number, nl)
			for l := range nl {
				v := 0.0
				switch i {
				case 0: // the exporter wants more
					v = (float64(l) + 0.9*rng.Float64()) / float64(nl)
				case 1: // the importer wants less
					v = (float64(nl-1-l) + 0.9*rng.Float64()) / float64(nl)
				}
				vals[l] = scenarios.Const(v)
			}
			a.Values = append(a.Values, vals)
			w := 0.0
			if i < 2 {
				w = 0.1
			}
			a.Weights = append(a.Weights, scenarios.Const(w))
		}
	}
	if uncertain {
		for i := range sc.Actors {
			for j, w := range sc.Actors[i].Weights {
				if w.Value > 0 {
					sc.Actors[i].Weights[j] = uniform(0.5*w.Value, 1.5*w.Value)
				}
			}
		}
	}
	if mediated {
		sc.Protocol.Mediator, sc.Protocol.Agenda = 2, scenarios.AgendaMediatorFirst
		sc.Protocol.MediatorBias = uniform(0.2, 0.6)
	}
	if n, _ := Packages(sc); n != size {
		tb.Fatalf("scale scenario has %d packages, want %d", n, size)
	}
	return sc
}

// scaleSizes are the package counts the scale benchmarks run at.
var scaleSizes = []int{180, 3600, 43200}

// BenchmarkScale plays runs of trade-deal grown to 180, 3,600 and 43,200
// packages (scaleScenario), with constant weights (the table is built once
// and kept) and with uncertain ones (the table is rebuilt every run), on
// one worker, and reports ms a run.
func BenchmarkScale(b *testing.B) {
	for _, mediated := range []bool{false, true} {
		for _, uncertain := range []bool{false, true} {
			for _, size := range scaleSizes {
				name := fmt.Sprintf("mediated=%v/uncertain=%v/packages=%d", mediated, uncertain, size)
				b.Run(name, func(b *testing.B) {
					benchRun(b, mustCompile(b, scaleScenario(b, size, uncertain, mediated)), 20)
				})
			}
		}
	}
}

// BenchmarkScaleTable rebuilds the utility table of the scale scenario
// for new weights of the two signatories, as a run whose weights are
// drawn does, and reports ms a rebuild.
func BenchmarkScaleTable(b *testing.B) {
	for _, size := range scaleSizes {
		b.Run(fmt.Sprintf("packages=%d", size), func(b *testing.B) {
			m := mustCompile(b, scaleScenario(b, size, true, false))
			w := NewWorker(m)
			w.Run(1, 1, nil)
			rng := rand.New(rand.NewPCG(3, 4))
			var t *table
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				for _, i := range m.sig {
					for j := range w.prefs[i].Weights {
						w.prefs[i].Weights[j] = rng.Float64()
					}
				}
				t = buildTable(m.Space, w.prefs, nil, true, t, nil)
				k++
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(k), "ms/build")
		})
	}
}
