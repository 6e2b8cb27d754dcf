// Package sim is parley's turn engine and Monte Carlo runner.
//
// A Model is a scenario compiled for fast repeated runs: every number of the
// scenario gets a slot that each run fills with its own draw, and the
// package space, utility tables and Pareto frontier are prepared once where
// the preferences are certain. Model.Run plays one run, turn by turn, and can
// record a Trace of it; MonteCarlo plays many runs on a pool of workers and
// folds their Records into an Accumulator. docs/model.md gives the rules.
package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// slot indexes a run's drawn numbers.
type slot int32

// Model is a scenario compiled for the engine. It is safe for concurrent use
// by many Workers.
type Model struct {
	Scenario *scenarios.Scenario
	Space    actors.Space

	nums    []scenarios.Number // every number of the scenario, in draw order
	prefNum []bool             // which slots feed preferences (utility tables)
	// inputs are the slots of the numbers a run draws (not constants),
	// in draw order, and inputPaths their key paths (Inputs); numKey[s] is
	// the random stream of slot s (streams.go).
	inputs     []slot
	inputPaths []string
	numKey     []uint64
	// The streams of each actor's belief errors and reopenings, of each
	// event, and of each believer's hypotheses about each signatory
	// (hypKey[i*len(sig)+t]).
	errKey, reopenKey, eventKey, hypKey []uint64

	actors   []cActor
	sig      []int
	isSig    []bool
	proposer []int
	mediator int
	// sets are the actor sets whose Pareto frontiers the searches use:
	// the signatories with each proposer (propSet, by rotation position),
	// with the mediator (medSet, -1 without one) and with each striker
	// (strikeSet, by striker, for its ultimatum).
	sets      [][]int
	propSet   []int
	medSet    int
	strikeSet []int
	bias      slot
	medFirst  bool
	// partial is true when the protocol allows step-by-step deals
	// (steps.go); lvl holds every package's level of each issue,
	// lvl[p*issues+i], which the step searches compare.
	partial bool
	lvl     []int32
	dyn     cDynamics
	events  []cEvent
	sq      int // status-quo package at the start of a run (sqPos: the engine's number)
	// pkgs lists, for a compact model, the packages the engine keeps (by
	// index in the space, increasing; compact.go): the engine's package
	// numbers are then positions in pkgs. nil when it keeps the whole
	// space. size is the number of packages the engine keeps, sqPos the
	// status quo's number, and cheatRaw[si*size+p] signatory si's raw
	// utility of what it keeps by breaking package p (compact models
	// only; the others compute it each run, prepareCred).
	pkgs      []int32
	size      int
	sqPos     int
	cheatRaw  []float64
	irr       []int // per issue, the first irreversible level, or -1
	strikers  []int
	isStriker []bool
	// ordered[i] is true when some search visits the packages in actor
	// i's order (a signatory, a proposer or a striker): the tables order
	// only those actors' columns.
	ordered []bool
	// leverage[j] is the slot of the mediator's leverage over signatory j,
	// or -1 (none, or no mediator).
	leverage []slot

	// constPrefs is true when every preference number is a constant: the
	// utility tables then depend only on which preference-changing events
	// fired, and are cached by that bitmask.
	constPrefs bool
	// constCred is true when every signatory's values of the levels are
	// certain: what a breaking signatory keeps of each package, and what
	// stands after a collapse, then depend on the status quo alone, and a
	// worker keeps them between runs (prepareCred).
	constCred bool
	// tables caches the tables of a model with constant preferences,
	// shared by its workers (and by the models Share names); tablesKey is
	// its prefKey.
	tables     *Tables
	tablesKey  string
	prefEvents []int // events that change weights, by index into events

	// beliefs is true when some actor that proposes or mediates may
	// misperceive the signatories' weights (beliefs.go).
	beliefs bool
}

type cActor struct {
	weights     []slot
	values      [][]slot
	links       []cLink
	strat       string
	e, res      slot
	demand      slot
	deadline    slot
	discount    slot
	talk        slot
	reservation slot // -1 when the value of no agreement follows the rule
	hawk        slot
	provocation slot
	embarrass   slot
	pressure    []cInfl
	restraint   []cInfl
	goodwill    []cInfl
	prevail     slot
	cost        slot
	spread      slot
	pretext     slot
	misperc     slot // drawn after every other number (see compile)
	strike      bool
}

