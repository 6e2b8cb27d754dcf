package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
)

// perLevelActor values one issue's levels as given, with weight 1 and a
// conflict lottery (prevail, cost).
func perLevelActor(id string, vals []float64, prevail, cost float64, strat scenarios.Strategy) scenarios.Actor {
	var vs []scenarios.Number
	for _, v := range vals {
		vs = append(vs, num(v))
	}
	return scenarios.Actor{
		ID: id, Name: id,
		Weights: []scenarios.Number{num(1)}, Values: [][]scenarios.Number{vs},
		Strategy: strat, Deadline: num(10), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
		Hawkishness: num(0), Provocation: num(0), Embarrass: num(0),
		Conflict: scenarios.Conflict{Prevail: num(prevail), Cost: num(cost)},
	}
}

// oneIssue is a scenario of one issue with the given number of levels
// (status quo: level 0) between two signatories proposing in turn.
func oneIssue(levels int, a, b scenarios.Actor) *scenarios.Scenario {
	labels := make([]string, levels)
	for l := range labels {
		labels[l] = fmt.Sprint(l)
	}
	return &scenarios.Scenario{
		ID: "one-issue", Title: "one issue", Horizon: 10,
		Issues: []scenarios.Issue{{ID: "x", Levels: labels}},
		Actors: []scenarios.Actor{a, b},
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Proposers: []int{0, 1}},
		Dynamics: quietDynamics(),
	}
}

var linear = scenarios.Strategy{Kind: scenarios.Linear, E: num(1), Reservation: num(0)}

// analyzeBoth analyses sc by enumeration and from the additive structure.
func analyzeBoth(t *testing.T, sc *scenarios.Scenario, opt AnalyzeOptions) (exact, additive *Analysis) {
	t.Helper()
	var err error
	if exact, err = Analyze(context.Background(), sc, opt); err != nil {
		t.Fatal(err)
	}
	opt.ExactLimit = 1
	if additive, err = Analyze(context.Background(), sc, opt); err != nil {
		t.Fatal(err)
	}
	if exact.Method != MethodEnumeration || additive.Method != MethodAdditive {
		t.Fatalf("methods %q and %q", exact.Method, additive.Method)
	}
	return exact, additive
}

// Nash (1950): for a one-issue split x ∈ [0,1] with u1 = x^a, u2 = 1 − x and
// nothing without agreement, the Nash bargaining solution maximises
// x^a·(1 − x), at x = a/(1 + a). On a grid of step 1/1000 the analysis must
// find it within one step, by both methods.
func TestNashOneIssueSplit(t *testing.T) {
	const steps = 1000
	for _, a := range []float64{0.25, 0.5, 1, 2, 3} {
		// Level 0 is "no split", worth 0 to both (the status quo);
		// level l ≥ 1 gives x = (l−1)/steps.
		u1, u2 := []float64{0}, []float64{0}
		for l := 0; l <= steps; l++ {
			x := float64(l) / steps
			u1, u2 = append(u1, math.Pow(x, a)), append(u2, 1-x)
		}
		sc := oneIssue(steps+2, perLevelActor("a", u1, 0, 0, linear), perLevelActor("b", u2, 0, 0, linear))
		for _, an := range func() []*Analysis { e, ad := analyzeBoth(t, sc, AnalyzeOptions{}); return []*Analysis{e, ad} }() {
			for _, as := range an.Actors {
				if as.NoDeal != 0 {
					t.Fatalf("a=%v: actor %d has value of no agreement %v, want 0", a, as.Actor, as.NoDeal)
				}
			}
			if an.Nash == nil {
				t.Fatalf("a=%v %s: no Nash point", a, an.Method)
			}
			x := float64(an.Nash.Levels[0]-1) / steps
			if want := a / (1 + a); math.Abs(x-want) > 1.0/steps {
				t.Errorf("a=%v %s: Nash point at x = %v, want %v", a, an.Method, x, want)
			}
		}
	}
}

