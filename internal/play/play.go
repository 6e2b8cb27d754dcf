// Package play lets people take actors' seats in a run of the engine: a
// Player (a terminal UI, a line protocol, a script) answers each decision
// the engine asks of a seat, seeing what a person at the table would see.
// It also saves a played game as a Transcript and replays one.
//
// The package does no input or output of its own: the command line wires a
// Player to the terminal.
package play

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// A Player makes the decisions of the seats it plays. Choose is called
// from the engine's goroutine, once per decision, and blocks until the
// player has chosen; an error abandons the game (every later decision of
// every seat is a pass).
type Player interface {
	Choose(p *Prompt) (sim.Choice, error)
}

// Prompt is what a seat sees at one decision: the state of the talks, what
// happened since its last decision, what is on the table and what its
// simulated self would do. Its Worth methods read the engine's state and
// may only be called until Choose returns.
type Prompt struct {
	// Model is the compiled scenario being played; Kind the decision.
	Model *sim.Model
	Kind  sim.DecisionKind
	Turn  int
	// Label is the turn's month ("June 2018"), or "" when the scenario's
	// turns are not dated.
	Label string
	// Actor is the seat's actor; Name its name.
	Actor int
	Name  string
	// Event is the event the seat may perform (act), or -1.
	Event int
	// From is the actor who offers Offer (respond), or -1.
	From int
	// Target is the other actor a mediator's rescue or reopening is
	// about, or -1.
	Target int
	// Offer is the package on the table (respond, back), the deal in
	// force (violate, and act when Bound), or -1.
	Offer int
	// ModelChoice is what the model would choose here (for act, the
	// run's own draw).
	ModelChoice sim.Choice
	// Aspiration and NoDeal are the seat's aspiration and value of no
	// agreement; Tension and Trust the state of the talks.
	Aspiration, NoDeal float64
	Tension, Trust     float64
	// Bound is true when a deal binds the seat: acting breaks it.
	Bound bool
	// Partial is true when the package offered or to be offered is a
	// step: a partial deal that settles some issues and leaves the rest to
	// the talks, and moves nothing to a level that cannot be undone (the
	// model takes one worth more than what stands, NoDeal: the status quo
	// or the step in force, less the mediator's leverage if it backs it).
	Partial bool
	// War, Preventive and Carry are the seat's believed value of striking,
	// what it expects to lose by waiting and its value of carrying on
	// (strike), or its values of breaking and keeping the deal (violate:
	// War and Carry). Value is what one more turn of talks is worth to it
	// (walk out). Spent and Chance are the leverage a rescue or reopening
	// costs and a reopening's chance. Pretext is a striker's pretext.
	War, Preventive, Carry float64
	Value                  float64
	Spent, Chance          float64
	Pretext                sim.Cause
	// Recent describes what happened since the seat's previous decision
	// (at most MaxRecent lines, the latest last), each with its reason
	// where the model has one, changes of state left out (see News);
	// Earlier counts the lines left out.
	Recent  []string
	Earlier int
	// News lists the changes of state (signings, violations, breakdowns,
	// resumptions, ultimatums, strikes) since the previous prompt to any
	// seat, in order: a game announces them as they happen.
	News []Change
	// LastAnswers tells, at a package or respond decision, the latest
	// answer of each other signatory to a package, with its reason ("turn
	// 3, to your package (…): North Korea refused: worth 0.39 to it, short
	// of the 0.80 it asks …"), when it came before the steps in Recent.
	LastAnswers []string

	d     *sim.Decision
	draws map[string]float64
}

// MaxRecent bounds Prompt.Recent.
const MaxRecent = 12

// Worth returns package p's worth to the seat, on its [0,1] scale.
func (p *Prompt) Worth(pkg int) float64 { return p.d.Worth(pkg) }

// WorthTo returns package pkg's worth to actor i.
func (p *Prompt) WorthTo(i, pkg int) float64 { return p.d.WorthTo(i, pkg) }