type cLink struct {
	when, unless []scenarios.Condition
	value        slot
}

type cInfl struct {
	target int
	amt    slot
}

type cDynamics struct {
	tension, baseline, drift, trust slot
	agrTension, agrTrust, rejTrust  slot
	compTrust                       slot
	vioTension, vioTrust, vioHawk   slot
	embarrassment                   slot
}

type cEvent struct {
	kind      string
	by, host  int
	turns     []bool // turns[t] for scheduled events; nil for stochastic
	chance    slot
	tension   slot
	trust     slot
	hawk      []cInfl
	setHawk   []cInfl
	goodwill  []cInfl
	pressure  []cInfl
	prevail   []cInfl
	reopen    bool
	haltedBy  []scenarios.Condition
	weights   []cWeight
	prefEvent int // bit in the preference bitmask, or -1
	// restrainers are the actors that restrain the provoker (by), with
	// the slot of their restraint.
	restrainers []cInfl
}

type cWeight struct {
	actor, issue int
	w            slot
}

// compiler assigns slots to numbers.
type compiler struct {
	m    *Model
	pref bool
}

func (c *compiler) num(n scenarios.Number) slot {
	c.m.nums = append(c.m.nums, n)
	c.m.prefNum = append(c.m.prefNum, c.pref)
	s := slot(len(c.m.nums) - 1)
	name := n.Path
	if name == "" {
		name = fmt.Sprintf("#%d", s) // no number the loader reads lacks a path
	}
	c.m.numKey = append(c.m.numKey, streamKey("number", name))
	if !n.IsConst() {
		c.m.inputs = append(c.m.inputs, s)
		c.m.inputPaths = append(c.m.inputPaths, n.Path)
	}
	return s
}

// Inputs returns the key path of every number of the scenario that a run
// draws from a distribution (actors.us.hawkishness, ...), in the order
// Record.Inputs holds their drawn values. The caller must not change the
// slice.
func (m *Model) Inputs() []string { return m.inputPaths }

func (c *compiler) infl(in []scenarios.Influence) []cInfl {
	out := make([]cInfl, len(in))
	for i, x := range in {
		out[i] = cInfl{target: x.Target, amt: c.num(x.Amount)}
	}
	return out
}

// Compile prepares a validated scenario for the engine.
func Compile(sc *scenarios.Scenario) (*Model, error) {
	return compile(sc, maxPackages)
}

