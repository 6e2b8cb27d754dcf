// Package forecast is the expected-utility model of political forecasting
// (Bueno de Mesquita 1994; formalised and replicated by Scholz, Calbert and
// Smith 2011): actors with capability, position and salience on one
// dimension challenge one another round by round, and move to the offers
// they accept, until positions settle.
//
// API contract shared by the model and the command line (fields may be
// added, none renamed or removed):
//
//	Forecast(actors, Options) ([]Round, error)  one deterministic forecast
//	Summarise(runs [][]Round, probs []float64) []Band  per-round quantiles
//
// A scenario with several dimensions is forecast one dimension at a time
// (each with its own saliences); the caller does that.
//
// The equations, their sources and where the two variants differ are in
// docs/forecast.md.
package forecast

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Variant names a formulation of the model.
type Variant int

const (
	// Scholz is Scholz, Calbert and Smith's (2011) formalisation, as the
	// open replication that reproduces their published figures computes
	// it: the default.
	Scholz Variant = iota
	// BDM is Bueno de Mesquita's original where it differs (docs/forecast.md):
	// a contest's probabilities of success sum to one, an actor's risk
	// exponent compares its security with what it would have at the other
	// positions held, and an actor takes the offer that moves it least.
	BDM
)

// String returns the variant's name on the command line: "scholz" or
// "bdm".
func (v Variant) String() string {
	switch v {
	case Scholz:
		return "scholz"
	case BDM:
		return "bdm"
	}
	return fmt.Sprintf("Variant(%d)", int(v))
}

// ParseVariant reads a variant's name ("scholz" or "bdm", in any case).
func ParseVariant(s string) (Variant, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "scholz":
		return Scholz, nil
	case "bdm":
		return BDM, nil
	}
	return 0, fmt.Errorf("forecast: unknown model %q: expected scholz or bdm", s)
}

// Actor is one stakeholder on one dimension.
type Actor struct {
	ID         string
	Capability float64 // ≥ 0; only ratios matter
	Position   float64 // on the dimension's own scale
	Salience   float64 // in [0, 1]
}

// Options set a forecast.
type Options struct {
	// Rounds is the most rounds played (the forecast stops earlier when
	// positions settle). Default 10.
	Rounds int
	// Q is the chance the status quo persists when an actor does not
	// challenge (Scholz et al.'s Q), in (0, 1]. Default 1: the zero value
	// means the default, so Q = 0 itself cannot be asked for.
	Q       float64
	Variant Variant
	// Lo and Hi are the ends of the dimension's scale, by which distances
	// are normalised; when Hi <= Lo, the least and greatest starting
	// positions are used.
	Lo, Hi float64
	// Tol is how little the positions may move in a round for them to
	// count as settled, as a fraction of the scale (Hi − Lo): the forecast
	// stops after the first round in which no actor moved by more than
	// Tol × (Hi − Lo). Default 1e-6.
	Tol float64
}

// DefaultRounds and DefaultTol are the defaults of Options.Rounds and
// Options.Tol.
const (
	DefaultRounds = 10
	DefaultTol    = 1e-6
)

// Round is the state after one round (round 0: the starting positions).
type Round struct {
	Round     int
	Positions []float64 // per actor, in the order given
	// Mean is the capability×salience weighted mean position; Median is
	// Black's weighted median (weights capability×salience).
	Mean, Median float64
	// Moves lists what each actor did this round (empty for round 0), in
	// the order the actors were given: one Move for each actor that took
	// an offer. An actor that took none stayed where it was.
	Moves []Move
	// Offers lists every offer each actor received this round (the one
	// it took among them), by receiver in the order the actors were
	// given, then by offerer; To is where the offer would have moved it.
	Offers []Move
	// Risk holds each actor's risk exponent this round, from its security
	// level (nil for round 0).
	Risk []float64
	// Settled is set on the last round when the forecast stopped because
	// no actor moved by more than Options.Tol of the scale in it (rather
	// than because it reached Options.Rounds).
	Settled bool
}

// OfferKind is what kind of offer an actor receives.
type OfferKind int

// Offer kinds.
const (
	// Confrontation: both expect to gain by challenging, the offerer more;
	// the receiver expects to lose the contest and moves to the offerer's
	// position.
	Confrontation OfferKind = iota
	// Compromise: the offerer expects to gain by challenging, the
	// receiver to lose by challenging back, by less than the offerer
	// gains; the receiver moves part of the way.
	Compromise
	// Capitulation: as a compromise, but the receiver would lose at
	// least as much as the offerer gains; it moves all the way.
	Capitulation
)

// String returns the kind's name: "confrontation", "compromise" or
// "capitulation".
func (k OfferKind) String() string {
	switch k {
	case Confrontation:
		return "confrontation"
	case Compromise:
		return "compromise"
	case Capitulation:
		return "capitulation"
	}
	return fmt.Sprintf("OfferKind(%d)", int(k))
}

// Move is the offer an actor accepted in a round and where it moved (or,
// in Round.Offers, an offer it received and where it would have moved).
type Move struct {
	Actor int       // who moved (or received the offer)
	From  int       // whose offer it took
	Kind  OfferKind // what kind of offer
	// EUChallenge is the offerer's expected utility of challenging Actor;
	// EUChallenged is Actor's expected utility of the same contest, of
	// challenging From back. Both are as Actor sees them, which is the
	// point of view the offer is decided from: each is computed with
	// Actor's risk exponent (docs/forecast.md, "Offers").
	EUChallenge, EUChallenged float64
	To                        float64 // the position taken
}