// IsPackage reports whether the decision is about a package to put on the
// table (propose, mediate), not a yes or no.
func (p *Prompt) IsPackage() bool {
	return p.Kind == sim.DecidePropose || p.Kind == sim.DecideMediate
}

// Pass is the choice that does nothing: no proposal, refuse, no action, no
// violation, no strike, no walk-out, no backing, no rescue, no reopening.
var Pass = sim.Choice{Package: -1}

// ModelDefault reports whether an empty answer (or the end of a player's
// input) at a decision of kind k takes the model's choice rather than
// passing. The decisions the first release of play did not ask a seat
// (strike, walk out, and the mediator's backing, rescues and reopenings)
// were the model's then; an empty answer keeps that meaning, so a seat
// that says nothing strikes only where the model would. The others pass.
func ModelDefault(k sim.DecisionKind) bool {
	switch k {
	case sim.DecideStrike, sim.DecideWalkOut, sim.DecideBack, sim.DecideRescue, sim.DecideReopen:
		return true
	}
	return false
}

// Default is the choice an empty answer makes at p: the model's for the
// kinds ModelDefault names, Pass for the others.
func (p *Prompt) Default() sim.Choice {
	if ModelDefault(p.Kind) {
		return p.ModelChoice
	}
	return Pass
}

// An Ender is a Player that is told how the game ended: the changes of
// state since the last prompt, and the outcome. Play calls End once, after
// the last decision, unless the game was abandoned.
type Ender interface {
	End(e *End) error
}

// End is how a game ended.
type End struct {
	// News lists the changes of state no prompt announced.
	News []Change
	// Outcome says how the game ended, in a sentence (see OutcomeText).
	Outcome string
	Record  *sim.Record
}

// ErrAbandoned is returned by a Player whose player left the game.
var ErrAbandoned = errors.New("play: game abandoned")

// Seats bridges the engine's decisions to a Player for a set of actors.
type Seats struct {
	m      *sim.Model
	tr     *sim.Trace
	player Player
	seen   map[int]int // per actor: trace steps already shown
	told   int         // trace steps whose changes of state were announced
	err    error
}

// NewSeats returns seats for the given actors, all played by player.
// The engine must record its trace into tr: prompts read it for what
// happened since a seat's last decision.
func NewSeats(m *sim.Model, tr *sim.Trace, player Player, actors []int) *Seats {
	s := &Seats{m: m, tr: tr, player: player, seen: map[int]int{}}
	for _, a := range actors {
		s.seen[a] = 0
	}
	return s
}

// Deciders returns the map to give Worker.Play.
func (s *Seats) Deciders() map[int]sim.Decider {
	out := make(map[int]sim.Decider, len(s.seen))
	for a := range s.seen {
		out[a] = s
	}
	return out
}

// Err returns the error that abandoned the game, if any.
func (s *Seats) Err() error { return s.err }

