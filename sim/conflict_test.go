package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// war describes a two-party crisis (Fearon 1995): A and B divide one good,
// A holding share sq of it; A may strike. In a war A prevails with chance
// p and B with 1 − p, and they pay costs cA and cB, so the packages both
// prefer to fighting are the shares in [p − cA, p + cB]: the bargaining
// range, never empty. Both are hardliners that ask for everything in talks,
// so what happens is decided by the strike rule and the ultimatum.
type war struct {
	p, cA, cB, sq float64
	hawk          float64 // A's hawkishness
	spread        float64 // both sides' belief spread
	shift         float64 // each turn B tests, moving this much of A's chance to B
}

// scenario builds the war as a parley scenario of 21 shares (0, 0.05, … 1).
func (wr war) scenario() *scenarios.Scenario {
	const steps = 20
	levels := make([]string, steps+1)
	more, less := make([]scenarios.Number, steps+1), make([]scenarios.Number, steps+1)
	for l := range levels {
		levels[l] = fmt.Sprint(l)
		more[l], less[l] = num(float64(l)/steps), num(1-float64(l)/steps)
	}
	actor := func(id string, vals []scenarios.Number, prevail, cost float64, strike bool, hawk float64) scenarios.Actor {
		return scenarios.Actor{
			ID: id, Name: id,
			Weights: []scenarios.Number{num(1)}, Values: [][]scenarios.Number{vals},
			Strategy: scenarios.Strategy{Kind: scenarios.Hardliner, Demand: num(1), Reservation: num(0)},
			Deadline: num(3), HasDeadline: true, Discount: num(0.9), TalkValue: num(-0.01),
			Hawkishness: num(hawk), Provocation: num(1), Embarrass: num(0),
			Conflict: scenarios.Conflict{Prevail: num(prevail), Cost: num(cost), Strike: strike,
				Spread: num(wr.spread), Pretext: num(0)},
		}
	}
	sc := &scenarios.Scenario{
		ID: "war", Title: "war", Horizon: 24,
		Issues: []scenarios.Issue{{ID: "x", Levels: levels, StatusQuo: int(math.Round(wr.sq * steps)), IrreversibleFrom: -1}},
		Actors: []scenarios.Actor{
			actor("a", more, wr.p, wr.cA, true, wr.hawk),
			actor("b", less, 1-wr.p, wr.cB, false, 0),
		},
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Agenda: scenarios.AgendaProposerFirst, Proposers: []int{0, 1}},
		Dynamics: quietDynamics(),
	}
	if wr.shift > 0 {
		sc.Events = []scenarios.Event{{ID: "test", Label: "test", Kind: scenarios.KindProvocation, By: 1, HostedBy: -1,
			Chance: num(1), Effects: scenarios.Effects{Tension: num(0), Trust: num(0),
				Prevail: []scenarios.Influence{{Target: 0, Amount: num(-wr.shift)}, {Target: 1, Amount: num(wr.shift)}}}}}
	}
	return sc
}

// conflicts plays runs of the war and counts the runs that end in a strike.
func (wr war) conflicts(t *testing.T, runs int) int {
	t.Helper()
	w := NewWorker(mustCompile(t, wr.scenario()))
	c := 0
	for run := 1; run <= runs; run++ {
		if w.Run(17, run, nil).Outcome == Conflict {
			c++
		}
	}
	return c
}

// Fearon's result: with every belief exact, no shifting power and a
// bargaining range that is never empty, no war is fought whatever the
// striker's hawkishness: it demands the most the other side would take
// rather than fight, and the other side takes it.
func TestExactBeliefsNoWar(t *testing.T) {
	for _, hawk := range []float64{0, 0.5, 1} {
		for _, sq := range []float64{0, 0.2, 0.45} {
			wr := war{p: 0.6, cA: 0.1, cB: 0.1, sq: sq, hawk: hawk}
			w := NewWorker(mustCompile(t, wr.scenario()))
			ultimatums := 0
			for run := 1; run <= 200; run++ {
				var tr Trace
				if r := w.Run(3, run, &tr); r.Outcome == Conflict {
					t.Fatalf("hawkishness %v, status quo %v, run %d: a war with exact beliefs", hawk, sq, run)
				}
				for _, s := range tr.Steps {
					if s.Kind == StepUltimatum {
						ultimatums++
					}
				}
			}
			// The status quo gives A less than war would: A must have
			// demanded more, or the test shows nothing.
			if ultimatums == 0 {
				t.Fatalf("hawkishness %v, status quo %v: no ultimatum in 200 runs; the test checks nothing", hawk, sq)
			}
		}
	}
}