// compile is Compile for package spaces of at most limit packages; a model
// of more than maxPackages can be analysed but not run.
func compile(sc *scenarios.Scenario, limit int) (*Model, error) {
	if len(sc.Issues) == 0 || len(sc.Actors) == 0 || sc.Horizon < 1 {
		return nil, fmt.Errorf("sim: scenario %q has no issues, no actors or no horizon", sc.ID)
	}
	m := &Model{Scenario: sc, mediator: sc.Protocol.Mediator}
	levels := make([]int, len(sc.Issues))
	sq := make([]int, len(sc.Issues))
	for j, is := range sc.Issues {
		levels[j] = len(is.Levels)
		sq[j] = is.StatusQuo
	}
	if n, ok := Packages(sc); !ok || n > limit {
		return nil, fmt.Errorf("sim: scenario %q has more than %d packages, the most the engine numbers", sc.ID, limit)
	}
	m.Space = actors.NewSpace(levels)
	m.sq = m.Space.Encode(sq)
	m.size, m.sqPos = m.Space.Size, m.sq
	for _, is := range sc.Issues {
		from := is.IrreversibleFrom
		if from <= is.StatusQuo {
			from = -1
		}
		m.irr = append(m.irr, from)
	}
	c := &compiler{m: m}

	for _, a := range sc.Actors {
		c.pref = true
		ca := cActor{strat: a.Strategy.Kind, strike: a.Conflict.Strike}
		for j := range sc.Issues {
			ca.weights = append(ca.weights, c.num(a.Weights[j]))
			var vs []slot
			for _, v := range a.Values[j] {
				vs = append(vs, c.num(v))
			}
			ca.values = append(ca.values, vs)
		}
		for _, l := range a.Links {
			ca.links = append(ca.links, cLink{when: l.When, unless: l.Unless, value: c.num(l.Value)})
		}
		c.pref = false
		ca.prevail = c.num(a.Conflict.Prevail)
		ca.cost = c.num(a.Conflict.Cost)
		ca.spread = c.num(a.Conflict.Spread)
		ca.pretext = c.num(a.Conflict.Pretext)
		s := a.Strategy
		ca.e, ca.res, ca.demand = c.num(s.E), c.num(s.Reservation), c.num(s.Demand)
		ca.deadline = c.num(a.Deadline)
		ca.discount = c.num(a.Discount)
		ca.talk = c.num(a.TalkValue)
		ca.reservation = -1
		if a.HasReservation {
			ca.reservation = c.num(a.ReservationValue)
		}
		ca.hawk = c.num(a.Hawkishness)
		ca.provocation = c.num(a.Provocation)
		ca.embarrass = c.num(a.Embarrass)
		ca.pressure = c.infl(a.Pressure)
		ca.restraint = c.infl(a.Restraint)
		ca.goodwill = c.infl(a.Goodwill)
		m.actors = append(m.actors, ca)
	}
	m.isStriker = make([]bool, len(sc.Actors))
	for i := range sc.Actors {
		if sc.Actors[i].Conflict.Strike {
			m.strikers = append(m.strikers, i)
			m.isStriker[i] = true
		}
	}
	m.sig = sc.Protocol.Signatories
	m.isSig = make([]bool, len(sc.Actors))
	for _, i := range m.sig {
		m.isSig[i] = true
	}
	m.proposer = sc.Protocol.Proposers
	m.ordered = orderedActors(sc)
	m.medSet = -1
	for _, p := range m.proposer {
		m.propSet = append(m.propSet, m.addSet(p))
	}
	if m.mediator >= 0 {
		m.medSet = m.addSet(m.mediator)
	}
	for _, k := range m.strikers {
		m.strikeSet = append(m.strikeSet, m.addSet(k))
	}
	m.bias = c.num(sc.Protocol.MediatorBias)
	m.medFirst = sc.Protocol.Agenda == scenarios.AgendaMediatorFirst
	m.partial = sc.Protocol.PartialDeals
	if m.partial {
		L := len(levels)
		m.lvl = make([]int32, m.Space.Size*L)
		for p := range m.Space.Size {
			m.Space.Decode(p, sq)
			for i, l := range sq {
				m.lvl[p*L+i] = int32(l)
			}
		}
	}
	m.leverage = make([]slot, len(sc.Actors))
	for i := range m.leverage {
		m.leverage[i] = -1
	}
	if m.mediator >= 0 {
		for _, l := range sc.Actors[m.mediator].Leverage {
			if m.isSig[l.Target] {
				m.leverage[l.Target] = c.num(l.Amount)
			}
		}
	}

	d := sc.Dynamics
	m.dyn = cDynamics{
		tension: c.num(d.Tension), baseline: c.num(d.TensionBaseline), drift: c.num(d.TensionDrift),
		trust:      c.num(d.Trust),
		agrTension: c.num(d.AgreementTension), agrTrust: c.num(d.AgreementTrust), rejTrust: c.num(d.RejectionTrust),
		compTrust:  c.num(d.ComplianceTrust),
		vioTension: c.num(d.ViolationTension), vioTrust: c.num(d.ViolationTrust), vioHawk: c.num(d.ViolationHawk),
		embarrassment: c.num(d.Embarrassment),
	}
	for _, e := range sc.Events {
		ce := cEvent{kind: e.Kind, by: e.By, host: e.HostedBy, prefEvent: -1, reopen: e.Effects.Reopen, haltedBy: e.HaltedBy}
		if len(e.Turns) > 0 {
			ce.turns = make([]bool, sc.Horizon+1)
			for _, t := range e.Turns {
				if t >= 1 && t <= sc.Horizon {
					ce.turns[t] = true
				}
			}
		}
		if e.Kind == scenarios.KindProvocation {
			for k := range m.actors {
				for _, r := range m.actors[k].restraint {
					if r.target == e.By {
						ce.restrainers = append(ce.restrainers, cInfl{target: k, amt: r.amt})
					}
				}
			}
		}
		ce.chance = c.num(e.Chance)
		ce.tension = c.num(e.Effects.Tension)
		ce.trust = c.num(e.Effects.Trust)
		ce.hawk = c.infl(e.Effects.Hawkishness)
		ce.setHawk = c.infl(e.Effects.SetHawkishness)
		ce.goodwill = c.infl(e.Effects.Goodwill)
		ce.pressure = c.infl(e.Effects.Pressure)
		ce.prevail = c.infl(e.Effects.Prevail)
		if len(e.Effects.Weights) > 0 {
			c.pref = true
			for _, w := range e.Effects.Weights {
				ce.weights = append(ce.weights, cWeight{actor: w.Actor, issue: w.Issue, w: c.num(w.Weight)})
			}
			c.pref = false
			ce.prefEvent = len(m.prefEvents)
			m.prefEvents = append(m.prefEvents, len(m.events))
		}
		m.events = append(m.events, ce)
		m.eventKey = append(m.eventKey, streamKey("event", e.ID))
	}
	for _, a := range sc.Actors {
		m.errKey = append(m.errKey, streamKey("belief errors", a.ID))
		m.reopenKey = append(m.reopenKey, streamKey("reopen", a.ID))
		for _, j := range sc.Protocol.Signatories {
			m.hypKey = append(m.hypKey, streamKey("hypotheses", a.ID+">"+sc.Actors[j].ID))
		}
	}
	// Misperception is drawn last, so that a scenario without it draws
	// every other number as model 2 did.
	for i, a := range sc.Actors {
		m.actors[i].misperc = c.num(a.Misperception)
		if m.choosesPackages(i) && (!a.Misperception.IsConst() || a.Misperception.Value > 0) {
			m.beliefs = true
		}
	}
	m.constPrefs = len(m.prefEvents) <= 62
	for i, n := range m.nums {
		if m.prefNum[i] && !n.IsConst() {
			m.constPrefs = false
		}
	}
	m.constCred = true
	for _, i := range m.sig {
		for _, vs := range m.actors[i].values {
			for _, s := range vs {
				m.constCred = m.constCred && m.nums[s].IsConst()
			}
		}
	}
	if m.compactable() == "" && (m.Space.Size > compactAbove || compactAll) {
		if err := m.compact(); err != nil {
			return nil, err
		}
	}
	if m.constPrefs {
		m.tablesKey = m.prefKey() // once: Share may name another cache
	}
	m.Share(NewTables())
	return m, nil
}

