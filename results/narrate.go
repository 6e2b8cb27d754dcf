package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Narration is one run told turn by turn, built from the engine's trace of
// that run (see [NewNarration]); its JSON encoding is the trace as data and
// its text rendering ([WriteNarration]) the story a person reads.
type Narration struct {
	Scenario string   `json:"scenario"`
	Title    string   `json:"title"`
	Question string   `json:"question"`
	Seed     uint64   `json:"seed"`
	Run      int      `json:"run"`
	Outcome  string   `json:"outcome"`
	EndTurn  int      `json:"end_turn"`
	Actors   []Stance `json:"actors"`
	Turns    []Turn   `json:"turns"`
	// Payoffs holds each actor's utility of the outcome, by actor id.
	Payoffs map[string]float64 `json:"payoffs"`
	// Terms holds the agreed level of each issue, or is null.
	Terms  map[string]string `json:"terms"`
	Counts RunCounts         `json:"counts"`
	// Seats lists the actors whose decisions people took, in a game
	// played with 'parley play'; their steps are marked Seat.
	Seats []string `json:"seats,omitempty"`

	sc *scenarios.Scenario
}

// Stance is what an actor brings to the talks at the start of the run.
type Stance struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"` // "signatory", "mediator" or "other"
	Strategy string `json:"strategy"`
	// Ideal is the actor's best package, issue id → level.
	Ideal map[string]string `json:"ideal"`
	// Weights are the run's issue weights (normalised), issue id → weight.
	Weights map[string]float64 `json:"weights"`
	// NoDeal is its value of no agreement before turn 1.
	NoDeal      float64 `json:"no_deal"`
	Hawkishness float64 `json:"hawkishness"`

	ideal []int
}

// Turn is what happened in one turn and the state it left.
type Turn struct {
	Turn  int    `json:"turn"`
	Label string `json:"label,omitempty"` // the month, when the scenario has a start
	Steps []Step `json:"steps"`
	State State  `json:"state"`
}

// Step is one thing that happened: an event, a proposal, a response, a
// mediation, a deal, a violation, a breakdown, a salvage or a strike.
type Step struct {
	Kind  string `json:"kind"`
	Actor string `json:"actor,omitempty"`
	Event string `json:"event,omitempty"`
	// Package is the package on the table, issue id → level.
	Package  map[string]string `json:"package,omitempty"`
	Accepted *bool             `json:"accepted,omitempty"`
	// Value, Aspiration and NoDeal: the package's worth to Actor, what it
	// asked for, and its value of no agreement (hazard for a breakdown).
	Value      *float64 `json:"value,omitempty"`
	Aspiration *float64 `json:"aspiration,omitempty"`
	NoDeal     *float64 `json:"no_deal,omitempty"`
	Cause      string   `json:"cause,omitempty"`
	Tension    float64  `json:"tension"`
	Trust      float64  `json:"trust"`
	// Seat is true when a player, not the model, took the decision.
	Seat bool `json:"seat,omitempty"`

	pkg []int
	raw sim.Step
}

// State is the state of the talks at the end of a turn.
type State struct {
	Tension     float64            `json:"tension"`
	Trust       float64            `json:"trust"`
	Hawkishness map[string]float64 `json:"hawkishness"`
	NoDeal      map[string]float64 `json:"no_deal"`
	Talks       bool               `json:"talks"`
	Deal        map[string]string  `json:"deal"`
}

// RunCounts is what happened on the way.
type RunCounts struct {
	Tests     int `json:"tests"`
	Strikes   int `json:"strikes"`
	Deals     int `json:"deals"`
	Collapsed int `json:"collapsed"`
}

