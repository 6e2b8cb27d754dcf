package sim

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

func loadKorea(t testing.TB, sets ...string) *Model {
	t.Helper()
	var ovs []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := scenarios.Load("korea-2018", ovs)
	if err != nil {
		t.Fatal(err)
	}
	return mustCompile(t, sc)
}

// outcomeAcc counts outcomes and sums one actor's utility in agreements.
type outcomeAcc struct {
	actor  int
	counts [NumOutcomes]int
	agrU   float64
}

func (a *outcomeAcc) Add(r *Record) {
	a.counts[r.Outcome]++
	if r.Outcome == Agreement {
		a.agrU += r.Utility[a.actor]
	}
}
func (a *outcomeAcc) Reset() { *a = outcomeAcc{actor: a.actor} }

func (a *outcomeAcc) Merge(o *outcomeAcc) {
	for i := range a.counts {
		a.counts[i] += o.counts[i]
	}
	a.agrU += o.agrU
}

func countOutcomes(t testing.TB, m *Model, runs int, actor int) *outcomeAcc {
	t.Helper()
	acc, _, err := MonteCarlo(context.Background(), m, Options{Runs: runs, Seed: 99},
		func() *outcomeAcc { return &outcomeAcc{actor: actor} })
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

// No actor ever accepts a package worth less to it than its current value
// of no agreement, whatever the strategies and the state.
func TestNoAcceptanceBelowNoDeal(t *testing.T) {
	for _, sets := range [][]string{
		nil,
		{"dynamics.breakdown_rate=0"},
		{"protocol.deadline=final_offer", "dynamics.breakdown_rate=0.02"},
		{"protocol.mediator=none", "actors.us.strategy.e=0.9"},
	} {
		m := loadKorea(t, sets...)
		w := NewWorker(m)
		accepted := 0
		for run := 1; run <= 400; run++ {
			var tr Trace
			w.Run(11, run, &tr)
			for _, s := range tr.Steps {
				if s.Kind == StepResponse && s.Accepted {
					accepted++
					if s.Value < s.NoDeal {
						t.Fatalf("%v run %d turn %d: %s accepted a package worth %.4f below its no-deal value %.4f",
							sets, run, s.Turn, m.Scenario.Actors[s.Actor].ID, s.Value, s.NoDeal)
					}
				}
			}
		}
		if accepted == 0 {
			t.Fatalf("%v: no acceptance in 400 runs; the test checks nothing", sets)
		}
	}
}

// The share of conflict rises with the US administration's hawkishness.
func TestConflictRisesWithHawkishness(t *testing.T) {
	prev := -1
	for _, h := range []float64{0, 0.25, 0.5, 0.75, 1} {
		m := loadKorea(t, fmt.Sprintf("actors.us.hawkishness=%v", h))
		c := countOutcomes(t, m, 3000, 0).counts[Conflict]
		if c <= prev {
			t.Fatalf("hawkishness %v: %d conflicts, not more than %d at the previous value", h, c, prev)
		}
		prev = c
	}
}

// Every conflict follows a live trigger the trace shows: a breakdown, a
// recent violation, or a stalemate that dragged on. With those paths closed,
// no conflict happens whatever the hawkishness.
func TestConflictNeedsTrigger(t *testing.T) {
	m := loadKorea(t)
	d := m.Scenario.Dynamics
	w := NewWorker(m)
	conflicts := map[Cause]int{}
	for run := 1; run <= 3000; run++ {
		var tr Trace
		w.Run(5, run, &tr)
		if tr.Record.Outcome != Conflict {
			continue
		}
		strike := tr.Steps[len(tr.Steps)-1]
		if strike.Kind != StepStrike {
			t.Fatalf("run %d: conflict without a strike as its last step", run)
		}
		conflicts[strike.Cause]++
		switch strike.Cause {
		case CauseBreakdown:
			if !hasStep(tr.Steps, StepBreakdown, 0, strike.Turn) {
				t.Fatalf("run %d: strike blamed on a breakdown the trace does not show", run)
			}
		case CauseViolation:
			if !hasStep(tr.Steps, StepViolation, strike.Turn-d.ViolationMemory, strike.Turn) {
				t.Fatalf("run %d: strike blamed on a violation the trace does not show", run)
			}
		case CauseStalemate:
			if strike.Turn < d.StalemateTurns {
				t.Fatalf("run %d: stalemate strike on turn %d", run, strike.Turn)
			}
			for _, s := range tr.States[strike.Turn-d.StalemateTurns : strike.Turn] {
				if s.Deal >= 0 || !s.Talks {
					t.Fatalf("run %d: stalemate strike but turn %d had a deal or no talks", run, s.Turn)
				}
			}
		default:
			t.Fatalf("run %d: strike with cause %v", run, strike.Cause)
		}
	}
	for _, c := range []Cause{CauseBreakdown, CauseViolation, CauseStalemate} {
		if conflicts[c] == 0 {
			t.Errorf("no conflict triggered by %v in 3000 runs: %v", c, conflicts)
		}
	}

	for _, h := range []string{"0.5", "1"} {
		closed := loadKorea(t, "actors.us.hawkishness="+h, "dynamics.breakdown_rate=0",
			"dynamics.stalemate_turns=1000", "dynamics.violation_rate=0")
		if c := countOutcomes(t, closed, 2000, 0).counts[Conflict]; c != 0 {
			t.Fatalf("hawkishness %s with every trigger closed: %d conflicts", h, c)
		}
	}
}

func hasStep(steps []Step, kind StepKind, from, to int) bool {
	for _, s := range steps {
		if s.Kind == kind && s.Turn >= from && s.Turn <= to {
			return true
		}
	}
	return false
}

// A mediator with a bias proposes, and gets agreed, terms it likes better
// than an honest broker's: in the same runs (same seed, same draws), the
// mediator's first compromise and the deals it brokers are worth more to it.
func TestMediatorBiasRaisesMediatorUtility(t *testing.T) {
	stats := func(bias string) (first, brokered float64, nb int) {
		m := loadKorea(t, "protocol.mediator_bias="+bias, "dynamics.breakdown_rate=0")
		w := NewWorker(m)
		const runs = 1000
		for run := 1; run <= runs; run++ {
			var tr Trace
			w.Run(8, run, &tr)
			seen := false
			for i, s := range tr.Steps {
				if s.Kind != StepMediation {
					continue
				}
				if !seen {
					first += s.Value
					seen = true
				}
				if i+3 < len(tr.Steps) && tr.Steps[i+3].Kind == StepAgreement && tr.Steps[i+3].Turn == s.Turn {
					brokered += s.Value
					nb++
				}
			}
		}
		return first / runs, brokered / float64(nb), nb
	}
	f0, b0, n0 := stats("0")
	f9, b9, n9 := stats("0.4")
	if f9 <= f0 {
		t.Errorf("mediator's utility of its first compromise: %.4f with bias 0.4, %.4f with bias 0", f9, f0)
	}
	if n0 < 50 || n9 < 50 {
		t.Fatalf("too few brokered deals to compare: %d, %d", n0, n9)
	}
	if b9 <= b0 {
		t.Errorf("mediator's utility of the deals it brokered: %.4f with bias 0.4 (%d deals), %.4f with bias 0 (%d deals)", b9, n9, b0, n0)
	}
}

// Every state variable changes some outcome when its starting value or the
// rate that moves it is changed.
func TestEveryStateVariableMatters(t *testing.T) {
	base := countOutcomes(t, loadKorea(t), 2000, 0).counts
	for _, set := range []string{
		"dynamics.tension=0.9",                                  // tension
		"dynamics.trust=0.9",                                    // trust
		"actors.us.hawkishness=0.1",                             // hawkishness
		"actors.china.goodwill.north_korea=0.9",                 // goodwill
		"events.new_sanctions.effects.pressure.north_korea=0.5", // standing pressure
		"dynamics.stalemate_turns=3",                            // turns without a deal
		"dynamics.violation_memory=0",                           // violation memory
		"dynamics.breakdown_rate=0",                             // talks alive
		"dynamics.violation_rate=0",                             // the deal in force
		"actors.north_korea.provocation=1",                      // provocations (tests)
	} {
		got := countOutcomes(t, loadKorea(t, set), 2000, 0).counts
		if got == base {
			t.Errorf("--set %s left every outcome count unchanged: %v", set, got)
		}
	}
}

func mustLoad(name string) *scenarios.Scenario {
	sc, err := scenarios.Load(name, nil)
	if err != nil {
		panic(err)
	}
	return sc
}
