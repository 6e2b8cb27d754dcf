package sim

import (
	"flag"
	"math"
	"slices"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

var updateOff = flag.Bool("update-features-off", false, "rewrite testdata/model-2.json and model-3.json after a change of the random streams")

// featuresOff is a built-in scenario with the later models' features
// switched off: no misperception (model 2's rules) when beliefs is false,
// and no steps (model 3's rules).
func featuresOff(t *testing.T, name string, beliefs bool) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !beliefs {
		for i := range sc.Actors {
			sc.Actors[i].Misperception = scenarios.Const(0)
		}
	}
	sc.Protocol.PartialDeals = false
	return sc
}

// checkFeaturesOff compares the records of every built-in, with the
// features after model version (2 or 3) off, with path's digests.
func checkFeaturesOff(t *testing.T, path string, version int) {
	t.Helper()
	got := modelGolden{Version: version, RecordedAt: ModelVersion, Digests: map[string]string{}}
	for _, b := range scenarios.Builtins() {
		got.Digests[b.Name] = recordsDigest(t, featuresOff(t, b.Name, version >= 3), 50)
	}
	var want modelGolden
	golden(t, path, *updateOff, got, &want)
	if want.Version != version {
		t.Fatalf("%s records model %d", path, want.Version)
	}
	for name, d := range got.Digests {
		if d != want.Digests[name] {
			t.Errorf("%s with the features after model %d off: digest %s, %s gives %s (recorded at model %d)", name, version, d, path, want.Digests[name], want.RecordedAt)
		}
	}
}

// With no misperception anywhere and no steps, every built-in gives the
// records of model 2, the model before beliefs (testdata/model-2.json):
// the hypotheses have a generator of their own and nothing else reads
// them. The digests were recorded by model 2 itself until model 5 gave
// every purpose its own random stream (streams.go), which changed every
// draw; they were then recorded again at model 5, after
// TestStreamsKeepTheDistributions had found the outcome shares unchanged.
func TestNoMisperceptionIsModel2(t *testing.T) {
	checkFeaturesOff(t, "testdata/model-2.json", 2)
}

// With partial deals switched off, every built-in gives model 3's records
// (testdata/model-3.json, the digests before step-by-step deals, recorded
// again at model 5 as model-2.json was), the cost of steps included: a
// draw, a rule or a trust change added for steps would change them.
func TestNoStepsIsModel3(t *testing.T) {
	steps := 0
	for _, b := range scenarios.Builtins() {
		if mustLoad(b.Name).Protocol.PartialDeals {
			steps++
		}
	}
	if steps == 0 {
		t.Error("no built-in scenario allows steps: the test checks nothing")
	}
	checkFeaturesOff(t, "testdata/model-3.json", 3)
}

// negotiationDomain is a generic bilateral multi-issue domain of the
// automated-negotiation literature: issues of levels levels each (and a
// level "none", the status quo, worth nothing to either) that the two
// signatories pull opposite ways (a wants the last level, b the
// first), each weighting them differently (a the first issues most, b the
// last), so that trading issues pays; time-dependent concession strategies
// with deadlines at the horizon and no breakdowns or strikes. Both
// misperceive the other's weights by s.
func negotiationDomain(issues, levels, horizon int, s float64, learning bool) *scenarios.Scenario {
	var iss []scenarios.Issue
	for k := range issues {
		ls := []string{"none"} // the status quo: nothing agreed, worth 0 to both
		for l := range levels {
			ls = append(ls, string(rune('a'+l)))
		}
		iss = append(iss, scenarios.Issue{ID: string(rune('p' + k)), Levels: ls, StatusQuo: 0, IrreversibleFrom: -1})
	}
	actor := func(id string, more bool) scenarios.Actor {
		a := scenarios.Actor{
			ID: id, Name: id,
			Strategy: scenarios.Strategy{Kind: scenarios.Boulware, E: num(0.3), Reservation: num(0), Demand: num(1)},
			Deadline: num(float64(horizon)), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
			Hawkishness: num(0), Provocation: num(0), Embarrass: num(0), Misperception: num(s),
			Conflict: scenarios.Conflict{Prevail: num(0), Cost: num(0), Spread: num(0), Pretext: num(0)},
		}
		for k := range issues {
			wk := float64(issues - k)
			if !more {
				wk = float64(k + 1)
			}
			a.Weights = append(a.Weights, num(wk*wk))
			vs := []scenarios.Number{num(0)}
			for l := range levels {
				x := float64(l) / float64(levels-1)
				if !more {
					x = 1 - x
				}
				vs = append(vs, num(x))
			}
			a.Values = append(a.Values, vs)
		}
		return a
	}
	return &scenarios.Scenario{
		ID: "domain", Title: "domain", Horizon: horizon, Issues: iss,
		Actors: []scenarios.Actor{actor("a", true), actor("b", false)},
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Proposers: []int{0, 1}, Learning: learning},
		Dynamics: quietDynamics(),
	}
}

