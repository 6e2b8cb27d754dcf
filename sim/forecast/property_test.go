package forecast

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// byID returns each round's positions keyed by actor ID.
func byID(actors []Actor, rounds []Round) []map[string]float64 {
	out := make([]map[string]float64, len(rounds))
	for k, r := range rounds {
		out[k] = map[string]float64{}
		for i, a := range actors {
			out[k][a.ID] = r.Positions[i]
		}
	}
	return out
}

// sameForecast reports where two forecasts of the same actors, possibly
// listed in different orders, differ by more than tol.
func sameForecast(t *testing.T, what string, a []Actor, ra []Round, b []Actor, rb []Round, tol float64) {
	t.Helper()
	if len(ra) != len(rb) {
		t.Fatalf("%s: %d rounds against %d", what, len(ra), len(rb))
	}
	pa, pb := byID(a, ra), byID(b, rb)
	for k := range ra {
		if math.Abs(ra[k].Mean-rb[k].Mean) > tol || math.Abs(ra[k].Median-rb[k].Median) > tol {
			t.Errorf("%s: round %d mean/median %v/%v against %v/%v", what, k, ra[k].Mean, ra[k].Median, rb[k].Mean, rb[k].Median)
		}
		for id, x := range pa[k] {
			if math.Abs(x-pb[k][id]) > tol {
				t.Errorf("%s: round %d: %s at %v against %v", what, k, id, x, pb[k][id])
			}
		}
		if len(ra[k].Moves) != len(rb[k].Moves) {
			t.Errorf("%s: round %d: %d moves against %d", what, k, len(ra[k].Moves), len(rb[k].Moves))
			continue
		}
		moves := map[string]Move{}
		for _, m := range rb[k].Moves {
			moves[b[m.Actor].ID] = m
		}
		for _, m := range ra[k].Moves {
			o := moves[a[m.Actor].ID]
			if b[o.From].ID != a[m.From].ID || o.Kind != m.Kind || math.Abs(o.To-m.To) > tol {
				t.Errorf("%s: round %d: %s took %v from %s; against %v from %s", what, k, a[m.Actor].ID, m.Kind, a[m.From].ID, o.Kind, b[o.From].ID)
			}
		}
	}
}

// mixed is a case with ties and all three kinds of offer: nine actors,
// some sharing a position, on a 0–100 scale.
func mixed() []Actor {
	return []Actor{
		{"ana", 0.2, 10, 0.9}, {"ben", 0.1, 10, 0.3}, {"cal", 0.3, 35, 0.6},
		{"dov", 0.05, 50, 0.2}, {"eve", 0.15, 60, 0.8}, {"fay", 0.1, 60, 0.5},
		{"gus", 0.25, 85, 0.7}, {"hal", 0.02, 95, 1}, {"ivy", 0.12, 100, 0.4},
	}
}

func TestOrderDoesNotMatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	for _, base := range [][]Actor{ecActors(), mixed()} {
		for _, v := range []Variant{Scholz, BDM} {
			want, err := Forecast(base, Options{Variant: v})
			if err != nil {
				t.Fatal(err)
			}
			for range 5 {
				perm := append([]Actor(nil), base...)
				rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
				got, err := Forecast(perm, Options{Variant: v})
				if err != nil {
					t.Fatal(err)
				}
				// Played in one canonical order, the results are
				// identical, not merely close.
				sameForecast(t, v.String()+" shuffled", base, want, perm, got, 0)
			}
		}
	}
}

func TestCapabilityScaleDoesNotMatter(t *testing.T) {
	for _, base := range [][]Actor{ecActors(), mixed()} {
		for _, v := range []Variant{Scholz, BDM} {
			want, err := Forecast(base, Options{Variant: v})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []float64{4, 1.0 / 1024, 3.7, 250} {
				scaled := append([]Actor(nil), base...)
				for i := range scaled {
					scaled[i].Capability *= k
				}
				got, err := Forecast(scaled, Options{Variant: v})
				if err != nil {
					t.Fatal(err)
				}
				// A power of two scales exactly; any other constant up
				// to rounding.
				tol := 1e-9
				if k == 4 || k == 1.0/1024 {
					tol = 0
				}
				sameForecast(t, v.String()+" capabilities scaled", base, want, scaled, got, tol)
			}
		}
	}
}