// A reservation value given by the scenario is the value of no agreement
// analyze bargains from. For the split u1 = x, u2 = 1 − x with
// disagreement point (d1, d2), the Nash bargaining solution maximises
// (x − d1)(1 − x − d2), at x = (1 + d1 − d2)/2 (Nash 1950).
func TestAnalyzeUsesReservationValue(t *testing.T) {
	const steps = 1000
	for _, d := range [][2]float64{{0.3, 0}, {0.3, 0.2}, {0, 0.5}} {
		u1, u2 := []float64{}, []float64{}
		for l := 0; l <= steps; l++ {
			x := float64(l) / steps
			u1, u2 = append(u1, x), append(u2, 1-x)
		}
		// The status quo, level 0, gives everything to b: without the
		// reservation values a's value of no agreement would be 0 and
		// b's 1.
		sc := oneIssue(steps+1, perLevelActor("a", u1, 0, 0, linear), perLevelActor("b", u2, 0, 0, linear))
		for i := range 2 {
			sc.Actors[i].ReservationValue, sc.Actors[i].HasReservation = num(d[i]), true
		}
		exact, additive := analyzeBoth(t, sc, AnalyzeOptions{})
		for _, an := range []*Analysis{exact, additive} {
			for i, as := range an.Actors {
				if math.Abs(as.NoDeal-d[i]) > 1e-12 {
					t.Fatalf("d=%v %s: actor %d's value of no agreement %v, want its reservation value %v", d, an.Method, i, as.NoDeal, d[i])
				}
			}
			if an.Nash == nil {
				t.Fatalf("d=%v %s: no Nash point", d, an.Method)
			}
			x := float64(an.Nash.Levels[0]) / steps
			if want := (1 + d[0] - d[1]) / 2; math.Abs(x-want) > 1.0/steps {
				t.Errorf("d=%v %s: Nash point at x = %v, want %v", d, an.Method, x, want)
			}
		}
	}
}

// fearonScenario is a one-issue split: A gets x, B gets 1 − x, x on a grid of
// step 1/100, with the status quo at x = 0. If they fight, A prevails with
// chance p and imposes x = 1, B prevails otherwise (x = 0); fighting costs A
// cA and B cB. With p − cA above 0 A prefers fighting to the status quo,
// and beliefs are exact, so B knows A would strike without a deal: each
// side's value of no agreement is its conflict lottery.
func fearonScenario(p, cA, cB float64) *scenarios.Scenario {
	const steps = 100
	u1, u2 := []float64{}, []float64{}
	for l := 0; l <= steps; l++ {
		x := float64(l) / steps
		u1, u2 = append(u1, x), append(u2, 1-x)
	}
	sc := oneIssue(steps+1, perLevelActor("a", u1, p, cA, linear), perLevelActor("b", u2, 1-p, cB, linear))
	sc.Actors[0].Hawkishness, sc.Actors[0].Conflict.Strike = num(1), true
	sc.Dynamics.Tension = num(1)
	return sc
}

// Fearon (1995), "Rationalist explanations for war": with the conflict
// lottery above, A prefers x to fighting iff x > p − cA and B iff
// 1 − x > (1 − p) − cB, so the bargaining range is (p − cA, p + cB). The
// zone of possible agreement the analysis computes must be exactly the grid
// points inside it, also when a cost pushes the lottery below the worst
// package and so moves the bottom of A's [0,1] scale.
func TestFearonBargainingRange(t *testing.T) {
	for _, tc := range []struct {
		p, cA, cB      float64
		first, last, n int // hand-computed: the grid points in (p − cA, p + cB)
	}{
		{0.6, 0.125, 0.155, 48, 75, 28}, // (0.475, 0.755)
		{0.6, 0.125, 0.5, 48, 100, 53},  // (0.475, 1.1): B's lottery is below its worst package
		{0.5, 0.025, 0.035, 48, 53, 6},  // (0.475, 0.535)
	} {
		for _, an := range func() []*Analysis {
			e, ad := analyzeBoth(t, fearonScenario(tc.p, tc.cA, tc.cB), AnalyzeOptions{Frontier: true})
			return []*Analysis{e, ad}
		}() {
			var in []int
			for _, f := range an.Frontier {
				if f.InZone {
					in = append(in, f.Levels[0])
				}
			}
			if len(in) == 0 {
				t.Fatalf("p=%v cA=%v cB=%v %s: empty zone", tc.p, tc.cA, tc.cB, an.Method)
			}
			if an.Zone != tc.n || len(in) != tc.n || in[0] != tc.first || in[len(in)-1] != tc.last {
				t.Errorf("p=%v cA=%v cB=%v %s: zone of %d packages, x from %v to %v; want %d, from %v to %v",
					tc.p, tc.cA, tc.cB, an.Method, an.Zone, float64(in[0])/100, float64(in[len(in)-1])/100,
					tc.n, float64(tc.first)/100, float64(tc.last)/100)
			}
		}
	}
}