// pearson is the Pearson correlation of x and y, the measure of how well
// estimated issue weights match the true ones that Baarslag et al. (2016,
// "Learning about the opponent in automated bilateral negotiation") use.
func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/float64(len(x)), my/float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// beliefsByOffer plays runs of sc and returns, over the runs in which
// both proposers make at least offers offers, the mean correlation of each
// offer's believed weights with the other signatory's true ones (first
// offer first); and whether some proposer's beliefs changed within a run.
func beliefsByOffer(t *testing.T, sc *scenarios.Scenario, runs, offers int) (corr []float64, moved bool, used int) {
	t.Helper()
	m := mustCompile(t, sc)
	w := NewWorker(m)
	corr = make([]float64, offers)
	for run := 1; run <= runs; run++ {
		var tr Trace
		w.Run(7, run, &tr)
		byActor := map[int][]Believed{}
		for _, b := range tr.Believed {
			byActor[b.Actor] = append(byActor[b.Actor], b)
		}
		for _, bs := range byActor {
			for _, b := range bs[1:] {
				if !slices.EqualFunc(b.Weights, bs[0].Weights, slices.Equal) {
					moved = true
				}
			}
		}
		if len(byActor[0]) < offers || len(byActor[1]) < offers {
			continue
		}
		used++
		for a, bs := range byActor {
			other := 1 - a
			for k := range offers {
				corr[k] += pearson(bs[k].Weights[other], w.prefs[other].Weights) / 2
			}
		}
	}
	for k := range corr {
		corr[k] /= float64(used)
	}
	return corr, moved, used
}

// Learning works: over a proposer's offers its believed weights of the
// other side correlate better and better with the true ones; without
// learning they stay as drawn.
func TestLearningFromOffersAndRefusals(t *testing.T) {
	const runs, offers = 300, 16
	learn, moved, used := beliefsByOffer(t, negotiationDomain(5, 4, 60, 1, true), runs, offers)
	t.Logf("mean correlation of believed and true weights by offer over %d runs, learning: %.3f", used, learn)
	if used < runs/3 {
		t.Fatalf("only %d of %d runs reach %d offers each", used, runs, offers)
	}
	if !moved || !(learn[offers-1] > learn[0]+0.1) {
		t.Errorf("learning: correlation %.3f at the first offer, %.3f at offer %d; want a rise of more than 0.1", learn[0], learn[offers-1], offers)
	}
	fixed, moved, used := beliefsByOffer(t, negotiationDomain(5, 4, 60, 1, false), runs, offers)
	t.Logf("without learning, over %d runs: %.3f", used, fixed)
	if moved {
		t.Error("without learning, a proposer's beliefs moved within a run")
	}
}

// frontierGaps plays runs of sc and returns each agreement's signing turn
// and its distance, in the signatories' true utilities, from the nearest
// package of their Pareto frontier.
func frontierGaps(t *testing.T, sc *scenarios.Scenario, runs int) (turns []int, gaps []float64) {
	t.Helper()
	m := mustCompile(t, sc)
	w := NewWorker(m)
	n := len(m.actors)
	for run := 1; run <= runs; run++ {
		rec := w.Run(7, run, nil)
		if rec.Outcome != Agreement {
			continue
		}
		front := frontier(w.tab.raw, n, m.Space.Size, m.sig, nil)
		best := math.Inf(1)
		for _, p := range front {
			d := 0.0
			for _, j := range m.sig {
				x := w.uAll[int(p)*n+j] - rec.Utility[j]
				d += x * x
			}
			best = min(best, math.Sqrt(d))
		}
		turns, gaps = append(turns, rec.EndTurn), append(gaps, best)
	}
	return turns, gaps
}

// learningDomain is the generic bilateral domain of the learning tests,
// five issues of four levels, misperception 1 on both sides, with
// deadlines drawn from 10 to 60 to spread the signing turns.
func learningDomain(learning bool) *scenarios.Scenario {
	sc := negotiationDomain(5, 4, 60, 1, learning)
	for i := range sc.Actors {
		d := uniform(10, 60)
		d.Min, d.Max = 1, 60
		sc.Actors[i].Deadline = d
	}
	return sc
}

// Agreements lie closer to the Pareto frontier with learning than
// without. (That later agreements lie closer than earlier ones is
// TestLaterDealsCloserToTheFrontier, which needs thousands of runs.)
func TestLearningMovesDealsTowardTheFrontier(t *testing.T) {
	const runs = 400
	_, gaps := frontierGaps(t, learningDomain(true), runs)
	_, fixed := frontierGaps(t, learningDomain(false), runs)
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	t.Logf("%d agreements with learning, mean distance to the frontier %.4f; %d without, %.4f", len(gaps), mean(gaps), len(fixed), mean(fixed))
	if len(gaps) < runs/2 || len(fixed) < runs/2 {
		t.Fatalf("%d and %d agreements in %d runs: too few to compare", len(gaps), len(fixed), runs)
	}
	if !(mean(gaps) < mean(fixed)) {
		t.Errorf("agreements with learning are no closer to the frontier: %.4f, without %.4f", mean(gaps), mean(fixed))
	}
}

// A trace changes nothing: with actors that misperceive and learn, a run
// traced gives the record of the same run untraced (the mediator's
// compromise is tabled, and heard, whether or not a trace is kept).
func TestTracedRunWithBeliefsMatches(t *testing.T) {
	tracedMatches(t, loadKorea(t), 5, 200, func(run int, tr *Trace) {
		if len(tr.Believed) == 0 {
			t.Fatalf("run %d: no beliefs recorded for korea-2018's misperceiving proposers", run)
		}
	})
}