// Moving every position and the scale by one affine map moves the
// forecast by the same map: only relative distances matter.
func TestPositionScaleDoesNotMatter(t *testing.T) {
	base := mixed()
	want, err := Forecast(base, Options{Lo: 0, Hi: 100})
	if err != nil {
		t.Fatal(err)
	}
	moved := append([]Actor(nil), base...)
	for i := range moved {
		moved[i].Position = 3 + moved[i].Position/50 // [0, 100] → [3, 5]
	}
	got, err := Forecast(moved, Options{Lo: 3, Hi: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rounds against %d", len(got), len(want))
	}
	for k := range want {
		for i := range base {
			if x := 3 + want[k].Positions[i]/50; math.Abs(got[k].Positions[i]-x) > 1e-9 {
				t.Errorf("round %d: %s at %v, want %v", k, base[i].ID, got[k].Positions[i], x)
			}
		}
	}
}

// An actor without capability cannot back a challenge: it moves no one,
// though Scholz's expected utility, which counts its allies' votes and
// the chance that a low-salience target does not resist, is positive.
func TestZeroCapabilityMovesNoOne(t *testing.T) {
	actors := append(ecActors(), Actor{"Observer", 0, 10, 1})
	rounds, err := Forecast(actors, Options{})
	if err != nil {
		t.Fatal(err)
	}
	zero := len(actors) - 1
	for _, r := range rounds {
		for _, o := range r.Offers {
			if o.From == zero {
				t.Errorf("round %d: the zero-capability actor made an offer: %+v", r.Round, o)
			}
		}
	}
	// Without the rule it would have: Ireland (salience 0.1, at 7) would
	// take its offer as it takes France's, from the same position.
	perm := canonical(actors)
	m := newModel(actors, perm, Options{Q: 1})
	risk := m.riskExponents()
	pa := m.newPass(m.x, risk, weightedMedian(m.x, m.w))
	inv := map[int]int{}
	for i, p := range perm {
		inv[p] = i
	}
	mv, ok := m.offer(pa, inv[7], inv[zero])
	if !ok || mv.EUChallenge <= 0 {
		t.Fatalf("the observer's challenge to Ireland has EU %v (offer %v): the case does not test the rule", mv.EUChallenge, ok)
	}
	// And its weight is zero: the means and medians are the EC case's.
	ec, err := Forecast(ecActors(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rounds[0].Mean != ec[0].Mean || rounds[0].Median != ec[0].Median {
		t.Errorf("round 0 mean/median %v/%v, the EC case's %v/%v", rounds[0].Mean, rounds[0].Median, ec[0].Mean, ec[0].Median)
	}
}

// Positions settle when no actor moves by more than Tol of the scale in
// a round; the forecast stops there, marking the round.
func TestSettles(t *testing.T) {
	rounds, err := Forecast([]Actor{{"a", 1, 0, 1}, {"b", 9, 1, 1}}, Options{Rounds: 50})
	if err != nil {
		t.Fatal(err)
	}
	// Round 1: a capitulates to b (TestHandCapitulation); round 2: both
	// at 1, nothing to contest.
	if len(rounds) != 3 || rounds[1].Settled || !rounds[2].Settled {
		t.Fatalf("%d rounds; want 3, settled in round 2 only", len(rounds))
	}
	if len(rounds[2].Moves) != 0 || rounds[2].Positions[0] != 1 || rounds[2].Positions[1] != 1 {
		t.Errorf("settled round: %+v", rounds[2])
	}
	// The EC case is still moving after 10 rounds: no round is marked.
	ec, err := Forecast(ecActors(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ec); n != 11 || ec[n-1].Settled {
		t.Errorf("EC: %d rounds, last settled %v; want 11, not settled", n, ec[n-1].Settled)
	}
	// A tolerance as large as the scale counts any round as settled.
	loose, err := Forecast(ecActors(), Options{Tol: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(loose) != 2 || !loose[1].Settled {
		t.Errorf("tolerance 1: %d rounds; want 2, the second settled", len(loose))
	}
}

func TestInputErrors(t *testing.T) {
	ok := Actor{"ok", 1, 5, 0.5}
	cases := []struct {
		actors []Actor
		opt    Options
		want   []string
	}{
		{nil, Options{}, []string{"no actors: expected at least one"}},
		{[]Actor{{"neg", -1, 5, 0.5}}, Options{}, []string{"actor neg: capability is -1: expected a number ≥ 0"}},
		{[]Actor{{"hot", 1, 5, 1.5}, ok}, Options{}, []string{"actor hot: salience is 1.5: expected a number from 0 to 1"}},
		{[]Actor{{"", 1, 5, -0.1}}, Options{}, []string{"actor #1: salience is -0.1"}},
		{[]Actor{{"n", math.NaN(), 5, 0.5}, {"p", 1, math.NaN(), 0.5}, {"s", 1, 5, math.NaN()}}, Options{},
			[]string{"actor n: capability is NaN: expected a finite number ≥ 0", "actor p: position is NaN: expected a finite number", "actor s: salience is NaN: expected a number from 0 to 1"}},
		{[]Actor{{"i", math.Inf(1), 5, 0.5}}, Options{}, []string{"actor i: capability is +Inf"}},
		{[]Actor{{"far", 1, 12, 0.5}, ok}, Options{Lo: 0, Hi: 10}, []string{"actor far: position 12 is outside the scale: expected a number from 0 to 10"}},
		{[]Actor{{"z", 0, 5, 0.5}, {"y", 1, 6, 0}}, Options{}, []string{"every actor has zero capability or zero salience"}},
		{[]Actor{ok}, Options{Rounds: -1}, []string{"rounds is -1: expected a whole number ≥ 1"}},
		{[]Actor{ok}, Options{Q: 1.5}, []string{"Q is 1.5: expected a probability above 0 and at most 1"}},
		{[]Actor{ok}, Options{Q: math.NaN()}, []string{"Q is NaN"}},
		{[]Actor{ok}, Options{Tol: -1}, []string{"tolerance is -1"}},
		{[]Actor{ok}, Options{Variant: 7}, []string{"model is Variant(7): expected scholz or bdm"}},
		{[]Actor{ok}, Options{Lo: math.Inf(-1)}, []string{"the scale's ends are -Inf and 0: expected finite numbers"}},
	}
	for _, c := range cases {
		_, err := Forecast(c.actors, c.opt)
		if err == nil {
			t.Errorf("%+v %+v: no error, want %q", c.actors, c.opt, c.want)
			continue
		}
		if !errors.Is(err, ErrInput) {
			t.Errorf("%v does not match ErrInput", err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not say %q", err, w)
			}
		}
	}
}

func TestParseVariant(t *testing.T) {
	for _, v := range []Variant{Scholz, BDM} {
		got, err := ParseVariant(strings.ToUpper(v.String()))
		if err != nil || got != v {
			t.Errorf("ParseVariant(%q) = %v, %v", strings.ToUpper(v.String()), got, err)
		}
	}
	if _, err := ParseVariant("nash"); err == nil || !strings.Contains(err.Error(), "expected scholz or bdm") {
		t.Errorf("ParseVariant(nash): %v", err)
	}
}
