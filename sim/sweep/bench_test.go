package sweep

import (
	"context"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// sobol10 is a Sobol design over ten of korea-2018's assumptions at
// N = 1024 base samples and 1,000 runs a point: 1024 × (10 + 3) = 13,312
// points, 13.3 million runs (the 12,288 points, and the dummy's
// 1,024).
const sobol10 = `scenario = "korea-2018"
design = "sobol"
points = 1024
runs = 1000
[[vary]]
key = "actors.china.leverage.us"
min = 0.0
max = 0.15
[[vary]]
key = "actors.china.leverage.north_korea"
min = 0.05
max = 0.3
[[vary]]
key = "actors.china.talk_value"
min = 0.0
max = 0.04
[[vary]]
key = "actors.us.discount"
min = 0.9
max = 0.99
[[vary]]
key = "actors.north_korea.discount"
min = 0.9
max = 0.99
[[vary]]
key = "actors.north_korea.talk_value"
min = -0.03
max = 0.0
[[vary]]
key = "actors.us.conflict.pretext"
min = 0.2
max = 0.6
[[vary]]
key = "actors.us.conflict.spread"
min = 0.0
max = 0.3
[[vary]]
key = "actors.us.hawkishness"
min = 0.1
max = 0.9
[[vary]]
key = "dynamics.trust"
min = 0.1
max = 0.6
`

// countPoints counts outcomes; the cheapest accumulator, so the benchmark
// times the sweep and the engine, not a summary.
type countPoints struct{ n [sim.NumOutcomes]int }

func (c *countPoints) Add(r *sim.Record) { c.n[r.Outcome]++ }
func (c *countPoints) Merge(o *countPoints) {
	c.n[0], c.n[1], c.n[2], c.n[3] = c.n[0]+o.n[0], c.n[1]+o.n[1], c.n[2]+o.n[2], c.n[3]+o.n[3]
}
func (c *countPoints) Reset() { c.n = [sim.NumOutcomes]int{} }

// BenchmarkSobolSweep computes shard 1 of 512 of sobol10 (26 points of
// 1,000 runs) on every core: the whole design is 512 such shards. Its
// profile (-cpuprofile) says what share of the time is spent outside the
// engine's runs (docs/benchmarks.md).
func BenchmarkSobolSweep(b *testing.B) {
	s, err := Parse("sobol10.toml", []byte(sobol10))
	if err != nil {
		b.Fatal(err)
	}
	if s.Len() != 13312 {
		b.Fatalf("%d points", s.Len())
	}
	sh := Shard{1, 512}
	points := 0
	for b.Loop() {
		n, err := Run(context.Background(), s, Options{Shard: sh}, func(*scenarios.Scenario) *countPoints { return &countPoints{} },
			func(Point, *scenarios.Scenario, *countPoints) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		points += n
	}
	b.ReportMetric(float64(points)/b.Elapsed().Seconds(), "points/s")
	b.ReportMetric(float64(points*s.Runs)/b.Elapsed().Seconds(), "runs/s")
}

// BenchmarkSweepOverhead runs 64 points of the Sobol design above at one
// run a point on one worker: what a point costs outside the engine's run
// (reading the point's scenario, compiling it, setting up the worker)
// against one run, BenchmarkRun's.
//
//	go test ./sim/sweep -run '^$' -bench SweepOverhead -count 5
func BenchmarkSweepOverhead(b *testing.B) {
	s, err := Parse("sobol10.toml", []byte(sobol10))
	if err != nil {
		b.Fatal(err)
	}
	s.Runs = 1
	sh := Shard{1, s.Len() / 64}
	points := 0
	for b.Loop() {
		n, err := Run(context.Background(), s, Options{Shard: sh, Workers: 1}, func(*scenarios.Scenario) *countPoints { return &countPoints{} },
			func(Point, *scenarios.Scenario, *countPoints) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		points += n
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(points), "µs/point")
}
