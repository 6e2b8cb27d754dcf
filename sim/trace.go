package sim

import "github.com/parley-sim/parley/actors"

// StepKind says what a trace step records.
type StepKind uint8

// Step kinds.
const (
	// StepEvent: event Event fired (Actor is its actor, or -1).
	StepEvent StepKind = iota
	// StepProposal: Actor proposed Package; Backed says whether the
	// mediator put its leverage behind it.
	StepProposal
	// StepMediation: the mediator Actor proposed Package (Backed as for a
	// proposal).
	StepMediation
	// StepNoZone: the mediator found no package every signatory prefers
	// to no agreement, and proposed nothing.
	StepNoZone
	// StepResponse: Actor accepted (Accepted) or refused the package on
	// the table, worth Value to it against its Aspiration and NoDeal (for
	// an ultimatum, NoDeal and Aspiration are its believed value of war).
	StepResponse
	// StepAgreement: the signatories agreed on Package.
	StepAgreement
	// StepViolation: Actor broke the agreement on Package, which
	// collapsed: keeping it was worth Carry to it, breaking it War (see
	// actors.BreaksDeal). Cause is CauseCompliance, or CauseAct when a seat
	// performed an event the deal forbids.
	StepViolation
	// StepBreakdown: Actor walked out and talks broke down. Value is what
	// one more turn of talks was worth to it (negative), past its deadline
	// with no deal it could still reach.
	StepBreakdown
	// StepStrike: Actor launched a strike. War is its believed value of
	// striking, Preventive what it expected to lose by waiting, Carry its
	// value of carrying on; Prevail and Cost its beliefs; Cause its pretext
	// (CauseNone when it had none).
	StepStrike
	// StepUltimatum: the striker Actor, preferring war to carrying on,
	// demanded Package as its price for not striking (War, Preventive,
	// Carry as for a strike); the signatories' responses follow.
	StepUltimatum
	// StepStandDown: the striker Actor's ultimatum was refused, the refusal
	// showed it how hard the other side would fight (its belief of its
	// cost lost its random error), and with the new belief striking was no
	// longer worth it (War, Preventive, Carry after the update).
	StepStandDown
	// StepRescue: the mediator Actor kept signatory Target at the table,
	// which would have walked out, by spending Spent of its leverage over
	// it (what one more turn of talks cost Target).
	StepRescue
	// StepResume: talks that had broken down reopened: through event Event,
	// or through the mediator Actor, which spent Spent of its leverage over
	// Target and succeeded with chance Chance.
	StepResume
	// StepReopenFailed: the mediator Actor tried to bring Target back to
	// the table and failed (it had chance Chance).
	StepReopenFailed
)

var stepNames = [...]string{"event", "proposal", "mediation", "no_zone", "response", "agreement", "violation",
	"breakdown", "strike", "ultimatum", "stand_down", "rescue", "resume", "reopen_failed"}

// String returns the step kind's name as used in traces.
func (k StepKind) String() string {
	if int(k) < len(stepNames) {
		return stepNames[k]
	}
	return "unknown"
}

// Cause is what gave a striker its pretext, or what made a deal collapse.
type Cause uint8

// Causes.
const (
	CauseNone Cause = iota
	// CauseStalemate: talks had dragged on without a deal past the
	// striker's own deadline.
	CauseStalemate
	// CauseBreakdown: talks had broken down.
	CauseBreakdown
	// CauseViolation: another signatory had broken the last deal, and no
	// deal had been signed since.
	CauseViolation
	// CauseCompliance: a signatory broke the agreement by choice.
	CauseCompliance
	// CauseHosted: a provocation came on a turn another actor hosted an
	// event, and embarrassed the host.
	CauseHosted
	// CauseAct: a seat performed an event the deal in force forbids.
	CauseAct
	// CauseInjected: an instructor made the event happen this turn
	// (Worker.InjectWith), whatever its chance.
	CauseInjected
)

var causeNames = [...]string{"", "stalemate", "breakdown", "violation", "compliance", "hosted", "act", "injected"}

// String returns the cause's name.
func (c Cause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return "unknown"
}

