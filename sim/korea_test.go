package sim

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
)

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

// traces plays runs 1..runs of m with a trace each and hands each to f.
func traces(m *Model, seed uint64, runs int, f func(run int, tr *Trace)) {
	w := NewWorker(m)
	for run := 1; run <= runs; run++ {
		var tr Trace
		w.Run(seed, run, &tr)
		f(run, &tr)
	}
}

// No actor ever accepts a package worth less to it than its value of no
// agreement (on a package the mediator backs, the value its leverage
// leaves; under an ultimatum, the value of refusing it).
func TestNoAcceptanceBelowNoDeal(t *testing.T) {
	for _, sets := range [][]string{
		nil,
		{"protocol.mediator=none"},
		{"protocol.agenda=proposer_first", "actors.us.hawkishness=0.9"},
		{"actors.us.conflict.spread=0.3", "actors.north_korea.conflict.spread=0.3"},
	} {
		m := loadKorea(t, sets...)
		accepted := 0
		traces(m, 11, 300, func(run int, tr *Trace) {
			for _, s := range tr.Steps {
				if s.Kind == StepResponse && s.Accepted {
					accepted++
					if s.Value < s.NoDeal {
						t.Fatalf("%v run %d turn %d: %s accepted a package worth %.4f below its no-deal value %.4f",
							sets, run, s.Turn, m.Scenario.Actors[s.Actor].ID, s.Value, s.NoDeal)
					}
				}
			}
		})
		if accepted == 0 {
			t.Fatalf("%v: no acceptance in 300 runs; the test checks nothing", sets)
		}
	}
}

// Every strike decision follows from the striker's recorded beliefs: the
// believed value of striking recomputed from its beliefs of its chance and
// cost equals the one it weighed, and it struck only when that value and
// what it expected to lose by waiting exceeded its value of carrying on.
// A trace records each strike as its run's last step.
func TestStrikeDecisionsFollowFromBeliefs(t *testing.T) {
	struck, weighed := 0, 0
	check := func(name string, m *Model, runs int) {
		traces(m, 5, runs, func(run int, tr *Trace) {
			for _, st := range tr.States {
				for _, d := range st.Deliberations {
					weighed++
					war := d.Scale.U(d.Prevail*d.RawMax + (1-d.Prevail)*d.RawMin - d.Cost*d.Keep)
					if math.Abs(war-d.War) > 1e-9 {
						t.Fatalf("%s run %d turn %d: war value %.6f recorded, %.6f from the recorded beliefs", name, run, st.Turn, d.War, war)
					}
					if d.Struck && d.War+d.Preventive <= d.Carry {
						t.Fatalf("%s run %d turn %d: struck with war %.4f + waiting %.4f not above carrying on %.4f",
							name, run, st.Turn, d.War, d.Preventive, d.Carry)
					}
					if d.Struck {
						struck++
						last := tr.Steps[len(tr.Steps)-1]
						if last.Kind != StepStrike || last.Actor != d.Actor || tr.Record.Outcome != Conflict {
							t.Fatalf("%s run %d: a strike decision without a strike ending the run", name, run)
						}
					}
					if !d.Struck && d.War+d.Preventive > d.Carry && d.Ultimatum < 0 {
						t.Fatalf("%s run %d turn %d: preferred war, made no demand and did not strike", name, run, st.Turn)
					}
				}
			}
			if tr.Record.Outcome == Conflict {
				if n := len(tr.States); n == 0 || !slices.ContainsFunc(tr.States[n-1].Deliberations, func(d Deliberation) bool { return d.Struck }) {
					t.Fatalf("%s run %d: a conflict without a recorded decision to strike", name, run)
				}
			}
		})
	}
	check("korea-2018", loadKorea(t), 300)
	check("korea-2018, optimistic", loadKorea(t, "actors.us.conflict.spread=0.4", "actors.north_korea.conflict.spread=0.4",
		"protocol.mediator=none"), 300)
	check("war", mustCompile(t, war{p: 0.6, cA: 0.1, cB: 0.1, sq: 0.3, hawk: 0.5, spread: 0.2}.scenario()), 300)
	if struck == 0 || weighed < 1000 {
		t.Fatalf("%d strike decisions, %d strikes: the test checks too little", weighed, struck)
	}
}

// The horizon only ends the simulation: nothing an actor does depends on
// when the simulation will stop, so with the same seed every run's trace up
// to turn 36 is the same whether the horizon is 36 or 60.
func TestHorizonOnlyEndsTheSimulation(t *testing.T) {
	short, long := NewWorker(loadKorea(t)), NewWorker(loadKorea(t, "horizon=60"))
	for run := 1; run <= 300; run++ {
		var a, b Trace
		short.Run(2, run, &a)
		long.Run(2, run, &b)
		n := len(a.States)
		if len(b.States) < n {
			t.Fatalf("run %d: %d turns with horizon 60, %d with 36", run, len(b.States), n)
		}
		var bs []Step
		for _, s := range b.Steps {
			if s.Turn <= 36 {
				bs = append(bs, s)
			}
		}
		if !slices.EqualFunc(a.Steps, bs, func(x, y Step) bool { return reflect.DeepEqual(x, y) }) {
			t.Fatalf("run %d: the steps up to turn 36 differ between horizons 36 and 60", run)
		}
		for i := range n {
			x, y := a.States[i], b.States[i]
			if x.Turn != y.Turn || x.Tension != y.Tension || x.Trust != y.Trust || x.Talks != y.Talks || x.Deal != y.Deal ||
				!slices.Equal(x.NoDeal, y.NoDeal) || !slices.Equal(x.Hawkishness, y.Hawkishness) || !slices.Equal(x.Leverage, y.Leverage) ||
				!slices.Equal(x.Deliberations, y.Deliberations) {
				t.Fatalf("run %d: the state at the end of turn %d differs between horizons 36 and 60", run, x.Turn)
			}
		}
	}
}

