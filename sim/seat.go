package sim

// A Decider makes one actor's decisions in place of the model: a student
// playing a seat, a script, or a transcript being replayed. The engine asks
// it at each decision point and tells it what the model would have done, so
// a Decider that always returns the model's choice plays exactly the run
// the model plays (same seed, same draws, same outcome).
type Decider interface {
	Decide(d *Decision) Choice
}

// DecisionKind says what a Decision is about.
type DecisionKind uint8

// Decision kinds.
const (
	// DecideAct: whether to perform Event this turn (a test, new
	// sanctions: the events the actor performs). A signatory bound by a
	// deal may still act, and so violates the deal.
	DecideAct DecisionKind = iota
	// DecidePropose: which package to propose as the proposer in turn,
	// or to pass.
	DecidePropose
	// DecideMediate: which compromise to put on the table as mediator,
	// or to pass.
	DecideMediate
	// DecideRespond: whether to accept Package, offered by From.
	DecideRespond
	// DecideViolate: whether to break the deal in force (Package).
	DecideViolate
	// DecideStrike: whether to strike (a striker, at the end of a turn in
	// which it has a pretext or the model would strike). War, Preventive
	// and Carry are its believed value of striking, what it expects to lose
	// by waiting, and its value of carrying on. Taking the model's choice
	// when it is yes plays the model's course: an ultimatum first, when
	// some package is worth more to the striker than war, and a strike if
	// it is refused. Yes where the model says no strikes at once.
	DecideStrike
	// DecideWalkOut: whether to walk out of talks that failed this turn (a
	// signatory past its deadline). Value is what one more turn of talks is
	// worth to it; ModelYes says whether the model would walk out (talks
	// cost it and no deal it could sign is within reach).
	DecideWalkOut
	// DecideBack: whether the mediator backs Package, on the table,
	// with its leverage (which lowers what refusing it is worth to each
	// signatory by the mediator's leverage over it, and which it keeps
	// enforcing while the deal is in force).
	DecideBack
	// DecideRescue: whether the mediator spends Spent of its leverage over
	// Target to keep it at the table when it would walk out.
	DecideRescue
	// DecideReopen: whether the mediator tries to bring Target, which
	// walked out, back to the table: it succeeds with chance Chance and
	// then spends Spent of its leverage over Target.
	DecideReopen
)

var decisionNames = [...]string{"act", "propose", "mediate", "respond", "violate", "strike", "walk_out", "back", "rescue", "reopen"}

// String returns the decision kind's name.
func (k DecisionKind) String() string {
	if int(k) < len(decisionNames) {
		return decisionNames[k]
	}
	return "unknown"
}

// Decision is what a Decider sees at a decision point.
type Decision struct {
	Kind  DecisionKind
	Turn  int
	Actor int // the seat's actor
	// Event is the event to perform (DecideAct), or -1.
	Event int
	// Target is the other actor a mediator's decision is about (rescue,
	// reopen), or -1.
	Target int
	// From is the actor who offers Package (DecideRespond), or -1.
	From int
	// Package is the package on the table (DecideRespond) or the one the
	// model would propose (DecidePropose, DecideMediate; -1 if it would
	// pass), as an index into Model.Space.
	Package int
	// ModelYes is the model's answer to a yes-or-no decision (act,
	// respond, violate, strike, walk out, back, rescue, reopen).
	ModelYes bool
	// Aspiration and NoDeal are the actor's current aspiration (what its
	// strategy asks) and value of no agreement; Tension and Trust the
	// state of the talks.
	Aspiration, NoDeal float64
	Tension, Trust     float64
	// Bound is true when a deal is in force that binds the actor.
	Bound bool
	// War, Preventive and Carry are a striker's believed value of
	// striking, its expected loss from waiting and its value of carrying on
	// (strike), or the values of breaking and keeping a deal (violate: War
	// and Carry). Value is what one more turn of talks is worth (walk
	// out). Spent and Chance are the leverage a rescue or reopening costs
	// and a reopening's chance. Pretext is a striker's pretext.
	War, Preventive, Carry float64
	Value                  float64
	Spent, Chance          float64
	Pretext                Cause
	// Partial is true when Package is a step (steps.go): a deal that
	// settles some issues and leaves the rest open for the talks to go on.
	// A step's responder takes it when it is worth more than what stands
	// (NoDeal, for a step: its utility of the status quo or of the step in
	// force, less the mediator's leverage over it when the mediator backs
	// the step); a seat offering one (propose, mediate) that chooses a
	// package that is not a step (one that moves an issue to a level that
	// cannot be undone, or leaves no issue open) passes.
	Partial bool

	w *Worker
}

// Worth returns the worth, to the deciding actor, of package p in this
// run: its utility on the actor's [0,1] scale.
func (d *Decision) Worth(p int) float64 { return d.w.u(d.Actor, p) }

// WorthTo returns the worth of package p to actor i.
func (d *Decision) WorthTo(i, p int) float64 { return d.w.u(i, p) }

// Choice is a Decider's answer: Yes for act and respond, Package (a package
// index, or -1 to pass) for propose and mediate.
type Choice struct {
	Yes     bool
	Package int
}

// ModelChoice returns the choice the model makes at d.
func ModelChoice(d *Decision) Choice {
	return Choice{Yes: d.ModelYes, Package: d.Package}
}

// Play is Run with some actors' decisions made by deciders (seats maps an
// actor index to its Decider; actors without one play as the model does).
func (w *Worker) Play(seed uint64, run int, seats map[int]Decider, tr *Trace) *Record {
	for i := range w.seats {
		w.seats[i] = nil
	}
	for i, d := range seats {
		w.seats[i] = d
	}
	w.seated = len(seats) > 0
	defer func() {
		clear(w.seats)
		w.seated = false
	}()
	return w.Run(seed, run, tr)
}

// decide asks actor i's seat, if it has one, and records the decision in
// the trace; it returns the choice to apply.
func (w *Worker) decide(st *state, tr *Trace, d Decision) Choice {
	model := ModelChoice(&d)
	seat := w.seats[d.Actor]
	if seat == nil {
		return model
	}
	d.Turn, d.Tension, d.Trust, d.w = st.turn, st.tension, st.trust, w
	if !d.Partial {
		d.NoDeal = w.noDeal[d.Actor] // for a step, the caller sets what it must improve on
	}
	d.Bound = st.deal >= 0 && w.m.isSig[d.Actor]
	c := seat.Decide(&d)
	if d.Kind == DecidePropose || d.Kind == DecideMediate {
		if c.Package < -1 || c.Package >= w.m.Space.Size {
			c.Package = -1
		}
	}
	if tr != nil {
		tr.Decisions = append(tr.Decisions, SeatDecision{Decision: d, Choice: c, Model: model})
		tr.Decisions[len(tr.Decisions)-1].Decision.w = nil
	}
	return c
}

// SeatDecision is a decision a seat took, with what the model would have
// chosen; a Trace lists them in order.
type SeatDecision struct {
	Decision Decision
	Choice   Choice
	Model    Choice
}
