package sim_test

import (
	"context"
	"fmt"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// counts is a minimal accumulator: outcome counts.
type counts [sim.NumOutcomes]int

func (c *counts) Add(r *sim.Record) { c[r.Outcome]++ }
func (c *counts) Merge(o *counts) {
	for i := range c {
		c[i] += o[i]
	}
}
func (c *counts) Reset() { *c = counts{} }

// Play one run with a trace, then a Monte Carlo batch of the same scenario.
func Example() {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		panic(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		panic(err)
	}

	var tr sim.Trace
	rec := sim.NewWorker(m).Run(42, 1, &tr)
	played := sc.Horizon
	if rec.Outcome == sim.Conflict {
		played = rec.EndTurn // a strike ends the run
	}
	fmt.Println("the trace has a state for every turn played:", len(tr.States) == played)

	c, done, err := sim.MonteCarlo(context.Background(), m, sim.Options{Runs: 1000, Seed: 42},
		func() *counts { return &counts{} })
	if err != nil {
		panic(err)
	}
	fmt.Println("runs:", done, "outcomes counted:", c[0]+c[1]+c[2]+c[3])
	// Output:
	// the trace has a state for every turn played: true
	// runs: 1000 outcomes counted: 1000
}
