package sim

import "fmt"

// Outcome is how a run ended. Every run ends in exactly one outcome.
type Outcome uint8

// The four outcomes, in the order reports list them.
const (
	// Agreement: a deal is in force at the end of the run.
	Agreement Outcome = iota
	// Stalemate: talks are alive at the end, with no deal in force.
	Stalemate
	// Breakdown: talks ended without a deal and without conflict.
	Breakdown
	// Conflict: a strike was launched; the conflict lottery settled the run.
	Conflict
)

// NumOutcomes is the number of outcome classes.
const NumOutcomes = 4

// Outcomes lists every outcome in report order.
var Outcomes = [NumOutcomes]Outcome{Agreement, Stalemate, Breakdown, Conflict}

var outcomeNames = [NumOutcomes]string{"agreement", "stalemate", "breakdown", "conflict"}

// String returns the outcome's name as used in files: "agreement",
// "stalemate", "breakdown" or "conflict".
func (o Outcome) String() string {
	if int(o) < NumOutcomes {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// ParseOutcome returns the outcome named s.
func ParseOutcome(s string) (Outcome, error) {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i), nil
		}
	}
	return 0, fmt.Errorf("sim: unknown outcome %q", s)
}

// Record summarises one run: what results aggregate. A Record's slices are
// reused by the runner between runs; an Accumulator must copy what it keeps.
type Record struct {
	// Run numbers runs from 1.
	Run     int
	Outcome Outcome
	// EndTurn is the turn the run's final state began: the strike (conflict),
	// the signing of the deal in force at the horizon (agreement), the last
	// breakdown (breakdown), or the horizon (stalemate).
	EndTurn int
	// Utility holds each actor's utility of the outcome, in [0,1], in
	// scenario order.
	Utility []float64
	// Terms holds the agreed level of each issue when Outcome is Agreement;
	// otherwise every entry is -1.
	Terms []int

	// What happened on the way.
	Tests     int // provocation events
	Strikes   int // strikes launched (0 or 1: a strike ends the run)
	Deals     int // agreements signed, steps included
	Collapsed int // agreements that later collapsed after a violation
	// Partials counts the steps signed (partial deals: protocol
	// partial_deals); Partial is true when the deal in force at the end is
	// one, its open issues still unsettled (Outcome is then Agreement).
	Partials int
	Partial  bool

	// The timeline: the turn the first deal was signed (0 for none), and
	// the turns of each collapse, each breakdown and each resumption of
	// talks, in order.
	FirstDeal   int
	Collapses   []int
	Breakdowns  []int
	Resumptions []int
	// Signings lists every deal signed, in order.
	Signings []Signing

	// Inputs holds the run's drawn value of each number Model.Inputs
	// names, in that order: what a regression of outcomes on assumptions
	// reads.
	Inputs []float64

	// Turns holds, when the worker keeps them (Worker.KeepTurns,
	// Options.Turns), the state of the talks at the end of each turn the
	// run played, turn 1 first (its Deliberations are not kept). The
	// states and their slices are reused by the next run.
	Turns []TurnState
}

// Signing is one deal signed in a run: the turn, the package, and whether
// it was a step (a partial deal).
type Signing struct {
	Turn    int
	Package int
	Partial bool
}

// Accumulator folds run records into a summary. The runner gives each chunk
// of consecutive runs an empty accumulator and merges chunks in run order,
// so a summary is the same whatever the number of workers. Reset empties an
// accumulator so the runner can reuse it for another chunk.
type Accumulator[A any] interface {
	Add(r *Record)
	Merge(other A)
	Reset()
}