// Step is one thing that happened in a run.
type Step struct {
	Turn  int
	Kind  StepKind
	Actor int // -1 when no actor
	// Target is the other actor a step is about (a rescue, a reopening),
	// or -1.
	Target int
	Event  int // index into Scenario.Events, or -1
	// Package is a package index (see actors.Space), or -1.
	Package int
	// Accepted is a response's answer; Backed whether the mediator backed
	// the package proposed.
	Accepted, Backed bool
	// Partial marks a step (steps.go): a proposal or mediation that offers
	// one, a response to one, an agreement that signs one. Open lists the
	// issues a step offered or signed leaves open (nil otherwise). For a
	// response to a step, NoDeal is what stands now (the responder's
	// utility of the status quo, or of the step in force) and Aspiration
	// what it asks of the talks, which the step must leave within reach.
	Partial bool
	Open    []int
	// Value, Aspiration and NoDeal are the package's worth to Actor, its
	// aspiration and its value of no agreement when it responded or
	// proposed. For a breakdown Value is the walker's value of more talks.
	Value, Aspiration, NoDeal float64
	// War, Preventive and Carry are a striker's believed value of
	// striking, the loss it expected from waiting and its value of carrying
	// on (for a violation: breaking and keeping the deal); Prevail and Cost
	// its beliefs of its chance of prevailing and its cost of fighting.
	War, Preventive, Carry float64
	Prevail, Cost          float64
	// Spent is the leverage a mediator spent; Chance a reopening's chance.
	Spent, Chance float64
	Cause         Cause
	// Tension and Trust are their values just after the step.
	Tension, Trust float64
}

// Believed is what a proposer or mediator that misperceives (beliefs.go)
// believed when it chose a package: its posterior mean of each signatory's
// issue weights, by position in the protocol's signatories (nil for
// itself). The offer of Steps[Step] is the one these beliefs made best.
type Believed struct {
	Step    int
	Actor   int
	Weights [][]float64
}

// Deliberation is one striker's weighing of a strike at the end of a turn:
// what it believed, what it compared, and what it chose. Every strike
// decision of a run is recorded, struck or not, so that each can be checked
// against the rule (docs/model.md, "Strikes").
type Deliberation struct {
	Actor int
	// Prevail and Cost are the striker's beliefs; Pretext its pretext
	// (CauseNone for none) and Keep the share of its cost it pays with it.
	Prevail, Cost float64
	Pretext       Cause
	Keep          float64
	// RawMin and RawMax are its least and greatest raw utility, and Scale
	// its [0,1] scale: War = Scale.U(Prevail·RawMax + (1−Prevail)·RawMin
	// − Cost·Keep).
	RawMin, RawMax float64
	Scale          actors.Scale
	// War is its believed value of striking, Preventive the loss it
	// expected from waiting, Carry its value of carrying on (the deal in
	// force, or the status quo), all on its [0,1] scale.
	War, Preventive, Carry float64
	// Ultimatum is the package it demanded, or -1; Struck whether it
	// struck, Seat whether a seat decided.
	Ultimatum int
	Struck    bool
	Seat      bool
}

// TurnState is the state at the end of a turn.
type TurnState struct {
	Turn    int
	Tension float64
	Trust   float64
	// Hawkishness, NoDeal and Prevail hold one value per actor (Prevail:
	// the true chance of prevailing).
	Hawkishness []float64
	NoDeal      []float64
	Prevail     []float64
	// Goodwill[i*n+j] is actor i's goodwill toward actor j.
	Goodwill []float64
	// Leverage holds the mediator's remaining leverage over each actor
	// (zero without a mediator).
	Leverage []float64
	Talks    bool // talks alive
	Deal     int  // package in force, or -1
	Partial  bool // the deal in force is a step, and its open issues are still talked over
	// Deliberations lists the strike decisions of the turn.
	Deliberations []Deliberation
}

// Trace is the full record of one run: what later tools (narration,
// reports, play) read. Record is the run's summary, as Monte Carlo sees it.
type Trace struct {
	Seed   uint64
	Steps  []Step
	States []TurnState
	Record Record
	// Draws holds the run's drawn value of every scenario number, by key
	// path.
	Draws map[string]float64
	// Ideals holds each actor's best package at the start of the run, and
	// Start the state before turn 1 (its NoDeal as of turn 1).
	Ideals []int
	Start  TurnState
	// Deadlines holds each actor's drawn deadline (a turn; +Inf for none),
	// and Beliefs each actor's beliefs about the conflict at the start.
	Deadlines []float64
	Beliefs   []actors.Belief
	// Believed lists what the proposers and the mediator that misperceive
	// the signatories' weights believed at each of their offers.
	Believed []Believed
	// Decisions lists the decisions seats took (see Worker.Play).
	Decisions []SeatDecision
}