// A small discrete two-party domain worked out by hand. One issue with
// eight levels; the utilities (u_A, u_B) of each level, on [0,1] already
// (each side's worst package is worth 0, its best 1, and its conflict
// lottery 0), are
//
//	p0 (0, 0)   status quo: no agreement is worth 0 to both
//	p1 (1, 0.25)   p2 (0.8, 0.4)   p3 (0.5, 0.6)   p4 (0.3, 0.85)
//	p5 (0, 1)      p6 (0.6, 0.45)  p7 (0.8, 0.3)
//
// Frontier: p1…p6 (p0 is dominated by all, p7 by p2): 6 packages, of which
// all but p5 lie in the zone (p5 leaves A at 0, no better than no
// agreement). Zone: p1, p2, p3, p4, p6, p7: 6 packages.
//
// Nash (1950), products of gains: p1 0.25, p2 0.32, p3 0.30, p4 0.255,
// p6 0.27, p7 0.24: p2.
// Kalai–Smorodinsky (1975): the ideal point of the zone is
// (U_A, U_B) = (1, 0.85); min(u_A/1, u_B/0.85): p1 0.294, p2 0.471,
// p3 0.5, p4 0.3, p6 0.529, p7 0.353: p6. (Measured from each side's best
// package overall, (1, 1), it would be p3.)
// Utilitarian, sums: p1 1.25, p2 1.2, p3 1.1, p4 1.15, p6 1.05, p7 1.1: p1.
func TestHandWorkedDomain(t *testing.T) {
	uA := []float64{0, 1, 0.8, 0.5, 0.3, 0, 0.6, 0.8}
	uB := []float64{0, 0.25, 0.4, 0.6, 0.85, 1, 0.45, 0.3}
	sc := oneIssue(8, perLevelActor("a", uA, 0, 0, linear), perLevelActor("b", uB, 0, 0, linear))
	e, ad := analyzeBoth(t, sc, AnalyzeOptions{Frontier: true})
	for _, an := range []*Analysis{e, ad} {
		var front []int
		for _, f := range an.Frontier {
			front = append(front, f.Levels[0])
		}
		if !slices.Equal(front, []int{1, 2, 3, 4, 5, 6}) || an.FrontierSize != 6 || an.FrontierInZone != 5 {
			t.Errorf("%s: frontier %v (size %d, %d in the zone), want [1 2 3 4 5 6] with 5 in the zone", an.Method, front, an.FrontierSize, an.FrontierInZone)
		}
		if an.Zone != 6 || (an.Method == MethodEnumeration && !an.ZoneExact) {
			t.Errorf("%s: zone %d (exact %v), want 6", an.Method, an.Zone, an.ZoneExact)
		}
		for _, s := range []struct {
			name string
			p    *Point
			want int
		}{{"Nash", an.Nash, 2}, {"Kalai-Smorodinsky", an.KalaiSmorodinsky, 6}, {"utilitarian", an.Utilitarian, 1}} {
			if s.p == nil || s.p.Levels[0] != s.want {
				t.Errorf("%s: %s solution %+v, want p%d", an.Method, s.name, s.p, s.want)
			}
		}
		if a := an.Actors[0]; a.Ideal.Levels[0] != 1 || a.NoDeal != 0 {
			t.Errorf("%s: A's ideal p%d, no agreement %v; want p1 and 0", an.Method, a.Ideal.Levels[0], a.NoDeal)
		}
	}
}

// Faratin, Sierra and Jennings (1998): a time-dependent negotiator asks at
// turn t of H for a(t) = F + (1 − F)(1 − ((t−1)/(H−1))^(1/e)), with F its
// floor (here its reservation 0.2: nothing is worth more without a deal and
// it is not hawkish). The engine's trace records each proposer's
// aspiration; checked against values computed by hand at H = 11:
//
//	turn 1: 1;  turn 6 (half time): linear 0.2 + 0.8·0.5 = 0.6,
//	Boulware e = 0.5: 0.2 + 0.8·(1 − 0.5²) = 0.8,
//	conceder e = 2: 0.2 + 0.8·(1 − √0.5) = 0.434314575...;  turn 11: 0.2.
//
// (actors.TestTimeDependentHandValues checks the formula itself.)
func TestFaratinAspirationInEngine(t *testing.T) {
	for _, tc := range []struct {
		kind     string
		e, half  float64
		resOther float64
	}{
		{scenarios.Linear, 1, 0.6, 0.99},
		{scenarios.Boulware, 0.5, 0.8, 0.99},
		{scenarios.Conceder, 2, 0.2 + 0.8*(1-math.Sqrt(0.5)), 0.99},
	} {
		sc := splitScenario(tc.kind, tc.e, num(0.2), num(tc.resOther), 11)
		// The other side never concedes below 0.99: no deal ends the run early.
		sc.Actors[1].Strategy.Kind, sc.Actors[1].Strategy.E = scenarios.Hardliner, num(0)
		sc.Actors[1].Strategy.Demand = num(0.99)
		m, err := Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		var tr Trace
		NewWorker(m).Run(1, 1, &tr)
		want := map[int]float64{1: 1, 6: tc.half, 11: 0.2}
		for _, s := range tr.Steps {
			if (s.Kind != StepResponse && s.Kind != StepProposal) || s.Actor != 0 {
				continue
			}
			if w, ok := want[s.Turn]; ok {
				if math.Abs(s.Aspiration-w) > 1e-12 {
					t.Errorf("%s e=%v: turn %d aspiration %v, want %v", tc.kind, tc.e, s.Turn, s.Aspiration, w)
				}
				delete(want, s.Turn)
			}
		}
		if len(want) > 0 {
			t.Errorf("%s: no proposal or response by actor a at turns %v", tc.kind, want)
		}
	}
}