// Decide implements sim.Decider.
func (s *Seats) Decide(d *sim.Decision) sim.Choice {
	if s.err != nil {
		return Pass
	}
	sc := s.m.Scenario
	p := &Prompt{
		Model: s.m, Kind: d.Kind, Turn: d.Turn, Label: MonthLabel(sc.Start, d.Turn),
		Actor: d.Actor, Name: sc.Actors[d.Actor].Name, Event: d.Event, From: d.From, Target: d.Target, Offer: -1,
		ModelChoice: sim.ModelChoice(d), Aspiration: d.Aspiration, NoDeal: d.NoDeal,
		Tension: d.Tension, Trust: d.Trust, Bound: d.Bound,
		War: d.War, Preventive: d.Preventive, Carry: d.Carry, Value: d.Value, Spent: d.Spent, Chance: d.Chance,
		Pretext: d.Pretext, Partial: d.Partial, d: d,
	}
	switch d.Kind {
	case sim.DecideRespond, sim.DecideViolate, sim.DecideBack:
		p.Offer = d.Package
	case sim.DecideAct:
		if d.Bound && len(s.tr.States) > 0 {
			p.Offer = s.tr.States[len(s.tr.States)-1].Deal
		}
	}
	seated := func(i int) bool { _, ok := s.seen[i]; return ok }
	since := s.seen[d.Actor]
	steps := s.tr.Steps[since:]
	s.seen[d.Actor] = len(s.tr.Steps)
	for _, st := range steps {
		if !IsChange(st.Kind) {
			p.Recent = append(p.Recent, fmt.Sprintf("turn %d: %s", st.Turn, what(s.m, st, seated, d.Actor)))
		}
	}
	p.News = s.news()
	if p.IsPackage() || d.Kind == sim.DecideRespond {
		p.LastAnswers = lastAnswers(s.m, s.tr.Steps, d.Actor, seated, since)
	}
	p.draws = s.tr.Draws
	if n := len(p.Recent); n > MaxRecent {
		p.Earlier = n - MaxRecent
		p.Recent = slices.Clone(p.Recent[n-MaxRecent:])
	}
	c, err := s.player.Choose(p)
	p.d, p.draws = nil, nil
	if err != nil {
		s.err = err
		return Pass
	}
	return c
}

// news returns the changes of state not yet announced.
func (s *Seats) news() []Change {
	c := Changes(s.m, s.tr, s.told)
	s.told = len(s.tr.Steps)
	return c
}

// Playable returns why m's actors cannot be played by hand, or nil. A
// compact model (sim.Model.Compact) keeps only the packages its searches
// can choose, and a player may choose any.
func Playable(m *sim.Model) error {
	if !m.Compact() {
		return nil
	}
	return fmt.Errorf("%s has %s packages, too many to play by hand: the engine keeps only the %s its searches can choose, and a player may choose any",
		m.Scenario.ID, results.Thousands(m.Space.Size), results.Thousands(m.Kept()))
}

// Play plays run number run of m with seed seed, the given actors' seats
// taken by player, and returns the game's trace (its Record is the game's
// outcome, its Decisions every seat decision).
func Play(m *sim.Model, seed uint64, run int, actors []int, player Player) (*sim.Trace, error) {
	return PlayOn(sim.NewWorker(m), m, seed, run, actors, player)
}

// MonthLabel names turn t of a scenario whose turn 1 is the month start
// ("2018-04" → "April 2018"); it is empty when start is.
func MonthLabel(start string, t int) string {
	if m, ok := scenarios.MonthOf(start, t); ok {
		return m.Format("January 2006")
	}
	return ""
}

// PackageText names package pkg by the issues it moves from the status
// quo, in the scenario's words ("Sanctions on North Korea: eased; US troop
// presence in South Korea: reduced"), or "the status quo". (A player types
// a package by ids: issue=level.)
func PackageText(m *sim.Model, pkg int) string {
	if pkg < 0 {
		return "nothing"
	}
	levels := make([]int, len(m.Scenario.Issues))
	m.Space.Decode(pkg, levels)
	return m.Scenario.Terms(levels, "the status quo")
}

// ChoiceText says what choice c means at a decision of kind k ("accept",
// "propose exercises suspended", "pass").
func ChoiceText(m *sim.Model, k sim.DecisionKind, c sim.Choice) string {
	switch k {
	case sim.DecideAct:
		return yesNo(c.Yes, "act", "not act")
	case sim.DecideRespond:
		return yesNo(c.Yes, "accept", "refuse")
	case sim.DecideViolate:
		return yesNo(c.Yes, "break the deal", "keep the deal")
	case sim.DecideStrike:
		return yesNo(c.Yes, "strike", "hold off")
	case sim.DecideWalkOut:
		return yesNo(c.Yes, "walk out", "stay at the table")
	case sim.DecideBack:
		return yesNo(c.Yes, "back it", "withhold support")
	case sim.DecideRescue:
		return yesNo(c.Yes, "keep them at the table", "let them walk out")
	case sim.DecideReopen:
		return yesNo(c.Yes, "try to bring them back", "leave them out")
	}
	if c.Package < 0 {
		return "pass"
	}
	return "propose " + PackageText(m, c.Package)
}