// Band is one round's distribution over Monte Carlo runs.
type Band struct {
	Round int
	// Median is the median over runs of the round's median position and
	// Mean the mean over runs of the round's mean position. MedianLow and
	// MedianHigh are the 2.5% and 97.5% quantiles over runs of the
	// round's median, bounding the middle 95%.
	Median, Mean          float64
	MedianLow, MedianHigh float64
	// Quantiles holds the round's median position at each asked
	// probability.
	Quantiles []float64
}

// ErrNotImplemented was returned before the model was written; nothing
// returns it now. It is kept for callers that still test for it.
var ErrNotImplemented = errors.New("forecast: not implemented yet")

// ErrInput is matched (with errors.Is) by every error Forecast returns for
// bad actors or options.
var ErrInput = errors.New("forecast: invalid input")

// InputError lists every problem found with a forecast's actors and
// options at once. It matches ErrInput.
type InputError struct {
	Problems []string
}

func (e *InputError) Error() string {
	return "forecast: " + strings.Join(e.Problems, "; ")
}

// Is reports whether target is ErrInput.
func (e *InputError) Is(target error) bool { return target == ErrInput }

// Forecast plays the model from the actors' starting positions. It returns
// round 0 (the starting positions) and one Round for each round played,
// up to opt.Rounds, stopping early after a round in which positions
// settled (Round.Settled). The result does not depend on the order the
// actors are listed in, nor on multiplying every capability by one
// constant.
func Forecast(actors []Actor, opt Options) ([]Round, error) {
	opt, err := check(actors, opt)
	if err != nil {
		return nil, err
	}
	// Play in a canonical order of the actors, so that neither the sums
	// nor the tie-breaks depend on the order they were listed in; report
	// in the caller's order.
	perm := canonical(actors)
	m := newModel(actors, perm, opt)

	rounds := make([]Round, 0, opt.Rounds+1)
	rounds = append(rounds, m.snapshot(0, nil, nil, nil))
	for k := 1; k <= opt.Rounds; k++ {
		risk := m.riskExponents()
		offers, moves, next := m.play(risk)
		moved := 0.0
		for i := range next {
			moved = math.Max(moved, math.Abs(next[i]-m.x[i]))
		}
		m.x = next
		r := m.snapshot(k, risk, offers, moves)
		r.Settled = moved <= opt.Tol*m.scale
		rounds = append(rounds, r)
		if r.Settled {
			break
		}
	}
	return rounds, nil
}

// check validates the actors and options and fills in the defaults.
func check(actors []Actor, opt Options) (Options, error) {
	var p []string
	bad := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

	if len(actors) == 0 {
		bad("no actors: expected at least one")
	}
	scaled := opt.Hi > opt.Lo
	weight := 0.0
	for i, a := range actors {
		name := a.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		switch {
		case !finite(a.Capability):
			bad("actor %s: capability is %v: expected a finite number ≥ 0", name, a.Capability)
		case a.Capability < 0:
			bad("actor %s: capability is %g: expected a number ≥ 0", name, a.Capability)
		}
		switch {
		case !finite(a.Position):
			bad("actor %s: position is %v: expected a finite number", name, a.Position)
		case scaled && (a.Position < opt.Lo || a.Position > opt.Hi):
			bad("actor %s: position %g is outside the scale: expected a number from %g to %g", name, a.Position, opt.Lo, opt.Hi)
		}
		switch {
		case math.IsNaN(a.Salience):
			bad("actor %s: salience is NaN: expected a number from 0 to 1", name)
		case a.Salience < 0 || a.Salience > 1:
			bad("actor %s: salience is %g: expected a number from 0 to 1", name, a.Salience)
		}
		if finite(a.Capability) && a.Capability > 0 && a.Salience > 0 && a.Salience <= 1 {
			weight += a.Capability * a.Salience
		}
	}
	if len(actors) > 0 && len(p) == 0 && weight == 0 {
		bad("every actor has zero capability or zero salience: expected at least one with both above 0, for the weighted mean and median")
	}
	if !finite(opt.Lo) || !finite(opt.Hi) {
		bad("the scale's ends are %v and %v: expected finite numbers", opt.Lo, opt.Hi)
	}

	switch {
	case opt.Rounds == 0:
		opt.Rounds = DefaultRounds
	case opt.Rounds < 0:
		bad("rounds is %d: expected a whole number ≥ 1", opt.Rounds)
	}
	switch {
	case opt.Q == 0:
		opt.Q = 1
	case math.IsNaN(opt.Q) || opt.Q < 0 || opt.Q > 1:
		bad("Q is %v: expected a probability above 0 and at most 1", opt.Q)
	}
	switch {
	case opt.Tol == 0:
		opt.Tol = DefaultTol
	case math.IsNaN(opt.Tol) || opt.Tol < 0:
		bad("tolerance is %v: expected a number ≥ 0", opt.Tol)
	}
	if opt.Variant != Scholz && opt.Variant != BDM {
		bad("model is %v: expected scholz or bdm", opt.Variant)
	}
	if p != nil {
		return opt, &InputError{Problems: p}
	}
	return opt, nil
}

// canonical returns the actors' indices in a canonical order: by ID, then
// position, capability and salience.
func canonical(actors []Actor) []int {
	perm := make([]int, len(actors))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool {
		x, y := actors[perm[a]], actors[perm[b]]
		if x.ID != y.ID {
			return x.ID < y.ID
		}
		if x.Position != y.Position {
			return x.Position < y.Position
		}
		if x.Capability != y.Capability {
			return x.Capability < y.Capability
		}
		return x.Salience < y.Salience
	})
	return perm
}
