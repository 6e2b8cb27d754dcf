package sim

import (
	"fmt"
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
)

// modelSeat always does what the model would, and counts its decisions.
type modelSeat struct{ asked map[DecisionKind]int }

func (s *modelSeat) Decide(d *Decision) Choice {
	s.asked[d.Kind]++
	return ModelChoice(d)
}

// A seat that follows the model's own choices plays exactly the run the
// model plays, for every actor and many runs: play and run share one engine.
func TestModelSeatReproducesRun(t *testing.T) {
	m := loadKorea(t)
	w := NewWorker(m)
	runs := 200
	if testenv.Quick() {
		runs = 60
	}
	for i, a := range m.Scenario.Actors {
		seat := &modelSeat{asked: map[DecisionKind]int{}}
		for run := 1; run <= runs; run++ {
			var plain, played listAcc
			var tp, tq Trace
			plain.Add(w.Run(3, run, &tp))
			played.Add(w.Play(3, run, map[int]Decider{i: seat}, &tq))
			if plain.rows[0] != played.rows[0] || len(tp.Steps) != len(tq.Steps) {
				t.Fatalf("%s seated by the model, run %d: %s, want %s", a.ID, run, played.rows[0], plain.rows[0])
			}
			if len(tp.Decisions) != 0 {
				t.Fatal("a run without seats recorded seat decisions")
			}
			if len(tq.Decisions) == 0 && a.ID != "south_korea" {
				t.Fatalf("%s run %d: the seat was never asked", a.ID, run)
			}
		}
		t.Logf("%s was asked %v", a.ID, seat.asked)
	}
}

// passSeat passes: no proposal, refuses every offer, no action.
type passSeat struct{}

func (passSeat) Decide(*Decision) Choice { return Choice{Package: -1} }

// A seat that passes changes the game: a United States that refuses
// everything never signs a deal.
func TestPassingSeatNeverAgrees(t *testing.T) {
	m := loadKorea(t)
	w := NewWorker(m)
	us := m.Scenario.ActorIndex("us")
	for run := 1; run <= 300; run++ {
		var tr Trace
		r := w.Play(5, run, map[int]Decider{us: passSeat{}}, &tr)
		if r.Deals != 0 {
			t.Fatalf("run %d: a US that refuses everything signed %d deals", run, r.Deals)
		}
		for _, d := range tr.Decisions {
			if d.Choice.Yes || d.Choice.Package != -1 {
				t.Fatalf("run %d: recorded choice %+v for a passing seat", run, d.Choice)
			}
		}
	}
}

func ExampleWorker_Play() {
	m, err := Compile(mustLoad("korea-2018"))
	if err != nil {
		panic(err)
	}
	w := NewWorker(m)
	us := m.Scenario.ActorIndex("us")
	r := w.Play(1, 1, map[int]Decider{us: passSeat{}}, nil)
	fmt.Println("deals:", r.Deals)
	// Output: deals: 0
}
