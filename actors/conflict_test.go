package actors

import (
	"math"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// Beliefs stay within their bounds: the random part of an error is at most
// one spread, hawkishness tilts toward optimism by at most one spread more,
// and with spread 0 the truth is known whatever the hawkishness.
func TestBeliefBounds(t *testing.T) {
	for _, e := range []float64{-1, -0.3, 0, 0.7, 1} {
		for _, h := range []float64{0, 0.5, 1} {
			b := Belief{Spread: 0.2, ErrPrevail: e, ErrCost: e, ErrResolve: e}
			if p := b.Prevail(0.5, h); p < 0.5-0.2-1e-12 || p > 0.5+0.4+1e-12 {
				t.Errorf("err %v hawk %v: believed chance %v outside [0.3, 0.9]", e, h, p)
			}
			if c := b.Cost(1, h); c < 1-0.4-1e-12 || c > 1+0.2+1e-12 {
				t.Errorf("err %v hawk %v: believed cost %v outside [0.6, 1.2]", e, h, c)
			}
			exact := Belief{ErrPrevail: e, ErrCost: e, ErrResolve: e}
			if exact.Prevail(0.5, h) != 0.5 || exact.Cost(1, h) != 1 || exact.Resolve(1, h) != 1 {
				t.Errorf("spread 0, err %v, hawk %v: beliefs differ from the truth", e, h)
			}
		}
	}
	b := Belief{Spread: 0.3, ErrPrevail: 0.8, ErrCost: -0.5}
	b.RevealCapability()
	b.RevealResolve()
	if b.Prevail(0.5, 0.5) != 0.5+0.3*0.5 || b.Cost(1, 0.5) != 1-0.3*0.5 {
		t.Errorf("after both reveals only the hawkish tilt may remain: %v, %v", b.Prevail(0.5, 0.5), b.Cost(1, 0.5))
	}
}

// BreaksDeal on hand-computed values: the one turn's gain against what is
// lost from then on.
func TestBreaksDeal(t *testing.T) {
	for _, tc := range []struct {
		deal, cheat, noDeal, enf, trust, delta float64
		want                                   bool
	}{
		// gain (1−0.9)·(0.8−0.6) = 0.02; stake 0.9·(0.5·(0.6−0.4)) = 0.09: keep.
		{0.6, 0.8, 0.4, 0, 0.5, 0.9, false},
		// no future: any gain breaks it.
		{0.6, 0.61, 0.4, 0, 1, 0, true},
		// no gain: never broken.
		{0.6, 0.6, 0.59, 0, 0, 0.5, false},
		// gain 0.5·0.4 = 0.2; stake 0.5·(0.2·0.1) = 0.01: broken ...
		{0.5, 0.9, 0.4, 0, 0.2, 0.5, true},
		// ... unless the mediator's enforcement (0.4) raises the stake to 0.21.
		{0.5, 0.9, 0.4, 0.4, 0.2, 0.5, false},
		// a deal worth less than what stands after its collapse is broken.
		{0.5, 0.5, 0.7, 0, 0.9, 0.95, true},
	} {
		if got := BreaksDeal(tc.deal, tc.cheat, tc.noDeal, tc.enf, tc.trust, tc.delta); got != tc.want {
			keep, brk := DealValues(tc.deal, tc.cheat, tc.noDeal, tc.enf, tc.trust, tc.delta)
			t.Errorf("%+v: breaks %v (keep %.4f, break %.4f), want %v", tc, got, keep, brk, tc.want)
		}
	}
}

// Powell's (2006) condition in this model's terms: the loss from waiting is
// the per-turn drift summed with discounting, δ/(1 − δ) of it, capped by
// what there is to lose.
func TestPreventive(t *testing.T) {
	if got := Preventive(0.01, 0.9, 1); math.Abs(got-0.09) > 1e-12 {
		t.Errorf("drift 0.01, δ 0.9: %v, want 0.09", got)
	}
	if got := Preventive(0.1, 0.99, 0.5); got != 0.5 {
		t.Errorf("capped: %v, want 0.5", got)
	}
	if Preventive(0, 0.9, 1) != 0 || Preventive(-0.1, 0.9, 1) != 0 {
		t.Error("no shift, or a shift in one's favour, costs nothing to wait for")
	}
}

func TestReturnChanceAndTalkValue(t *testing.T) {
	if got := ReturnChance(0.2, 0.5, 0.4); math.Abs(got-0.25) > 1e-12 {
		t.Errorf("pull 0.1 against tension 0.4: %v, want 0.25", got)
	}
	if ReturnChance(0.5, 1, 0.1) != 1 || ReturnChance(0, 1, 0.5) != 0 || ReturnChance(0.1, 0.5, 0) != 1 {
		t.Error("ReturnChance bounds")
	}
	if got := TalkValue(0.02, 0.6, 0.5); math.Abs(got-(0.02-0.3)) > 1e-12 {
		t.Errorf("TalkValue %v, want -0.28", got)
	}
}

// A link with unless pays when its when conditions hold and not all of its
// unless conditions do: "dismantlement only with guarantees".
func TestLinkUnless(t *testing.T) {
	l := Link{
		When:   []scenarios.Condition{{Issue: 0, AtLeast: 2}},
		Unless: []scenarios.Condition{{Issue: 1, AtLeast: 1}, {Issue: 2, AtLeast: 1}},
	}
	for _, tc := range []struct {
		pkg  []int
		want bool
	}{
		{[]int{1, 1, 1}, false}, // when fails
		{[]int{2, 0, 0}, true},  // no guarantee
		{[]int{3, 1, 0}, true},  // half a guarantee
		{[]int{2, 1, 1}, false}, // the guarantee
		{[]int{3, 2, 2}, false}, // beyond it
	} {
		if got := l.Holds(tc.pkg); got != tc.want {
			t.Errorf("%v: holds %v, want %v", tc.pkg, got, tc.want)
		}
	}
}
