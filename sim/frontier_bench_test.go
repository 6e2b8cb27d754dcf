package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// zeroSumScenario is a constant-sum domain of issues with four levels each
// between n signatories with equal weights: the values of each level are
// a random point of the simplex (for two actors, v and 1 − v), so every
// actor's utilities sum to the same constant on every package and every
// package is on the frontier, the worst case for building it.
func zeroSumScenario(r *rand.Rand, n, issues int) *scenarios.Scenario {
	const levels = 4
	sc := &scenarios.Scenario{
		ID: "zero-sum", Title: "zero-sum", Horizon: 10,
		Protocol: scenarios.Protocol{Mediator: -1, MediatorBias: num(0)},
		Dynamics: quietDynamics(),
	}
	for j := range issues {
		is := scenarios.Issue{ID: fmt.Sprint("i", j), IrreversibleFrom: -1}
		for l := range levels {
			is.Levels = append(is.Levels, fmt.Sprint(l))
		}
		sc.Issues = append(sc.Issues, is)
	}
	for i := range n {
		sc.Actors = append(sc.Actors, scenarios.Actor{ID: fmt.Sprint("a", i), Name: fmt.Sprint("a", i),
			Strategy: linear, Deadline: num(10), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
			Hawkishness: num(0), Provocation: num(0), Embarrass: num(0),
			Conflict: scenarios.Conflict{Prevail: num(0.5), Cost: num(0.2)}})
		sc.Protocol.Signatories = append(sc.Protocol.Signatories, i)
		sc.Protocol.Proposers = append(sc.Protocol.Proposers, i)
	}
	for range issues {
		w := 0.5 + r.Float64()
		vals := make([][]scenarios.Number, n)
		for range levels {
			share := make([]float64, n)
			sum := 0.0
			for i := range share {
				share[i] = 0.05 + r.Float64()
				sum += share[i]
			}
			for i := range n {
				vals[i] = append(vals[i], num(share[i]/sum))
			}
		}
		for i := range n {
			a := &sc.Actors[i]
			a.Weights = append(a.Weights, num(w))
			a.Values = append(a.Values, vals[i])
		}
	}
	return sc
}

// BenchmarkZeroSumSetup measures the set-up cost of a zero-sum domain,
// where every package is on the frontier: 'parley analyze' (Analyze,
// enumerating) and the engine's start as 'parley run --runs 1' pays it
// (compiling the model, building its table, and one run),
// for two actors and for three (constant-sum), at 256, 4,096 and 65,536
// packages. The target (the issue "Speed and scale") is under 0.2 s at
// 65,536 packages. Run it with -benchtime=1x -count=5 and take medians.
func BenchmarkZeroSumSetup(b *testing.B) {
	for _, n := range []int{2, 3} {
		for _, issues := range []int{4, 6, 8} {
			sc := zeroSumScenario(rand.New(rand.NewPCG(uint64(n), uint64(issues))), n, issues)
			size := 1 << (2 * issues)
			b.Run(fmt.Sprintf("analyze/actors=%d/packages=%d", n, size), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					an, err := Analyze(context.Background(), sc, AnalyzeOptions{})
					if err != nil {
						b.Fatal(err)
					}
					if an.FrontierSize != size {
						b.Fatalf("frontier of %d of %d packages: not zero-sum", an.FrontierSize, size)
					}
				}
			})
			b.Run(fmt.Sprintf("run/actors=%d/packages=%d", n, size), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					m, err := Compile(sc)
					if err != nil {
						b.Fatal(err)
					}
					if _, done, err := MonteCarlo(context.Background(), m, Options{Runs: 1, Seed: 1, Workers: 1},
						func() *countAcc { return &countAcc{} }); err != nil || done != 1 {
						b.Fatalf("%d runs: %v", done, err)
					}
				}
			})
		}
	}
}