// Talks can break down, resume and end in a deal within one run; with no
// event that reopens talks and a mediator with no leverage, they never
// resume once broken down.
func TestTalksResume(t *testing.T) {
	found := 0
	traces(loadKorea(t), 1, 300, func(run int, tr *Trace) {
		broke, resumed := -1, -1
		for _, s := range tr.Steps {
			switch {
			case s.Kind == StepBreakdown && broke < 0:
				broke = s.Turn
			case s.Kind == StepResume && broke >= 0 && resumed < 0:
				resumed = s.Turn
			case s.Kind == StepAgreement && resumed >= 0:
				found++
				return
			}
		}
	})
	if found == 0 {
		t.Fatal("no run of 300 broke down, resumed and then signed a deal")
	}
	broke := 0
	traces(loadKorea(t, "actors.china.leverage.us=0", "actors.china.leverage.north_korea=0",
		"events.new_administration.effects.reopen=false"), 1, 300, func(run int, tr *Trace) {
		if len(tr.Record.Breakdowns) > 0 {
			broke++
		}
		if len(tr.Record.Resumptions) > 0 || slices.ContainsFunc(tr.Steps, func(s Step) bool { return s.Kind == StepResume }) {
			t.Fatalf("run %d: talks resumed with no reopening event and a mediator without leverage", run)
		}
	})
	if broke == 0 {
		t.Fatal("no run broke down: the test checks nothing")
	}
}

// A rescue or a reopening spends the mediator's leverage, shows what it
// spent, and none happens once the leverage over that signatory is gone.
func TestRescuesSpendLeverage(t *testing.T) {
	m := loadKorea(t)
	rescues := 0
	traces(m, 4, 300, func(run int, tr *Trace) {
		left := slices.Clone(tr.Start.Leverage)
		si := 0
		for _, s := range tr.Steps {
			for si < len(tr.States) && tr.States[si].Turn < s.Turn {
				si++
			}
			if s.Kind != StepRescue && (s.Kind != StepResume || s.Actor != m.mediator) {
				continue
			}
			rescues++
			if s.Spent <= 0 && s.Kind == StepRescue {
				t.Fatalf("run %d turn %d: a rescue that cost nothing", run, s.Turn)
			}
			if s.Spent > left[s.Target]+1e-12 {
				t.Fatalf("run %d turn %d: spent %.4f of leverage with %.4f left", run, s.Turn, s.Spent, left[s.Target])
			}
			left[s.Target] -= s.Spent
			if got := tr.States[si].Leverage[s.Target]; got > left[s.Target]+1e-9 {
				t.Fatalf("run %d turn %d: leverage %.4f after spending, want at most %.4f", run, s.Turn, got, left[s.Target])
			}
		}
	})
	if rescues == 0 {
		t.Fatal("no rescue or reopening by the mediator in 300 runs")
	}
}

// A package that changes no issue from the status quo is never signed.
func TestStatusQuoIsNoAgreement(t *testing.T) {
	m := loadKorea(t)
	traces(m, 6, 300, func(run int, tr *Trace) {
		for _, s := range tr.Steps {
			if s.Kind == StepAgreement && s.Package == m.sq {
				t.Fatalf("run %d turn %d: the status quo signed as an agreement", run, s.Turn)
			}
		}
	})
}

// A mediator with a bias proposes terms it likes better than an honest
// broker's: in the same runs (same seed, same draws), the mediator's first
// compromise is worth more to it.
func TestMediatorBiasRaisesMediatorUtility(t *testing.T) {
	first := func(bias string) float64 {
		m := loadKorea(t, "protocol.mediator_bias="+bias)
		sum := 0.0
		traces(m, 8, 500, func(run int, tr *Trace) {
			for _, s := range tr.Steps {
				if s.Kind == StepMediation {
					sum += s.Value
					return
				}
			}
		})
		return sum / 500
	}
	if f0, f4 := first("0"), first("0.6"); f4 <= f0 {
		t.Errorf("mediator's utility of its first compromise: %.4f with bias 0.6, %.4f with bias 0", f4, f0)
	}
}

// Every state variable changes some outcome when its starting value, or
// the amount that moves it, changes.
func TestEveryStateVariableMatters(t *testing.T) {
	runs := 1000
	if testenv.Quick() {
		runs = 300
	}
	base := countOutcomes(t, loadKorea(t), runs, 0).counts
	for _, set := range []string{
		"dynamics.tension=0.9",                           // tension
		"dynamics.trust=0.9",                             // trust
		"actors.us.hawkishness=0.1",                      // hawkishness
		"actors.china.goodwill.north_korea=0.9",          // goodwill
		"actors.china.leverage.us=0.2",                   // the mediator's leverage
		"events.missile_test.effects.prevail.us=-0.05",   // the balance of power
		"actors.us.conflict.spread=0.4",                  // beliefs
		"events.new_administration.effects.reopen=false", // talks alive
		"actors.north_korea.provocation=1",               // provocations (tests)
		"actors.north_korea.deadline=40",                 // an actor's clock
		"issues.denuclearization.irreversible_from=cvid", // the status quo a collapse leaves
	} {
		got := countOutcomes(t, loadKorea(t, set), runs, 0).counts
		if got == base {
			t.Errorf("--set %s left every outcome count unchanged: %v", set, got)
		}
	}
}
