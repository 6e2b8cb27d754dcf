package play

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// A Change is a change of state of the talks: a signing, a violation (the
// deal collapses), a breakdown, a resumption, an ultimatum, a stand-down or
// a strike. A game announces each when it happens, with its reason from the
// trace.
type Change struct {
	Turn int `json:"turn"`
	// Label is the turn's month, or "" when the scenario's turns are not
	// dated.
	Label string `json:"label,omitempty"`
	// Kind is the step's kind, as traces name it ("breakdown").
	Kind string `json:"kind"`
	// Text tells the change and why it happened, in a sentence or two.
	Text string `json:"text"`
}

// String is the change as a line: "turn 25 (April 2020): talks broke
// down: …".
func (c Change) String() string {
	if c.Label != "" {
		return fmt.Sprintf("turn %d (%s): %s", c.Turn, c.Label, c.Text)
	}
	return fmt.Sprintf("turn %d: %s", c.Turn, c.Text)
}

// IsChange reports whether a step of kind k changes the state of the talks
// (see Change).
func IsChange(k sim.StepKind) bool {
	switch k {
	case sim.StepAgreement, sim.StepViolation, sim.StepBreakdown, sim.StepResume,
		sim.StepUltimatum, sim.StepStandDown, sim.StepStrike:
		return true
	}
	return false
}

// Changes returns the changes of state among the trace's steps from index
// from on, in order, each with its reason.
func Changes(m *sim.Model, tr *sim.Trace, from int) []Change {
	var out []Change
	for _, s := range tr.Steps[min(from, len(tr.Steps)):] {
		if IsChange(s.Kind) {
			out = append(out, Change{Turn: s.Turn, Label: MonthLabel(m.Scenario.Start, s.Turn), Kind: s.Kind.String(), Text: what(m, s, nil, -1)})
		}
	}
	return out
}

// OutcomeText says how the game of trace tr ended, in a sentence: "the
// talks broke down on turn 36 (March 2021) and never resumed".
func OutcomeText(m *sim.Model, tr *sim.Trace) string {
	sc, rec := m.Scenario, &tr.Record
	when := fmt.Sprintf("turn %d", rec.EndTurn)
	if l := MonthLabel(sc.Start, rec.EndTurn); l != "" {
		when += " (" + l + ")"
	}
	switch rec.Outcome {
	case sim.Agreement:
		terms := "an agreement"
		for _, s := range tr.Steps {
			if s.Kind == sim.StepAgreement && s.Turn == rec.EndTurn {
				terms = PackageText(m, s.Package)
			}
		}
		if rec.Partial {
			return fmt.Sprintf("agreement: a step (%s) signed on %s was in force at the end, the other issues still open", terms, when)
		}
		return fmt.Sprintf("agreement: %s, signed on %s, was in force at the end", terms, when)
	case sim.Breakdown:
		return fmt.Sprintf("breakdown: the talks broke down on %s and did not resume before the end", when)
	case sim.Conflict:
		for _, s := range tr.Steps {
			if s.Kind == sim.StepStrike && s.Turn == rec.EndTurn {
				return fmt.Sprintf("conflict: %s struck on %s", sc.Actors[s.Actor].Name, when)
			}
		}
		return "conflict on " + when
	}
	return fmt.Sprintf("stalemate: no agreement was in force when the talks ran out of time on %s", when)
}

// StepText tells one trace step in a short line, with its reason where
// the trace has one ("turn 3: North Korea refused: worth 0.39 to it, short
// of the 0.80 it asks (no agreement: 0.45)").
func StepText(m *sim.Model, s sim.Step) string {
	return fmt.Sprintf("turn %d: %s", s.Turn, what(m, s, nil, -1))
}