// NewNarration builds the narration of run number run from its trace tr,
// played by model m.
func NewNarration(m *sim.Model, tr *sim.Trace, run int) Narration {
	sc := m.Scenario
	rec := &tr.Record
	nr := Narration{
		Scenario: sc.ID, Title: sc.Title, Question: sc.Question,
		Seed: tr.Seed, Run: run, Outcome: rec.Outcome.String(), EndTurn: rec.EndTurn,
		Payoffs: map[string]float64{},
		Counts:  RunCounts{rec.Tests, rec.Strikes, rec.Deals, rec.Collapsed},
		sc:      sc,
	}
	pkg := func(p int) ([]int, map[string]string) {
		if p < 0 {
			return nil, nil
		}
		levels := make([]int, len(sc.Issues))
		m.Space.Decode(p, levels)
		return levels, labels(sc, levels)
	}
	for i, a := range sc.Actors {
		st := Stance{ID: a.ID, Name: a.Name, Role: "other", Strategy: a.Strategy.Kind,
			Weights: map[string]float64{}, NoDeal: tr.Start.NoDeal[i], Hawkishness: tr.Start.Hawkishness[i]}
		switch {
		case slices.Contains(sc.Protocol.Signatories, i):
			st.Role = "signatory"
		case sc.Protocol.Mediator == i:
			st.Role = "mediator"
		}
		st.ideal, st.Ideal = pkg(tr.Ideals[i])
		total := 0.0
		for j := range sc.Issues {
			total += drawn(tr, a.Weights[j])
		}
		for j, is := range sc.Issues {
			if total > 0 {
				st.Weights[is.ID] = drawn(tr, a.Weights[j]) / total
			}
		}
		nr.Actors = append(nr.Actors, st)
		nr.Payoffs[a.ID] = rec.Utility[i]
	}
	if rec.Outcome == sim.Agreement {
		nr.Terms = labels(sc, rec.Terms)
	}
	steps := tr.Steps
	for _, s := range tr.States {
		t := Turn{Turn: s.Turn, Label: monthLabel(sc.Start, s.Turn), Steps: []Step{}}
		for len(steps) > 0 && steps[0].Turn == s.Turn {
			t.Steps = append(t.Steps, newStep(sc, steps[0], pkg))
			steps = steps[1:]
		}
		t.State = State{Tension: s.Tension, Trust: s.Trust, Talks: s.Talks,
			Hawkishness: map[string]float64{}, NoDeal: map[string]float64{}}
		_, t.State.Deal = pkg(s.Deal)
		for i, a := range sc.Actors {
			t.State.Hawkishness[a.ID] = s.Hawkishness[i]
			t.State.NoDeal[a.ID] = s.NoDeal[i]
		}
		nr.Turns = append(nr.Turns, t)
	}
	return nr
}

func newStep(sc *scenarios.Scenario, s sim.Step, pkg func(int) ([]int, map[string]string)) Step {
	st := Step{Kind: s.Kind.String(), Tension: s.Tension, Trust: s.Trust, raw: s}
	if s.Actor >= 0 {
		st.Actor = sc.Actors[s.Actor].ID
	}
	if s.Event >= 0 {
		st.Event = sc.Events[s.Event].ID
	}
	st.pkg, st.Package = pkg(s.Package)
	if s.Cause != sim.CauseNone {
		st.Cause = s.Cause.String()
	}
	f := func(x float64) *float64 { return &x }
	switch s.Kind {
	case sim.StepResponse:
		st.Accepted = &s.Accepted
		st.Value, st.Aspiration, st.NoDeal = f(s.Value), f(s.Aspiration), f(s.NoDeal)
	case sim.StepProposal:
		st.Value, st.Aspiration, st.NoDeal = f(s.Value), f(s.Aspiration), f(s.NoDeal)
	case sim.StepMediation:
		st.Value, st.NoDeal = f(s.Value), f(s.NoDeal)
	case sim.StepBreakdown, sim.StepStrike:
		st.Value = f(s.Value)
	}
	return st
}

// drawn returns the run's draw of number n, or its value when the trace
// has no draw for it.
func drawn(tr *sim.Trace, n scenarios.Number) float64 {
	if v, ok := tr.Draws[n.Path]; ok && n.Path != "" {
		return v
	}
	return n.Value
}