// ChoiceText says what choice c means at p, naming the actor a rescue or
// reopening is about ("keep North Korea at the table").
func (p *Prompt) ChoiceText(c sim.Choice) string {
	sc := p.Model.Scenario
	switch p.Kind {
	case sim.DecideRescue:
		return yesNo(c.Yes, "keep "+sc.Actors[p.Target].Name+" at the table", "let "+sc.Actors[p.Target].Name+" walk out")
	case sim.DecideReopen:
		return yesNo(c.Yes, "try to bring "+sc.Actors[p.Target].Name+" back", "leave "+sc.Actors[p.Target].Name+" out")
	}
	return ChoiceText(p.Model, p.Kind, c)
}

// Answers returns what y and n do at a yes-or-no decision of kind k, in a
// word or two each ("accept", "refuse").
func Answers(k sim.DecisionKind) (yes, no string) {
	switch k {
	case sim.DecideAct:
		return "act", "don't"
	case sim.DecideRespond:
		return "accept", "refuse"
	case sim.DecideViolate:
		return "break the deal", "keep it"
	case sim.DecideStrike:
		return "strike", "hold off"
	case sim.DecideWalkOut:
		return "walk out", "stay"
	case sim.DecideBack:
		return "back it", "withhold support"
	case sim.DecideRescue:
		return "keep them", "let them go"
	case sim.DecideReopen:
		return "try", "leave them out"
	}
	return "yes", "no"
}

