package forecast

import (
	"math"
	"testing"
)

// The two rules for picking among offers. Receiver 0 at 5 holds four
// offers: a confrontation from 1 (at 9, a move of 4), a compromise from 2
// (at 0: ei −1, ej 2, to 5 − 5·½ = 4.5, its EU-weighted midpoint
// (1·5 + 2·0)/3 ≈ 1.67), a compromise from 3 (at 10: ei −0.2, ej 5, to
// 5 + 5·0.04 = 5.2, midpoint (0.2·5 + 5·10)/5.2 ≈ 9.81) and a
// capitulation to 4 (at 6, a move of 1).
func TestChooseRules(t *testing.T) {
	x := []float64{5, 9, 0, 10, 6}
	conf := Move{Actor: 0, From: 1, Kind: Confrontation, EUChallenged: 0.1, EUChallenge: 0.3, To: 9}
	low := Move{Actor: 0, From: 2, Kind: Compromise, EUChallenged: -1, EUChallenge: 2, To: 4.5}
	high := Move{Actor: 0, From: 3, Kind: Compromise, EUChallenged: -0.2, EUChallenge: 5, To: 5.2}
	capit := Move{Actor: 0, From: 4, Kind: Capitulation, EUChallenged: -2, EUChallenge: 1, To: 6}
	cases := []struct {
		v    Variant
		got  []Move
		want Move
	}{
		// Scholz: a confrontation comes first, however far.
		{Scholz, []Move{capit, high, low, conf}, conf},
		// Then the compromise with the least midpoint: 2's, which
		// moves 0.5, not 3's, which would move 0.2.
		{Scholz, []Move{capit, high, low}, low},
		{Scholz, []Move{high, capit}, high},
		{Scholz, []Move{capit}, capit},
		// Bueno de Mesquita: the least move, whatever its kind.
		{BDM, []Move{capit, high, low, conf}, high},
		{BDM, []Move{conf, low}, low},
		{BDM, []Move{conf, capit}, capit},
	}
	for _, c := range cases {
		m := &model{x: x, variant: c.v}
		if got := m.choose(c.got); got != c.want {
			t.Errorf("%v among %v: took %+v, want %+v", c.v, c.got, got, c.want)
		}
	}
	// Ties: equally near offers on either side go to the one pressed
	// harder, then to the lower position.
	m := &model{x: []float64{5, 3, 7}, variant: Scholz}
	a := Move{Actor: 0, From: 1, Kind: Confrontation, EUChallenged: 0.1, EUChallenge: 0.5, To: 3}
	b := Move{Actor: 0, From: 2, Kind: Confrontation, EUChallenged: 0.1, EUChallenge: 0.6, To: 7}
	if got := m.choose([]Move{a, b}); got != b {
		t.Errorf("tie: took %+v, want the harder-pressed %+v", got, b)
	}
	b.EUChallenge = 0.5
	if got := m.choose([]Move{b, a}); got != a {
		t.Errorf("tie: took %+v, want the lower %+v", got, a)
	}
}

// The status-quo terms when Q < 1 (Scholz et al. eqs. 18, 19, 25), by
// hand. a (c 1, s 1) at 0 and b (c 9, s 1) at 1 on [0, 1]: the median
// μ is b's position, 1. P_ab = 1/20, P_ba = 9/20 (Scholz's normaliser,
// as in TestHandCapitulation). With Q = 1/2:
//
// a challenging b: |x_a − μ| = 1 is not less than |x_a − x_b| = 1, so T = 0
// (things get worse for a without a challenge), U_w = 2 − 4(½ + ¼·(1 +
// 1))^r = −2 for any r:
//
//	EU(a→b) = 2 − 4·1·(19/20) − ½ U_sq(r) − ½·(−2) = −0.8 − ½ U_sq(r)
//
// b challenging a: |x_b − μ| = 0 < 1, T = 1, U_b = 2 − 4(½ − ¼)^r:
//
//	EU(b→a) = 2 − 4·1·(11/20) − ½ U_sq(r) − ½ (2 − 4·¼^r)
func TestStatusQuoTerms(t *testing.T) {
	actors := []Actor{{"a", 1, 0, 1}, {"b", 9, 1, 1}}
	m := newModel(actors, canonical(actors), Options{Q: 0.5, Lo: 0, Hi: 1})
	for _, r := range []float64{1, 2, 0.5} {
		usq := 2 - 4*math.Pow(0.5, r)
		pa := m.newPass(m.x, []float64{r, r}, weightedMedian(m.x, m.w))
		if pa.mu != 1 {
			t.Fatalf("median %v, want 1", pa.mu)
		}
		ab := -0.8 - usq/2
		ba := 2 - 4*11.0/20 - usq/2 - (2-4*math.Pow(0.25, r))/2
		if got := pa.eu(0, 0, 1); math.Abs(got-ab) > 1e-12 {
			t.Errorf("r %v: EU(a→b) = %v, by hand %v", r, got, ab)
		}
		if got := pa.eu(0, 1, 0); math.Abs(got-ba) > 1e-12 {
			t.Errorf("r %v: EU(b→a) = %v, by hand %v", r, got, ba)
		}
	}
	// And Q reaches the forecast: with Q = 1/2 the hand-worked
	// capitulation of TestHandCapitulation is no longer one.
	q1, err := Forecast(actors, Options{Rounds: 1})
	if err != nil {
		t.Fatal(err)
	}
	qh, err := Forecast(actors, Options{Rounds: 1, Q: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if len(q1[1].Moves) != 1 || q1[1].Moves[0].Kind != Capitulation {
		t.Fatalf("Q = 1: moves %+v, want a's capitulation", q1[1].Moves)
	}
	if len(qh[1].Moves) == 1 && qh[1].Moves[0] == q1[1].Moves[0] {
		t.Errorf("Q = 1/2 left the round unchanged: %+v", qh[1].Moves)
	}
}

// Black's weighted median: the position with at most half the weight on
// either side; on an exact split, the midpoint of the two middle
// positions.
func TestWeightedMedian(t *testing.T) {
	cases := []struct {
		x, w []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{1, 1, 1}, 2},
		{[]float64{3, 1, 2}, []float64{1, 5, 1}, 1},
		{[]float64{1, 2, 3, 4}, []float64{1, 1, 1, 1}, 2.5},
		// 0.1 + 0.2 is not 0.3 in floating point; the split is exact
		// all the same.
		{[]float64{1, 2, 3}, []float64{0.1, 0.2, 0.3}, 2.5},
		{[]float64{4, 4, 10}, []float64{0.2, 0.3, 0.5}, 7},
		{[]float64{4, 7, 10}, []float64{0.248, 0.093, 0.336}, 7},
		{[]float64{5, 9}, []float64{0, 1}, 9},
	}
	for _, c := range cases {
		if got := weightedMedian(c.x, c.w); got != c.want {
			t.Errorf("weightedMedian(%v, %v) = %v, want %v", c.x, c.w, got, c.want)
		}
	}
}
