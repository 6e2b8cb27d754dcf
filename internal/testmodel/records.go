package testmodel

import (
	"math/rand/v2"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// TwoActors is a scenario with two actors and two issues (3 × 2 = 6 packages).
func TwoActors() *scenarios.Scenario {
	return &scenarios.Scenario{
		ID:      "test-talks",
		Title:   "Test talks",
		Horizon: 12,
		Actors: []scenarios.Actor{
			{ID: "us", Name: "United States"},
			{ID: "kp", Name: "North Korea"},
		},
		Issues: []scenarios.Issue{
			{ID: "exercises", Name: "Military exercises", Levels: []string{"ongoing", "scaled", "suspended"}},
			{ID: "sanctions", Name: "Sanctions", Levels: []string{"kept", "eased"}},
		},
	}
}

// records calls f with n pseudo-random records for TwoActors, reusing one
// Record as the runner does. Utilities are multiples of 1/64, so their sums
// are exact in float64 and do not depend on how runs are chunked.
func Records(n int, seed uint64, f func(*sim.Record)) {
	rng := rand.New(rand.NewPCG(seed, 1))
	r := &sim.Record{Utility: make([]float64, 2), Terms: make([]int, 2)}
	for run := 1; run <= n; run++ {
		r.Run = run
		r.Outcome = sim.Outcomes[rng.IntN(sim.NumOutcomes)]
		r.EndTurn = 1 + rng.IntN(12)
		for i := range r.Utility {
			r.Utility[i] = float64(rng.IntN(65)) / 64
		}
		r.Terms[0], r.Terms[1] = -1, -1
		if r.Outcome == sim.Agreement {
			r.Terms[0], r.Terms[1] = rng.IntN(3), rng.IntN(2)
		}
		r.Tests = rng.IntN(4)
		r.Deals = rng.IntN(2)
		r.Collapsed = rng.IntN(2) * r.Deals
		r.Strikes = 0
		if r.Outcome == sim.Conflict {
			r.Strikes = 1
		}
		f(r)
	}
}