// Two linear time-dependent negotiators over 100 turns, with overlapping
// uncertain reservations, always agree, and their agreements land on (within
// 0.05 of) the Pareto frontier of an integrative two-issue domain, where
// many packages are not on it. The frontier has packages off it to miss:
// each side cares more for a different issue.
func TestTimeDependentAgreementsNearFrontier(t *testing.T) {
	const steps = 10
	levels := make([]string, steps+1)
	more, less := make([]scenarios.Number, steps+1), make([]scenarios.Number, steps+1)
	for l := range levels {
		levels[l] = fmt.Sprint(l)
		more[l], less[l] = num(float64(l)/steps), num(1-float64(l)/steps)
	}
	strat := scenarios.Strategy{Kind: scenarios.Linear, E: num(1), Reservation: uniform(0.1, 0.4)}
	actor := func(id string, w0, w1 float64, v0, v1 []scenarios.Number) scenarios.Actor {
		return scenarios.Actor{ID: id, Name: id, Weights: []scenarios.Number{num(w0), num(w1)},
			Values: [][]scenarios.Number{v0, v1}, Strategy: strat,
			Deadline: num(100), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
			Hawkishness: num(0), Provocation: num(0), Embarrass: num(0),
			Conflict: scenarios.Conflict{Prevail: num(0.5), Cost: num(0.5)}}
	}
	sc := &scenarios.Scenario{
		ID: "integrative", Title: "integrative", Horizon: 100,
		Issues: []scenarios.Issue{{ID: "x", Levels: levels}, {ID: "y", Levels: levels}},
		Actors: []scenarios.Actor{actor("a", 0.8, 0.2, more, less), actor("b", 0.3, 0.7, less, more)},
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Proposers: []int{0, 1}},
		Dynamics: quietDynamics(),
	}
	const runs = 400
	an, err := Analyze(context.Background(), sc, AnalyzeOptions{Runs: runs, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if an.FrontierSize >= an.Packages/2 {
		t.Fatalf("frontier of %d of %d packages: the test needs packages off it", an.FrontierSize, an.Packages)
	}
	pl := an.MonteCarlo
	if pl.Runs != runs || pl.Agreements != runs || pl.ZoneEmpty != 0 {
		t.Fatalf("placement %+v: want every one of %d runs to agree", pl, runs)
	}
	if pl.FrontierDistance > 0.05 {
		t.Errorf("agreements lie %.4f from the frontier on average, want at most 0.05", pl.FrontierDistance)
	}
}

// Where agreements fall, recomputed independently for every run: the run's
// start state from its engine trace, utilities and the frontier by
// exhaustive pairwise checks over every package, the Nash point by brute
// force. The signatories are conceders, so they soon ask little and the
// mediator's compromise, tabled first, is often the deal; the mediator
// wants the last issue at its middle level where both signatories want it
// high, and leans toward itself (bias 0.5 to 1), so some agreements are off
// the signatories' frontier and the distances are not 0.
func TestPlacementMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	levels := []int{4, 3, 5, 3}
	issues := make([]scenarios.Issue, len(levels))
	for j, l := range levels {
		issues[j] = scenarios.Issue{ID: fmt.Sprint("i", j), Levels: make([]string, l)}
		for k := range l {
			issues[j].Levels[k] = fmt.Sprint(k)
		}
	}
	var acts []scenarios.Actor
	for i := range 3 {
		a := scenarios.Actor{ID: fmt.Sprint("a", i), Name: fmt.Sprint("a", i),
			Strategy: scenarios.Strategy{Kind: scenarios.Boulware, E: uniform(0.2, 0.8), Reservation: num(0)},
			Deadline: num(20), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
			Hawkishness: uniform(0, 0.5), Provocation: num(0), Embarrass: num(0),
			Conflict: scenarios.Conflict{Prevail: uniform(0.2, 0.8), Cost: uniform(0, 0.5), Strike: i == 0}}
		for j, l := range levels {
			a.Weights = append(a.Weights, uniform(0, 1)) // uncertain preferences: a table per run
			var vs []scenarios.Number
			for k := range l {
				switch {
				case j < 3:
					vs = append(vs, num(float64(r.IntN(5))/4))
				case i < 2:
					vs = append(vs, num(float64(k)/float64(l-1)))
				default:
					vs = append(vs, num(1-math.Abs(float64(k)-1)/float64(l-1)))
				}
			}
			a.Values = append(a.Values, vs)
		}
		acts = append(acts, a)
	}
	acts[2].Weights[3] = num(3)
	for i := range 2 {
		acts[i].Strategy = scenarios.Strategy{Kind: scenarios.Conceder, E: uniform(2, 5), Reservation: num(0)}
	}
	acts[1].Links = []scenarios.Link{{ID: "l", When: []scenarios.Condition{{Issue: 0, AtLeast: 2}, {Issue: 2, AtLeast: 1}}, Value: num(0.2)}}
	sc := &scenarios.Scenario{
		ID: "placement", Title: "placement", Horizon: 20, Issues: issues, Actors: acts,
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: 2, MediatorBias: uniform(0.5, 1),
			Agenda: scenarios.AgendaMediatorFirst, Proposers: []int{0, 1}},
		Dynamics: quietDynamics(),
	}
	const runs, seed = 300, 5
	an, err := Analyze(context.Background(), sc, AnalyzeOptions{Runs: runs, Seed: seed, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := Compile(sc)
	w := NewWorker(m)
	sp, n, sig := m.Space, 3, []int{0, 1}
	var want Placement
	var tr Trace
	for run := 1; run <= runs; run++ {
		rec := w.Run(seed, run, &tr)
		w.setPrefs(0)
		raw := make([]float64, sp.Size*n)
		pkg := make([]int, len(levels))
		for p := range sp.Size {
			sp.Decode(p, pkg)
			for i := range n {
				raw[p*n+i] = w.prefs[i].Raw(pkg)
			}
		}
		u := make([]float64, len(raw))
		for i := range n {
			lo, hi := math.Inf(1), math.Inf(-1)
			for p := range sp.Size {
				lo, hi = min(lo, raw[p*n+i]), max(hi, raw[p*n+i])
			}
			c := w.vals[m.actors[i].prevail]*hi + (1-w.vals[m.actors[i].prevail])*lo - w.vals[m.actors[i].cost]
			lo = min(lo, c)
			for p := range sp.Size {
				u[p*n+i] = (raw[p*n+i] - lo) / (hi - lo)
			}
		}
		d := tr.Start.NoDeal
		front := paretoFrontierExhaustive(raw, n, sp.Size, sig)
		// Ties: the larger sum of utilities, then the lower index.
		nash, best, bestSum := -1, 0.0, 0.0
		for p := range sp.Size {
			g0, g1 := u[p*n]-d[0], u[p*n+1]-d[1]
			if g0 <= 0 || g1 <= 0 {
				continue
			}
			if s := u[p*n] + u[p*n+1]; nash < 0 || g0*g1 > best || (g0*g1 == best && s > bestSum) {
				nash, best, bestSum = p, g0*g1, s
			}
		}
		if nash < 0 {
			want.ZoneEmpty++
		}
		if rec.Outcome != Agreement {
			continue
		}
		deal := sp.Encode(rec.Terms)
		dist := func(p int) float64 { return math.Hypot(u[p*n]-u[deal*n], u[p*n+1]-u[deal*n+1]) }
		want.Agreements++
		dmin := math.Inf(1)
		for _, f := range front {
			dmin = min(dmin, dist(int(f)))
		}
		if dmin == 0 {
			want.OnFrontier++
		}
		want.FrontierDistance += dmin
		if nash >= 0 {
			want.NashAgreements++
			want.NashDistance += dist(nash)
		}
	}
	want.FrontierDistance /= float64(want.Agreements)
	want.NashDistance /= float64(want.NashAgreements)
	got := an.MonteCarlo
	if got.ZoneEmpty != want.ZoneEmpty || got.Agreements != want.Agreements || got.OnFrontier != want.OnFrontier ||
		got.NashAgreements != want.NashAgreements ||
		math.Abs(got.FrontierDistance-want.FrontierDistance) > 1e-9 || math.Abs(got.NashDistance-want.NashDistance) > 1e-9 {
		t.Fatalf("placement %+v, brute force %+v", *got, want)
	}
	t.Logf("placement %+v", want)
	if want.OnFrontier == want.Agreements || want.FrontierDistance == 0 || want.Agreements < runs/4 {
		t.Fatalf("brute force %+v: the test needs many agreements, some off the frontier", want)
	}
}

// The values of no agreement and scales the analysis sets up for the start
// of a run are those the engine records in its trace (Trace.Start), run
// after run, with preferences certain (korea-2018) and uncertain.
func TestStartValuesMatchEngine(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	unc := *sc
	unc.Actors = slices.Clone(sc.Actors)
	unc.Actors[1].Weights = slices.Clone(sc.Actors[1].Weights)
	unc.Actors[1].Weights[3] = uniform(0.2, 0.6)
	for _, s := range []*scenarios.Scenario{sc, &unc} {
		m, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		an := newAnalyzer(m, AnalyzeOptions{})
		w := NewWorker(m)
		var tr Trace
		for run := 1; run <= 100; run++ {
			w.Run(9, run, &tr)
			w.setPrefs(0)
			rs, err := an.rawSpace(w.prefs, true, nil)
			if err != nil {
				t.Fatal(err)
			}
			w.startValues(rs.rawMin, rs.rawMax, rs.rawSQ)
			if !slices.Equal(w.noDeal, tr.Start.NoDeal) || !slices.Equal(rs.ideal, tr.Ideals) {
				t.Fatalf("%s run %d: no deal %v ideals %v; the engine's trace %v, %v", s.ID, run, w.noDeal, rs.ideal, tr.Start.NoDeal, tr.Ideals)
			}
		}
	}
}

// The two-actor sweep finds the frontier pairwise checks find.
func TestFrontier2MatchesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 400 {
		n := 2 + r.IntN(3)
		levels := randomLevels(r)
		sp := actors.NewSpace(levels)
		tab := buildTable(sp, randomPrefs(r, n, levels), nil, true, nil, nil)
		a := r.IntN(n)
		b := (a + 1 + r.IntN(n-1)) % n
		got := frontier2(tab.raw, n, sp.Size, a, b, nil)
		want := paretoFrontierExhaustive(tab.raw, n, sp.Size, []int{a, b})
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, actors %d %d: sweep %v, exhaustive %v", trial, a, b, got, want)
		}
	}
}

