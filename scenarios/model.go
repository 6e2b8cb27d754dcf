// Package scenarios defines parley's scenario model, loads and validates
// scenario files written in TOML, and embeds the built-in scenarios.
//
// A Scenario is the validated, typed form of a file: every reference (to an
// actor, an issue or a level) is resolved to an index, every number is checked
// against its range, and numbers that are uncertain carry a Distribution that
// the simulator samples once per run. The file format is documented in
// docs/scenario-format.md.
package scenarios

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Scenario is a validated negotiation scenario.
type Scenario struct {
	ID       string
	Title    string
	Question string
	Sources  []string
	// Horizon is the number of turns a run lasts at most.
	Horizon int
	// Start labels turn 1 as a month ("2018-04"); empty when turns are unlabelled.
	Start string

	Issues   []Issue
	Actors   []Actor
	Protocol Protocol
	Dynamics Dynamics
	Events   []Event

	// Expected is the effect the scenario declares it should have against
	// another built-in scenario; nil when it declares none.
	Expected *Expected

	// Controls lists the key paths a seminar's instructor page offers
	// (the optional [classroom] controls), each one Key returns.
	Controls []string

	// File is where the scenario was read from ("korea-2018" for a built-in).
	File string
	// Digest is a digest of the scenario's full source, its base chain
	// resolved, before any --set (ResolvedDigest): the same digest, the
	// same file contents, whatever their layout.
	Digest string

	// keys holds what the schema says of each single-valued key the
	// scenario's source holds, by path (see Key).
	keys map[string]Key
}

// Expected is the effect a scenario should have on one outcome's share
// compared with another built-in scenario: the share of Outcome in this
// scenario minus its share in Against is positive (Change "higher") or
// negative ("lower"). Outcome is one of the four outcome classes, or one
// of the two parts of an agreement: "settlement" (a deal that is not only
// a step) or "partial" (only a step in force at the end). Why says which
// mechanism produces it.
type Expected struct {
	Against string
	Outcome string
	Change  string
	Why     string
}

// Directions of an expected change.
const (
	ChangeHigher = "higher"
	ChangeLower  = "lower"
)

// Issue is one dimension of a package: ordered levels from the status quo
// (usually the first) to the largest concession.
type Issue struct {
	ID        string
	Name      string
	Levels    []string
	StatusQuo int
	// IrreversibleFrom is the first level that cannot be undone once a
	// deal has put the issue there (dismantled weapons stay dismantled):
	// when such a deal collapses the issue stays at the deal's level, which
	// becomes the new status quo. -1 when every level can be undone.
	IrreversibleFrom int
}