func labels(sc *scenarios.Scenario, levels []int) map[string]string {
	out := make(map[string]string, len(levels))
	for j, l := range levels {
		if l >= 0 {
			out[sc.Issues[j].ID] = sc.Issues[j].Levels[l]
		}
	}
	return out
}

// monthLabel names turn t of a scenario whose turn 1 is the month start
// ("2018-04" → "April 2018"); it is empty when start is.
func monthLabel(start string, t int) string {
	if start == "" {
		return ""
	}
	m, err := time.Parse("2006-01", start)
	if err != nil {
		return ""
	}
	return m.AddDate(0, t-1, 0).Format("January 2006")
}

// WriteNarrationJSON writes the narration as indented JSON.
func WriteNarrationJSON(w io.Writer, nr Narration) error {
	return writeJSON(w, nr)
}

// WriteNarration tells the run in plain English: the question and each
// actor's stance, then turn by turn the events and what they did to
// tension, trust and goodwill, each proposal and why each party took or
// refused it, the mediator's moves, breakdowns and strikes, and finally the
// outcome and each actor's payoff.
func WriteNarration(w io.Writer, nr Narration) error {
	p := &textWriter{w: w}
	sc := nr.sc
	name := func(id string) string {
		if i := sc.ActorIndex(id); i >= 0 {
			return sc.Actors[i].Name
		}
		return id
	}
	p.printf("%s, run %d with seed %d\n%s\n\n", nr.Scenario, nr.Run, nr.Seed, nr.Title)
	p.printf("The question: %s\n\n", nr.Question)
	if len(nr.Seats) > 0 {
		names := make([]string, len(nr.Seats))
		for i, id := range nr.Seats {
			names[i] = name(id)
		}
		if len(names) == 1 {
			p.printf("A played game: a student took the seat of %s; the student's decisions are marked.\n\n", names[0])
		} else {
			p.printf("A played game: students took the seats of %s; their decisions are marked.\n\n", strings.Join(names, " and "))
		}
	}
	p.printf("Who wants what\n")
	for _, a := range nr.Actors {
		p.printf("  %s (%s; %s strategy)\n", a.Name, a.Role, strings.ReplaceAll(a.Strategy, "_", "-"))
		p.printf("    cares most about %s\n", topWeights(sc, a.Weights, 3))
		p.printf("    would like: %s\n", describe(sc, a.ideal, "everything as it is"))
		p.printf("    no agreement is worth %.2f to it%s\n", a.NoDeal, hawkNote(a.Hawkishness))
	}
	p.printf("\n")

	prevTension, prevTrust := math.NaN(), math.NaN()
	last := map[string]string{} // each actor's last offer, to say "again"
	for _, t := range nr.Turns {
		if t.Label != "" {
			p.printf("%s (turn %d)\n", t.Label, t.Turn)
		} else {
			p.printf("Turn %d\n", t.Turn)
		}
		for _, s := range t.Steps {
			line := sentence(sc, s, name, prevTension, prevTrust)
			if s.raw.Kind == sim.StepProposal || s.raw.Kind == sim.StepMediation {
				offer := describe(sc, s.pkg, "")
				if last[s.Actor] == offer {
					line = fmt.Sprintf("%s again offered the same package (worth %.2f to it).", name(s.Actor), *s.Value)
				}
				last[s.Actor] = offer
			}
			if s.Seat {
				line += " (played by a student)"
			}
			p.printf("  %s\n", line)
			prevTension, prevTrust = s.Tension, s.Trust
		}
		if len(t.Steps) == 0 {
			p.printf("  Nothing moved.\n")
		}
		p.printf("  Tension %.2f, trust %.2f%s.\n", t.State.Tension, t.State.Trust, talksNote(t.State))
		prevTension, prevTrust = t.State.Tension, t.State.Trust
	}
	p.printf("\nOutcome: %s on turn %d", nr.Outcome, nr.EndTurn)
	if l := monthLabel(sc.Start, nr.EndTurn); l != "" {
		p.printf(" (%s)", l)
	}
	p.printf(".\n")
	if nr.Terms != nil {
		levels := make([]int, len(sc.Issues))
		for j, is := range sc.Issues {
			levels[j] = slices.Index(is.Levels, nr.Terms[is.ID])
		}
		p.printf("Terms in force: %s.\n", describe(sc, levels, "the status quo"))
	}
	p.printf("Payoffs (0 is the worst an actor can get, conflict included; 1 its best deal):\n")
	for _, a := range sc.Actors {
		p.printf("  %-16s %.3f\n", a.Name, nr.Payoffs[a.ID])
	}
	p.printf("On the way: %d tests, %d deals signed, %d collapsed, %d strikes.\n",
		nr.Counts.Tests, nr.Counts.Deals, nr.Counts.Collapsed, nr.Counts.Strikes)
	return p.flush()
}

