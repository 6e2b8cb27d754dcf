package sim

import (
	"context"
	"fmt"
	"testing"
)

// countAcc is the cheapest accumulator: it counts outcomes, so the
// benchmarks measure the engine and the runner, not the summary.
type countAcc struct{ n [NumOutcomes]int }

func (a *countAcc) Add(r *Record) { a.n[r.Outcome]++ }
func (a *countAcc) Reset()        { a.n = [NumOutcomes]int{} }
func (a *countAcc) Merge(o *countAcc) {
	a.n[0] += o.n[0]
	a.n[1] += o.n[1]
	a.n[2] += o.n[2]
	a.n[3] += o.n[3]
}

// BenchmarkRunKnowing is BenchmarkRun with every actor knowing the
// others' preferences (misperception 0): model 2's engine, for pairing
// against a binary from before beliefs.
func BenchmarkRunKnowing(b *testing.B) {
	m := loadKorea(b, "actors.us.misperception=0", "actors.north_korea.misperception=0",
		"actors.south_korea.misperception=0", "actors.china.misperception=0")
	benchRun(b, m, 1000)
}

// BenchmarkRun plays one run of korea-2018 per iteration on one worker. Once
// warm, a run allocates nothing: allocs/op must stay 0.
func BenchmarkRun(b *testing.B) { benchRun(b, loadKorea(b), 1000) }

// benchRun plays runs of m on one worker after warm runs, and reports runs
// a second and ms a run.
func benchRun(b *testing.B, m *Model, warm int) {
	w := NewWorker(m)
	// Warm the utility-table cache: it holds one table per combination of
	// preference events, filled the first time a run meets it.
	for run := range warm {
		w.Run(1, run+1, nil)
	}
	b.ReportAllocs()
	run := warm
	for b.Loop() {
		run++
		w.Run(1, run, nil)
	}
	b.ReportMetric(float64(run-warm)/b.Elapsed().Seconds(), "runs/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(run-warm), "ms/run")
}

// BenchmarkMonteCarlo plays 100,000 runs of korea-2018 per iteration with 1
// and 2 workers; compare the runs/s of the two to see the parallel speed-up.
func BenchmarkMonteCarlo(b *testing.B) {
	m := loadKorea(b)
	const runs = 100_000
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				_, done, err := MonteCarlo(context.Background(), m, Options{Runs: runs, Seed: 1, Workers: workers},
					func() *countAcc { return &countAcc{} })
				if err != nil {
					b.Fatal(err)
				}
				n += done
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
