package play

import "github.com/parley-sim/parley/sim"

// PlayOn is Play on a worker the caller prepared for m: one that injects
// events an instructor chose, say (sim.Worker.InjectWith). With a fresh
// worker it plays exactly the game Play plays.
func PlayOn(w *sim.Worker, m *sim.Model, seed uint64, run int, actors []int, player Player) (*sim.Trace, error) {
	if err := Playable(m); err != nil && len(actors) > 0 {
		return nil, err
	}
	tr := &sim.Trace{}
	s := NewSeats(m, tr, player, actors)
	w.Play(seed, run, s.Deciders(), tr)
	if s.err != nil {
		return tr, s.err
	}
	if e, ok := player.(Ender); ok {
		if err := e.End(&End{News: s.news(), Outcome: OutcomeText(m, tr), Record: &tr.Record}); err != nil {
			return tr, err
		}
	}
	return tr, nil
}
