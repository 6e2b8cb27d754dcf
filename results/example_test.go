package results_test

import (
	"fmt"
	"os"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Newcombe (1998), table I: 81 successes in 263 trials.
func ExampleWilson() {
	lo, hi := results.Wilson(81, 263)
	fmt.Printf("%.4f %.4f\n", lo, hi)
	// Output: 0.2553 0.3662
}

func ExampleWriteTable() {
	sc := &scenarios.Scenario{
		ID:      "demo",
		Title:   "Demo talks",
		Horizon: 10,
		Actors:  []scenarios.Actor{{ID: "a", Name: "Alpha"}, {ID: "b", Name: "Beta"}},
		Issues: []scenarios.Issue{
			{ID: "tariff", Name: "Tariffs", Levels: []string{"kept", "cut"}},
			{ID: "quota", Name: "Quotas", Levels: []string{"kept", "raised"}},
		},
	}
	s := results.NewSummary(sc)
	rec := sim.Record{Utility: make([]float64, 2), Terms: make([]int, 2)}
	for run := 1; run <= 8; run++ {
		rec.Run = run
		rec.EndTurn = run
		if run <= 5 {
			rec.Outcome = sim.Agreement
			rec.Utility[0], rec.Utility[1] = 0.75, 0.5
			rec.Terms[0], rec.Terms[1] = 1, run%2
		} else {
			rec.Outcome = sim.Breakdown
			rec.Utility[0], rec.Utility[1] = 0.25, 0.25
			rec.Terms[0], rec.Terms[1] = -1, -1
		}
		s.Add(&rec)
	}
	if err := results.WriteTable(os.Stdout, s.Report("demo", 1), sc); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Demo talks (demo)
	// 8 runs, seed 1
	//
	// Outcome      Share   95% interval     Runs
	// agreement    62.5%   [30.6%, 86.3%]      5
	// stalemate     0.0%   [0.0%, 32.4%]       0
	// breakdown    37.5%   [13.7%, 69.4%]      3
	// conflict      0.0%   [0.0%, 32.4%]       0
	//
	// Actor   Mean utility   In agreement
	// Alpha          0.562          0.750
	// Beta           0.406          0.500
	//
	// End turn: mean 4.5, median 4, p10-p90 1-8, range 1-8
	//
	// Most agreed level per issue (share of agreements)
	// Tariffs   cut      100.0%
	// Quotas    raised    60.0%
	//
	// Most common agreements (share of agreements, runs, what each changes)
	// 1.    60.0%   3   Tariffs: cut; Quotas: raised
	// 2.    40.0%   2   Tariffs: cut
}
