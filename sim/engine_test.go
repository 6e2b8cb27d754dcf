package sim

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

func mustCompile(t testing.TB, sc *scenarios.Scenario) *Model {
	t.Helper()
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Two linear time-dependent negotiators whose reservations overlap always
// agree before the deadline; with disjoint reservations they never agree
// (Faratin et al. 1998; MODEL.md "Checks a trustworthy engine passes").
func TestTimeDependentOverlapAgreesDisjointNever(t *testing.T) {
	const horizon = 30
	for _, tc := range []struct {
		name       string
		resA, resB scenarios.Number
		agree      bool
	}{
		{"overlapping", uniform(0.2, 0.45), uniform(0.2, 0.45), true},
		{"disjoint", uniform(0.55, 0.8), uniform(0.55, 0.8), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustCompile(t, splitScenario(scenarios.Linear, 1, tc.resA, tc.resB, horizon))
			w := NewWorker(m)
			for run := 1; run <= 300; run++ {
				var tr Trace
				r := w.Run(7, run, &tr)
				if tc.agree {
					signed := -1
					for _, s := range tr.Steps {
						if s.Kind == StepAgreement {
							signed = s.Turn
						}
					}
					if r.Outcome != Agreement || signed < 1 || signed >= horizon {
						t.Fatalf("run %d: outcome %v, deal signed on turn %d; want a deal before the deadline (turn %d)", run, r.Outcome, signed, horizon)
					}
				}
				if !tc.agree && r.Deals > 0 {
					t.Fatalf("run %d: disjoint reservations reached a deal (%v)", run, r.Terms)
				}
				if tc.agree {
					// The agreed share gives each side at least the
					// lowest reservation it could have drawn.
					x := float64(r.Terms[0]-1) / 100
					lo := tc.resA.Dist.A
					if x < lo-1e-9 || 1-x < lo-1e-9 {
						t.Fatalf("run %d: agreed x=%.2f gives a side less than %.2f", run, x, lo)
					}
				}
			}
		})
	}
}

// The same seed gives the same records for any number of workers, and the
// same as playing the runs one by one.
func TestMonteCarloDeterministicAcrossWorkers(t *testing.T) {
	m := mustCompile(t, splitScenario(scenarios.Boulware, 0.5, uniform(0.1, 0.6), uniform(0.1, 0.6), 20))
	const runs = 3*ChunkSize + 17
	var serial listAcc
	w := NewWorker(m)
	for run := 1; run <= runs; run++ {
		serial.Add(w.Run(42, run, nil))
	}
	for _, workers := range []int{1, 2, 3, 8} {
		got, done, err := MonteCarlo(context.Background(), m, Options{Runs: runs, Seed: 42, Workers: workers},
			func() *listAcc { return &listAcc{} })
		if err != nil || done != runs {
			t.Fatalf("workers=%d: done=%d err=%v", workers, done, err)
		}
		if !slices.Equal(got.rows, serial.rows) {
			t.Fatalf("workers=%d: records differ from the serial runs", workers)
		}
	}
}

// A cancelled batch returns the runs that finished, in order from run 1.
func TestMonteCarloCancelKeepsPrefix(t *testing.T) {
	m := mustCompile(t, splitScenario(scenarios.Boulware, 0.5, uniform(0.1, 0.6), uniform(0.1, 0.6), 20))
	ctx, cancel := context.WithCancel(context.Background())
	got, done, err := MonteCarlo(ctx, m, Options{Runs: 100 * ChunkSize, Seed: 1, Workers: 2,
		Progress: func(d int) {
			if d >= 3*ChunkSize {
				cancel()
			}
		}}, func() *listAcc { return &listAcc{} })
	if err == nil {
		t.Fatal("cancelled batch returned no error")
	}
	if done < 3*ChunkSize || done >= 100*ChunkSize || len(got.rows) != done {
		t.Fatalf("done=%d rows=%d", done, len(got.rows))
	}
	w := NewWorker(m)
	for run := 1; run <= done; run++ {
		var one listAcc
		one.Add(w.Run(1, run, nil))
		if one.rows[0] != got.rows[run-1] {
			t.Fatalf("run %d: kept record differs from a fresh run", run)
		}
	}
}

// A trace records the same run the Monte Carlo record summarises.
func TestTraceMatchesRecord(t *testing.T) {
	m := mustCompile(t, splitScenario(scenarios.Conceder, 3, uniform(0.1, 0.5), uniform(0.1, 0.5), 20))
	w := NewWorker(m)
	for run := 1; run <= 50; run++ {
		var a, b listAcc
		a.Add(w.Run(3, run, nil))
		var tr Trace
		w.Run(3, run, &tr)
		b.Add(&tr.Record)
		if a.rows[0] != b.rows[0] {
			t.Fatalf("run %d: traced %q, untraced %q", run, b.rows[0], a.rows[0])
		}
		// Only a strike ends a run before the horizon.
		want := m.Scenario.Horizon
		if tr.Record.Outcome == Conflict {
			want = tr.Record.EndTurn
		}
		if len(tr.States) != want {
			t.Fatalf("run %d: %d turn states for a %v run that ended on turn %d", run, len(tr.States), tr.Record.Outcome, tr.Record.EndTurn)
		}
	}
}
