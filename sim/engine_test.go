package sim

import (
	"context"
	"math"
	"slices"
	"strings"
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
	tracedMatches(t, m, 3, 50, func(run int, tr *Trace) {
		// Only a strike ends a run before the horizon.
		want := m.Scenario.Horizon
		if tr.Record.Outcome == Conflict {
			want = tr.Record.EndTurn
		}
		if len(tr.States) != want {
			t.Fatalf("run %d: %d turn states for a %v run that ended on turn %d", run, len(tr.States), tr.Record.Outcome, tr.Record.EndTurn)
		}
	})
}

// tracedMatches plays runs 1..runs of m with seed, each untraced and then
// traced, fails t if the two records differ, and hands each trace to check.
func tracedMatches(t *testing.T, m *Model, seed uint64, runs int, check func(run int, tr *Trace)) {
	t.Helper()
	w := NewWorker(m)
	for run := 1; run <= runs; run++ {
		var a, b listAcc
		a.Add(w.Run(seed, run, nil))
		var tr Trace
		w.Run(seed, run, &tr)
		b.Add(&tr.Record)
		if a.rows[0] != b.rows[0] {
			t.Fatalf("run %d: traced %q, untraced %q", run, b.rows[0], a.rows[0])
		}
		check(run, &tr)
	}
}

// renegotiation is a two-issue trade in which A wants x and concedes y and
// B the reverse, each caring more for what it gets than for what it gives,
// so trading pays; at turn 12 a new government on A's side comes to weigh
// its concession y as much as all the rest. With leverage > 0 a mediator C,
// which likes y high and asks nothing of its own, backs every deal with
// that much leverage over A.
func renegotiation(leverage float64) *scenarios.Scenario {
	levels := []string{"0", "1", "2", "3", "4"}
	lin := func(best int) []scenarios.Number {
		out := make([]scenarios.Number, 5)
		for l := range out {
			out[l] = num(1 - math.Abs(float64(l-best))/4)
		}
		return out
	}
	actor := func(id string, wx float64, vx, vy []scenarios.Number) scenarios.Actor {
		return scenarios.Actor{ID: id, Name: id,
			Weights: []scenarios.Number{num(wx), num(1 - wx)}, Values: [][]scenarios.Number{vx, vy},
			Strategy: scenarios.Strategy{Kind: scenarios.Linear, E: num(1), Reservation: num(0)},
			Deadline: num(6), HasDeadline: true, Discount: num(0.95), TalkValue: num(0),
			Hawkishness: num(0), Provocation: num(0), Embarrass: num(0),
			Conflict: scenarios.Conflict{Prevail: num(0.5), Cost: num(1), Spread: num(0), Pretext: num(0)}}
	}
	dyn := quietDynamics()
	dyn.AgreementTrust = num(0.2)
	sc := &scenarios.Scenario{
		ID: "renegotiation", Title: "renegotiation", Horizon: 30,
		Issues: []scenarios.Issue{{ID: "x", Levels: levels, IrreversibleFrom: -1}, {ID: "y", Levels: levels, IrreversibleFrom: -1}},
		// A wants x and concedes y; B the reverse; each cares more for
		// what it gets than for what it gives, so trading pays.
		Actors: []scenarios.Actor{actor("a", 0.7, lin(4), lin(0)), actor("b", 0.3, lin(0), lin(4))},
		Protocol: scenarios.Protocol{Signatories: []int{0, 1}, Mediator: -1, MediatorBias: num(0),
			Agenda: scenarios.AgendaProposerFirst, Proposers: []int{0, 1}},
		Dynamics: dyn,
		Events: []scenarios.Event{{ID: "election", Label: "election", Kind: scenarios.KindElection, By: -1, HostedBy: -1,
			Turns: []int{12}, Chance: num(1), Effects: scenarios.Effects{Tension: num(0), Trust: num(0),
				Weights: []scenarios.WeightChange{{Actor: 0, Issue: 1, Weight: num(1)}}}}},
	}
	if leverage > 0 {
		c := actor("c", 0, lin(4), lin(4))
		c.Deadline = num(1) // asks only its value of no agreement: backs any deal
		c.Leverage = []scenarios.Influence{{Target: 0, Amount: num(leverage)}}
		sc.Actors = append(sc.Actors, c)
		sc.Protocol.Mediator = 2
	}
	return sc
}

