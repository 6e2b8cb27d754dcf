package story

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/internal/testmodel"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/sim"
)

func koreaModel(t *testing.T) *sim.Model { return testmodel.Load(t, "korea-2018") }

// flipSeat does what the model would, except at decision number flip
// (from 0), where it does the opposite.
type flipSeat struct {
	n, flip int
}

func (s *flipSeat) Decide(d *sim.Decision) sim.Choice {
	c := sim.ModelChoice(d)
	if s.n == s.flip {
		if d.Kind == sim.DecidePropose || d.Kind == sim.DecideMediate {
			if c.Package >= 0 {
				c.Package = -1
			} else {
				c.Package = 0
			}
		} else {
			c.Yes = !c.Yes
		}
	}
	s.n++
	return c
}

// With one departure from the model, its two replays are the game itself
// (the player's choice there, the model's everywhere else) and the model's
// own run: the counterfactual isolates that decision.
func TestDebriefOneDeparture(t *testing.T) {
	m := koreaModel(t)
	w := sim.NewWorker(m)
	us := m.Scenario.ActorIndex("us")
	found := 0
	for run := 1; run <= 40 && found < 3; run++ {
		for flip := range 40 {
			var tr sim.Trace
			w.Play(2, run, map[int]sim.Decider{us: &flipSeat{flip: flip}}, &tr)
			model := *w.Run(2, run, nil)
			modelU := model.Utility[us]
			if tr.Record.Outcome == model.Outcome && tr.Record.Utility[us] == modelU {
				continue
			}
			found++
			db, err := NewDebrief(context.Background(), m, 2, run, []int{us}, &tr, DebriefOptions{Runs: 300, Top: 3})
			if err != nil {
				t.Fatal(err)
			}
			if db.Departures != 1 || len(db.Top) != 1 {
				t.Fatalf("run %d flip %d: %d departures, %d listed", run, flip, db.Departures, len(db.Top))
			}
			d := db.Top[0]
			game := Ending{tr.Record.Outcome.String(), tr.Record.EndTurn, tr.Record.Utility[us]}
			own := Ending{model.Outcome.String(), model.EndTurn, modelU}
			if d.Chosen != game || d.Modelled != own || d.Index != flip+1 || d.Change != game.Payoff-own.Payoff {
				t.Fatalf("run %d flip %d: departure %+v; want played %+v, modelled %+v", run, flip, d, game, own)
			}
			if db.ModelOutcome != model.Outcome.String() || db.Seats[0].ModelPayoff != modelU || db.Seats[0].Payoff != game.Payoff {
				t.Fatalf("run %d: debrief %+v", run, db)
			}
			var buf bytes.Buffer
			if err := WriteDebrief(&buf, db); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"1 decision of ", "departed from the model's", "As played: " + play.OutcomeText(m, &tr) + ".\n",
				"Replayed with that choice: " + game.Outcome, "With the model's: " + own.Outcome} {
				if !strings.Contains(buf.String(), want) {
					t.Fatalf("debrief text lacks %q:\n%s", want, buf.String())
				}
			}
			break
		}
	}
	if found == 0 {
		t.Fatal("no single departure changed a game; the test checks nothing")
	}
}