// Actor is one state (or party) with preferences over packages, a concession
// strategy, a clock, beliefs about conflict and behaviour that moves the
// state of the talks.
type Actor struct {
	ID   string
	Name string

	// Capability is the actor's power to move the others when the
	// scenario is seen as a spatial model (parley forecast), ≥ 0; only
	// ratios between actors matter, and DefaultCapability, the same for
	// every actor, when the file gives none. The engine does not read it.
	Capability Number

	// Weights holds one weight per issue (same order as Scenario.Issues);
	// weights are normalised to sum to 1 when a run draws them.
	Weights []Number
	// Values holds, per issue, one value in [0,1] per level.
	Values [][]Number
	// Links are linkage terms: value that holds only when issues move
	// together (and, with Unless, only when others do not).
	Links []Link

	Strategy Strategy

	// Deadline is the turn by which the actor wants a deal: its
	// time-dependent aspiration reaches its floor there, and after it the
	// actor judges whether the talks can still deliver (docs/model.md).
	// HasDeadline is false for an actor with no deadline of its own, which
	// never runs out of patience. A drawn deadline is rounded to a turn.
	Deadline    Number
	HasDeadline bool
	// Discount is the actor's per-turn discount factor δ in [0, 1): how
	// much a turn from now is worth against this turn. It weighs the shadow
	// of the future when the actor considers breaking a deal, and the loss
	// it expects from waiting while power shifts against it.
	Discount Number
	// TalkValue is what the actor gains each turn talks are alive,
	// negative when talks cost it; a hawkish government also pays its
	// hawkishness times the tension for each turn of talks.
	TalkValue Number
	// ReservationValue, when HasReservation is set, is the actor's value of
	// no agreement given directly on its [0,1] scale (GENIUS's reservation
	// value, NegMAS's reserved value), in place of the rule that derives it
	// from the status quo and the risk of conflict.
	ReservationValue Number
	HasReservation   bool

	// Hawkishness in [0,1]: tilts the actor's beliefs about conflict toward
	// optimism (by at most its belief spread) and makes talks cost it more
	// while tension is high.
	Hawkishness Number
	// Provocation multiplies the chance of the provocation events this actor
	// performs (1 = the rate written on the event).
	Provocation Number
	// Embarrass multiplies, by 1+Embarrass, the chance of this actor's
	// provocations on turns when an event hosted by another actor takes place.
	Embarrass Number

	// Pressure this actor puts on others at all times: lowers the target's
	// value of no agreement by Amount·(1 − goodwill toward the target).
	Pressure []Influence
	// Restraint this actor can exert on others' provocations: cuts the
	// target's provocation chance by the factor Amount·goodwill.
	Restraint []Influence
	// Goodwill this actor starts with toward others, in [0,1]; 0.5 when unset.
	Goodwill []Influence
	// Leverage is what this actor, as the protocol's mediator, can move
	// each signatory's value of no agreement by (sanctions it can enforce or
	// relax, aid it can give or withhold): it backs packages worth enough
	// to itself with it, and spends it to keep talks alive or reopen them.
	// It is read only while the actor is the mediator.
	Leverage []Influence
	// Misperception ≥ 0 is how far the actor's beliefs about the other
	// signatories' weights may stray from the truth: the spread, on a log
	// scale, of its hypotheses about them (docs/model.md, "What the actors
	// know"); 0 is exact knowledge. It matters for a proposer or the
	// mediator, who choose packages by what they believe the others accept.
	Misperception Number

	Conflict Conflict
}

// DefaultCapability is an agent-based actor's capability when its file
// gives none: every actor alike.
const DefaultCapability = 1

// Influence is an amount directed at another actor (by index).
type Influence struct {
	Target int
	Amount Number
}

// Link is a linkage term: Value is added to the actor's raw utility when
// every condition of When holds and not every condition of Unless does
// (an empty Unless never blocks). A condition holds at or beyond its level,
// because levels are ordered concessions: what eased sanctions buy, lifted
// sanctions buy too.
type Link struct {
	ID     string
	When   []Condition
	Unless []Condition
	Value  Number
}

// Condition holds when issue Issue is at level AtLeast or beyond.
type Condition struct {
	Issue   int
	AtLeast int
}

// Strategy kinds.
const (
	Boulware  = "boulware"
	Linear    = "linear"
	Conceder  = "conceder"
	TitForTat = "tit_for_tat"
	Hardliner = "hardliner"
	Staller   = "staller"
)

// Strategy is an actor's concession strategy and its parameters. Unused
// parameters are the zero Number.
type Strategy struct {
	Kind string
	// E is the concession exponent of the time-dependent kinds (Faratin et
	// al. 1998): aspiration falls as (t/T)^(1/E), T the actor's deadline.
	E Number
	// Reservation is a floor on aspiration above the value of no agreement.
	Reservation Number
	// Demand is a hardliner's fixed aspiration.
	Demand Number
}