// sentence tells one step.
func sentence(sc *scenarios.Scenario, s Step, name func(string) string, tension, trust float64) string {
	who := name(s.Actor)
	r := s.raw
	switch r.Kind {
	case sim.StepEvent:
		e := sc.Events[r.Event]
		var b strings.Builder
		fmt.Fprintf(&b, "%s.", e.Label)
		if moves := shift("Tension", tension, s.Tension) + shift("trust", trust, s.Trust); moves != "" {
			fmt.Fprintf(&b, " %s.", strings.TrimSuffix(moves, ", "))
		}
		for _, g := range e.Effects.Goodwill {
			if g.Amount.Value < 0 {
				fmt.Fprintf(&b, " It angered %s, whose goodwill toward %s fell", sc.Actors[g.Target].Name, who)
				if r.Cause == sim.CauseHosted {
					b.WriteString(" all the more for coming while it hosted a summit")
				}
				b.WriteString(".")
			}
		}
		for _, h := range e.Effects.Hawkishness {
			if h.Amount.Value > 0 {
				fmt.Fprintf(&b, " Hawks in %s gained ground.", sc.Actors[h.Target].Name)
			}
		}
		for _, h := range e.Effects.SetHawkishness {
			fmt.Fprintf(&b, " %s's hawkishness is now set anew.", sc.Actors[h.Target].Name)
		}
		for _, p := range e.Effects.Pressure {
			fmt.Fprintf(&b, " The pressure on %s grew.", sc.Actors[p.Target].Name)
		}
		if len(e.Effects.Weights) > 0 {
			b.WriteString(" Preferences changed.")
		}
		return b.String()
	case sim.StepProposal:
		if s.Seat {
			return fmt.Sprintf("%s proposed %s (worth %.2f to it).", who, describe(sc, s.pkg, "the status quo"), *s.Value)
		}
		return fmt.Sprintf("%s proposed %s (worth %.2f to it; it asks at least %.2f).", who, describe(sc, s.pkg, "the status quo"), *s.Value, *s.Aspiration)
	case sim.StepMediation:
		return fmt.Sprintf("%s, as mediator, proposed a compromise: %s (worth %.2f to %s).", who, describe(sc, s.pkg, "the status quo"), *s.Value, who)
	case sim.StepNoZone:
		if s.Seat {
			return fmt.Sprintf("%s, as mediator, put no compromise on the table.", who)
		}
		return fmt.Sprintf("%s found no package that every signatory prefers to no agreement.", who)
	case sim.StepResponse:
		if s.Seat {
			verb := "refused"
			if *s.Accepted {
				verb = "accepted"
			}
			return fmt.Sprintf("%s %s: worth %.2f to it (the model would ask %.2f; no agreement: %.2f).", who, verb, *s.Value, *s.Aspiration, *s.NoDeal)
		}
		if *s.Accepted {
			return fmt.Sprintf("%s accepted: worth %.2f to it, at least what it asks (%.2f) and more than no agreement (%.2f).", who, *s.Value, *s.Aspiration, *s.NoDeal)
		}
		if *s.Value < *s.NoDeal {
			return fmt.Sprintf("%s refused: worth %.2f to it, less than no agreement (%.2f).", who, *s.Value, *s.NoDeal)
		}
		return fmt.Sprintf("%s refused: worth %.2f to it, short of the %.2f it asks (no agreement: %.2f).", who, *s.Value, *s.Aspiration, *s.NoDeal)
	case sim.StepAgreement:
		return fmt.Sprintf("Agreement signed: %s. %s", describe(sc, s.pkg, "the status quo"), strings.TrimSuffix(shift("Tension", tension, s.Tension)+shift("trust", trust, s.Trust), ", ")+".")
	case sim.StepViolation:
		return fmt.Sprintf("%s violated the agreement, which collapsed. Tension %.2f, trust %.2f; the hawks are louder.", who, s.Tension, s.Trust)
	case sim.StepBreakdown:
		if s.Value != nil && *s.Value > 0 {
			return fmt.Sprintf("Talks broke down (the risk this month was %.0f%%).", 100**s.Value)
		}
		return "Talks broke down."
	case sim.StepStrike:
		return fmt.Sprintf("%s launched a strike, with %s as its pretext (chance this month %.1f%%).", who, strikeCause(r.Cause), 100**s.Value)
	}
	return s.Kind
}

