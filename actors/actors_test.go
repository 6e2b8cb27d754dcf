package actors

import (
	"math"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// The time-dependent aspiration of Faratin, Sierra and Jennings (1998),
// a(t) = r + (1−r)(1 − (t/T)^(1/e)), against values computed by hand.
func TestTimeDependentHandValues(t *testing.T) {
	for _, tc := range []struct{ t, T, e, r, want float64 }{
		{0, 10, 1, 0.2, 1},                                // starts at the best
		{10, 10, 0.3, 0.2, 0.2},                           // ends at the reservation
		{5, 10, 1, 0, 0.5},                                // linear: half way at half time
		{5, 10, 1, 0.4, 0.7},                              // 0.4 + 0.6·0.5
		{5, 10, 0.5, 0, 0.75},                             // Boulware e=½: 1 − 0.5² = 0.75
		{5, 10, 2, 0, 1 - math.Sqrt(0.5)},                 // conceder e=2: 1 − 0.5^½ ≈ 0.2929
		{2, 10, 0.2, 0.3, 0.3 + 0.7*(1-math.Pow(0.2, 5))}, // 0.3 + 0.7·(1 − 0.2⁵) = 0.999776
		{8, 10, 0.2, 0.3, 0.3 + 0.7*(1-math.Pow(0.8, 5))}, // 0.3 + 0.7·(1 − 0.8⁵) = 0.770624
	} {
		if got := TimeDependent(tc.t, tc.T, tc.e, tc.r); !near(got, tc.want) {
			t.Errorf("TimeDependent(t=%v, T=%v, e=%v, r=%v) = %v, want %v", tc.t, tc.T, tc.e, tc.r, got, tc.want)
		}
	}
	// Boulware concedes later than linear, linear later than conceder.
	b, l, c := TimeDependent(5, 10, 0.3, 0), TimeDependent(5, 10, 1, 0), TimeDependent(5, 10, 3, 0)
	if !(b > l && l > c) {
		t.Errorf("at half time: boulware %v, linear %v, conceder %v; want decreasing", b, l, c)
	}
}

func TestAspirationFloors(t *testing.T) {
	s := Strategy{Kind: scenarios.Linear, E: 1}
	s.Reset(2)
	v := View{Turn: 11, Deadline: 11, NoDeal: 0.4}
	if a := s.Aspiration(v); !near(a, 0.4) {
		t.Errorf("at its deadline asks %v, want its no-deal value 0.4", a)
	}
	v.Turn = 20
	if a := s.Aspiration(v); !near(a, 0.4) {
		t.Errorf("past its deadline asks %v, want its no-deal value 0.4", a)
	}
	s.Reservation = 0.6
	if a := s.Aspiration(v); !near(a, 0.6) {
		t.Errorf("reservation above no deal: asks %v, want 0.6", a)
	}
	h := Strategy{Kind: scenarios.Hardliner, Demand: 0.9}
	h.Reset(2)
	if a := h.Aspiration(View{Turn: 11, Deadline: 11, NoDeal: 0.2}); !near(a, 0.9) {
		t.Errorf("hardliner asks %v at the deadline, want its demand 0.9", a)
	}
}

// A time-dependent strategy concedes toward its own deadline, not the
// simulation's horizon: half way to a deadline of 21 a linear negotiator
// with floor 0 asks 0.5, and one with no deadline never concedes.
func TestAspirationOwnDeadline(t *testing.T) {
	s := Strategy{Kind: scenarios.Linear, E: 1}
	s.Reset(2)
	if a := s.Aspiration(View{Turn: 11, Deadline: 21}); !near(a, 0.5) {
		t.Errorf("half way to its deadline asks %v, want 0.5", a)
	}
	if a := s.Aspiration(View{Turn: 11, Deadline: math.Inf(1)}); !near(a, 1) {
		t.Errorf("with no deadline asks %v, want 1", a)
	}
}

// A tit-for-tat actor returns each counterpart's concession, and tracks
// counterparts separately.
func TestTitForTat(t *testing.T) {
	s := Strategy{Kind: scenarios.TitForTat}
	s.Reset(3)
	v := View{Turn: 2, Deadline: 10}
	s.Observe(1, 0.3)
	if a := s.Aspiration(v); !near(a, 1) {
		t.Fatalf("first offer changed the aspiration to %v", a)
	}
	s.Observe(1, 0.45) // actor 1 concedes 0.15
	if a := s.Aspiration(v); !near(a, 0.85) {
		t.Fatalf("after a concession of 0.15: %v, want 0.85", a)
	}
	s.Observe(2, 0.1) // a first offer from actor 2 is no retraction
	if a := s.Aspiration(v); !near(a, 0.85) {
		t.Fatalf("another counterpart's first offer moved the aspiration to %v", a)
	}
	s.Observe(1, 0.4) // actor 1 retracts 0.05
	if a := s.Aspiration(v); !near(a, 0.9) {
		t.Fatalf("after a retraction of 0.05: %v, want 0.9", a)
	}
	v.NoDeal = 0.95
	if a := s.Aspiration(v); !near(a, 0.95) {
		t.Fatalf("aspiration %v below the value of no agreement 0.95", a)
	}
}

// A staller holds out and asks for its talk value while the talks are
// safe, and concedes to its floor when a walk-out looms.
func TestStaller(t *testing.T) {
	s := Strategy{Kind: scenarios.Staller, TalkValue: 0.1}
	s.Reset(2)
	safe := View{Turn: 5, Deadline: 10, NoDeal: 0.3}
	if a := s.Aspiration(safe); a != 1 {
		t.Errorf("safe talks: asks %v, want 1", a)
	}
	if s.Accepts(0.35, 0.3, safe) {
		t.Error("accepted 0.35 while safe, below no deal + talk value 0.4")
	}
	risky := safe
	risky.WalkOutLooms = true
	a := s.Aspiration(risky)
	if !near(a, 0.3) || !s.Accepts(0.35, a, risky) {
		t.Errorf("a walk-out looms: asks %v and refuses 0.35; want to concede to 0.3", a)
	}
}

func TestAcceptsNeverBelowNoDeal(t *testing.T) {
	for _, kind := range []string{scenarios.Boulware, scenarios.Linear, scenarios.Conceder, scenarios.TitForTat, scenarios.Hardliner, scenarios.Staller} {
		s := Strategy{Kind: kind, E: 1}
		s.Reset(1)
		v := View{Turn: 10, Deadline: 10, NoDeal: 0.5, WalkOutLooms: true}
		if s.Accepts(0.49, 0, v) {
			t.Errorf("%s accepts 0.49 with no deal worth 0.5", kind)
		}
	}
}

func TestRawUtilityAndLinks(t *testing.T) {
	p := Prefs{
		Weights: []float64{3, 1},
		Values:  [][]float64{{0, 0.5, 1}, {1, 0}},
		Links:   []Link{{When: []scenarios.Condition{{Issue: 0, AtLeast: 1}, {Issue: 1, AtLeast: 1}}, Value: -0.2}},
	}
	NormaliseWeights(p.Weights)
	if !near(p.Weights[0], 0.75) || !near(p.Weights[1], 0.25) {
		t.Fatalf("weights %v, want [0.75 0.25]", p.Weights)
	}
	for _, tc := range []struct {
		pkg  []int
		want float64
	}{
		{[]int{0, 0}, 0.25},
		{[]int{2, 0}, 1},
		{[]int{1, 1}, 0.375 - 0.2}, // the link holds: both issues moved
		{[]int{2, 1}, 0.75 - 0.2},
	} {
		if got := p.Raw(tc.pkg); !near(got, tc.want) {
			t.Errorf("Raw(%v) = %v, want %v", tc.pkg, got, tc.want)
		}
	}
}

// The conflict lottery and the [0,1] scale: for a split of one good worth
// x to A, Fearon's (1995) A accepts x ≥ p − c_A.
func TestConflictScale(t *testing.T) {
	w := ConflictValue(0, 1, 0.6, 0.1)
	if !near(w, 0.5) {
		t.Fatalf("ConflictValue = %v, want 0.6 − 0.1 = 0.5", w)
	}
	s := NewScale(0, 1, w)
	if !near(s.U(1), 1) || !near(s.U(0), 0) || !near(s.U(w), 0.5) {
		t.Fatalf("scale maps best, worst, conflict to %v %v %v", s.U(1), s.U(0), s.U(w))
	}
	// A costly lottery worse than the worst package becomes the 0 of the scale.
	w = ConflictValue(0.2, 1, 0.1, 0.5)
	s = NewScale(0.2, 1, w)
	if !near(s.U(w), 0) || s.U(0.2) <= 0 || !near(s.U(1), 1) {
		t.Fatalf("conflict %v maps to %v, worst package to %v", w, s.U(w), s.U(0.2))
	}
}

func TestSpaceRoundTrip(t *testing.T) {
	sp := NewSpace([]int{4, 3, 2})
	if sp.Size != 24 {
		t.Fatalf("size %d", sp.Size)
	}
	pkg := make([]int, 3)
	for i := range sp.Size {
		sp.Decode(i, pkg)
		if sp.Encode(pkg) != i {
			t.Fatalf("package %d decodes to %v which encodes to %d", i, pkg, sp.Encode(pkg))
		}
	}
}

// Weights near the largest float do not overflow their sum: {1e308, 1e308}
// is {0.5, 0.5}, not an indifferent actor.
func TestNormaliseHugeWeights(t *testing.T) {
	w := []float64{1e308, 1e308, 0}
	NormaliseWeights(w)
	if w[0] != 0.5 || w[1] != 0.5 || w[2] != 0 {
		t.Fatalf("normalised %v, want [0.5 0.5 0]", w)
	}
	w = []float64{3, 1}
	NormaliseWeights(w)
	if w[0] != 0.75 || w[1] != 0.25 {
		t.Fatalf("normalised %v, want [0.75 0.25]", w)
	}
}