// Conflict holds an actor's payoffs in the conflict lottery (Fearon 1995)
// and how far its beliefs about them may stray.
type Conflict struct {
	// Prevail is the chance the conflict ends in the actor's favour (at the
	// start of a run; events with prevail effects shift it).
	Prevail Number
	// Cost is the cost of fighting on the actor's raw utility scale.
	Cost Number
	// Strike says whether the actor may launch strikes.
	Strike bool
	// Spread bounds the actor's errors about Prevail and Cost: its belief
	// of its chance of prevailing is drawn within Spread of the truth, its
	// belief of its cost within a share Spread of the truth, and
	// hawkishness tilts both toward optimism by at most Spread more.
	Spread Number
	// Pretext is the share of its cost of fighting a striker no longer pays
	// when it has a pretext (talks broken down, a deal violated by another
	// signatory, or talks dragging on past its deadline): the political
	// cost of striking first.
	Pretext Number
}

// Agendas: who speaks first in a round of talks.
const (
	AgendaProposerFirst = "proposer_first"
	AgendaMediatorFirst = "mediator_first"
)

// Protocol is who signs, who proposes and who mediates.
type Protocol struct {
	// Signatories must all accept a package for it to become an agreement.
	Signatories []int
	// Mediator is an actor index, or -1 for none.
	Mediator int
	// MediatorBias is β: 0 is an honest broker, 1 proposes its own best
	// package among those the signatories prefer to no agreement.
	MediatorBias Number
	// Agenda is AgendaProposerFirst (the proposer in turn speaks, then the
	// mediator) or AgendaMediatorFirst (the mediator tables its compromise
	// before the proposer speaks).
	Agenda string
	// Proposers take turns making proposals, in this order.
	Proposers []int
	// Learning, when set, lets every proposer and the mediator update its
	// beliefs about the signatories' weights from their offers and answers (Bayesian
	// learning over hypotheses); when not, beliefs stay as drawn.
	Learning bool
	// PartialDeals, when set, lets the mediator (or, without one, the
	// proposer in turn) broker a step: a deal that settles some issues,
	// leaves the rest open, and keeps the talks going over them.
	PartialDeals bool
}

// Dynamics holds the sizes of the engine's state changes. Every field is
// read by a rule documented in docs/model.md.
type Dynamics struct {
	Tension         Number // initial tension in [0,1]
	TensionBaseline Number // tension drifts toward this each turn
	TensionDrift    Number // share of the gap to the baseline closed each turn
	Trust           Number // initial trust in [0,1]

	AgreementTension Number // tension change when a deal is signed
	AgreementTrust   Number // trust change when a deal is signed
	RejectionTrust   Number // trust change when a proposal is refused
	ComplianceTrust  Number // trust gained each turn a partial deal (a step) is kept
	ViolationTension Number // tension change on a violation
	ViolationTrust   Number // trust change on a violation
	ViolationHawk    Number // hawkishness added to every striker on a violation

	Embarrassment Number // extra share of goodwill lost when a provocation embarrasses a host
}

// Event kinds.
const (
	KindProvocation = "provocation"
	KindSanctions   = "sanctions"
	KindSummit      = "summit"
	KindElection    = "election"
	KindOther       = "other"
)

// Event is a scheduled or stochastic event.
type Event struct {
	ID    string
	Label string
	Kind  string
	// By is the acting actor's index, or -1.
	By int
	// HostedBy is the hosting actor's index (summits), or -1.
	HostedBy int
	// Turns lists the turns a scheduled event may fire on; empty for a
	// stochastic event, which may fire on any turn.
	Turns []int
	// Chance is the chance per eligible turn.
	Chance Number
	// HaltedBy lists, for a provocation, the terms that stop it: a
	// signatory bound by a deal in force that meets every condition does
	// not perform it. Empty means any deal in force stops it.
	HaltedBy []Condition
	Effects  Effects
}