func strikeCause(c sim.Cause) string {
	switch c {
	case sim.CauseBreakdown:
		return "the breakdown of talks"
	case sim.CauseViolation:
		return "the violated agreement"
	case sim.CauseStalemate:
		return "the dragging stalemate"
	}
	return c.String()
}

// shift describes a change of a variable, or nothing when it did not move.
func shift(what string, from, to float64) string {
	if math.IsNaN(from) || math.Abs(to-from) < 0.005 {
		return ""
	}
	verb := "rose"
	if to < from {
		verb = "fell"
	}
	return fmt.Sprintf("%s %s from %.2f to %.2f, ", what, verb, from, to)
}

// describe names a package by the issues it moves from the status quo.
func describe(sc *scenarios.Scenario, levels []int, none string) string {
	var parts []string
	for j, l := range levels {
		if l >= 0 && l != sc.Issues[j].StatusQuo {
			parts = append(parts, fmt.Sprintf("%s %s", sc.Issues[j].ID, strings.ReplaceAll(sc.Issues[j].Levels[l], "_", " ")))
		}
	}
	if len(parts) == 0 {
		return none
	}
	return strings.Join(parts, ", ")
}

func topWeights(sc *scenarios.Scenario, w map[string]float64, k int) string {
	ids := make([]string, 0, len(sc.Issues))
	for _, is := range sc.Issues {
		if w[is.ID] > 0 {
			ids = append(ids, is.ID)
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		switch {
		case w[a] > w[b]:
			return -1
		case w[a] < w[b]:
			return 1
		}
		return 0
	})
	var parts []string
	for _, id := range ids[:min(k, len(ids))] {
		parts = append(parts, fmt.Sprintf("%s (%.0f%%)", id, 100*w[id]))
	}
	return strings.Join(parts, ", ")
}

func hawkNote(h float64) string {
	if h <= 0 {
		return ""
	}
	return fmt.Sprintf("; hawkishness %.2f", h)
}

func talksNote(s State) string {
	switch {
	case s.Deal != nil:
		return "; a deal is in force"
	case !s.Talks:
		return "; no talks"
	}
	return ""
}

// textWriter writes text and keeps the first error.
type textWriter struct {
	w   io.Writer
	err error
}

func (p *textWriter) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *textWriter) flush() error {
	if p.err != nil {
		return fmt.Errorf("results: writing narration: %w", p.err)
	}
	return nil
}
