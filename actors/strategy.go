package actors

import (
	"math"

	"github.com/parley-sim/parley/scenarios"
)

// TimeDependent is the time-dependent aspiration of Faratin, Sierra and
// Jennings (1998) with κ = 0: at time t of T the actor asks for
//
//	a(t) = r + (1 − r)·(1 − (t/T)^(1/e))
//
// falling from 1 at t = 0 to the reservation r at t = T, and staying at r
// after T. T is the actor's own deadline (Faratin's t_max), not the end of
// the simulation. e < 1 concedes late (Boulware), e = 1 linearly, e > 1
// early (conceder).
func TimeDependent(t, horizon, e, r float64) float64 {
	if horizon <= 0 || t >= horizon {
		return r
	}
	if t <= 0 {
		return 1
	}
	return r + (1-r)*(1-math.Pow(t/horizon, 1/e))
}

// View is what a strategy sees when it sets its aspiration.
type View struct {
	// Turn counts from 1.
	Turn int
	// Deadline is the actor's own deadline (a turn; +Inf for none): a
	// time-dependent strategy reaches its floor there.
	Deadline float64
	// NoDeal is the actor's current value of no agreement.
	NoDeal float64
	// WalkOutLooms is true when a signatory would walk out of the talks at
	// the end of this turn if no deal is made: a staller then concedes.
	WalkOutLooms bool
}

// Strategy is an actor's drawn concession strategy and its state in a run.
// The zero value is not usable: set it with Reset.
type Strategy struct {
	Kind        string
	E           float64
	Reservation float64
	Demand      float64
	// TalkValue is the actor's value of each turn of talks (a staller asks
	// for it on top of its value of no agreement, since a deal ends them).
	TalkValue float64

	// tit-for-tat state: current aspiration, and the worth to this actor
	// of the last offer each other actor made to it (NaN: none yet).
	tft  float64
	last []float64
}

// Reset clears the run state of the strategy for talks among n actors. It
// allocates only the first time, or when n grows.
func (s *Strategy) Reset(n int) {
	s.tft = 1
	if cap(s.last) < n {
		s.last = make([]float64, n)
	}
	s.last = s.last[:n]
	for i := range s.last {
		s.last[i] = math.NaN()
	}
}

// Floor is the least the actor would ever accept at this turn: its value
// of no agreement or its own reservation, whichever is higher.
func (s *Strategy) Floor(v View) float64 {
	return max(v.NoDeal, s.Reservation)
}

// Aspiration returns the least utility the actor asks for this turn; it is
// never below the actor's value of no agreement.
func (s *Strategy) Aspiration(v View) float64 {
	r := s.Floor(v)
	var a float64
	switch s.Kind {
	case scenarios.Boulware, scenarios.Linear, scenarios.Conceder:
		a = TimeDependent(float64(v.Turn-1), v.Deadline-1, s.E, r)
	case scenarios.TitForTat:
		a = max(s.tft, r)
	case scenarios.Hardliner:
		a = max(s.Demand, r)
	case scenarios.Staller:
		// A staller holds out while the talks are safe and concedes to its
		// floor only when a walk-out threatens them.
		if v.WalkOutLooms {
			a = r
		} else {
			a = 1
		}
	default:
		panic("actors: unknown strategy " + s.Kind)
	}
	return max(a, v.NoDeal)
}

// Accepts reports whether the actor accepts a package worth u to it, given
// its aspiration a and its value of no agreement. A staller also asks for
// its talk value on top of no agreement while the talks are safe: a deal
// ends the talks it values.
func (s *Strategy) Accepts(u, a float64, v View) bool {
	bar := max(a, v.NoDeal)
	if s.Kind == scenarios.Staller && !v.WalkOutLooms {
		bar = max(bar, v.NoDeal+s.TalkValue)
	}
	return u >= bar
}

// Observe tells a tit-for-tat actor the worth u, to it, of an offer its
// counterpart from made to it. The actor lowers its aspiration by as much
// as the offer conceded over from's previous offer, and raises it by as
// much as the offer retracted: a relative tit-for-tat in utility (Faratin
// et al. 1998, §4.3, with δ = 1), kept per counterpart so that offers from
// different proposers are not mistaken for concessions or retractions. The
// engine reports only the offers of the other signatories: a mediator's
// compromise, or a third party's proposal, is no concession to reciprocate.
func (s *Strategy) Observe(from int, u float64) {
	if s.Kind != scenarios.TitForTat {
		return
	}
	if prev := s.last[from]; !math.IsNaN(prev) {
		s.tft = min(1, max(0, s.tft-(u-prev)))
	}
	s.last[from] = u
}