// what tells step s; seated reports whether an actor is played by a
// person, whose choices have no model reason to give (nil: none is), and
// you is the actor of the person being prompted (-1 for none), whose own
// moves are told in the second person ("you refused (worth 0.72 to you)").
func what(m *sim.Model, s sim.Step, seated func(int) bool, you int) string {
	sc := m.Scenario
	who := ""
	if s.Actor >= 0 {
		who = sc.Actors[s.Actor].Name
	}
	played := seated != nil && s.Actor >= 0 && seated(s.Actor)
	if played && s.Actor == you {
		switch s.Kind {
		case sim.StepProposal:
			return fmt.Sprintf("you proposed %s (worth %.2f to you)", PackageText(m, s.Package), s.Value)
		case sim.StepResponse:
			return fmt.Sprintf("you %s (worth %.2f to you)", yesNo(s.Accepted, "accepted", "refused"), s.Value)
		}
	}
	switch s.Kind {
	case sim.StepEvent:
		return sc.Events[s.Event].Label
	case sim.StepProposal:
		if played {
			return fmt.Sprintf("%s proposed %s (worth %.2f to it)", who, PackageText(m, s.Package), s.Value)
		}
		return fmt.Sprintf("%s proposed %s (worth %.2f to it; it asks %.2f)", who, PackageText(m, s.Package), s.Value, s.Aspiration)
	case sim.StepMediation:
		return fmt.Sprintf("%s, as mediator, proposed %s", who, PackageText(m, s.Package))
	case sim.StepNoZone:
		return fmt.Sprintf("%s put no compromise on the table: no package is worth more than no agreement to every side", who)
	case sim.StepResponse:
		if played {
			return fmt.Sprintf("%s %s (worth %.2f to it)", who, yesNo(s.Accepted, "accepted", "refused"), s.Value)
		}
		return who + " " + AnswerReason(m, s)
	case sim.StepAgreement:
		if s.Partial {
			return "a step was signed: " + PackageText(m, s.Package) + "; the other issues stay open"
		}
		return "agreement signed: " + PackageText(m, s.Package)
	case sim.StepViolation:
		switch {
		case s.Cause == sim.CauseAct:
			return who + " broke the agreement by an act the deal forbids; the deal collapsed"
		case played:
			return fmt.Sprintf("%s broke the agreement (breaking it worth %.2f to it, keeping it %.2f); the deal collapsed", who, s.War, s.Carry)
		}
		return fmt.Sprintf("%s broke the agreement: breaking it was worth %.2f to it, more than the %.2f of keeping it; the deal collapsed", who, s.War, s.Carry)
	case sim.StepBreakdown:
		if s.Value < 0 {
			return fmt.Sprintf("%s walked out and the talks broke down: past its deadline, a month of talks cost it %.2f and no deal it asks for was within reach", who, -s.Value)
		}
		return fmt.Sprintf("%s walked out and the talks broke down, though one more month of talks was worth %.2f to it", who, s.Value)
	case sim.StepRescue:
		return fmt.Sprintf("%s kept %s at the table, spending %.2f of its leverage over it", who, sc.Actors[s.Target].Name, s.Spent)
	case sim.StepResume:
		if s.Event >= 0 {
			return "talks resumed: " + sc.Events[s.Event].Label
		}
		if s.Actor >= 0 && s.Target >= 0 {
			return fmt.Sprintf("talks resumed: %s brought %s back to the table (a %.0f%% chance), spending %.2f of its leverage over it", who, sc.Actors[s.Target].Name, 100*s.Chance, s.Spent)
		}
		return "talks resumed"
	case sim.StepReopenFailed:
		return fmt.Sprintf("%s failed to bring %s back to the table (it had a %.0f%% chance)", who, sc.Actors[s.Target].Name, 100*s.Chance)
	case sim.StepUltimatum:
		return fmt.Sprintf("%s demanded %s or it would strike: it believed a war worth %.2f to it, more than the %.2f of carrying on", who, PackageText(m, s.Package), s.War, s.Carry)
	case sim.StepStandDown:
		return fmt.Sprintf("%s stood down: the refusal showed how hard the others would fight, and a war, now worth %.2f to it, was no longer worth more than the %.2f of carrying on", who, s.War, s.Carry)
	case sim.StepStrike:
		s2 := fmt.Sprintf("%s launched a strike: it believed a war worth %.2f to it against %.2f for carrying on", who, s.War, s.Carry)
		if t := PretextText(s.Cause); t != "" {
			s2 += "; its pretext: " + t
		}
		if played {
			s2 += " (a player's choice)"
		}
		return s2
	}
	return s.Kind.String()
}

