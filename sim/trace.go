package sim

// StepKind says what a trace step records.
type StepKind uint8

// Step kinds.
const (
	// StepEvent: event Event fired (Actor is its actor, or -1).
	StepEvent StepKind = iota
	// StepProposal: Actor proposed Package.
	StepProposal
	// StepMediation: the mediator Actor proposed Package.
	StepMediation
	// StepNoZone: the mediator found no package every signatory prefers
	// to no agreement, and proposed nothing.
	StepNoZone
	// StepResponse: Actor accepted (Accepted) or refused the package on
	// the table, worth Value to it against its Aspiration and NoDeal.
	StepResponse
	// StepAgreement: the signatories agreed on Package.
	StepAgreement
	// StepViolation: Actor violated the agreement on Package, which
	// collapsed.
	StepViolation
	// StepBreakdown: talks broke down (Value is the hazard that turn).
	StepBreakdown
	// StepStrike: Actor launched a strike; Cause says what triggered it.
	StepStrike
	// StepFinalOffer: at the deadline, Actor made a final offer of Package.
	StepFinalOffer
	// StepSalvage: talks would have broken down (Value is the hazard), but
	// the mediator Actor kept them alive.
	StepSalvage
)

var stepNames = [...]string{"event", "proposal", "mediation", "no_zone", "response", "agreement", "violation", "breakdown", "strike", "final_offer", "salvage"}

// String returns the step kind's name as used in traces.
func (k StepKind) String() string {
	if int(k) < len(stepNames) {
		return stepNames[k]
	}
	return "unknown"
}

// Cause is what triggered a strike or a collapse.
type Cause uint8

// Causes.
const (
	CauseNone Cause = iota
	// CauseStalemate: talks dragged on without a deal for
	// dynamics.stalemate_turns turns or more.
	CauseStalemate
	// CauseBreakdown: talks had broken down.
	CauseBreakdown
	// CauseViolation: an agreement was violated within the last
	// dynamics.violation_memory turns.
	CauseViolation
	// CauseCompliance: a signatory cheated on the agreement.
	CauseCompliance
	// CauseHosted: a provocation came on a turn another actor hosted an
	// event, and embarrassed the host.
	CauseHosted
)

var causeNames = [...]string{"", "stalemate", "breakdown", "violation", "compliance", "hosted"}

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
	Event int // index into Scenario.Events, or -1
	// Package is a package index (see actors.Space), or -1.
	Package int
	// Accepted is a response's answer.
	Accepted bool
	// Value, Aspiration and NoDeal are the package's worth to Actor, its
	// aspiration and its value of no agreement when it responded or
	// proposed. For a breakdown Value is the hazard.
	Value, Aspiration, NoDeal float64
	Cause                     Cause
	// Tension and Trust are their values just after the step.
	Tension, Trust float64
}

// TurnState is the state at the end of a turn.
type TurnState struct {
	Turn    int
	Tension float64
	Trust   float64
	// Hawkishness and NoDeal hold one value per actor.
	Hawkishness []float64
	NoDeal      []float64
	// Goodwill[i*n+j] is actor i's goodwill toward actor j.
	Goodwill []float64
	Talks    bool // talks alive
	Deal     int  // package in force, or -1
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
	// Decisions lists the decisions seats took (see Worker.Play).
	Decisions []SeatDecision
}
