package story

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Narration is one run told turn by turn, built from the engine's trace of
// that run (see [NewNarration]); its JSON encoding is the trace as data and
// its text rendering ([WriteNarration]) the story a person reads.
type Narration struct {
	Scenario string `json:"scenario"`
	// Model is the engine's model version (sim.ModelVersion): the same
	// scenario, seed and model give the same results.
	Model    int    `json:"model"`
	Title    string `json:"title"`
	Question string `json:"question"`
	// Provenance says where the run came from (the caller fills it in;
	// nil leaves it out).
	Provenance *results.Provenance `json:"provenance,omitempty"`
	Seed       uint64              `json:"seed"`
	Run        int                 `json:"run"`
	Outcome    string              `json:"outcome"`
	// EndTurn is the turn the run's final state began (see sim.Record);
	// Horizon the last turn a run may last. Turns are told up to the
	// strike, or to the horizon.
	EndTurn int      `json:"end_turn"`
	Horizon int      `json:"horizon"`
	Actors  []Stance `json:"actors"`
	Turns   []Turn   `json:"turns"`
	// Payoffs holds each actor's utility of the outcome, by actor id.
	Payoffs map[string]float64 `json:"payoffs"`
	// Terms holds the agreed level of each issue, or is null.
	Terms map[string]string `json:"terms"`
	// Partial is true when the agreement in force at the end is a step: a
	// partial deal whose open issues were still being talked over.
	Partial bool      `json:"partial"`
	Counts  RunCounts `json:"counts"`
	// Signings lists every deal signed, in order.
	Signings []Signing `json:"signings"`
	// Seats lists the actors whose decisions people took, in a game
	// played with 'parley play'; their steps are marked Seat.
	Seats []string `json:"seats,omitempty"`

	sc    *scenarios.Scenario
	draws map[string]float64
	// tension0 and trust0 are the state before turn 1.
	tension0, trust0 float64
}

// Stance is what an actor brings to the talks at the start of the run.
// Amounts (talk value, costs, leverage) are shares of the actor's whole
// stake in the issues; values are on its [0,1] scale.
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
	// Deadline is the run's draw of the turn by which it wants a deal
	// (absent when it has none); TalkValue what a month of talks is worth
	// to it before its hawkishness is counted.
	Deadline  *int    `json:"deadline,omitempty"`
	TalkValue float64 `json:"talk_value"`
	// Striker says whether it may strike; Prevail and Cost are then its
	// beliefs at the start of the run of its chance of prevailing and its
	// cost of fighting, and TruePrevail and TrueCost the truth.
	Striker     bool     `json:"striker,omitempty"`
	Prevail     *float64 `json:"prevail,omitempty"`
	Cost        *float64 `json:"cost,omitempty"`
	TruePrevail *float64 `json:"true_prevail,omitempty"`
	TrueCost    *float64 `json:"true_cost,omitempty"`
	// Leverage is a mediator's leverage over each actor at the start.
	Leverage map[string]float64 `json:"leverage,omitempty"`

	ideal    []int
	deadline float64
}

// Turn is what happened in one turn and the state it left.
type Turn struct {
	Turn  int    `json:"turn"`
	Label string `json:"label,omitempty"` // the month, when the scenario has a start
	Steps []Step `json:"steps"`
	// Deliberations lists every strike decision of the turn, struck or not.
	Deliberations []Deliberation `json:"deliberations,omitempty"`
	State         State          `json:"state"`

	raw sim.TurnState
	// pass is the proposer in turn when it had its turn to propose and
	// proposed nothing, or -1; passSeat says a player passed.
	pass     int
	passSeat bool
}

// Step is one thing that happened: an event, a proposal, a response, a
// mediation, a deal, a violation, a walk-out, a rescue, a resumption or a
// failed reopening, an ultimatum, a stand-down or a strike.
type Step struct {
	Kind  string `json:"kind"`
	Actor string `json:"actor,omitempty"`
	// Target is the other actor the step is about: the signatory a
	// mediator kept at the table or tried to bring back; for a response,
	// the signatory the responder expected to break the package (it
	// refused: the package was not credible).
	Target string `json:"target,omitempty"`
	Event  string `json:"event,omitempty"`
	// Package is the package on the table, issue id → level.
	Package  map[string]string `json:"package,omitempty"`
	Accepted *bool             `json:"accepted,omitempty"`
	// Backed: the mediator put its leverage behind the package.
	Backed bool `json:"backed,omitempty"`
	// Partial marks a step (a partial deal) offered, answered or signed;
	// Open lists the issues a step offered or signed leaves to later
	// talks. For a response to a step, NoDeal is what stands now (the
	// status quo, or the step in force) and Aspiration what the responder
	// asks of the talks, which the step must leave within reach.
	Partial bool     `json:"partial,omitempty"`
	Open    []string `json:"open,omitempty"`
	// Value, Aspiration and NoDeal: the package's worth to Actor, what it
	// asked for, and its value of no agreement. For a walk-out Value is
	// what one more month of talks was worth to the walker (negative, a
	// share of its stake); for an ultimatum, the demand's worth to the
	// striker.
	Value      *float64 `json:"value,omitempty"`
	Aspiration *float64 `json:"aspiration,omitempty"`
	NoDeal     *float64 `json:"no_deal,omitempty"`
	// War, Preventive and Carry are a striker's believed value of
	// striking, what it expected to lose by waiting and its value of
	// carrying on (ultimatum, stand-down, strike); for a violation, the
	// values of breaking and of keeping the deal (War and Carry); for a
	// response to an ultimatum, the responder's believed value of war.
	War        *float64 `json:"war,omitempty"`
	Preventive *float64 `json:"preventive,omitempty"`
	Carry      *float64 `json:"carry,omitempty"`
	// Prevail and Cost are the striker's beliefs of its chance of
	// prevailing and its cost of fighting; Keep the share of that cost it
	// pays (less with a pretext).
	Prevail *float64 `json:"prevail,omitempty"`
	Cost    *float64 `json:"cost,omitempty"`
	Keep    *float64 `json:"keep,omitempty"`
	// Chance is, for an ultimatum, the chance the striker believed every
	// other signatory would take its demand; for a reopening, the chance it
	// had to succeed.
	Chance *float64 `json:"chance,omitempty"`
	// Spent is the leverage the mediator spent over Target, and
	// LeverageLeft what it had left over Target at the end of the turn.
	Spent        *float64 `json:"spent,omitempty"`
	LeverageLeft *float64 `json:"leverage_left,omitempty"`
	// Deadline is the walker's deadline (walk-out, rescue) or the
	// striker's (a strike decision with the stalemate as its pretext).
	Deadline *int    `json:"deadline,omitempty"`
	Cause    string  `json:"cause,omitempty"`
	Tension  float64 `json:"tension"`
	Trust    float64 `json:"trust"`
	// Seat is true when a player, not the model, took the decision.
	Seat bool `json:"seat,omitempty"`
	// Believed is, for an offer by an actor that misperceives the
	// signatories' preferences, the weights it believed each other
	// signatory gives each issue when it chose the offer (signatory id →
	// issue id → weight; docs/model.md §18).
	Believed map[string]map[string]float64 `json:"believed,omitempty"`

	pkg      []int
	raw      sim.Step
	walkSeat bool // a rescue of a walk-out a seat chose
}

// Deliberation is one striker's weighing of a strike at the end of a turn
// (see sim.Deliberation): its beliefs, its pretext, the values it
// compared, its demand and whether it struck.
type Deliberation struct {
	Actor      string            `json:"actor"`
	Pretext    string            `json:"pretext,omitempty"`
	Prevail    float64           `json:"prevail"`
	Cost       float64           `json:"cost"`
	Keep       float64           `json:"keep"`
	War        float64           `json:"war"`
	Preventive float64           `json:"preventive"`
	Carry      float64           `json:"carry"`
	Ultimatum  map[string]string `json:"ultimatum,omitempty"`
	Struck     bool              `json:"struck"`
	Seat       bool              `json:"seat,omitempty"`

	raw sim.Deliberation
}

// State is the state of the talks at the end of a turn.
type State struct {
	Tension     float64            `json:"tension"`
	Trust       float64            `json:"trust"`
	Hawkishness map[string]float64 `json:"hawkishness"`
	NoDeal      map[string]float64 `json:"no_deal"`
	// Prevail is each striker's true chance of prevailing; Leverage the
	// mediator's remaining leverage over each signatory.
	Prevail  map[string]float64 `json:"prevail,omitempty"`
	Leverage map[string]float64 `json:"leverage,omitempty"`
	Talks    bool               `json:"talks"`
	Deal     map[string]string  `json:"deal"`
	// Partial: the deal in force is a step, and the talks go on over its
	// open issues.
	Partial bool `json:"partial,omitempty"`
}