// The analysis's Nash point is what the engine's honest mediator proposes
// with no demands to meet (β = 0): the same search, the same tie-breaks.
func TestNashIsHonestMediatorsProposal(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := range 300 {
		n := 3
		levels := randomLevels(r)
		sp := actors.NewSpace(levels)
		sig := []int{0, 1}
		tab := buildTable(sp, randomPrefs(r, n, levels), nil, true, nil, nil)
		sc := make([]actors.Scale, n)
		for i := range n {
			sc[i] = actors.NewScale(tab.rawMin[i], tab.rawMax[i], tab.rawMin[i]-r.Float64()*0.2)
		}
		noDeal := []float64{r.Float64() * 0.6, r.Float64() * 0.6, 0}
		front := frontier(tab.raw, n, sp.Size, sig, nil)
		uF := normalised(tab, front, sc)
		nash, _, _, _ := solve(uF, n, sig, noDeal)
		all := allPackages(sp.Size)
		st := &stance{med: -1, noDeal: noDeal, noDealB: noDeal}
		k := mediate(normalised(tab, all, sc), n, sp.Size, nil, 0, 2, nil, false, math.Inf(-1), sig, sig, st, -1, nil, true)
		if (nash < 0) != (k < 0) || (k >= 0 && front[nash] != all[k]) {
			t.Fatalf("trial %d: Nash point %d, mediator %d", trial, nash, k)
		}
	}
}