// orderedActors reports, for each actor of sc, whether a search visits
// the packages in its order: a signatory, a proposer or a striker.
func orderedActors(sc *scenarios.Scenario) []bool {
	ordered := make([]bool, len(sc.Actors))
	for _, i := range slices.Concat(sc.Protocol.Signatories, sc.Protocol.Proposers) {
		ordered[i] = true
	}
	for i, a := range sc.Actors {
		ordered[i] = ordered[i] || a.Conflict.Strike
	}
	return ordered
}

// addSet returns the index of the actor set made of the signatories and
// actor a, adding it to m.sets if it is new.
func (m *Model) addSet(a int) int {
	set := slices.Clone(m.sig)
	if !slices.Contains(set, a) {
		set = append(set, a)
	}
	slices.Sort(set)
	for i, s := range m.sets {
		if slices.Equal(s, set) {
			return i
		}
	}
	m.sets = append(m.sets, set)
	return len(m.sets) - 1
}

// maxPackages bounds the package space the engine enumerates: its orders
// and links between packages are 32-bit numbers. Below it, memory decides
// (FootprintOf).
const maxPackages = 1<<31 - 1

// MaxPackages is the most packages (combinations of issue levels) a
// scenario may have to be run; analyze takes larger ones.
const MaxPackages = maxPackages

// Packages returns the number of packages of sc, and false if it is more
// than an int holds (it then returns the largest int).
func Packages(sc *scenarios.Scenario) (int, bool) {
	size := 1
	for _, is := range sc.Issues {
		l := len(is.Levels)
		if l > 0 && size > math.MaxInt/l {
			return math.MaxInt, false
		}
		size *= l
	}
	return size, true
}
