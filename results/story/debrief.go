package story

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/sim"
)

// Debrief sets a played game (see package play) against the model: the
// outcome; each seat's payoff against the payoffs of Monte Carlo runs of
// the same scenario in which the model plays that seat; and the decisions
// where the players departed from the model, with what each changed.
type Debrief struct {
	Scenario string `json:"scenario"`
	// Model is the engine's model version (sim.ModelVersion): the same
	// scenario, seed and model give the same results.
	Model int    `json:"model"`
	Seed  uint64 `json:"seed"`
	Run   int    `json:"run"`
	// Outcome, EndTurn and Label are how the game itself ended, as
	// played; OutcomeText says it in a sentence (see play.OutcomeText).
	Outcome     string `json:"outcome"`
	EndTurn     int    `json:"end_turn"`
	Label       string `json:"end_label,omitempty"`
	OutcomeText string `json:"outcome_text"`
	// ModelOutcome and ModelEndTurn are how the same run (the same draws)
	// ends when the model plays every seat: run Run of 'parley run'.
	ModelOutcome     string `json:"model_outcome"`
	ModelEndTurn     int    `json:"model_end_turn"`
	ModelOutcomeText string `json:"model_outcome_text"`
	// Runs is the number of Monte Carlo runs with the model in the seats;
	// Shares gives each outcome's share among them.
	Runs   int            `json:"runs"`
	Shares []OutcomeShare `json:"shares"`
	Seats  []SeatDebrief  `json:"seats"`
	// Decisions and Departures count the seats' decisions and those that
	// departed from the model's choice; Top lists the departures that
	// changed most (a departure that changed nothing is never listed).
	Decisions  int         `json:"decisions"`
	Departures int         `json:"departures"`
	Top        []Departure `json:"top"`
}

// OutcomeShare is one outcome's share of runs, with its Wilson 95% interval.
type OutcomeShare struct {
	Outcome string  `json:"outcome"`
	Share   float64 `json:"share"`
	CILow   float64 `json:"ci_low"`
	CIHigh  float64 `json:"ci_high"`
}

// SeatDebrief is one seat's payoff against the model's.
type SeatDebrief struct {
	Actor  string  `json:"actor"`
	Name   string  `json:"name"`
	Payoff float64 `json:"payoff"`
	// ModelPayoff is the seat's payoff in the same run played by the model.
	ModelPayoff float64 `json:"model_payoff"`
	// Percentile is the payoff's mid-rank percentile among the Monte
	// Carlo runs' payoffs for the actor (ties count half); Mean and Median
	// summarise those payoffs.
	Percentile float64 `json:"percentile"`
	Mean       float64 `json:"mean"`
	Median     float64 `json:"median"`
}