// Linkage boxes are disjoint, cover the space, and every link holds on all
// of a box or none of it.
func TestLinkBoxes(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for trial := range 200 {
		levels := []int{1 + r.IntN(4), 1 + r.IntN(4), 1 + r.IntN(4), 1 + r.IntN(3)}
		sp := actors.NewSpace(levels)
		var links []actors.Link
		for range r.IntN(4) {
			var l actors.Link
			for j := range levels {
				if r.IntN(2) == 0 {
					l.When = append(l.When, scenarios.Condition{Issue: j, AtLeast: r.IntN(levels[j] + 1)})
				}
			}
			links = append(links, l)
		}
		boxes, err := linkBoxes(levels, links)
		if err != nil {
			t.Fatal(err)
		}
		seen := make([]int, sp.Size)
		pkg := make([]int, len(levels))
		for _, b := range boxes {
			holds := make([]bool, len(links))
			for k, l := range links {
				holds[k] = l.Holds(b.lo)
			}
			for p := range sp.Size {
				sp.Decode(p, pkg)
				inside := true
				for j := range pkg {
					inside = inside && pkg[j] >= b.lo[j] && pkg[j] < b.hi[j]
				}
				if !inside {
					continue
				}
				seen[p]++
				for k, l := range links {
					if l.Holds(pkg) != holds[k] {
						t.Fatalf("trial %d: link %d is not constant on box %v", trial, k, b)
					}
				}
			}
		}
		for p, c := range seen {
			if c != 1 {
				t.Fatalf("trial %d: package %d lies in %d boxes", trial, p, c)
			}
		}
	}
}