// A game played as the model would is the model's run: no departures, the
// seat's payoff is the model's, and the Monte Carlo summary is that of
// 'parley run' with the same seed.
func TestDebriefModelGame(t *testing.T) {
	m := koreaModel(t)
	w := sim.NewWorker(m)
	nk := m.Scenario.ActorIndex("north_korea")
	var tr sim.Trace
	w.Play(7, 3, map[int]sim.Decider{nk: &flipSeat{flip: -1}}, &tr)
	db, err := NewDebrief(context.Background(), m, 7, 3, []int{nk}, &tr, DebriefOptions{Runs: 500, Workers: 3, Top: 3})
	if err != nil {
		t.Fatal(err)
	}
	if db.Departures != 0 || len(db.Top) != 0 || db.Decisions != len(tr.Decisions) || db.Seats[0].Payoff != db.Seats[0].ModelPayoff {
		t.Fatalf("debrief %+v", db)
	}
	total, _, _ := sim.MonteCarlo(context.Background(), m, sim.Options{Runs: 500, Seed: 7}, func() *results.Summary { return results.NewSummary(m.Scenario) })
	rep := total.Report(m.Scenario.ID, 7)
	share := 0.0
	for k, o := range db.Shares {
		share += o.Share
		if got := rep.Outcomes.Get(sim.Outcomes[k]).Share; o.Outcome != sim.Outcomes[k].String() || math.Abs(got-o.Share) > 1e-12 {
			t.Fatalf("%s: debrief share %v, run %v", o.Outcome, o.Share, got)
		}
	}
	if math.Abs(share-1) > 1e-12 {
		t.Fatalf("shares add up to %v", share)
	}
	if p := db.Seats[0].Percentile; p < 0 || p > 100 {
		t.Fatalf("percentile %v", p)
	}
	if _, err := NewDebrief(canceled(), m, 7, 3, []int{nk}, &tr, DebriefOptions{Runs: 5000}); err == nil {
		t.Fatal("a cancelled debrief returned no error")
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestRank(t *testing.T) {
	for _, tc := range []struct {
		xs                []float64
		x, pct, mean, med float64
	}{
		{[]float64{1, 2, 3, 4}, 2.5, 50, 2.5, 2.5},
		{[]float64{1, 2, 3, 4}, 0, 0, 2.5, 2.5},
		{[]float64{1, 2, 3, 4}, 9, 100, 2.5, 2.5},
		{[]float64{1, 2, 2, 2, 5}, 2, 50, 2.4, 2}, // ties count half
	} {
		pct, mean, med := rank(tc.xs, tc.x)
		if math.Abs(pct-tc.pct) > 1e-12 || math.Abs(mean-tc.mean) > 1e-12 || med != tc.med {
			t.Errorf("rank(%v, %v) = %v, %v, %v; want %v, %v, %v", tc.xs, tc.x, pct, mean, med, tc.pct, tc.mean, tc.med)
		}
	}
}

// refuseAll refuses every offer and otherwise does what the model would.
type refuseAll struct{}

func (refuseAll) Decide(d *sim.Decision) sim.Choice {
	c := sim.ModelChoice(d)
	if d.Kind == sim.DecideRespond {
		c.Yes = false
	}
	return c
}

// The debrief's "As played" is the game's own outcome, not one of the
// replays it lists: with many departures, the replays of a single one end
// otherwise than the game, and the text still says how the game ended.
func TestDebriefAsPlayedIsTheGame(t *testing.T) {
	m := koreaModel(t)
	w := sim.NewWorker(m)
	us := m.Scenario.ActorIndex("us")
	differs := 0
	for run := 1; run <= 6; run++ {
		var tr sim.Trace
		w.Play(3, run, map[int]sim.Decider{us: refuseAll{}}, &tr)
		db, err := NewDebrief(context.Background(), m, 3, run, []int{us}, &tr, DebriefOptions{Runs: 50, Top: 3})
		if err != nil {
			t.Fatal(err)
		}
		if db.Outcome != tr.Record.Outcome.String() || db.EndTurn != tr.Record.EndTurn {
			t.Fatalf("run %d: debrief outcome %s on %d, game %s on %d", run, db.Outcome, db.EndTurn, tr.Record.Outcome, tr.Record.EndTurn)
		}
		var buf bytes.Buffer
		if err := WriteDebrief(&buf, db); err != nil {
			t.Fatal(err)
		}
		want := "  As played: " + play.OutcomeText(m, &tr) + ".\n"
		if !strings.Contains(buf.String(), want) || !strings.HasPrefix(play.OutcomeText(m, &tr), db.Outcome+": ") {
			t.Fatalf("run %d: debrief lacks %q:\n%s", run, want, buf.String())
		}
		for _, d := range db.Top {
			if d.Chosen.Outcome != db.Outcome || d.Chosen.EndTurn != db.EndTurn {
				differs++
			}
		}
	}
	if differs == 0 {
		t.Fatal("no listed replay ended otherwise than its game: the test checks nothing")
	}
}