// War comes from private information (Fearon 1995): conflict rises with
// how far the two sides' beliefs may stray from the truth.
func TestConflictRisesWithBeliefSpread(t *testing.T) {
	prev := -1
	var got []int
	for _, s := range []float64{0, 0.1, 0.2, 0.4} {
		c := war{p: 0.6, cA: 0.1, cB: 0.1, sq: 0.3, hawk: 0.5, spread: s}.conflicts(t, 1500)
		got = append(got, c)
		if c < prev {
			t.Fatalf("spread %v: %d conflicts, fewer than %d at the smaller spread (%v)", s, c, prev, got)
		}
		prev = c
	}
	if got[0] != 0 || got[len(got)-1] < 50 {
		t.Fatalf("conflicts by spread %v: want none at spread 0 and a clear share at the largest", got)
	}
}

// War comes from shifting power (Fearon 1995; Powell 2006): with exact
// beliefs, a striker whose chance of prevailing falls each turn strikes
// before it falls further once what it would lose by waiting outgrows the
// bargaining range, and conflict rises with the speed of the shift.
func TestConflictRisesWithPowerShift(t *testing.T) {
	prev := -1
	var got []int
	for _, shift := range []float64{0, 0.002, 0.01, 0.05} {
		c := war{p: 0.6, cA: 0.1, cB: 0.1, sq: 0.3, hawk: 0.5, shift: shift}.conflicts(t, 300)
		got = append(got, c)
		if c < prev {
			t.Fatalf("shift %v: %d conflicts, fewer than %d at the slower shift (%v)", shift, c, prev, got)
		}
		prev = c
	}
	if got[0] != 0 || got[len(got)-1] == 0 {
		t.Fatalf("conflicts by speed of the power shift %v: want none without a shift, some with the fastest", got)
	}
}

// Conflict falls as the striker's cost of fighting rises.
func TestConflictFallsWithStrikersCost(t *testing.T) {
	prev := math.MaxInt
	var got []int
	for _, c := range []float64{0.05, 0.1, 0.2, 0.4} {
		n := war{p: 0.6, cA: c, cB: 0.1, sq: 0.3, hawk: 0.5, spread: 0.3}.conflicts(t, 1500)
		got = append(got, n)
		if n > prev {
			t.Fatalf("cost %v: %d conflicts, more than %d at the lower cost (%v)", c, n, prev, got)
		}
		prev = n
	}
	if got[0] <= got[len(got)-1] {
		t.Fatalf("conflicts by the striker's cost %v: want fewer at the highest cost than at the lowest", got)
	}
}

// StrikeChance is the exact probability of its event: checked against a
// fine grid over the two uniform errors, including where the chance of
// prevailing is clamped and where the believed cost reaches zero.
func TestStrikeChanceExact(t *testing.T) {
	for _, tc := range []struct{ p, c, s, h, span, keep, margin float64 }{
		{0.6, 0.3, 0.1, 0.5, 1, 1, 0.25},
		{0.9, 0.5, 0.3, 1, 1.2, 0.6, 0.6},   // the believed chance clamped at 1
		{0.1, 0.8, 0.5, 0, 1, 1, -0.5},      // clamped at 0
		{0.5, 0.4, 0.5, 1, 1, 1, 0.3},       // the believed cost down to 0 at the edge
		{0.5, 0.2, 0, 0.7, 1, 1, 0.2},       // exact beliefs: 0 or 1
		{0.3, 0.2, 0.2, 0.2, 0.8, 0.5, 0.9}, // never
	} {
		const g = 2000
		hits := 0
		for i := range g {
			for j := range g {
				b := actors.Belief{Spread: tc.s, ErrPrevail: -1 + (float64(i)+0.5)*2/g, ErrCost: -1 + (float64(j)+0.5)*2/g}
				if b.Prevail(tc.p, tc.h)*tc.span-b.Cost(tc.c, tc.h)*tc.keep > tc.margin {
					hits++
				}
			}
		}
		want := float64(hits) / (g * g)
		if got := actors.StrikeChance(tc.p, tc.c, tc.s, tc.h, tc.span, tc.keep, tc.margin); math.Abs(got-want) > 2e-3 {
			t.Errorf("%+v: StrikeChance %.5f, grid %.5f", tc, got, want)
		}
	}
}