// randomScenario has actors with random additive preferences (and links)
// over issues with the given levels; signatories 0 and 1.
func randomScenario(r *rand.Rand, nActors int, levels []int) *scenarios.Scenario {
	issues := make([]scenarios.Issue, len(levels))
	for j, l := range levels {
		issues[j] = scenarios.Issue{ID: fmt.Sprint("i", j), Levels: make([]string, l), StatusQuo: r.IntN(l)}
		for k := range l {
			issues[j].Levels[k] = fmt.Sprint(k)
		}
	}
	var acts []scenarios.Actor
	for i := range nActors {
		a := scenarios.Actor{ID: fmt.Sprint("a", i), Name: fmt.Sprint("a", i),
			Strategy: linear, Deadline: num(10), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
			Hawkishness: num(r.Float64() * 0.5), Provocation: num(0), Embarrass: num(0),
			Conflict: scenarios.Conflict{Prevail: num(r.Float64()), Cost: num(r.Float64() * 0.5), Strike: i == 0}}
		for _, l := range levels {
			a.Weights = append(a.Weights, num(r.Float64()))
			var vs []scenarios.Number
			for range l {
				vs = append(vs, num(r.Float64()))
			}
			a.Values = append(a.Values, vs)
		}
		if i < 2 {
			a.Links = []scenarios.Link{{ID: "l", Value: num(0.3*r.Float64() - 0.1), When: []scenarios.Condition{
				{Issue: 0, AtLeast: 1 + r.IntN(levels[0]-1)}, {Issue: 2, AtLeast: 1 + r.IntN(levels[2]-1)}}}}
		}
		acts = append(acts, a)
	}
	return &scenarios.Scenario{
		ID: "random", Title: "random", Horizon: 10, Issues: issues, Actors: acts,
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Proposers: []int{0, 1}},
		Dynamics: quietDynamics(),
	}
}

// MethodAdditive against enumeration on spaces of about a million packages
// (and smaller ones): everything but the zone's size must be identical; the
// zone's size, estimated from DefaultZoneSamples packages, must lie within
// 4 standard errors of the exact count. The measured error is logged
// (go test -v -run TestAdditiveMatchesEnumeration ./sim).
func TestAdditiveMatchesEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	cases := []struct {
		actors int
		levels []int
		all    bool
	}{
		{2, []int{8, 8, 8, 8, 8, 8, 4}, false}, // 1,048,576 packages
		{3, []int{10, 10, 10, 10, 10}, true},   // 100,000, frontier over 3 actors
		{3, []int{3, 4, 5, 2, 6}, true},
		{2, []int{5, 5, 5, 5}, false},
	}
	if testenv.Quick() {
		cases = cases[2:]
	}
	for _, tc := range cases {
		sc := randomScenario(r, tc.actors, tc.levels)
		e, ad := analyzeBoth(t, sc, AnalyzeOptions{All: tc.all, Frontier: true})
		if len(e.Frontier) != len(ad.Frontier) {
			t.Fatalf("%v: frontier of %d packages, additive %d", tc.levels, len(e.Frontier), len(ad.Frontier))
		}
		for k := range e.Frontier {
			if e.Frontier[k].Package != ad.Frontier[k].Package || !slices.Equal(e.Frontier[k].Utility, ad.Frontier[k].Utility) {
				t.Fatalf("%v: frontier package %d: %+v, additive %+v", tc.levels, k, e.Frontier[k], ad.Frontier[k])
			}
		}
		if e.FrontierInZone != ad.FrontierInZone {
			t.Fatalf("%v: %d frontier packages in the zone, additive %d", tc.levels, e.FrontierInZone, ad.FrontierInZone)
		}
		for k := range e.Actors {
			x, y := e.Actors[k], ad.Actors[k]
			if x.Ideal.Package != y.Ideal.Package || x.NoDeal != y.NoDeal || x.StatusQuo != y.StatusQuo || x.Conflict != y.Conflict {
				t.Fatalf("%v: actor %+v, additive %+v", tc.levels, x, y)
			}
		}
		for _, s := range [][2]*Point{{e.Nash, ad.Nash}, {e.KalaiSmorodinsky, ad.KalaiSmorodinsky}, {e.Utilitarian, ad.Utilitarian}} {
			if (s[0] == nil) != (s[1] == nil) || (s[0] != nil && s[0].Package != s[1].Package) {
				t.Fatalf("%v: solution %+v, additive %+v", tc.levels, s[0], s[1])
			}
		}
		share := float64(e.Zone) / float64(e.Packages)
		se := math.Sqrt(share*(1-share)/float64(DefaultZoneSamples)) * float64(e.Packages)
		diff := float64(ad.Zone - e.Zone)
		t.Logf("%d packages: frontier %d, zone %d, estimate %d (error %+.3f%% of the space, %.2f standard errors)",
			e.Packages, e.FrontierSize, e.Zone, ad.Zone, 100*diff/float64(e.Packages), diff/max(se, 1))
		if !e.ZoneExact || (ad.ZoneExact && ad.Zone != e.Zone) || math.Abs(diff) > 4*se+1 {
			t.Fatalf("%v: zone %d, additive estimate %d (exact %v); standard error %.1f", tc.levels, e.Zone, ad.Zone, ad.ZoneExact, se)
		}
	}
}