// RunCounts is what happened on the way.
type RunCounts struct {
	Tests       int `json:"tests"`
	Strikes     int `json:"strikes"`
	Deals       int `json:"deals"`
	Collapsed   int `json:"collapsed"`
	Breakdowns  int `json:"breakdowns"`
	Resumptions int `json:"resumptions"`
	// FirstDeal is the turn the first deal was signed, 0 for none.
	FirstDeal int `json:"first_deal_turn"`
	// PartialDeals counts the steps signed (partial deals: docs/model.md
	// §20), the one in force at the end included.
	PartialDeals int `json:"partial_deals"`
}

// Signing is one deal signed: its turn, its terms (issue id → level) and
// whether it was a step, leaving the issues Open to later talks.
type Signing struct {
	Turn    int               `json:"turn"`
	Terms   map[string]string `json:"terms"`
	Partial bool              `json:"partial"`
	Open    []string          `json:"open,omitempty"`
}

// NewNarration builds the narration of run number run from its trace tr,
// played by model m.
func NewNarration(m *sim.Model, tr *sim.Trace, run int) Narration {
	sc := m.Scenario
	rec := &tr.Record
	nr := Narration{
		Model:    sim.ModelVersion,
		Scenario: sc.ID, Title: sc.Title, Question: sc.Question,
		Seed: tr.Seed, Run: run, Outcome: rec.Outcome.String(), EndTurn: rec.EndTurn, Horizon: sc.Horizon,
		Payoffs: map[string]float64{},
		Counts: RunCounts{Tests: rec.Tests, Strikes: rec.Strikes, Deals: rec.Deals, Collapsed: rec.Collapsed,
			Breakdowns: len(rec.Breakdowns), Resumptions: len(rec.Resumptions), FirstDeal: rec.FirstDeal,
			PartialDeals: rec.Partials},
		Partial: rec.Partial, Signings: []Signing{},
		sc: sc, draws: tr.Draws, tension0: tr.Start.Tension, trust0: tr.Start.Trust,
	}
	pkg := func(p int) ([]int, map[string]string) {
		if p < 0 {
			return nil, nil
		}
		levels := make([]int, len(sc.Issues))
		m.Space.Decode(p, levels)
		return levels, labels(sc, levels)
	}
	f := func(x float64) *float64 { return &x }
	med := sc.Protocol.Mediator
	for i, a := range sc.Actors {
		st := Stance{ID: a.ID, Name: a.Name, Role: "other", Strategy: a.Strategy.Kind,
			Weights: map[string]float64{}, NoDeal: tr.Start.NoDeal[i], Hawkishness: tr.Start.Hawkishness[i],
			TalkValue: drawn(tr, a.TalkValue), deadline: math.Inf(1)}
		switch {
		case slices.Contains(sc.Protocol.Signatories, i):
			st.Role = "signatory"
		case med == i:
			st.Role = "mediator"
		}
		if i < len(tr.Deadlines) && !math.IsInf(tr.Deadlines[i], 0) {
			st.deadline = tr.Deadlines[i]
			d := int(tr.Deadlines[i])
			st.Deadline = &d
		}
		if a.Conflict.Strike {
			st.Striker = true
			p, c := drawn(tr, a.Conflict.Prevail), drawn(tr, a.Conflict.Cost)
			st.TruePrevail, st.TrueCost = f(p), f(c)
			if i < len(tr.Beliefs) {
				b := tr.Beliefs[i]
				st.Prevail, st.Cost = f(b.Prevail(p, st.Hawkishness)), f(b.Cost(c, st.Hawkishness))
			}
		}
		if med == i && len(tr.Start.Leverage) == len(sc.Actors) {
			st.Leverage = map[string]float64{}
			for _, l := range a.Leverage {
				st.Leverage[sc.Actors[l.Target].ID] = tr.Start.Leverage[l.Target]
			}
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
	for _, g := range rec.Signings {
		sg := Signing{Turn: g.Turn, Partial: g.Partial}
		_, sg.Terms = pkg(g.Package)
		for _, s := range tr.Steps {
			if s.Kind == sim.StepAgreement && s.Turn == g.Turn && s.Package == g.Package {
				sg.Open = issueIDs(sc, s.Open)
			}
		}
		nr.Signings = append(nr.Signings, sg)
	}
	steps := tr.Steps
	believed := map[int]sim.Believed{}
	for _, b := range tr.Believed {
		believed[b.Step] = b
	}
	prev, round := tr.Start, 0
	for _, s := range tr.States {
		t := Turn{Turn: s.Turn, Label: monthLabel(sc.Start, s.Turn), Steps: []Step{}, raw: s, pass: -1}
		for len(steps) > 0 && steps[0].Turn == s.Turn {
			st := newStep(sc, tr, s, steps[0], pkg)
			if b, ok := believed[len(tr.Steps)-len(steps)]; ok {
				st.Believed = map[string]map[string]float64{}
				for t, j := range sc.Protocol.Signatories {
					if b.Weights[t] == nil {
						continue
					}
					ws := map[string]float64{}
					for k, is := range sc.Issues {
						ws[is.ID] = b.Weights[t][k]
					}
					st.Believed[sc.Actors[j].ID] = ws
				}
			}
			t.Steps = append(t.Steps, st)
			steps = steps[1:]
		}
		round = passes(sc, tr, &t, prev, round)
		prev = s
		for _, d := range s.Deliberations {
			nd := Deliberation{Actor: sc.Actors[d.Actor].ID, Prevail: d.Prevail, Cost: d.Cost, Keep: d.Keep,
				War: d.War, Preventive: d.Preventive, Carry: d.Carry, Struck: d.Struck, Seat: d.Seat, raw: d}
			if d.Pretext != sim.CauseNone {
				nd.Pretext = d.Pretext.String()
			}
			_, nd.Ultimatum = pkg(d.Ultimatum)
			t.Deliberations = append(t.Deliberations, nd)
		}
		t.State = State{Tension: s.Tension, Trust: s.Trust, Talks: s.Talks, Partial: s.Partial,
			Hawkishness: map[string]float64{}, NoDeal: map[string]float64{}}
		_, t.State.Deal = pkg(s.Deal)
		for i, a := range sc.Actors {
			t.State.Hawkishness[a.ID] = s.Hawkishness[i]
			t.State.NoDeal[a.ID] = s.NoDeal[i]
			if a.Conflict.Strike && i < len(s.Prevail) {
				if t.State.Prevail == nil {
					t.State.Prevail = map[string]float64{}
				}
				t.State.Prevail[a.ID] = s.Prevail[i]
			}
		}
		if med >= 0 && len(s.Leverage) == len(sc.Actors) {
			t.State.Leverage = map[string]float64{}
			for _, l := range sc.Actors[med].Leverage {
				t.State.Leverage[sc.Actors[l.Target].ID] = s.Leverage[l.Target]
			}
		}
		nr.Turns = append(nr.Turns, t)
	}
	markDecisions(&nr, tr)
	return nr
}

func newStep(sc *scenarios.Scenario, tr *sim.Trace, ts sim.TurnState, s sim.Step, pkg func(int) ([]int, map[string]string)) Step {
	st := Step{Kind: s.Kind.String(), Tension: s.Tension, Trust: s.Trust, Backed: s.Backed, Partial: s.Partial,
		Open: issueIDs(sc, s.Open), raw: s}
	if s.Actor >= 0 {
		st.Actor = sc.Actors[s.Actor].ID
	}
	if s.Target >= 0 {
		st.Target = sc.Actors[s.Target].ID
	}
	if s.Event >= 0 {
		st.Event = sc.Events[s.Event].ID
	}
	st.pkg, st.Package = pkg(s.Package)
	if s.Cause != sim.CauseNone {
		st.Cause = s.Cause.String()
	}
	f := func(x float64) *float64 { return &x }
	deadline := func(i int) *int {
		if i < 0 || i >= len(tr.Deadlines) || math.IsInf(tr.Deadlines[i], 0) {
			return nil
		}
		d := int(tr.Deadlines[i])
		return &d
	}
	leverLeft := func() {
		if s.Target >= 0 && s.Target < len(ts.Leverage) {
			st.LeverageLeft = f(ts.Leverage[s.Target])
		}
	}
	switch s.Kind {
	case sim.StepResponse:
		st.Accepted = &s.Accepted
		st.Value, st.Aspiration, st.NoDeal = f(s.Value), f(s.Aspiration), f(s.NoDeal)
		if s.War != 0 {
			st.War = f(s.War)
		}
	case sim.StepProposal:
		st.Value, st.Aspiration, st.NoDeal = f(s.Value), f(s.Aspiration), f(s.NoDeal)
	case sim.StepMediation:
		st.Value, st.NoDeal = f(s.Value), f(s.NoDeal)
	case sim.StepViolation:
		if s.Cause == sim.CauseCompliance {
			st.War, st.Carry = f(s.War), f(s.Carry)
		}
	case sim.StepBreakdown:
		st.Value = f(s.Value)
		st.Deadline = deadline(s.Actor)
	case sim.StepRescue:
		st.Spent = f(s.Spent)
		st.Deadline = deadline(s.Target)
		leverLeft()
	case sim.StepResume:
		if s.Actor >= 0 {
			st.Spent, st.Chance = f(s.Spent), f(s.Chance)
			leverLeft()
		}
	case sim.StepReopenFailed:
		st.Chance = f(s.Chance)
		leverLeft()
	case sim.StepUltimatum, sim.StepStandDown, sim.StepStrike:
		st.War, st.Preventive, st.Carry = f(s.War), f(s.Preventive), f(s.Carry)
		st.Prevail, st.Cost = f(s.Prevail), f(s.Cost)
		for _, d := range ts.Deliberations {
			if d.Actor == s.Actor {
				st.Keep = f(d.Keep)
			}
		}
		if s.Kind == sim.StepUltimatum {
			st.Value, st.Chance = f(s.Value), f(s.Chance)
		}
		if s.Cause == sim.CauseStalemate {
			st.Deadline = deadline(s.Actor)
		}
	}
	return st
}

// passes finds, in turn t (prev is the state before it), whether a round
// of talks was held and the proposer in turn proposed nothing, and sets
// t.pass; it returns the count of rounds held so far. A round is held when
// talks are alive after the turn's events and reopenings, no deal is in
// force and none collapsed this turn (see sim.Worker.Run); proposers take
// their turns in the order of the protocol, one a round.
func passes(sc *scenarios.Scenario, tr *sim.Trace, t *Turn, prev sim.TurnState, round int) int {
	talks := prev.Talks || t.Turn == 1
	for _, s := range t.Steps {
		if s.raw.Kind == sim.StepResume {
			talks = true
		}
		if s.raw.Kind == sim.StepViolation {
			return round
		}
	}
	if !talks || (prev.Deal >= 0 && !prev.Partial) || len(sc.Protocol.Proposers) == 0 {
		return round
	}
	prop := sc.Protocol.Proposers[round%len(sc.Protocol.Proposers)]
	round++
	medFirst := sc.Protocol.Mediator >= 0 && sc.Protocol.Agenda == scenarios.AgendaMediatorFirst
	for _, s := range t.Steps {
		switch s.raw.Kind {
		case sim.StepProposal:
			return round
		case sim.StepAgreement:
			if medFirst && !s.raw.Partial {
				return round // the mediator's compromise was signed: the proposer never spoke
			}
		}
	}
	t.pass = prop
	for _, d := range tr.Decisions {
		if d.Decision.Turn == t.Turn && d.Decision.Kind == sim.DecidePropose && d.Decision.Actor == prop {
			t.passSeat = true
		}
	}
	return round
}

// markDecisions marks the steps that record a seat's strike, walk-out and
// mediator decisions (the other kinds are marked by whoever knows which
// actors played: see Narration.Seats).
func markDecisions(nr *Narration, tr *sim.Trace) {
	for _, sd := range tr.Decisions {
		d := sd.Decision
		if !sd.Choice.Yes || d.Turn < 1 || d.Turn > len(nr.Turns) {
			continue
		}
		t := &nr.Turns[d.Turn-1]
		for k := range t.Steps {
			s := &t.Steps[k]
			r := s.raw
			var fits bool
			switch d.Kind {
			case sim.DecideStrike:
				fits = r.Actor == d.Actor && (r.Kind == sim.StepUltimatum || r.Kind == sim.StepStrike)
			case sim.DecideWalkOut:
				fits = (r.Kind == sim.StepBreakdown && r.Actor == d.Actor) || (r.Kind == sim.StepRescue && r.Target == d.Actor)
			case sim.DecideRescue:
				fits = r.Kind == sim.StepRescue && r.Actor == d.Actor && r.Target == d.Target
			case sim.DecideReopen:
				fits = (r.Kind == sim.StepResume || r.Kind == sim.StepReopenFailed) && r.Actor == d.Actor && r.Target == d.Target
			}
			if fits {
				if d.Kind == sim.DecideWalkOut && r.Kind == sim.StepRescue {
					s.walkSeat = true
				} else {
					s.Seat = true
				}
				break
			}
		}
	}
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
func monthLabel(start string, t int) string { return play.MonthLabel(start, t) }

// WriteNarrationJSON writes the narration as indented JSON.
func WriteNarrationJSON(w io.Writer, nr Narration) error {
	return results.WriteJSONValue(w, nr)
}

// WriteNarration tells the run in plain English at full length: the
// question and each actor's stance, then turn by turn the events and what
// they did to tension, trust and goodwill, each proposal and why each
// party took or refused it, the mediator's moves, and each walk-out,
// rescue, resumption, violation, ultimatum and strike with what the actor
// believed and compared; finally the outcome and each actor's payoff.
// [Tell] tells it shorter.
func WriteNarration(w io.Writer, nr Narration) error {
	return Tell(w, nr, TellOptions{Length: Full})
}

// header writes the title, the question, who played, and who wants what:
// each actor's whole stance when full, else a line each.
func (td *told) header(p *textWriter, full bool) {
	nr, sc, tl := td.tl.nr, td.tl.sc, td.tl
	p.printf("%s, run %d with seed %d\n%s\n\n", nr.Scenario, nr.Run, nr.Seed, nr.Title)
	p.printf("The question: %s\n\n", nr.Question)
	if len(nr.Seats) > 0 {
		names := make([]string, len(nr.Seats))
		for i, id := range nr.Seats {
			names[i] = tl.obj(id)
		}
		if len(names) == 1 {
			p.printf("A played game: a student took the seat of %s; the student's decisions are marked.\n\n", names[0])
		} else {
			p.printf("A played game: students took the seats of %s; their decisions are marked.\n\n", strings.Join(names, " and "))
		}
	}
	if !full {
		var cast []string
		for _, a := range nr.Actors {
			c := tl.obj(a.ID) + " (" + RoleName(a.Role)
			if a.Striker {
				c += ", may strike"
			}
			cast = append(cast, c+")")
		}
		p.printf("Who: %s. Values run from 0, the worst an actor can get, to 1, its best deal.\n\n", capWord(AndList(cast)))
		return
	}
	p.printf("Who wants what\n")
	p.printf("  (Values are on each actor's own scale: 0 is the worst it can get, conflict\n")
	p.printf("  included, 1 its best deal. Costs, talk values and leverage are shares of\n")
	p.printf("  its whole stake in the issues.)\n")
	for _, a := range nr.Actors {
		role := RoleName(a.Role)
		if a.Striker {
			role += "; may strike"
		}
		p.printf("  %s (%s; %s strategy: %s)\n", a.Name, role, a.Strategy, strategyGloss(a.Strategy))
		p.printf("    cares most about %s\n", TopWeights(sc, a.Weights, 3))
		p.printf("    would like: %s\n", sc.Terms(a.ideal, "everything as it is"))
		p.printf("    no agreement is worth %.2f to it%s\n", a.NoDeal, hawkNote(a.Hawkishness))
		p.printf("    %s\n", tl.clock(a))
		if a.Striker && a.Prevail != nil {
			p.printf("    believes a war would give it %s chance of prevailing (truly %.0f%%), at a cost of %.2f (truly %.2f)\n",
				an(pct0(*a.Prevail)), 100**a.TruePrevail, *a.Cost, *a.TrueCost)
		}
		if len(a.Leverage) > 0 {
			var parts []string
			for _, x := range sc.Actors {
				if l, ok := a.Leverage[x.ID]; ok {
					parts = append(parts, fmt.Sprintf("%.2f over %s", l, tl.obj(x.ID)))
				}
			}
			p.printf("    can back packages, keep a signatory at the table or bring it back with its leverage: %s\n", strings.Join(parts, ", "))
		}
	}
	p.printf("\n")
}

// full writes turns from..to (0: no limit) line by line.
func (td *told) full(p *textWriter, from, to int) {
	nr := td.tl.nr
	for i := range nr.Turns {
		t := &nr.Turns[i]
		if (from > 0 && t.Turn < from) || (to > 0 && t.Turn > to) {
			continue
		}
		if t.Label != "" {
			p.printf("%s (turn %d)\n", t.Label, t.Turn)
		} else {
			p.printf("Turn %d\n", t.Turn)
		}
		for _, it := range td.turns[i] {
			p.printf("  %s\n", it.line)
		}
		if len(td.turns[i]) == 0 {
			p.printf("  %s\n", quiet(t, i > 0 && nr.Turns[i-1].State.Deal != nil))
		}
		p.printf("  Tension %.2f, trust %.2f%s.\n", t.State.Tension, t.State.Trust, talksNote(t.State))
	}
}

// ending writes the outcome, the terms in force, the payoffs and what
// happened on the way.
func (td *told) ending(p *textWriter, full bool) {
	nr, sc, tl := td.tl.nr, td.tl.sc, td.tl
	p.printf("\nOutcome: %s on turn %d", outcomeName(nr), nr.EndTurn)
	if l := monthLabel(sc.Start, nr.EndTurn); l != "" {
		p.printf(" (%s)", l)
	}
	note := tl.outcomeNote()
	if !full {
		note, _, _ = strings.Cut(note, ", with ")
	}
	p.printf(": %s.\n", note)
	if nr.Terms != nil && (full || !td.toldEnd) {
		levels := make([]int, len(sc.Issues))
		for j, is := range sc.Issues {
			levels[j] = slices.Index(is.Levels, nr.Terms[is.ID])
		}
		p.printf("Terms in force: %s.\n", sc.Terms(levels, "the status quo"))
	}
	if !full {
		var pay []string
		for _, a := range sc.Actors {
			pay = append(pay, fmt.Sprintf("%s %.2f", a.Name, nr.Payoffs[a.ID]))
		}
		p.printf("Payoffs: %s.\n", strings.Join(pay, ", "))
	} else {
		p.printf("Payoffs (0 is the worst an actor can get, conflict included; 1 its best deal):\n")
		for _, a := range sc.Actors {
			p.printf("  %-16s %.3f\n", a.Name, nr.Payoffs[a.ID])
		}
	}
	p.printf("On the way: %s.\n", td.counts())
}

// counts says what happened on the way: "2 provocations, 1 deal signed
// (a step; none collapsed), no breakdowns, no resumptions, no strikes".
func (td *told) counts() string {
	c := td.tl.nr.Counts
	collapsed := "none collapsed"
	if c.Collapsed > 0 {
		collapsed = fmt.Sprintf("%d collapsed", c.Collapsed)
	}
	deals := Count(c.Deals, "deal", "deals") + " signed"
	switch {
	case c.PartialDeals > 0:
		deals += " (" + stepsAmong(c.PartialDeals, c.Deals) + "; " + collapsed + ")"
	case c.Deals > 0:
		deals += " (" + collapsed + ")"
	}
	return fmt.Sprintf("%s, %s, %s, %s, %s", Count(c.Tests, "provocation", "provocations"), deals,
		Count(c.Breakdowns, "breakdown", "breakdowns"), Count(c.Resumptions, "resumption", "resumptions"),
		Count(c.Strikes, "strike", "strikes"))
}

// stepsAmong says how many of the deals signed were steps: "a step",
// "both steps", "all steps", "1 of them a step", "2 of them steps".
func stepsAmong(steps, deals int) string {
	switch {
	case steps == deals && steps == 1:
		return "a step"
	case steps == deals && steps == 2:
		return "both steps"
	case steps == deals:
		return "all steps"
	case steps == 1:
		return "1 of them a step"
	}
	return fmt.Sprintf("%d of them steps", steps)
}

// issueIDs returns the ids of issues by index (nil for none).
func issueIDs(sc *scenarios.Scenario, idx []int) []string {
	var ids []string
	for _, i := range idx {
		ids = append(ids, sc.Issues[i].ID)
	}
	return ids
}

// stepOffer tells the offer of a step: its terms, what it is worth to the
// one who offers it, and what it leaves open.
func (tl *teller) stepOffer(s *Step) string {
	r := s.raw
	what := "a first step"
	if tl.partial {
		what = "a further step"
	}
	role := ""
	if r.Kind == sim.StepMediation {
		role = ", as mediator,"
	}
	return fmt.Sprintf("%s%s proposed %s: %s (worth %.2f to it), leaving %s to later talks",
		tl.subj(s.Actor), role, what, tl.sc.Terms(s.pkg, "the status quo"), r.Value, AndList(issueNames(tl.sc, s.Open)))
}

// stepAnswer tells a signatory's answer to a step: it takes a step worth
// more to it than what stands now, less the mediator's leverage when the
// mediator backs the step (sim.Worker.acceptsStep), unless it expects
// another signatory to break it.
func (tl *teller) stepAnswer(s *Step) string {
	r := s.raw
	who := tl.subj(s.Actor)
	stands := "the status quo"
	if tl.partial {
		stands = "the step in force"
	}
	if med := tl.sc.Protocol.Mediator; tl.backed && med >= 0 {
		stands += ", less " + poss(tl.obj(tl.sc.Actors[med].ID)) + " leverage"
	}
	v, d := pair(r.Value, r.NoDeal)
	switch {
	case r.Accepted:
		return fmt.Sprintf("%s accepted the step: worth %s to it, more than the %s of %s.", who, v, d, stands)
	case r.Target >= 0:
		return fmt.Sprintf("%s refused the step: %s.", who, tl.doubt(s))
	}
	return fmt.Sprintf("%s refused the step: worth %s to it, no more than the %s of %s.", who, v, d, stands)
}

// quiet tells a turn in which nothing was recorded.
func quiet(t *Turn, dealBefore bool) string {
	switch {
	case t.State.Deal != nil && dealBefore:
		return "The deal held."
	case !t.State.Talks:
		return "No talks."
	}
	return "Nothing happened: no one had a credible package worth proposing."
}

// Count says "no strikes", "1 strike", "2 strikes".
func Count(n int, one, many string) string {
	switch n {
	case 0:
		return "no " + many
	case 1:
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// teller tells the turns of a narration in order, keeping what a reader
// has been told (the deal in force, who broke the last deal, each actor's
// last offer) so that each sentence can give its reasons briefly.
type teller struct {
	nr *Narration
	sc *scenarios.Scenario
	// index of each actor id in the scenario
	idx map[string]int
	// the state of the story
	tension, trust float64
	deal           bool   // a deal is in force
	partial        bool   // the deal in force is a step
	violator       string // who broke the last deal, until a new one is signed
	last           map[string]string
	rescued        map[string]int // turn each signatory was last kept at the table
	pretext        map[string]string
	prevail        []float64
	strikers       []string
	cur            *Turn          // the turn being told
	backed         bool           // the package on the table is backed by the mediator
	tried          map[string]int // turn the mediator last tried to bring each signatory back
	// reading is, per believer and signatory ("us>north_korea"), the issue
	// it last said it believed the signatory cares most about.
	reading map[string]string
}

func newTeller(nr Narration) *teller {
	sc := nr.sc
	tl := &teller{nr: &nr, sc: sc, idx: map[string]int{}, tension: math.NaN(), trust: math.NaN(),
		last: map[string]string{}, rescued: map[string]int{}, tried: map[string]int{}, pretext: map[string]string{},
		reading: map[string]string{}}
	for i, a := range sc.Actors {
		tl.idx[a.ID] = i
		tl.prevail = append(tl.prevail, math.NaN())
		if a.Conflict.Strike {
			tl.strikers = append(tl.strikers, a.ID)
		}
	}
	for _, a := range nr.Actors {
		if a.TruePrevail != nil {
			tl.prevail[tl.idx[a.ID]] = *a.TruePrevail
		}
	}
	return tl
}

// needsThe lists name endings and beginnings that take "the" in running
// text ("the United States").
func needsThe(name string) bool {
	for _, s := range []string{"United ", "Republic ", "European "} {
		if strings.HasPrefix(name, s) {
			return true
		}
	}
	for _, s := range []string{"States", "Kingdom", "Union", "Netherlands", "Philippines", "Emirates"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// obj names actor id in running text ("the United States", "China").
func (tl *teller) obj(id string) string {
	i, ok := tl.idx[id]
	if !ok {
		return id
	}
	n := tl.sc.Actors[i].Name
	if needsThe(n) {
		return "the " + n
	}
	return n
}

// subj names actor id at the start of a sentence.
func (tl *teller) subj(id string) string { return capFirst(tl.obj(id)) }

func capFirst(s string) string {
	if strings.HasPrefix(s, "the ") {
		return "The" + s[3:]
	}
	return s
}

// poss is the possessive of a name ("North Korea's", "the United States'").
func poss(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func (tl *teller) stance(id string) *Stance {
	for i := range tl.nr.Actors {
		if tl.nr.Actors[i].ID == id {
			return &tl.nr.Actors[i]
		}
	}
	return nil
}

// when names a turn ("turn 21, December 2019").
func (tl *teller) when(t int) string {
	if l := monthLabel(tl.sc.Start, t); l != "" {
		return fmt.Sprintf("turn %d (%s)", t, l)
	}
	return fmt.Sprintf("turn %d", t)
}

// clock tells an actor's deadline and what talks are worth to it.
func (tl *teller) clock(a Stance) string {
	var s string
	switch {
	case a.Deadline == nil:
		s = "has no deadline of its own"
	case *a.Deadline > tl.nr.Horizon:
		s = fmt.Sprintf("wants a deal by turn %d, beyond the horizon (turn %d)", *a.Deadline, tl.nr.Horizon)
	default:
		s = fmt.Sprintf("wants a deal by %s", tl.when(*a.Deadline))
	}
	switch {
	case a.TalkValue > 0:
		s += fmt.Sprintf("; a month of talks is worth %.2f to it", a.TalkValue)
	case a.TalkValue < 0:
		s += fmt.Sprintf("; a month of talks costs it %.2f", -a.TalkValue)
	}
	if a.Hawkishness > 0 && a.Role == "signatory" {
		s += "; its hawks make talking cost it more as tension rises"
	}
	return s
}

// outcomeNote says what the outcome means for this run.
func (tl *teller) outcomeNote() string {
	nr := tl.nr
	switch nr.Outcome {
	case "agreement":
		if nr.Partial && len(nr.Signings) > 0 {
			if open := nr.Signings[len(nr.Signings)-1].Open; len(open) > 0 {
				return "the step signed then was still in force at the horizon, with " + AndList(issueNames(tl.sc, open)) + " still open"
			}
		}
		return "the deal signed then was still in force at the horizon"
	case "breakdown":
		return "talks broke down then and never resumed"
	case "stalemate":
		return "talks were still going at the horizon, without a deal"
	case "conflict":
		for _, t := range nr.Turns {
			for _, s := range t.Steps {
				if s.raw.Kind == sim.StepStrike {
					return tl.obj(s.Actor) + " struck"
				}
			}
		}
		return "a strike ended the run"
	}
	return nr.Outcome
}

// items tells one turn, each line with what it tells: its steps, then
// the strike decisions that left no step but gave a striker a new pretext.
func (tl *teller) items(t *Turn) []item {
	var items []item
	add := func(line string, c class, s *Step) {
		items = append(items, item{turn: t.Turn, line: line, class: c, step: s, tension: tl.tension, trust: tl.trust})
	}
	tl.cur = t
	var ultimatum *Step // the ultimatum being answered
	var refusers []string
	passAt := tl.passAt(t)
	pass := func() {
		add(tl.passLine(t), classPass, nil)
		items[len(items)-1].passer = tl.obj(tl.sc.Actors[t.pass].ID)
	}
	for k := range t.Steps {
		if k == passAt {
			pass()
		}
		s := &t.Steps[k]
		r := s.raw
		var line string
		c := classChange
		switch r.Kind {
		case sim.StepUltimatum:
			ultimatum, refusers = s, nil
			line = tl.ultimatum(t, s)
		case sim.StepResponse:
			if ultimatum != nil {
				line = tl.answer(s)
				if !*s.Accepted {
					refusers = append(refusers, s.Actor)
				}
			} else {
				line, c = tl.sentence(t, k, s), classRound
			}
		case sim.StepAgreement:
			line = tl.sentence(t, k, s)
			if ultimatum != nil {
				line = strings.Replace(line, "Agreement signed:", "Agreement signed under the threat:", 1)
			}
			ultimatum = nil
		case sim.StepStandDown:
			line = tl.standDown(s, ultimatum, refusers)
			ultimatum = nil
		case sim.StepStrike:
			line = tl.strike(t, s, ultimatum, refusers)
			ultimatum = nil
		default:
			ultimatum = nil
			line = tl.sentence(t, k, s)
			switch r.Kind {
			case sim.StepEvent:
				c = classEvent
			case sim.StepProposal, sim.StepMediation, sim.StepNoZone, sim.StepReopenFailed, sim.StepRescue:
				c = classRound
			}
		}
		if s.Seat {
			line += " (played by a student)"
		}
		add(line, c, s)
		tl.tension, tl.trust = s.Tension, s.Trust
	}
	if passAt == len(t.Steps) {
		pass()
	}
	for k := range t.Deliberations {
		if l := tl.deliberation(t, t.Deliberations[k]); l != "" {
			add(l, classNote, nil)
			items[len(items)-1].delib = &t.Deliberations[k]
		}
	}
	tl.tension, tl.trust = t.State.Tension, t.State.Trust
	tl.deal, tl.partial = t.State.Deal != nil, t.State.Partial
	return items
}

// passAt is where the proposer's pass is told among the turn's steps:
// where the proposer would have spoken (first in the round, or after the
// mediator's compromise was refused), or -1 when it had no turn.
func (tl *teller) passAt(t *Turn) int {
	if t.pass < 0 {
		return -1
	}
	medFirst := tl.sc.Protocol.Mediator >= 0 && tl.sc.Protocol.Agenda == scenarios.AgendaMediatorFirst
	talk := func(k sim.StepKind) bool {
		return k == sim.StepMediation || k == sim.StepNoZone || k == sim.StepResponse
	}
	k := 0
	for k < len(t.Steps) && !talk(t.Steps[k].raw.Kind) {
		k++ // events, a reopening: before the round
	}
	if medFirst {
		for k < len(t.Steps) && talk(t.Steps[k].raw.Kind) {
			k++
		}
	}
	return k
}

func (tl *teller) passLine(t *Turn) string {
	id := tl.sc.Actors[t.pass].ID
	if t.passSeat {
		return fmt.Sprintf("%s proposed nothing (played by a student).", tl.subj(id))
	}
	return fmt.Sprintf("%s, whose turn it was to propose, proposed nothing: no credible package was worth what it asks.", tl.subj(id))
}

// deliberation notes a strike decision that left no step: a striker that
// weighed a strike with a new pretext and found it not worth it, or a
// student who held back where the model would have struck.
func (tl *teller) deliberation(t *Turn, d Deliberation) string {
	r := d.raw
	prev := tl.pretext[d.Actor]
	tl.pretext[d.Actor] = d.Pretext
	if r.Ultimatum >= 0 || r.Struck {
		return ""
	}
	prefers := r.War+r.Preventive > r.Carry
	if r.Seat && prefers {
		return fmt.Sprintf("%s held back from a strike the model would have threatened. %s (played by a student)",
			tl.subj(d.Actor), tl.weighing(t, r.Actor, r.Pretext, r.War, r.Preventive, r.Carry, r.Prevail, r.Cost, r.Keep, tl.deal))
	}
	if d.Pretext == "" || d.Pretext == prev {
		return ""
	}
	s := fmt.Sprintf("%s weighed a strike with a new pretext, %s: it believed a war worth %.2f to it (%s)", tl.subj(d.Actor),
		tl.pretextNote(t, r.Actor, r.Pretext), r.War, tl.belief(r.Prevail, r.Cost, r.Keep, r.Pretext))
	if r.Preventive >= 0.005 {
		s += fmt.Sprintf(" and expected to lose %.2f by waiting while provocations shift power against it, but together that was", r.Preventive)
	} else {
		s += ", which was"
	}
	return s + fmt.Sprintf(" less than the %.2f of %s. It did not strike.", r.Carry, carrying(tl.deal))
}

// pretextNote names a pretext in a parenthesis.
func (tl *teller) pretextNote(t *Turn, actor int, c sim.Cause) string {
	switch c {
	case sim.CauseBreakdown:
		return "the breakdown of talks"
	case sim.CauseViolation:
		if tl.violator != "" {
			return poss(tl.obj(tl.violator)) + " breach of the last deal"
		}
		return "the broken deal"
	case sim.CauseStalemate:
		return tl.stalemate(t, actor)
	}
	return c.String()
}

// stalemate tells the stalemate pretext: "talks dragging on past its own
// deadline (turn 19)", or "talks still without a deal at its own deadline"
// in the deadline's own turn.
func (tl *teller) stalemate(t *Turn, actor int) string {
	a := tl.stance(tl.sc.Actors[actor].ID)
	if a == nil || a.Deadline == nil {
		return "talks dragging on past its own deadline"
	}
	if *a.Deadline == t.Turn {
		return fmt.Sprintf("talks still without a deal at its own deadline (turn %d)", *a.Deadline)
	}
	return fmt.Sprintf("talks dragging on past its own deadline (turn %d)", *a.Deadline)
}

// pastDeadline says "past its own deadline (turn 21)", or "at its own
// deadline" in the deadline's own turn.
func pastDeadline(d *int, turn int) string {
	switch {
	case d == nil:
		return "past its own deadline"
	case *d == turn:
		return fmt.Sprintf("at its own deadline (turn %d)", *d)
	}
	return fmt.Sprintf("past its own deadline (turn %d)", *d)
}

// belief tells a striker's beliefs: "an 86% chance of prevailing, at a
// cost of 0.50, 40% of it excused by the pretext".
func (tl *teller) belief(prevail, cost, keep float64, c sim.Cause) string {
	s := fmt.Sprintf("%s chance of prevailing, at a cost of %.2f", an(pct0(prevail)), cost)
	if spared := 1 - keep; spared >= 0.005 {
		by := "the pretext"
		if c == sim.CauseNone {
			by = "the crisis"
		}
		s += fmt.Sprintf(", %.0f%% of it excused by %s", 100*spared, by)
	}
	return s
}

func carrying(deal bool) string {
	if deal {
		return "keeping the deal in force"
	}
	return "carrying on with the status quo"
}

// weighing tells what a striker compared, in sentences: "Its pretext: the
// breakdown of talks. It believed a war worth 0.58 to it (...), more than
// the 0.52 of carrying on with the status quo."
func (tl *teller) weighing(t *Turn, actor int, c sim.Cause, war, prev, carry, prevail, cost, keep float64, deal bool) string {
	s := "It had no pretext. "
	if c != sim.CauseNone {
		s = "Its pretext: " + tl.pretextNote(t, actor, c) + ". "
	}
	s += fmt.Sprintf("It believed a war worth %.2f to it (%s)", war, tl.belief(prevail, cost, keep, c))
	cmp := "more than"
	if war+prev <= carry {
		cmp = "no more than"
	}
	if prev >= 0.005 {
		return s + fmt.Sprintf(" and expected to lose %.2f by waiting while provocations shift power against it: together %s the %.2f of %s.",
			prev, cmp, carry, carrying(deal))
	}
	return s + fmt.Sprintf(", %s the %.2f of %s.", cmp, carry, carrying(deal))
}

func keepOf(s *Step) float64 {
	if s.Keep != nil {
		return *s.Keep
	}
	return 1
}

// others lists the signatories other than id, in running text.
func (tl *teller) others(id string) string {
	var names []string
	for _, i := range tl.sc.Protocol.Signatories {
		if tl.sc.Actors[i].ID != id {
			names = append(names, tl.obj(tl.sc.Actors[i].ID))
		}
	}
	return AndList(names)
}

// AndList joins names in running text: "China", "China and Russia",
// "China, Russia and Japan"; "the others" for none.
func AndList(xs []string) string {
	switch len(xs) {
	case 0:
		return "the others"
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func (tl *teller) ultimatum(t *Turn, s *Step) string {
	r := s.raw
	return fmt.Sprintf("%s weighed a strike. %s It demanded %s (worth %.2f to it) as its price for not striking, believing %s would take it with %s chance.",
		tl.subj(s.Actor), tl.weighing(t, r.Actor, r.Cause, r.War, r.Preventive, r.Carry, r.Prevail, r.Cost, keepOf(s), tl.deal),
		tl.sc.Terms(s.pkg, "the status quo"), r.Value, tl.others(s.Actor), an(pct0(r.Chance)))
}

// answer tells a response to an ultimatum.
func (tl *teller) answer(s *Step) string {
	r := s.raw
	who := tl.subj(s.Actor)
	if r.Accepted {
		return fmt.Sprintf("%s gave in: worth %.2f to it, at least the %.2f of refusing (which would risk a war worth %.2f to it).", who, r.Value, r.NoDeal, r.War)
	}
	why := "it doubts the threat"
	if r.NoDeal <= r.War+0.005 {
		why = "it would rather fight"
	}
	return fmt.Sprintf("%s refused: worth %.2f to it, less than refusing (%.2f: %s; a war would be worth %.2f to it).", who, r.Value, r.NoDeal, why, r.War)
}

// refusal names who refused an ultimatum: "North Korea's refusal", and
// the refusers ("North Korea").
func (tl *teller) refusal(refusers []string) (string, string) {
	names := make([]string, len(refusers))
	for i, id := range refusers {
		names[i] = tl.obj(id)
	}
	switch len(names) {
	case 0:
		return "the refusal", "the other side"
	case 1:
		return poss(names[0]) + " refusal", "it"
	}
	return poss(AndList(names)) + " refusals", "they"
}

// costNow tells a striker's belief of its cost after a refusal, against
// its belief when it made the demand.
func costNow(s, ultimatum *Step) string {
	c := fmt.Sprintf("with the cost of a war now put at %.2f", s.raw.Cost)
	if ultimatum != nil && math.Abs(ultimatum.raw.Cost-s.raw.Cost) >= 0.005 {
		c += fmt.Sprintf(" (%.2f before)", ultimatum.raw.Cost)
	}
	return c
}

func (tl *teller) standDown(s, ultimatum *Step, refusers []string) string {
	r := s.raw
	refusal, them := tl.refusal(refusers)
	prev := ","
	if r.Preventive >= 0.005 {
		prev = fmt.Sprintf(" and expected to lose %.2f by waiting: together", r.Preventive)
	}
	return fmt.Sprintf("%s stood down. %s showed how hard %s would fight. %s, %s believed a war worth %.2f to it%s no longer more than the %.2f of %s.",
		tl.subj(s.Actor), capWord(refusal), them, capWord(costNow(s, ultimatum)), tl.obj(s.Actor), r.War, prev, r.Carry, carrying(tl.deal))
}

func capWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (tl *teller) strike(t *Turn, s, ultimatum *Step, refusers []string) string {
	r := s.raw
	who := tl.subj(s.Actor)
	if ultimatum != nil {
		refusal, them := tl.refusal(refusers)
		cmp := "more than"
		if r.War+r.Preventive <= r.Carry {
			cmp = "no more than"
		}
		prev := ","
		if r.Preventive >= 0.005 {
			prev = fmt.Sprintf(" and expected to lose %.2f by waiting: together", r.Preventive)
		}
		return fmt.Sprintf("%s struck. %s showed how hard %s would fight, but even %s, %s still believed a war worth %.2f to it%s %s the %.2f of %s.",
			who, capWord(refusal), them, costNow(s, ultimatum), tl.obj(s.Actor), r.War, prev, cmp, r.Carry, carrying(tl.deal))
	}
	why := tl.weighing(t, r.Actor, r.Cause, r.War, r.Preventive, r.Carry, r.Prevail, r.Cost, keepOf(s), tl.deal)
	if s.Seat {
		return fmt.Sprintf("%s struck at once. %s", who, why)
	}
	return fmt.Sprintf("%s struck without a demand first. %s No demand it believed %s would take was worth more to it than striking.",
		who, why, tl.others(s.Actor))
}

// beliefs tells what the actor of an offer believed the other signatories
// care most about, the first time and whenever that changed (the refusals
// and offers it heard taught it otherwise); "" otherwise.
func (tl *teller) beliefs(s *Step) string {
	if len(s.Believed) == 0 {
		return ""
	}
	var parts []string
	changed := false
	for _, j := range tl.sc.Protocol.Signatories {
		id := tl.sc.Actors[j].ID
		ws, ok := s.Believed[id]
		if !ok {
			continue
		}
		top, w := "", -1.0
		for _, is := range tl.sc.Issues {
			if ws[is.ID] > w {
				top, w = is.ID, ws[is.ID]
			}
		}
		key := s.Actor + ">" + id
		was := tl.reading[key]
		if was == top {
			continue
		}
		tl.reading[key] = top
		// Issues by id, as the list of who wants what gives them.
		part := fmt.Sprintf("%s cares most about %s (%.0f%%)", tl.obj(id), issueName(tl.sc, top), 100*w)
		if was != "" {
			changed = true
			part += ", not " + issueName(tl.sc, was)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ""
	}
	if changed {
		return fmt.Sprintf(" What it had heard changed its reading: it now believed %s.", strings.Join(parts, ", and "))
	}
	return fmt.Sprintf(" It believed %s.", strings.Join(parts, ", and "))
}

// sentence tells one step of a round of talks, an event, a deal, a
// violation, a walk-out, a rescue or a resumption.
func (tl *teller) sentence(t *Turn, k int, s *Step) string {
	sc := tl.sc
	who := tl.subj(s.Actor)
	r := s.raw
	switch r.Kind {
	case sim.StepEvent:
		return tl.event(s)
	case sim.StepProposal, sim.StepMediation:
		offer := sc.Terms(s.pkg, "the status quo")
		tl.backed = r.Backed
		// The same package offered as a step and as a whole deal, or
		// as a mediator's compromise and as a proposer's own offer, are
		// different offers.
		key := fmt.Sprint(s.Actor, r.Partial, r.Kind)
		again := tl.last[key] == offer
		tl.last[key] = offer
		var line string
		switch {
		case r.Partial && again:
			line = fmt.Sprintf("%s again proposed the same step (worth %.2f to it)", who, *s.Value)
		case r.Partial:
			line = tl.stepOffer(s)
		case again:
			line = fmt.Sprintf("%s again offered the same package (worth %.2f to it)", who, *s.Value)
		case r.Kind == sim.StepMediation:
			line = fmt.Sprintf("%s, as mediator, proposed a compromise: %s (worth %.2f to it)", who, offer, *s.Value)
		case s.Seat:
			line = fmt.Sprintf("%s proposed %s (worth %.2f to it)", who, offer, *s.Value)
		default:
			line = fmt.Sprintf("%s proposed %s (worth %.2f to it; it asks at least %.2f)", who, offer, *s.Value, *s.Aspiration)
		}
		if r.Backed {
			if r.Kind == sim.StepMediation {
				line += ", and backed it with its leverage"
			} else if med := sc.Protocol.Mediator; med >= 0 {
				line += fmt.Sprintf("; %s backed it with its leverage", tl.obj(sc.Actors[med].ID))
			}
		}
		return line + "." + tl.beliefs(s)
	case sim.StepNoZone:
		if s.Seat {
			return fmt.Sprintf("%s, as mediator, put no compromise on the table.", who)
		}
		return fmt.Sprintf("%s found no credible package that every signatory prefers to no agreement, and proposed nothing.", who)
	case sim.StepResponse:
		return tl.response(s)
	case sim.StepAgreement:
		line := fmt.Sprintf("Agreement signed: %s.", sc.Terms(s.pkg, "the status quo"))
		switch {
		case r.Partial:
			line = fmt.Sprintf("A step signed: %s. Still open for the talks: %s.", sc.Terms(s.pkg, "the status quo"), AndList(issueNames(tl.sc, s.Open)))
		case tl.partial:
			line = fmt.Sprintf("Agreement signed, in place of the step: %s.", sc.Terms(s.pkg, "the status quo"))
		}
		if moves := strings.TrimSuffix(shift("Tension", tl.tension, s.Tension)+shift("trust", tl.trust, s.Trust), ", "); moves != "" {
			line += " " + capFirst(moves) + "."
		}
		if r.Backed {
			if med := sc.Protocol.Mediator; med >= 0 {
				line += fmt.Sprintf(" %s will enforce it with its leverage.", tl.subj(sc.Actors[med].ID))
			}
		}
		if h := tl.halts(s.pkg); h != "" {
			line += " It halts " + h + "."
		}
		tl.deal, tl.violator, tl.partial = true, "", r.Partial
		return line
	case sim.StepViolation:
		return tl.violation(t, k, s)
	case sim.StepBreakdown:
		return tl.breakdown(t, s)
	case sim.StepRescue:
		return tl.rescue(t, s)
	case sim.StepResume:
		if r.Actor < 0 {
			return "That reopened the talks, which had broken down."
		}
		tl.tried[s.Target] = t.Turn
		return fmt.Sprintf("%s brought %s back to the table (%s), %s. Talks resumed.",
			who, tl.obj(s.Target), tl.pull(t, s), tl.spending(r.Spent, s))
	case sim.StepReopenFailed:
		again := tl.tried[s.Target] == t.Turn-1
		tl.tried[s.Target] = t.Turn
		if again {
			return fmt.Sprintf("%s again tried to bring %s back to the table (%s chance) and failed.", who, tl.obj(s.Target), an(pct0(r.Chance)))
		}
		return fmt.Sprintf("%s tried to bring %s back to the table (%s) and failed.", who, tl.obj(s.Target), tl.pull(t, s))
	}
	return s.Kind
}

// pull explains a reopening's chance: the mediator's leverage over the
// walker times its goodwill toward it, against the face the walker would
// lose by returning, which grows with the tension.
func (tl *teller) pull(t *Turn, s *Step) string {
	r := s.raw
	n := len(tl.sc.Actors)
	c := an(pct0(r.Chance)) + " chance"
	if r.Actor < 0 || r.Target < 0 || len(t.raw.Goodwill) != n*n || len(t.raw.Leverage) != n {
		return c
	}
	lever := t.raw.Leverage[r.Target]
	if r.Kind == sim.StepResume {
		lever += r.Spent
	}
	return fmt.Sprintf("%s, its leverage over it (%.2f) times its goodwill toward it (%.2f) over the tension (%.2f)",
		c, lever, t.raw.Goodwill[r.Actor*n+r.Target], r.Tension)
}

// spending says what the mediator paid: "spending 0.01 of its leverage
// over it (0.09 left)".
func (tl *teller) spending(spent float64, s *Step) string {
	left := ""
	if s.LeverageLeft != nil {
		left = fmt.Sprintf(" (%.2f left)", *s.LeverageLeft)
	}
	if spent < 0.005 {
		return "at no cost to its leverage" + left
	}
	return fmt.Sprintf("spending %.2f of its leverage over it%s", spent, left)
}

func (tl *teller) response(s *Step) string {
	r := s.raw
	who := tl.subj(s.Actor)
	if r.Partial && !s.Seat {
		return tl.stepAnswer(s)
	}
	if s.Seat {
		verb := "refused"
		if r.Accepted {
			verb = "accepted"
		}
		if r.Partial {
			return fmt.Sprintf("%s %s the step: worth %.2f to it (what stands: %.2f).", who, verb, r.Value, r.NoDeal)
		}
		return fmt.Sprintf("%s %s: worth %.2f to it (the model would ask %.2f; no agreement: %.2f).", who, verb, r.Value, r.Aspiration, r.NoDeal)
	}
	if r.Accepted {
		if r.Aspiration-r.NoDeal < 0.005 {
			v, d := pair(r.Value, r.NoDeal)
			return fmt.Sprintf("%s accepted: worth %s to it, at least the %s of %s, which is all it still asks.", who, v, d, tl.noDeal())
		}
		v, a := pair(r.Value, r.Aspiration)
		return fmt.Sprintf("%s accepted: worth %s to it, at least what it asks (%s; %s: %.2f).", who, v, a, tl.noDeal(), r.NoDeal)
	}
	if r.Target >= 0 {
		doubt := tl.doubt(s)
		if r.Value >= r.Aspiration && r.Value >= r.NoDeal {
			return fmt.Sprintf("%s refused, though the package is worth %.2f to it: %s.", who, r.Value, doubt)
		}
		return fmt.Sprintf("%s refused: worth %.2f to it, short of the %.2f it asks (%s: %.2f); besides, %s.", who, r.Value, r.Aspiration, tl.noDeal(), r.NoDeal, doubt)
	}
	if r.Value < r.NoDeal {
		v, d := pair(r.Value, r.NoDeal)
		return fmt.Sprintf("%s refused: worth %s to it, less than %s (%s).", who, v, tl.noDeal(), d)
	}
	if r.Value >= r.Aspiration {
		// Only a staller refuses what it asks: a deal would end talks it values.
		return fmt.Sprintf("%s refused: worth %.2f to it, but a deal would end the talks it values.", who, r.Value)
	}
	v, a := pair(r.Value, r.Aspiration)
	return fmt.Sprintf("%s refused: worth %s to it, short of the %s it asks (%s: %.2f).", who, v, a, tl.noDeal(), r.NoDeal)
}

// pair formats two values that are compared with two decimals, or with
// as many more (up to four) as it takes to tell them apart.
func pair(a, b float64) (string, string) {
	for d := 2; ; d++ {
		x, y := fmt.Sprintf("%.*f", d, a), fmt.Sprintf("%.*f", d, b)
		if x != y || d == 4 {
			return x, y
		}
	}
}

// noDeal names what a responder weighs a package against: no agreement,
// less the mediator's leverage when the mediator backs the package.
func (tl *teller) noDeal() string {
	if med := tl.sc.Protocol.Mediator; tl.backed && med >= 0 {
		return "no agreement, less " + poss(tl.obj(tl.sc.Actors[med].ID)) + " leverage"
	}
	return "no agreement"
}

// doubt says why a package was not credible.
func (tl *teller) doubt(s *Step) string {
	if s.Target == s.Actor {
		return "once signed it would gain by breaking it itself, so the deal would not hold"
	}
	t := tl.obj(s.Target)
	return fmt.Sprintf("it would not trust %s to keep it (%s would gain by breaking it)", t, t)
}

// halts lists the provocations a deal with these levels halts.
func (tl *teller) halts(levels []int) string {
	var names []string
	for _, e := range tl.sc.Events {
		if e.Kind != scenarios.KindProvocation || e.By < 0 || !slices.Contains(tl.sc.Protocol.Signatories, e.By) {
			continue
		}
		ok := true
		for _, c := range e.HaltedBy {
			if c.Issue >= len(levels) || levels[c.Issue] < c.AtLeast {
				ok = false
			}
		}
		if ok {
			names = append(names, plural(e.Label))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return AndList(names)
}

// plural turns an event label into a plural noun phrase ("North Korean
// missile test" → "North Korean missile tests"), when it ends in a noun
// that takes an s.
func plural(label string) string {
	for _, end := range []string{"test", "launch", "exercise", "incursion", "provocation"} {
		if strings.HasSuffix(label, end) {
			if strings.HasSuffix(end, "ch") {
				return label + "es"
			}
			return label + "s"
		}
	}
	return label
}

func (tl *teller) event(s *Step) string {
	sc := tl.sc
	r := s.raw
	e := sc.Events[r.Event]
	var b strings.Builder
	fmt.Fprintf(&b, "%s.", e.Label)
	if r.Cause == sim.CauseInjected {
		b.WriteString(" The instructor made it happen.")
	}
	if moves := capFirst(shift("Tension", tl.tension, s.Tension) + shift("trust", tl.trust, s.Trust)); moves != "" {
		fmt.Fprintf(&b, " %s.", strings.TrimSuffix(moves, ", "))
	}
	by := ""
	if r.Actor >= 0 {
		by = tl.obj(s.Actor)
	}
	for _, g := range e.Effects.Goodwill {
		if g.Amount.Value < 0 {
			fmt.Fprintf(&b, " It angered %s, whose goodwill toward %s fell", tl.obj(sc.Actors[g.Target].ID), by)
			if r.Cause == sim.CauseHosted {
				b.WriteString(" all the more for coming while it hosted a summit")
			}
			b.WriteString(".")
		}
	}
	for _, h := range e.Effects.Hawkishness {
		if h.Amount.Value > 0 {
			fmt.Fprintf(&b, " Hawks in %s gained ground.", tl.obj(sc.Actors[h.Target].ID))
		}
	}
	for _, h := range e.Effects.SetHawkishness {
		id := sc.Actors[h.Target].ID
		fmt.Fprintf(&b, " %s hawkishness is now %.2f.", poss(tl.subj(id)), tl.hawkAfter(id))
	}
	for _, p := range e.Effects.Pressure {
		fmt.Fprintf(&b, " The pressure on %s grew.", tl.obj(sc.Actors[p.Target].ID))
	}
	for _, p := range e.Effects.Prevail {
		id := sc.Actors[p.Target].ID
		if !sc.Actors[p.Target].Conflict.Strike || math.IsNaN(tl.prevail[p.Target]) {
			continue
		}
		tl.prevail[p.Target] = clamp01(tl.prevail[p.Target] + tl.drawnNum(p.Amount))
		dir := "against"
		if p.Amount.Value > 0 {
			dir = "toward"
		}
		fmt.Fprintf(&b, " Power shifted %s %s (its chance of prevailing in a war: %.1f%%).", dir, tl.obj(id), 100*tl.prevail[p.Target])
	}
	var changed []string
	for _, wc := range e.Effects.Weights {
		if n := tl.obj(sc.Actors[wc.Actor].ID); !slices.Contains(changed, n) {
			changed = append(changed, n)
		}
	}
	if len(changed) > 0 {
		fmt.Fprintf(&b, " %s priorities changed.", poss(capFirst(AndList(changed))))
	}
	return b.String()
}

// hawkAfter is an actor's hawkishness at the end of the current turn (the
// trace gives no value between steps).
func (tl *teller) hawkAfter(id string) float64 {
	return tl.cur.State.Hawkishness[id]
}

// drawnNum is the run's draw of a scenario number.
func (tl *teller) drawnNum(n scenarios.Number) float64 {
	if v, ok := tl.nr.draws[n.Path]; ok && n.Path != "" {
		return v
	}
	return n.Value
}

func clamp01(x float64) float64 { return min(max(x, 0), 1) }

func (tl *teller) violation(t *Turn, k int, s *Step) string {
	sc := tl.sc
	r := s.raw
	who := tl.subj(s.Actor)
	var line string
	switch {
	case r.Cause == sim.CauseAct:
		line = fmt.Sprintf("%s broke the agreement: the deal forbids what it just did.", who)
		if k > 0 && t.Steps[k-1].raw.Kind == sim.StepEvent && t.Steps[k-1].raw.Event >= 0 {
			line = fmt.Sprintf("%s broke the agreement: the deal forbids what it just did (%s).", who, sc.Events[t.Steps[k-1].raw.Event].Label)
		}
	case r.War <= r.Carry:
		b, k := pair(r.War, r.Carry)
		line = fmt.Sprintf("%s broke the agreement, although keeping it was worth more to it (breaking %s against keeping %s).", who, b, k)
	default:
		b, k := pair(r.War, r.Carry)
		line = fmt.Sprintf("%s broke the agreement: one month's gain from withdrawing its concessions outweighed what it stood to lose (breaking %s against keeping %s).",
			who, b, k)
	}
	line += " The deal collapsed"
	if moves := strings.TrimSuffix(shift("tension", tl.tension, s.Tension)+shift("trust", tl.trust, s.Trust), ", "); moves != "" {
		line += ": " + moves
	}
	line += "."
	var stay []string
	for j, l := range s.pkg {
		if is := sc.Issues[j]; is.IrreversibleFrom >= 0 && l >= is.IrreversibleFrom && l != is.StatusQuo {
			stay = append(stay, is.Term(l))
		}
	}
	if len(stay) > 0 {
		line += fmt.Sprintf(" What cannot be undone stays: %s.", strings.Join(stay, ", "))
	}
	var others []string
	for _, id := range tl.strikers {
		if id != s.Actor {
			others = append(others, tl.obj(id))
		}
	}
	if len(others) > 0 && sc.Dynamics.ViolationHawk.Value > 0 {
		line += fmt.Sprintf(" Hawks in %s gained ground.", AndList(others))
	}
	tl.deal, tl.violator = false, s.Actor
	return line
}

// breakdown tells a walk-out, and why the mediator did not keep the
// walker at the table.
func (tl *teller) breakdown(t *Turn, s *Step) string {
	sc := tl.sc
	r := s.raw
	who := tl.subj(s.Actor)
	var line string
	switch {
	case r.Value < 0 && s.Seat:
		line = fmt.Sprintf("%s walked out: %s, talks cost it %.2f a month%s.",
			who, pastDeadline(s.Deadline, t.Turn), -r.Value, tl.hawkCost(s.Actor, r.Value))
	case r.Value < 0:
		line = fmt.Sprintf("%s walked out: %s, talks cost it %.2f a month%s and no deal it asks for is within reach.",
			who, pastDeadline(s.Deadline, t.Turn), -r.Value, tl.hawkCost(s.Actor, r.Value))
	default:
		line = fmt.Sprintf("%s walked out: %s, although one more month of talks was worth %.2f to it.", who, pastDeadline(s.Deadline, t.Turn), r.Value)
	}
	line += " Talks broke down."
	if med := sc.Protocol.Mediator; med >= 0 && r.Value < 0 {
		mid := sc.Actors[med].ID
		cost := -r.Value
		left := 0.0
		if len(t.raw.Leverage) > r.Actor {
			left = t.raw.Leverage[r.Actor]
		}
		talk := 0.0
		if a := tl.stance(mid); a != nil {
			talk = a.TalkValue
		}
		switch {
		case left < cost:
			line += fmt.Sprintf(" %s could not keep it at the table: its leverage over %s (%.2f left) no longer pays for a month.", tl.subj(mid), tl.obj(s.Actor), left)
		case talk < cost:
			tv, c := pair(talk, cost)
			line += fmt.Sprintf(" %s did not keep it at the table: a month of talks is worth %s to %s, less than the %s it would cost.", tl.subj(mid), tv, tl.obj(mid), c)
		default:
			line += fmt.Sprintf(" %s chose not to keep it at the table (played by a student).", tl.subj(mid))
		}
	}
	return line
}

// hawkCost explains a cost of talks that comes from hawkishness.
func (tl *teller) hawkCost(id string, value float64) string {
	if a := tl.stance(id); a != nil && a.TalkValue >= 0 && value < 0 {
		return " (its hawks make talking in a crisis cost it at home)"
	}
	return ""
}

func (tl *teller) rescue(t *Turn, s *Step) string {
	r := s.raw
	who := tl.subj(s.Actor)
	target := tl.obj(s.Target)
	again := tl.rescued[s.Target] == t.Turn-1
	tl.rescued[s.Target] = t.Turn
	if again {
		return fmt.Sprintf("%s again kept %s at the table, %s.", who, target, tl.spending(r.Spent, s))
	}
	reach := " and no deal it asks for is within reach"
	if s.walkSeat {
		reach = " (its player chose to walk out)"
	}
	line := fmt.Sprintf("%s was ready to walk out: %s, talks cost it %.2f a month%s%s.",
		tl.subj(s.Target), pastDeadline(s.Deadline, t.Turn), r.Spent, tl.hawkCost(s.Target, -r.Spent), reach)
	line += fmt.Sprintf(" %s kept it at the table, %s", who, tl.spending(r.Spent, s))
	if a := tl.stance(s.Actor); a != nil && a.TalkValue > 0 && !s.Seat {
		line += fmt.Sprintf(": the talks are worth %.2f a month to %s", a.TalkValue, tl.obj(s.Actor))
	}
	return line + "."
}

// pct0 is a chance in whole per cent.
func pct0(x float64) int { return int(math.Round(100 * x)) }

// an prefixes a percentage with its article: "an 86% chance", "a 70% chance".
func an(p int) string {
	s := fmt.Sprintf("%d%%", p)
	switch {
	case p == 8 || p == 11 || p == 18 || (p >= 80 && p <= 89):
		return "an " + s
	}
	return "a " + s
}

// shift describes a change of a variable, or nothing when it did not move.
func shift(what string, from, to float64) string {
	if math.IsNaN(from) || fmt.Sprintf("%.2f", from) == fmt.Sprintf("%.2f", to) {
		return ""
	}
	verb := "rose"
	if to < from {
		verb = "fell"
	}
	return fmt.Sprintf("%s %s from %.2f to %.2f, ", what, verb, from, to)
}

// Wants describes the package the actor would like most, in the scenario's
// words.
func (s Stance) Wants(sc *scenarios.Scenario) string {
	return sc.Terms(s.ideal, "everything as it is")
}

// TopWeights names the k issues an actor weighs most, heaviest first.
func TopWeights(sc *scenarios.Scenario, w map[string]float64, k int) string {
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
		parts = append(parts, fmt.Sprintf("%s (%.0f%%)", issueName(sc, id), 100*w[id]))
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
	case s.Deal != nil && s.Partial && s.Talks:
		return "; a step is in force and the talks go on"
	case s.Deal != nil && s.Partial:
		return "; a step is in force; no talks"
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

// Spec returns the scenario the run was played from.
func (nr Narration) Spec() *scenarios.Scenario { return nr.sc }

// turnAt returns turn n of the narration (nil if it was not told).
func (nr *Narration) turnAt(n int) *Turn {
	for i := range nr.Turns {
		if nr.Turns[i].Turn == n {
			return &nr.Turns[i]
		}
	}
	return nil
}

// issueName is the display name of issue id.
func issueName(sc *scenarios.Scenario, id string) string {
	for _, is := range sc.Issues {
		if is.ID == id {
			return is.Name
		}
	}
	return id
}

// issueNames are the display names of issue ids.
func issueNames(sc *scenarios.Scenario, ids []string) []string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = issueName(sc, id)
	}
	return names
}