// Effects are what an event does to the state of the talks.
type Effects struct {
	Tension Number
	Trust   Number
	// Hawkishness adds to actors' hawkishness.
	Hawkishness []Influence
	// SetHawkishness replaces actors' hawkishness (a new administration).
	SetHawkishness []Influence
	// Goodwill adds to the listed actors' goodwill toward the event's By.
	Goodwill []Influence
	// Pressure adds to the listed actors' standing pressure (lowers their
	// value of no agreement).
	Pressure []Influence
	// Weights replaces issue weights of actors: a change of preferences.
	Weights []WeightChange
	// Prevail adds to actors' true chance of prevailing in a conflict: a
	// shift in power (a test that advances a weapons programme). It also
	// reveals the new balance: each listed actor's belief of its chance
	// loses its random error.
	Prevail []Influence
	// Reopen reopens talks that broke down (a summit, a new administration).
	Reopen bool
}

// WeightChange sets actor Actor's weight on issue Issue.
type WeightChange struct {
	Actor  int
	Issue  int
	Weight Number
}

// Distribution kinds.
const (
	DistUniform    = "uniform"
	DistNormal     = "normal"
	DistTriangular = "triangular"
	DistBeta       = "beta"
)

// Number is a scenario number: a constant, or a distribution drawn once per
// run. Draws are clamped to [Min, Max], the key's valid range.
type Number struct {
	// Value is the constant, or the distribution's mean (clamped).
	Value float64
	Dist  *Distribution
	// Min and Max bound draws (the range the key accepts).
	Min, Max float64
	// Path is the key path the number was read from.
	Path string
}

// Distribution is a parametric distribution.
type Distribution struct {
	Kind string
	// Parameters by kind: uniform (A=min, B=max), normal (A=mean, B=sd),
	// triangular (A=min, B=max, C=mode), beta (A=alpha, B=beta, scaled
	// to [Lo, Hi]).
	A, B, C float64
	Lo, Hi  float64
}

// Const returns a constant Number with the given value and no bounds.
func Const(v float64) Number {
	return Number{Value: v, Min: math.Inf(-1), Max: math.Inf(1)}
}

// IsConst reports whether n is a constant.
func (n Number) IsConst() bool { return n.Dist == nil }

// Sample draws n once from r: the constant itself, or a draw clamped to
// [n.Min, n.Max]. It does not allocate.
func (n Number) Sample(r *rand.Rand) float64 {
	if n.Dist == nil {
		return n.Value
	}
	var x float64
	d := n.Dist
	switch d.Kind {
	case DistUniform:
		x = distuv.Uniform{Min: d.A, Max: d.B, Src: r}.Rand()
	case DistNormal:
		x = distuv.Normal{Mu: d.A, Sigma: d.B, Src: r}.Rand()
	case DistTriangular:
		x = distuv.NewTriangle(d.A, d.B, d.C, r).Rand()
	case DistBeta:
		x = d.Lo + (d.Hi-d.Lo)*distuv.Beta{Alpha: d.A, Beta: d.B, Src: r}.Rand()
	default:
		panic("scenarios: unknown distribution " + d.Kind)
	}
	return min(max(x, n.Min), n.Max)
}

// Mean returns the mean of the distribution (or the constant), clamped.
func (d *Distribution) Mean() float64 {
	switch d.Kind {
	case DistUniform:
		return (d.A + d.B) / 2
	case DistNormal:
		return d.A
	case DistTriangular:
		return (d.A + d.B + d.C) / 3
	case DistBeta:
		return d.Lo + (d.Hi-d.Lo)*d.A/(d.A+d.B)
	}
	panic("scenarios: unknown distribution " + d.Kind)
}

// ActorIndex returns the index of the actor with the given id, or -1.
func (s *Scenario) ActorIndex(id string) int {
	for i := range s.Actors {
		if s.Actors[i].ID == id {
			return i
		}
	}
	return -1
}

// EventIndex returns the index of the event with the given id, or -1.
func (s *Scenario) EventIndex(id string) int {
	for i := range s.Events {
		if s.Events[i].ID == id {
			return i
		}
	}
	return -1
}

// IssueIndex returns the index of the issue with the given id, or -1.
func (s *Scenario) IssueIndex(id string) int {
	for i := range s.Issues {
		if s.Issues[i].ID == id {
			return i
		}
	}
	return -1
}