// Stakes tells, in a few short lines, what a decision is about and what
// each answer does, with the numbers the model weighs.
func Stakes(p *Prompt) []string {
	m, sc := p.Model, p.Model.Scenario
	switch p.Kind {
	case sim.DecideAct:
		e := sc.Events[p.Event]
		l := []string{"you may act: " + e.Label}
		if fx := EventEffects(sc, p.draws, e); len(fx) > 0 {
			l = append(l, "  acting does this: "+strings.Join(fx, ", "))
		}
		if p.Bound {
			l = append(l, fmt.Sprintf("  you are bound by the deal in force (%s): acting breaks it, and the deal collapses", PackageText(m, p.Offer)))
		}
		chance := e.Chance.Value
		if v, ok := p.draws[e.Chance.Path]; ok && e.Chance.Path != "" {
			chance = v
		}
		l = append(l, fmt.Sprintf("  the model leaves this act to chance (%.0f%% each turn): in this run the dice say %s", 100*chance,
			yesNo(p.ModelChoice.Yes, "it happens now", "not now")))
		return l
	case sim.DecideRespond:
		l := []string{fmt.Sprintf("offer from %s: %s", sc.Actors[p.From].Name, PackageText(m, p.Offer))}
		if p.Partial {
			l = append(l,
				fmt.Sprintf("  a step: worth %.2f to you, against %.2f for what stands now; your simulated self takes a step worth more than what stands", p.Worth(p.Offer), p.NoDeal),
				"  y accepts: if every other signatory accepts too, the step is signed and binds you, and the talks go on over the open issues; n refuses")
			return l
		}
		return append(l,
			fmt.Sprintf("  worth %.2f to you; your simulated self asks %.2f now, and no agreement is worth %.2f to you", p.Worth(p.Offer), p.Aspiration, p.NoDeal),
			"  y accepts: if every other signatory accepts too, the deal is signed and binds you; n refuses, and the talks go on")
	case sim.DecidePropose:
		return []string{"your proposal goes on the table: each other signatory takes it if it is worth at least what it asks (and more than no agreement) to it; if all do, it is signed",
			"  passing puts nothing on the table this turn"}
	case sim.DecideMediate:
		return []string{"your compromise goes on the table: each signatory takes it if it is worth at least what it asks (and more than no agreement) to it; if all do, it is signed",
			"  passing puts nothing on the table"}
	case sim.DecideViolate:
		return []string{
			fmt.Sprintf("the deal in force: %s, worth %.2f to you (no agreement %.2f)", PackageText(m, p.Offer), p.Worth(p.Offer), p.NoDeal),
			fmt.Sprintf("  breaking it is worth %.2f to you, keeping it %.2f; breaking it ends the deal and gives the others a pretext", p.War, p.Carry),
		}
	case sim.DecideStrike:
		l := []string{"you may strike"}
		if t := PretextText(p.Pretext); t != "" {
			l[0] += "; your pretext: " + t
		}
		l = append(l, fmt.Sprintf("  you believe a war worth %.2f to you, and expect to lose %.2f by waiting; carrying on is worth %.2f", p.War, p.Preventive, p.Carry))
		if p.ModelChoice.Yes {
			l = append(l, "  yes does as your simulated self would: first demand a price for not striking, if some package is worth more to you than war, and strike if it is refused")
		} else {
			l = append(l, "  yes strikes now, and the run ends in conflict; no carries on")
		}
		return l
	case sim.DecideWalkOut:
		return []string{
			"the talks failed this month and your deadline has passed",
			fmt.Sprintf("  one more month of talks is worth %.2f to you; walking out breaks the talks down", p.Value),
		}
	case sim.DecideBack:
		return []string{
			fmt.Sprintf("on the table: %s, worth %.2f to you", PackageText(m, p.Offer), p.Worth(p.Offer)),
			"  backing it lowers what refusing it is worth to each signatory by your leverage over it, and you enforce it while it is in force",
		}
	case sim.DecideRescue:
		name := sc.Actors[p.Target].Name
		return []string{
			name + " is about to walk out of the talks",
			fmt.Sprintf("  keeping %s at the table costs %.2f of your leverage over it this month", name, p.Spent),
		}
	case sim.DecideReopen:
		name := sc.Actors[p.Target].Name
		return []string{
			name + " walked out; the talks are broken down",
			fmt.Sprintf("  trying to bring it back works with a %.0f%% chance and then costs %.2f of your leverage over it", 100*p.Chance, p.Spent),
		}
	}
	return nil
}

// PretextText names a striker's pretext in a few words ("talks broke
// down"), or "" for none.
func PretextText(c sim.Cause) string {
	switch c {
	case sim.CauseBreakdown:
		return "the talks broke down"
	case sim.CauseViolation:
		return "the last deal was broken"
	case sim.CauseStalemate:
		return "the talks dragged on past your deadline"
	}
	return ""
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// ActorIDs returns the ids of actors, in order.
func ActorIDs(sc *scenarios.Scenario, actors []int) []string {
	out := make([]string, len(actors))
	for k, i := range actors {
		out[k] = sc.Actors[i].ID
	}
	return out
}

// Title names the decision for a prompt's heading: "accept or refuse",
// "a step: accept or refuse", "your compromise, as mediator".
func (p *Prompt) Title() string {
	if p.Partial {
		switch p.Kind {
		case sim.DecideRespond:
			return "a step: accept or refuse"
		case sim.DecidePropose:
			return "your step (a partial deal)"
		case sim.DecideMediate:
			return "your step, as mediator (a partial deal)"
		}
	}
	return titles[p.Kind]
}

var titles = map[sim.DecisionKind]string{
	sim.DecideAct:     "act?",
	sim.DecidePropose: "your proposal",
	sim.DecideMediate: "your compromise, as mediator",
	sim.DecideRespond: "accept or refuse",
	sim.DecideViolate: "keep the deal?",
	sim.DecideStrike:  "strike?",
	sim.DecideWalkOut: "walk out?",
	sim.DecideBack:    "back the package?",
	sim.DecideRescue:  "keep them at the table?",
	sim.DecideReopen:  "try to reopen the talks?",
}