// AnswerReason tells a response step's answer and the model's reason for
// it, without the responder's name: "refused: worth 0.39 to it, short of
// the 0.80 it asks (no agreement: 0.45)". The reasons are those of
// actors.Strategy.Accepts and of credibility: a responder takes a package
// worth at least what it asks and its value of no agreement, unless it
// doubts the deal would hold.
func AnswerReason(m *sim.Model, s sim.Step) string {
	v, a, d := s.Value, s.Aspiration, s.NoDeal
	doubt := ""
	if s.Target >= 0 {
		if s.Target == s.Actor {
			doubt = "once signed it would gain by breaking it itself, so the deal would not hold"
		} else {
			doubt = fmt.Sprintf("it would not trust %s to keep it (%s would gain by breaking it)", m.Scenario.Actors[s.Target].Name, m.Scenario.Actors[s.Target].Name)
		}
	}
	if s.Partial {
		switch {
		case s.Accepted:
			return fmt.Sprintf("accepted the step: worth %.2f to it, more than the %.2f of what stands", v, d)
		case doubt != "":
			return "refused the step: " + doubt
		}
		return fmt.Sprintf("refused the step: worth %.2f to it, no more than the %.2f of what stands", v, d)
	}
	switch {
	case s.Accepted:
		return fmt.Sprintf("accepted: worth %.2f to it, at least what it asks (%.2f) and no agreement (%.2f)", v, a, d)
	case doubt != "" && v >= a && v >= d:
		return fmt.Sprintf("refused, though the package is worth %.2f to it: %s", v, doubt)
	case doubt != "":
		return fmt.Sprintf("refused: worth %.2f to it, short of the %.2f it asks (no agreement: %.2f); besides, %s", v, a, d, doubt)
	case v < d:
		return fmt.Sprintf("refused: worth %.2f to it, less than no agreement (%.2f)", v, d)
	case v >= a:
		return fmt.Sprintf("refused: worth %.2f to it, but a deal would end the talks it values", v)
	}
	return fmt.Sprintf("refused: worth %.2f to it, short of the %.2f it asks (no agreement: %.2f)", v, a, d)
}

// lastAnswers tells, for each signatory other than actor, its latest
// answer to a package in steps with the reason, most recent last, when
// that answer came before step since (later ones the seat sees among its
// recent steps).
func lastAnswers(m *sim.Model, steps []sim.Step, actor int, seated func(int) bool, since int) []string {
	latest := map[int]int{}
	for k, s := range steps {
		if s.Kind == sim.StepResponse && s.Actor != actor {
			latest[s.Actor] = k
		}
	}
	var ks []int
	for _, k := range latest {
		if k < since {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		s := steps[k]
		offer := "a package"
		for j := k - 1; j >= 0; j-- {
			if p := steps[j]; p.Kind == sim.StepProposal || p.Kind == sim.StepMediation || p.Kind == sim.StepUltimatum {
				if p.Actor == actor {
					offer = "your package"
				} else {
					offer = m.Scenario.Actors[p.Actor].Name + "'s package"
				}
				break
			}
		}
		out = append(out, fmt.Sprintf("turn %d, to %s (%s): %s", s.Turn, offer, PackageText(m, s.Package), what(m, s, seated, actor)))
	}
	return out
}

// EventEffects says what event e does when it fires, with the run's draws
// (draws by key path; a number without a draw takes its value): "tension
// +0.05", "North Korea's value of no agreement -0.05".
func EventEffects(sc *scenarios.Scenario, draws map[string]float64, e scenarios.Event) []string {
	num := func(n scenarios.Number) float64 {
		if v, ok := draws[n.Path]; ok && n.Path != "" {
			return v
		}
		return n.Value
	}
	name := func(i int) string { return sc.Actors[i].Name }
	var out []string
	if x := num(e.Effects.Tension); x != 0 {
		out = append(out, fmt.Sprintf("tension %+.2f", x))
	}
	if x := num(e.Effects.Trust); x != 0 {
		out = append(out, fmt.Sprintf("trust %+.2f", x))
	}
	for _, p := range e.Effects.Pressure {
		out = append(out, fmt.Sprintf("%s value of no agreement %+.2f (pressure)", possessive(name(p.Target)), -num(p.Amount)))
	}
	for _, g := range e.Effects.Goodwill {
		if e.By >= 0 {
			out = append(out, fmt.Sprintf("%s goodwill toward %s %+.2f", possessive(name(g.Target)), name(e.By), num(g.Amount)))
		}
	}
	for _, h := range e.Effects.Hawkishness {
		out = append(out, fmt.Sprintf("%s hawkishness %+.2f", possessive(name(h.Target)), num(h.Amount)))
	}
	for _, h := range e.Effects.SetHawkishness {
		out = append(out, fmt.Sprintf("%s hawkishness set to %.2f", possessive(name(h.Target)), num(h.Amount)))
	}
	for _, p := range e.Effects.Prevail {
		if x := num(p.Amount); x != 0 && !math.IsNaN(x) {
			out = append(out, fmt.Sprintf("%s chance of prevailing in a war %+.1f points", possessive(name(p.Target)), 100*x))
		}
	}
	if len(e.Effects.Weights) > 0 {
		var who []string
		for _, w := range e.Effects.Weights {
			if n := name(w.Actor); !slices.Contains(who, n) {
				who = append(who, n)
			}
		}
		out = append(out, "new priorities for "+strings.Join(who, " and "))
	}
	if e.Effects.Reopen {
		out = append(out, "talks that broke down reopen")
	}
	return out
}

// possessive is a name's possessive: "North Korea's", "the United
// States'".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}