// A deal that a change of circumstances makes not worth keeping collapses,
// and the talks renegotiate it: A's new government comes to hate the
// concession A made, breaks the deal, and a new deal with less of that
// concession is signed, all in one trace.
func TestCollapsedDealRenegotiated(t *testing.T) {
	sc := renegotiation(0)
	var tr Trace
	NewWorker(mustCompile(t, sc)).Run(1, 1, &tr)
	var signed []Step
	collapsed := -1
	for _, s := range tr.Steps {
		switch s.Kind {
		case StepAgreement:
			signed = append(signed, s)
		case StepViolation:
			if collapsed < 0 {
				collapsed = s.Turn
				if s.Actor != 0 || s.War <= s.Carry {
					t.Fatalf("turn %d: %v broke the deal, breaking worth %.3f against keeping %.3f; want a, breaking worth more", s.Turn, s.Actor, s.War, s.Carry)
				}
			}
		}
	}
	if len(signed) < 2 || collapsed < 0 || signed[0].Turn >= 12 || collapsed < 12 || signed[len(signed)-1].Turn <= collapsed {
		t.Fatalf("deals signed %v, collapse on turn %d: want a deal before the election, a collapse after it, and a new deal after that", signed, collapsed)
	}
	var before, after [2]int
	m := mustCompile(t, sc)
	m.Space.Decode(signed[0].Package, before[:])
	m.Space.Decode(signed[len(signed)-1].Package, after[:])
	if after[1] >= before[1] {
		t.Fatalf("A conceded y = %d before the election and %d after; want less once it values y more", before[1], after[1])
	}
	if tr.Record.Outcome != Agreement || tr.Record.Collapsed != 1 || len(tr.Record.Collapses) != 1 || tr.Record.FirstDeal != signed[0].Turn {
		t.Fatalf("record %+v", tr.Record)
	}
}

// Backing matters after signing: the same renegotiation with a mediator that
// holds leverage over A and backs the deal keeps A to its word, since
// breaking now costs A that leverage in enforcement.
func TestBackedDealSurvivesElection(t *testing.T) {
	var tr Trace
	NewWorker(mustCompile(t, renegotiation(0.3))).Run(1, 1, &tr)
	if tr.Record.Outcome != Agreement || tr.Record.Collapsed != 0 {
		t.Fatalf("backed deal: outcome %v with %d collapses; want an agreement that is never broken", tr.Record.Outcome, tr.Record.Collapsed)
	}
	if tr.Record.FirstDeal < 0 || tr.Record.FirstDeal >= 12 {
		t.Fatalf("first deal on turn %d; want one signed before the election", tr.Record.FirstDeal)
	}
}

// Chunks counts without overflow near the largest int, and a batch above
// MaxRuns is refused rather than sized.
func TestChunksAndMaxRuns(t *testing.T) {
	for _, c := range [][3]int{{0, 256, 0}, {1, 256, 1}, {256, 256, 1}, {257, 256, 2}, {math.MaxInt, 256, math.MaxInt/256 + 1}} {
		if got := Chunks(c[0], c[1]); got != c[2] {
			t.Errorf("Chunks(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
	m := loadKorea(t)
	_, done, err := MonteCarlo(context.Background(), m, Options{Runs: math.MaxInt, Seed: 1}, func() *countAcc { return &countAcc{} })
	if err == nil || done != 0 || !strings.Contains(err.Error(), "at most 1000000000") {
		t.Fatalf("MaxInt runs: done %d, error %v; want refused", done, err)
	}
}