// Departure is a decision where a seat chose otherwise than the model would
// have, and what that changed: the game replayed with the players'
// decisions up to it, then either the player's choice (Chosen) or the
// model's (Modelled) there, and the model in every seat afterwards. Both
// are replays: the game itself went on with the players' later decisions.
type Departure struct {
	Index  int    `json:"index"` // from 1, in the order decisions were taken
	Turn   int    `json:"turn"`
	Label  string `json:"label,omitempty"`
	Actor  string `json:"actor"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Offer  string `json:"offer,omitempty"` // what was on the table, or the event
	Choice string `json:"choice"`
	Model  string `json:"model_choice"`
	// Chosen and Modelled are the ends of the two replays; Change is the
	// seat's payoff in Chosen minus its payoff in Modelled.
	Chosen   Ending  `json:"chosen"`
	Modelled Ending  `json:"modelled"`
	Change   float64 `json:"change"`
}

// Ending is how a replay ended, with the deciding seat's payoff.
type Ending struct {
	Outcome string  `json:"outcome"`
	EndTurn int     `json:"end_turn"`
	Payoff  float64 `json:"payoff"`
}

// DebriefOptions sets the size of a debrief.
type DebriefOptions struct {
	// Runs is the number of Monte Carlo runs with the model in the seats
	// (the same seed as the game); Workers the goroutines that play them
	// (0: all cores; the result does not depend on it).
	Runs, Workers int
	// Top is the number of departures to list.
	Top int
}

// NewDebrief debriefs the game of m with seed seed and number run whose
// trace is tr, played in the seats of the actors listed. It returns ctx's
// error if ctx is cancelled during the Monte Carlo runs.
func NewDebrief(ctx context.Context, m *sim.Model, seed uint64, run int, seats []int, tr *sim.Trace, opt DebriefOptions) (Debrief, error) {
	sc := m.Scenario
	rec := &tr.Record
	db := Debrief{
		Model:    sim.ModelVersion,
		Scenario: sc.ID, Seed: seed, Run: run, Outcome: rec.Outcome.String(), EndTurn: rec.EndTurn,
		Label: play.MonthLabel(sc.Start, rec.EndTurn), Runs: opt.Runs, Decisions: len(tr.Decisions),
		Top: []Departure{},
	}
	db.OutcomeText = play.OutcomeText(m, tr)
	w := sim.NewWorker(m)
	var mtr sim.Trace
	model := w.Run(seed, run, &mtr)
	db.ModelOutcome, db.ModelEndTurn = model.Outcome.String(), model.EndTurn
	db.ModelOutcomeText = play.OutcomeText(m, &mtr)
	modelU := slices.Clone(model.Utility)

	mc, _, err := sim.MonteCarlo(ctx, m, sim.Options{Runs: opt.Runs, Seed: seed, Workers: opt.Workers}, func() *payoffs {
		return &payoffs{u: make([][]float64, len(sc.Actors))}
	})
	if err != nil {
		return db, fmt.Errorf("results: debrief: %w", err)
	}
	for _, o := range sim.Outcomes {
		lo, hi := results.Wilson(mc.counts[o], opt.Runs)
		db.Shares = append(db.Shares, OutcomeShare{Outcome: o.String(), Share: float64(mc.counts[o]) / float64(max(opt.Runs, 1)), CILow: lo, CIHigh: hi})
	}
	for _, i := range seats {
		a := sc.Actors[i]
		sd := SeatDebrief{Actor: a.ID, Name: a.Name, Payoff: rec.Utility[i], ModelPayoff: modelU[i]}
		sd.Percentile, sd.Mean, sd.Median = rank(mc.u[i], sd.Payoff)
		db.Seats = append(db.Seats, sd)
	}

	seated := map[int]bool{}
	for _, i := range seats {
		seated[i] = true
	}
	// replay replays the game with the first keep recorded choices and the
	// model afterwards, and returns how it ends for actor a.
	replay := func(keep, a int) (Ending, error) {
		s := &play.Script{Recorded: tr.Decisions, Keep: keep}
		deciders := map[int]sim.Decider{}
		for i := range seated {
			deciders[i] = s
		}
		r := w.Play(seed, run, deciders, nil)
		if err := s.Err(); err != nil {
			return Ending{}, fmt.Errorf("results: debrief: %w", err)
		}
		return Ending{Outcome: r.Outcome.String(), EndTurn: r.EndTurn, Payoff: r.Utility[a]}, nil
	}
	var deps []Departure
	for k, sd := range tr.Decisions {
		d := sd.Decision
		// A package decision departs by its package, a yes-or-no one by
		// its answer.
		isPkg := d.Kind == sim.DecidePropose || d.Kind == sim.DecideMediate
		if (isPkg && sd.Choice.Package == sd.Model.Package) || (!isPkg && sd.Choice.Yes == sd.Model.Yes) {
			continue
		}
		db.Departures++
		dep := Departure{
			Index: k + 1, Turn: d.Turn, Label: play.MonthLabel(sc.Start, d.Turn),
			Actor: sc.Actors[d.Actor].ID, Name: sc.Actors[d.Actor].Name, Kind: d.Kind.String(),
			Choice: play.ChoiceText(m, d.Kind, sd.Choice), Model: play.ChoiceText(m, d.Kind, sd.Model),
		}
		switch d.Kind {
		case sim.DecideAct:
			dep.Offer = sc.Events[d.Event].Label
		case sim.DecideRespond:
			dep.Offer = fmt.Sprintf("%s's offer: %s", sc.Actors[d.From].Name, play.PackageText(m, d.Package))
		case sim.DecideViolate:
			dep.Offer = "the deal in force: " + play.PackageText(m, d.Package)
		}
		// Both replays keep the players' decisions before this one and
		// hand every seat to the model after it; they differ only here.
		if dep.Chosen, err = replay(k+1, d.Actor); err != nil {
			return db, err
		}
		if dep.Modelled, err = replay(k, d.Actor); err != nil {
			return db, err
		}
		dep.Change = dep.Chosen.Payoff - dep.Modelled.Payoff
		deps = append(deps, dep)
	}
	// The departures that changed most first: a changed outcome, then the
	// larger change of payoff, then the earlier.
	slices.SortStableFunc(deps, func(a, b Departure) int {
		ca, cb := a.Chosen.Outcome != a.Modelled.Outcome, b.Chosen.Outcome != b.Modelled.Outcome
		if ca != cb {
			if ca {
				return -1
			}
			return 1
		}
		return cmp.Compare(math.Abs(b.Change), math.Abs(a.Change))
	})
	for _, d := range deps {
		if len(db.Top) == opt.Top {
			break
		}
		if d.Chosen != d.Modelled {
			db.Top = append(db.Top, d)
		}
	}
	return db, nil
}

// WriteDebrief writes the debrief as text: how the game ended as played,
// how the model in the same seats ends the same run, in plain words, each
// seat's payoff against the model's, and the decisions that changed the
// outcome most, or why none did.
func WriteDebrief(w io.Writer, db Debrief) error {
	p := &textWriter{w: w}
	seat := "your seat"
	if len(db.Seats) > 1 {
		seat = "your seats"
	}
	p.printf("Debrief: %s, seed %d, run %d\n", db.Scenario, db.Seed, db.Run)
	p.printf("  As played: %s.\n", orOutcome(db.OutcomeText, db.Outcome, db.EndTurn))
	p.printf("  With the model in %s, the same run (the same draws): %s.\n", seat, orOutcome(db.ModelOutcomeText, db.ModelOutcome, db.ModelEndTurn))
	switch {
	case db.Outcome == db.ModelOutcome && db.EndTurn == db.ModelEndTurn:
		p.printf("  So the game ended as the model's play of %s ends it: %s on turn %d.\n", seat, db.Outcome, db.EndTurn)
	case db.Outcome == db.ModelOutcome:
		p.printf("  So the game ended the same way as the model's play (%s), on turn %d instead of turn %d.\n", db.Outcome, db.EndTurn, db.ModelEndTurn)
	default:
		p.printf("  So the game ended in %s on turn %d where the model's play of %s ends in %s on turn %d.\n", db.Outcome, db.EndTurn, seat, db.ModelOutcome, db.ModelEndTurn)
	}
	for _, s := range db.Seats {
		p.printf("  %s: payoff %.3f; the model in that seat, same run: %.3f (%s).\n", s.Name, s.Payoff, s.ModelPayoff, better(s.Payoff-s.ModelPayoff))
		p.printf("    Against %d runs with the model in that seat: percentile %.0f (mean %.3f, median %.3f).\n", db.Runs, s.Percentile, s.Mean, s.Median)
	}
	p.printf("  Outcomes of those %d runs (seed %d):", db.Runs, db.Seed)
	for i, o := range db.Shares {
		sep := ","
		if i == 0 {
			sep = ""
		}
		p.printf("%s %s %.1f%% (95%% %.1f–%.1f)", sep, o.Outcome, 100*o.Share, 100*o.CILow, 100*o.CIHigh)
	}
	p.printf(".\n")
	when := func(turn int, label string) string {
		if label != "" {
			return fmt.Sprintf("turn %d (%s)", turn, label)
		}
		return fmt.Sprintf("turn %d", turn)
	}
	switch {
	case db.Decisions == 0:
		p.printf("  No decision changed the outcome: no seat was asked to decide anything, so this was run %d of 'parley run --seed %d'.\n", db.Run, db.Seed)
	case db.Departures == 0:
		p.printf("  No decision changed the outcome: all %s were the model's own, so this was run %d of 'parley run --seed %d'.\n", nDecisions(db.Decisions), db.Run, db.Seed)
	case len(db.Top) == 0:
		p.printf("  No decision changed the outcome: %s of %d departed from the model's, but replayed one at a time (the model playing every seat afterwards), each ends the run as the model's choice does, with the same payoffs; where you departed, the others' answers, not yours, decided what happened.\n",
			nDecisions(db.Departures), db.Decisions)
	default:
		top := "The one"
		if len(db.Top) > 1 {
			top = fmt.Sprintf("The %d", len(db.Top))
		}
		p.printf("  %s of %d departed from the model's. %s that changed the outcome most,", nDecisions(db.Departures), db.Decisions, top)
		p.printf(" each replayed from the start both ways (your decisions before it, the model in every seat after it):\n")
		for _, d := range db.Top {
			p.printf("  - %s, %s (%s)", when(d.Turn, d.Label), d.Name, d.Kind)
			if d.Offer != "" {
				p.printf(", %s", d.Offer)
			}
			p.printf(":\n      %s chose to %s; the model would %s.\n", d.Name, d.Choice, d.Model)
			p.printf("      Replayed with that choice: %s on turn %d, payoff %.3f. With the model's: %s on turn %d, payoff %.3f. The choice %s.\n",
				d.Chosen.Outcome, d.Chosen.EndTurn, d.Chosen.Payoff, d.Modelled.Outcome, d.Modelled.EndTurn, d.Modelled.Payoff, gained(d))
		}
	}
	return p.flush()
}

// orOutcome is an outcome's sentence, or its name and turn when a debrief
// has no sentence (one decoded from older JSON).
func orOutcome(text, outcome string, turn int) string {
	if text != "" {
		return text
	}
	return fmt.Sprintf("%s on turn %d", outcome, turn)
}

// better compares a payoff with the model's: "better by 0.068".
func better(d float64) string {
	switch {
	case d >= 0.0005:
		return fmt.Sprintf("better than the model by %.3f", d)
	case d <= -0.0005:
		return fmt.Sprintf("worse than the model by %.3f", -d)
	}
	return "the same as the model's"
}

// gained says what a departure changed for the seat: "turned agreement
// into stalemate (payoff -0.018)".
func gained(d Departure) string {
	pay := fmt.Sprintf("payoff %+.3f", d.Change)
	switch {
	case d.Chosen.Outcome != d.Modelled.Outcome:
		return fmt.Sprintf("turned %s into %s (%s)", d.Modelled.Outcome, d.Chosen.Outcome, pay)
	case math.Abs(d.Change) >= 0.0005:
		return "changed the " + pay
	}
	return fmt.Sprintf("changed when the run ended (turn %d instead of %d), not how", d.Chosen.EndTurn, d.Modelled.EndTurn)
}

// nDecisions counts decisions: "1 decision", "43 decisions".
func nDecisions(n int) string {
	if n == 1 {
		return "1 decision"
	}
	return fmt.Sprintf("%d decisions", n)
}

// payoffs collects each actor's payoff in every run, and the outcome counts.
type payoffs struct {
	u      [][]float64
	counts [sim.NumOutcomes]int
}

func (p *payoffs) Add(r *sim.Record) {
	for i, x := range r.Utility {
		p.u[i] = append(p.u[i], x)
	}
	p.counts[r.Outcome]++
}

func (p *payoffs) Merge(o *payoffs) {
	for i := range p.u {
		p.u[i] = append(p.u[i], o.u[i]...)
	}
	for k, c := range o.counts {
		p.counts[k] += c
	}
}

func (p *payoffs) Reset() {
	for i := range p.u {
		p.u[i] = p.u[i][:0]
	}
	p.counts = [sim.NumOutcomes]int{}
}

// rank returns x's mid-rank percentile among xs (values within 1e-12 of x
// count as ties, each half), and the mean and median of xs.
func rank(xs []float64, x float64) (pct, mean, median float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	below, ties, sum := 0, 0, 0.0
	for _, v := range xs {
		switch {
		case math.Abs(v-x) <= 1e-12:
			ties++
		case v < x:
			below++
		}
		sum += v
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	median = s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	return 100 * (float64(below) + float64(ties)/2) / float64(n), sum / float64(n), median
}