// A space larger than analyze enumerates is analysed from the additive
// structure: korea-2018 with three extra issues of 16 levels that nobody
// cares about (weight 0) has 4,718,592 packages. Every package of the
// original space is copied 4,096 times with equal utilities, so the
// frontier is 4,096 times as large, the solutions are the original ones
// with the new issues at their first level, and the zone's share is the
// same. Monte Carlo runs are refused on a space larger than the engine
// numbers (another such issue of 512 levels: 2,415,919,104 packages),
// before anything is built.
func TestBeyondEngineLimit(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	small, err := Analyze(context.Background(), sc, AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	big := *sc
	big.Issues = slices.Clone(sc.Issues)
	big.Actors = slices.Clone(sc.Actors)
	for k := range 3 {
		labels := make([]string, 16)
		for l := range labels {
			labels[l] = fmt.Sprint(l)
		}
		big.Issues = append(big.Issues, scenarios.Issue{ID: fmt.Sprint("pad", k), Levels: labels})
	}
	for i := range big.Actors {
		a := &big.Actors[i]
		a.Weights = slices.Clone(a.Weights)
		a.Values = slices.Clone(a.Values)
		for range 3 {
			a.Weights = append(a.Weights, num(0))
			a.Values = append(a.Values, slices.Repeat([]scenarios.Number{num(0.5)}, 16))
		}
	}
	an, err := Analyze(context.Background(), &big, AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if an.Packages != 4_718_592 || an.Method != MethodAdditive {
		t.Fatalf("%d packages by %s", an.Packages, an.Method)
	}
	if an.FrontierSize != 4096*small.FrontierSize || an.FrontierInZone != 4096*small.FrontierInZone {
		t.Errorf("frontier %d (%d in the zone), want 4096 × %d (%d)", an.FrontierSize, an.FrontierInZone, small.FrontierSize, small.FrontierInZone)
	}
	for _, s := range [][2]*Point{{small.Nash, an.Nash}, {small.KalaiSmorodinsky, an.KalaiSmorodinsky}, {small.Utilitarian, an.Utilitarian}} {
		if !slices.Equal(append(slices.Clone(s[0].Levels), 0, 0, 0), s[1].Levels) {
			t.Errorf("solution %v, want %v padded with zeros", s[1].Levels, s[0].Levels)
		}
	}
	share := float64(small.Zone) / float64(small.Packages)
	se := math.Sqrt(share * (1 - share) / float64(DefaultZoneSamples))
	if got := float64(an.Zone) / float64(an.Packages); math.Abs(got-share) > 4*se {
		t.Errorf("zone share %v, want %v", got, share)
	}
	huge := big
	huge.Issues = append(slices.Clone(big.Issues), scenarios.Issue{ID: "pad3", Levels: make([]string, 512)})
	if _, err := Analyze(context.Background(), &huge, AnalyzeOptions{Runs: 10}); !errors.Is(err, ErrNotPlayable) {
		t.Errorf("Monte Carlo runs on a space the engine cannot number: %v", err)
	}
}

// The placement does not depend on the number of workers, and an
// interrupted batch reports the runs that finished.
func TestAnalyzeWorkersAndCancel(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	runs := 700
	if testenv.Quick() {
		runs = 300 // still five chunks of 64 runs to share out
	}
	one, err := Analyze(context.Background(), sc, AnalyzeOptions{Runs: runs, Seed: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := Analyze(context.Background(), sc, AnalyzeOptions{Runs: runs, Seed: 2, Workers: 5})
	if err != nil {
		t.Fatal(err)
	}
	if *one.MonteCarlo != *many.MonteCarlo {
		t.Fatalf("1 worker %+v, 5 workers %+v", *one.MonteCarlo, *many.MonteCarlo)
	}
	ctx, cancel := context.WithCancel(context.Background())
	an, err := Analyze(ctx, sc, AnalyzeOptions{Runs: 100000, Seed: 2, Workers: 2, Progress: func(done int) {
		if done >= 1000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || an == nil || an.MonteCarlo.Runs >= 100000 || an.MonteCarlo.Runs%64 != 0 {
		t.Fatalf("cancelled: err %v, analysis %+v", err, an)
	}
}

// BenchmarkAnalyzeMillion analyses a random space of 1,048,576 packages by
// enumeration and from the additive structure.
func BenchmarkAnalyzeMillion(b *testing.B) {
	sc := randomScenario(rand.New(rand.NewPCG(19, 20)), 3, []int{8, 8, 8, 8, 8, 8, 4})
	for _, limit := range []int{0, 1} {
		b.Run(map[int]string{0: "enumeration", 1: "additive"}[limit], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(context.Background(), sc, AnalyzeOptions{ExactLimit: limit, All: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
