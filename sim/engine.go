package sim

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// Worker plays runs of one Model. It owns every buffer a run needs, so a
// run allocates nothing once the worker has warmed up. A Worker is not
// safe for concurrent use; give each goroutine its own.
type Worker struct {
	m *Model
	// pcg and rng draw the numbers and belief errors at the start of a
	// run, reseeded for each (streams.go); eventRNG and reopenRNG are the
	// streams of each event and of each actor's reopenings.
	pcg                 rand.PCG
	rng                 *rand.Rand
	eventRNG, reopenRNG []stream

	vals  []float64 // this run's draw of every number
	prefs []actors.Prefs
	cache map[uint64]*table // constant preferences: tables by event bitmask
	own   *table            // variable preferences: this run's table
	tab   *table

	scale []actors.Scale
	// inv[i] converts an amount in actor i's raw utility (leverage, a
	// talk value, pressure: shares of its whole stake in the issues, whose
	// weights sum to 1) to its [0,1] scale.
	inv    []float64
	rawMin []float64 // each actor's least and greatest raw utility
	rawMax []float64
	uSQ    []float64
	dealU  []float64 // normalised utilities of the deal in force

	strat    []actors.Strategy
	hawk     []float64
	goodwill []float64 // goodwill[i*n+j]: i toward j
	pressure []float64 // standing pressure on each actor (events)
	noDeal   []float64
	asp      []float64
	views    []actors.View
	// The same on a package the mediator backs: its leverage lowers what
	// refusing is worth.
	noDealB []float64
	aspB    []float64
	need    []float64
	needB   []float64
	floor   []float64
	floorB  []float64
	// reachNeed and reachNeedB are what a walk-out decision asks of a deal.
	reachNeed, reachNeedB []float64
	// uAll holds every package's normalised utility to every actor
	// (uAll[p*n+i]) for this run and table.
	uAll []float64
	// leanAll caches the mediator's lean weight of each package for this
	// run and table (NaN: not computed yet), at bias leanBeta.
	leanAll  []float64
	leanBeta float64
	leanFn   func(int) float64

	// The status quo as it stands (a collapsed deal can leave irreversible
	// steps behind), and for each package what a breaking signatory would
	// keep of it (cheat, per signatory) and what would stand after it
	// collapsed (after); credOK says whether they are current.
	sq     int
	cheat  []int32 // cheat[si*Size+p], si the signatory's position
	after  []int32
	credOK bool
	// prepareCred's scratch: each issue level's share of the packages'
	// indices, each issue's offset in it, and running sums.
	credC   []int32
	credOff []int
	credSum []int32
	credFn  func(int) bool
	// credAny and credStep are the two tests credFn may be (credible,
	// beyondStep), bound once: a method value made in a run would
	// allocate.
	credAny, credStep func(int) bool
	// credAt[p] == credEpoch when credVal[p] holds whether p is credible.
	credAt    []uint32
	credVal   []bool
	credEpoch uint32
	// What credibility reads this turn: the stance, the trust a signed deal
	// would bring, and the parts of each actor's value of no agreement.
	cst       *stance
	turnSt    stance // this turn's stance
	fixed     stance // a stance with the mediator's backing decided
	trustNext float64
	qj        []float64 // each actor's chance that a striker strikes if talks give nothing
	press     []float64 // pressure subtracted from each actor's value of no agreement
	prevL     []float64 // each striker's expected loss from waiting

	// The conflict: true chances of prevailing now, beliefs, believed
	// values of war, and what a striker believes the others' war is worth.
	prevail  []float64
	belief   []actors.Belief
	belief0  []actors.Belief // as drawn at the start of the run
	war      []float64
	thrLo    []float64 // what a striker believes each signatory's threshold lies between
	thrHi    []float64
	deadline []float64
	lever    []float64 // the mediator's remaining leverage over each actor
	out      []bool    // signatories that walked out of the talks
	held     []bool    // signatories brought back this turn: they stay this turn
	dealLv   []int     // levels of the deal in force
	lv       []int     // scratch levels
	lv2, lv3 []int

	rec Record

	seats  []Decider // per actor; nil where the model decides
	seated bool      // some actor has a seat

	bel beliefs

	// Step-by-step deals (steps.go): base is the partial deal in force
	// (-1 for none), hold what each actor keeps if the talks give nothing
	// more (uSQ, or dealU under a partial deal), steps a scratch of
	// candidate steps, stepHold and stepHoldB what stands for each
	// signatory without and with the mediator's backing (stepOffer).
	base                int
	hold                []float64
	steps               []stepCand
	stepHold, stepHoldB []float64

	// keepTurns makes records carry each turn's state, in turnBuf.
	keepTurns bool
	turnBuf   []TurnState

	// inject, when not nil, names the events an instructor injects at a
	// turn (InjectWith).
	inject func(turn int) []int

	// halt stops a run between turns and its table set-up (MonteCarlo
	// sets it to its context's Done channel); a stopped run's record must
	// not be used.
	halt halt
}

// NewWorker returns a worker for m.
func NewWorker(m *Model) *Worker {
	n := len(m.actors)
	f := func() []float64 { return make([]float64, n) }
	w := &Worker{
		m:     m,
		vals:  make([]float64, len(m.nums)),
		prefs: m.newPrefs(),
		cache: map[uint64]*table{},
		scale: make([]actors.Scale, n), inv: f(), rawMin: f(), rawMax: f(),
		uSQ: f(), dealU: f(),
		strat: make([]actors.Strategy, n),
		hawk:  f(), goodwill: make([]float64, n*n), pressure: f(),
		noDeal: f(), asp: f(), views: make([]actors.View, n),
		noDealB: f(), aspB: f(), need: f(), needB: f(), floor: f(), floorB: f(), reachNeed: f(), reachNeedB: f(),
		press: f(), prevL: f(), qj: f(),
		prevail: f(), belief: make([]actors.Belief, n), belief0: make([]actors.Belief, n), war: f(), thrLo: f(), thrHi: f(), deadline: f(), lever: f(),
		out: make([]bool, n), held: make([]bool, n), stepHold: f(), stepHoldB: f(),
		dealLv: make([]int, len(m.Space.Levels)), lv: make([]int, len(m.Space.Levels)),
		lv2: make([]int, len(m.Space.Levels)), lv3: make([]int, len(m.Space.Levels)),
	}
	w.rng = rand.New(&w.pcg)
	w.eventRNG, w.reopenRNG = newStreams(len(m.events)), newStreams(n)
	w.uAll = make([]float64, m.size*n)
	w.leanAll = make([]float64, m.size)
	if m.pkgs == nil {
		w.cheat = make([]int32, len(m.sig)*m.size)
	}
	w.after = make([]int32, m.size)
	w.credAt = make([]uint32, m.size)
	w.credVal = make([]bool, m.size)
	w.credEpoch = 1
	w.leanFn = w.leanAt
	w.credAny, w.credStep = w.credible, w.beyondStep
	w.credFn = w.credAny
	w.seats = make([]Decider, n)
	h := m.Scenario.Horizon + 1
	w.rec.Utility = f()
	w.rec.Inputs = make([]float64, len(m.inputs))
	w.rec.Terms = make([]int, len(m.Scenario.Issues))
	w.rec.Collapses = make([]int, 0, h)
	w.rec.Breakdowns = make([]int, 0, h)
	w.rec.Resumptions = make([]int, 0, h)
	w.rec.Signings = make([]Signing, 0, h)
	w.hold, w.base = w.uSQ, -1
	return w
}

// StopWith makes the worker's runs stop, between turns and in their table
// set-up, once done is closed (a context's Done channel); the record of a
// stopped run must not be used. MonteCarlo does this for its own workers.
func (w *Worker) StopWith(done <-chan struct{}) { w.halt = done }

// InjectWith makes the worker ask f, at each turn's events, which events
// (indices into the scenario's Events) an instructor injects that turn:
// they happen whatever their chance and their turns, before the deal in
// force if it forbids them (the deal then breaks, as when a seat acts),
// and the trace records them with CauseInjected. An injected event's own
// draw is still made, so that every other draw of the run is as it would
// have been. f is called on the worker's goroutine; nil stops injections.
func (w *Worker) InjectWith(f func(turn int) []int) { w.inject = f }

// setPrefs fills the preference buffers from this run's draws, with the
// weight changes of the preference events in mask applied.
func (w *Worker) setPrefs(mask uint64) { w.m.fillPrefs(w.prefs, w.vals, mask) }

// fillPrefs sets prefs (made by newPrefs) to every actor's preferences
// under the numbers v and the preference events in mask.
func (m *Model) fillPrefs(prefs []actors.Prefs, v []float64, mask uint64) {
	for i, a := range m.actors {
		p := &prefs[i]
		for j, s := range a.weights {
			p.Weights[j] = v[s]
		}
		for j := range a.values {
			for l, s := range a.values[j] {
				p.Values[j][l] = v[s]
			}
		}
		for k, l := range a.links {
			p.Links[k].Value = v[l.value]
		}
	}
	for b, ei := range m.prefEvents {
		if mask&(1<<b) == 0 {
			continue
		}
		for _, c := range m.events[ei].weights {
			prefs[c.actor].Weights[c.issue] = v[c.w]
		}
	}
	for i := range prefs {
		actors.NormaliseWeights(prefs[i].Weights)
	}
}

// newPrefs returns preferences shaped for m's actors, for fillPrefs.
func (m *Model) newPrefs() []actors.Prefs {
	prefs := make([]actors.Prefs, len(m.actors))
	for i, a := range m.actors {
		p := &prefs[i]
		p.Weights = make([]float64, len(a.weights))
		p.Values = make([][]float64, len(a.values))
		for j := range a.values {
			p.Values[j] = make([]float64, len(a.values[j]))
		}
		p.Links = make([]actors.Link, len(a.links))
		for k, l := range a.links {
			p.Links[k].When, p.Links[k].Unless = l.when, l.unless
		}
	}
	return prefs
}

// loadTable makes the utility table for the preference events in mask
// current, and normalises the frontiers' utilities for this run.
func (w *Worker) loadTable(mask uint64) {
	m := w.m
	if m.constPrefs {
		t, ok := w.cache[mask]
		if !ok {
			if t = m.tables.table(m.tablesKey, mask); t == nil {
				w.setPrefs(mask)
				t = m.buildTable(w.prefs, w.halt)
				if w.halt.now() {
					w.tab = t
					return // not cached: the table is incomplete
				}
				t.shrink() // a cached table is never rebuilt
				t = m.tables.keep(m.tablesKey, mask, t)
			}
			w.cache[mask] = t
		}
		w.tab = t
	} else {
		// The worker's own table recomputes only the columns of the
		// actors whose preferences changed since it was last built.
		w.setPrefs(mask)
		w.own = buildTable(m.Space, w.prefs, m.ordered, false, w.own, w.halt)
		w.tab = w.own
		if w.halt.now() {
			return
		}
	}
	t, n := w.tab, len(m.actors)
	for i := range m.actors {
		w.setScale(i, t.rawMin[i], t.rawMax[i], t.raw[w.sq*n+i])
	}
	for i := range n {
		sc := w.scale[i]
		var mk *normMark
		if t == w.own {
			// A column of the worker's own table that was not rebuilt,
			// on the same scale, normalises to what uAll holds.
			mk = &t.norm[i]
			if mk.ok && mk.gen == t.gen[i] && sameScale(mk.scale, sc) {
				continue
			}
		}
		for p := range m.size {
			w.uAll[p*n+i] = sc.U(t.raw[p*n+i])
		}
		if mk != nil {
			*mk = normMark{ok: true, gen: t.gen[i], scale: sc}
		}
	}
	w.leanBeta = math.NaN()
	w.forget()
}

// setScale sets actor i's [0,1] scale, and its utility of the status quo,
// from its least, greatest and status-quo raw utilities and the true
// conflict lottery as it stands: 0 is the worst the actor can get, conflict
// included. Later shifts of power can take the value of conflict below the
// scale; recorded utilities are then clamped to 0.
func (w *Worker) setScale(i int, rawMin, rawMax, rawSQ float64) {
	w.rawMin[i], w.rawMax[i] = rawMin, rawMax
	c := actors.ConflictValue(rawMin, rawMax, w.prevail[i], w.vals[w.m.actors[i].cost])
	w.scale[i] = actors.NewScale(rawMin, rawMax, c)
	w.inv[i] = 0
	if sc := w.scale[i]; sc.Hi > sc.Lo {
		w.inv[i] = 1 / (sc.Hi - sc.Lo)
	}
	w.uSQ[i] = w.scale[i].U(rawSQ)
	w.strat[i].TalkValue = w.vals[w.m.actors[i].talk] * w.inv[i]
}

// startConflict sets every actor's true chance of prevailing, its beliefs
// (as drawn in belief0) and its deadline to their values at the start of a
// run.
func (w *Worker) startConflict() {
	v := w.vals
	for i, a := range w.m.actors {
		w.prevail[i] = v[a.prevail]
		w.belief[i] = w.belief0[i]
		w.deadline[i] = math.Round(v[a.deadline])
	}
}

// startState sets hawkishness, goodwill, pressure and the mediator's
// leverage to their values at the start of a run, with no step in force,
// and returns the state of
// the talks before turn 1.
func (w *Worker) startState() state {
	m, v, n := w.m, w.vals, len(w.m.actors)
	for i := range w.goodwill {
		w.goodwill[i] = 0.5
	}
	for i, a := range m.actors {
		w.hawk[i] = v[a.hawk]
		w.pressure[i] = 0
		w.out[i], w.held[i] = false, false
		for _, g := range a.goodwill {
			w.goodwill[i*n+g.target] = v[g.amt]
		}
		w.lever[i] = 0
		if s := m.leverage[i]; s >= 0 {
			w.lever[i] = v[s]
		}
	}
	w.hold, w.base, w.credFn = w.uSQ, -1, w.credAny // no step in force
	return state{tension: v[m.dyn.tension], trust: v[m.dyn.trust], talks: true, deal: -1, violator: -1}
}

// u returns actor i's utility of package p in this run.
func (w *Worker) u(i, p int) float64 {
	return w.scale[i].U(w.tab.raw[p*len(w.m.actors)+i])
}

// run state that is not per actor.
type state struct {
	turn           int
	tension, trust float64
	talks          bool
	deal           int  // package in force, or -1
	dealSince      int  // the turn it was signed
	partial        bool // the deal in force is a step: talks go on over its open issues
	backed         bool
	violated       bool // a signatory broke the last deal, and none has been signed since
	violator       int
	lastBreak      int
	collapsed      bool // a deal collapsed this turn: no round until next turn
	round          int
	mask           uint64
	hosts          uint64  // actors hosting an event this turn (bitmask)
	looms          bool    // a signatory would walk out this turn if no deal is made
	medAsp         float64 // the mediator's aspiration: it backs packages worth this much to it
}

func clamp01(x float64) float64 { return min(max(x, 0), 1) }

// Run plays run number run (counting from 1) of the model with the given
// seed and returns its record, which stays valid until the worker's next
// run. When tr is not nil the run's trace is recorded into it. The run's
// random numbers come from a PCG generator seeded with (seed, run), so a
// run is the same whichever worker plays it.
func (w *Worker) Run(seed uint64, run int, tr *Trace) *Record {
	m := w.m
	sc := m.Scenario
	n := len(m.actors)
	for i := range m.nums {
		if m.nums[i].IsConst() {
			w.vals[i] = m.nums[i].Value
			continue
		}
		seedStream(&w.pcg, seed, run, m.numKey[i])
		w.vals[i] = m.nums[i].Sample(w.rng)
	}
	v := w.vals
	for i, s := range m.inputs {
		w.rec.Inputs[i] = v[s]
	}
	for i, a := range m.actors {
		// Each actor's errors about the conflict lottery, drawn for every
		// actor whatever the spreads, from the actor's own stream; each
		// event and each actor's reopenings draw from theirs.
		seedStream(&w.pcg, seed, run, m.errKey[i])
		w.belief0[i] = actors.Belief{Spread: v[a.spread], ErrPrevail: 2*w.rng.Float64() - 1,
			ErrCost: 2*w.rng.Float64() - 1, ErrResolve: 2*w.rng.Float64() - 1}
		seedStream(&w.reopenRNG[i].pcg, seed, run, m.reopenKey[i])
	}
	for ei := range m.events {
		seedStream(&w.eventRNG[ei].pcg, seed, run, m.eventKey[ei])
	}
	w.startConflict()
	if w.sq != m.sqPos || !m.constCred {
		w.credOK = false
	}
	w.sq = m.sqPos
	w.loadTable(0)
	if w.halt.now() {
		return &w.rec
	}
	w.startBeliefs(seed, run)

	st := w.startState()
	for i, a := range m.actors {
		s := &w.strat[i]
		s.Kind, s.E, s.Reservation, s.Demand = a.strat, v[a.e], v[a.res], v[a.demand]
		s.Reset(n)
	}
	rec := &w.rec
	rec.Run, rec.Tests, rec.Strikes, rec.Deals, rec.Collapsed, rec.FirstDeal = run, 0, 0, 0, 0, 0
	rec.Collapses, rec.Breakdowns, rec.Resumptions = rec.Collapses[:0], rec.Breakdowns[:0], rec.Resumptions[:0]
	rec.Partials, rec.Partial, rec.Signings, rec.Turns = 0, false, rec.Signings[:0], rec.Turns[:0]
	if tr != nil {
		st.turn = 1
		w.assess(&st)
		tr.Start = w.state(&st, nil)
		tr.Ideals = tr.Ideals[:0]
		for i := range n {
			tr.Ideals = append(tr.Ideals, w.ideal(i))
		}
		tr.Seed = seed
		tr.Steps, tr.States, tr.Decisions, tr.Believed = tr.Steps[:0], tr.States[:0], tr.Decisions[:0], tr.Believed[:0]
		tr.Deadlines = slices.Clone(w.deadline)
		tr.Beliefs = slices.Clone(w.belief)
		tr.Draws = make(map[string]float64, len(m.nums))
		for i, x := range m.nums {
			if x.Path != "" {
				tr.Draws[x.Path] = v[i]
			}
		}
	}

	outcome, end := Stalemate, sc.Horizon
	for t := 1; t <= sc.Horizon; t++ {
		if w.halt.now() {
			return rec
		}
		st.turn, st.collapsed = t, false
		clear(w.held)
		var delib []Deliberation
		w.events(&st, tr)
		w.assess(&st)
		if st.deal >= 0 {
			w.comply(&st, tr)
			if st.partial && st.deal >= 0 {
				w.keptStep(&st)
			}
		}
		if !st.talks && st.talksOpen() && m.mediator >= 0 {
			w.reopen(&st, tr)
		}
		if st.talks && st.talksOpen() && !st.collapsed {
			w.negotiate(&st, tr)
			if st.deal < 0 || st.dealSince != t {
				w.walkOuts(&st, tr)
			}
		}
		struck := w.strikes(&st, tr, &delib)
		if struck {
			outcome, end = Conflict, t
			w.snapshot(&st, tr, delib)
			break
		}
		st.tension = clamp01(st.tension + v[m.dyn.drift]*(v[m.dyn.baseline]-st.tension))
		w.snapshot(&st, tr, delib)
	}
	if outcome != Conflict {
		switch {
		case st.deal >= 0:
			outcome, end = Agreement, st.dealSince
		case !st.talks:
			outcome, end = Breakdown, st.lastBreak
		}
	}
	rec.Outcome, rec.EndTurn = outcome, end
	rec.Partial = outcome == Agreement && st.partial
	for j := range rec.Terms {
		rec.Terms[j] = -1
	}
	switch outcome {
	case Agreement:
		copy(rec.Utility, w.dealU)
		m.decode(st.deal, rec.Terms)
	case Conflict:
		// Utilities were set by the strike.
	default:
		copy(rec.Utility, w.uSQ)
	}
	if tr != nil {
		tr.Record = *rec
		tr.Record.Utility = slices.Clone(rec.Utility)
		tr.Record.Terms = slices.Clone(rec.Terms)
		tr.Record.Collapses = slices.Clone(rec.Collapses)
		tr.Record.Breakdowns = slices.Clone(rec.Breakdowns)
		tr.Record.Resumptions = slices.Clone(rec.Resumptions)
		tr.Record.Signings = slices.Clone(rec.Signings)
		tr.Record.Inputs = slices.Clone(rec.Inputs)
		tr.Record.Turns = nil // the trace's States hold them
	}
	return rec
}

// events fires this turn's events: first the scheduled and stochastic
// events that are not provocations (so a provocation knows which actors host
// an event this turn), then the provocations.
func (w *Worker) events(st *state, tr *Trace) {
	m, v := w.m, w.vals
	st.hosts = 0
	var injected []int
	if w.inject != nil {
		injected = w.inject(st.turn)
	}
	for pass := range 2 {
		for ei := range m.events {
			e := &m.events[ei]
			prov := e.kind == scenarios.KindProvocation
			if prov != (pass == 1) {
				continue
			}
			inTurns := e.turns == nil || e.turns[st.turn]
			if injected != nil && slices.Contains(injected, ei) {
				// An instructor's event happens now. Where the run would
				// have drawn for it, the draw is still made, so that its
				// later turns draw as they would have; against a deal
				// that forbids it, the deal breaks, as when a seat acts.
				bound := prov && w.bound(st, e)
				if inTurns && !bound {
					w.eventRNG[ei].rng.Float64()
				}
				w.fireCause(st, ei, CauseInjected, tr)
				if bound {
					w.collapse(st, e.by, CauseAct, 0, 0, tr)
				}
				continue
			}
			if !inTurns {
				continue
			}
			if prov && w.bound(st, e) {
				// A signatory bound by a deal that forbids this event does
				// not perform it; whether it breaks the deal is the
				// compliance decision. A seat may still act, and so break
				// the deal.
				if w.seats[e.by] != nil && w.decide(st, tr, Decision{Kind: DecideAct, Actor: e.by, Event: ei, Target: -1, From: -1, Package: -1}).Yes {
					w.fire(st, ei, tr)
					w.collapse(st, e.by, CauseAct, 0, 0, tr)
				}
				continue
			}
			p := v[e.chance]
			if prov {
				p *= w.provokeFactor(e)
				if st.hosts&^(1<<e.by) != 0 {
					p *= 1 + v[m.actors[e.by].embarrass]
				}
			}
			hit := w.eventRNG[ei].rng.Float64() < p
			if e.by >= 0 && w.seats[e.by] != nil {
				hit = w.decide(st, tr, Decision{Kind: DecideAct, Actor: e.by, Event: ei, Target: -1, From: -1, Package: -1, ModelYes: hit}).Yes
			}
			if !hit {
				continue
			}
			w.fire(st, ei, tr)
		}
	}
}

// provokeFactor is what scales a provocation's written chance: the
// provoker's provocation multiplier and every restrainer's restraint,
// which works through its goodwill toward the provoker.
func (w *Worker) provokeFactor(e *cEvent) float64 {
	v, n := w.vals, len(w.m.actors)
	p := v[w.m.actors[e.by].provocation]
	for _, r := range e.restrainers {
		p *= 1 - v[r.amt]*w.goodwill[r.target*n+e.by]
	}
	return p
}

// bound reports whether provocation e's actor is a signatory bound by the
// deal in force not to perform it.
func (w *Worker) bound(st *state, e *cEvent) bool {
	if st.deal < 0 || e.by < 0 || !w.m.isSig[e.by] {
		return false
	}
	for _, c := range e.haltedBy {
		if w.dealLv[c.Issue] < c.AtLeast {
			return false
		}
	}
	return true
}

// fire applies event ei's effects.
func (w *Worker) fire(st *state, ei int, tr *Trace) { w.fireCause(st, ei, CauseNone, tr) }

// fireCause is fire, the event's step recorded with cause: CauseNone
// (CauseHosted when a provocation embarrassed a host), or CauseInjected.
func (w *Worker) fireCause(st *state, ei int, cause Cause, tr *Trace) {
	m, v, n := w.m, w.vals, len(w.m.actors)
	e := &m.events[ei]
	prov := e.kind == scenarios.KindProvocation
	if cause == CauseNone && prov && st.hosts&^(1<<e.by) != 0 {
		cause = CauseHosted
	}
	if e.host >= 0 {
		st.hosts |= 1 << e.host
	}
	st.tension = clamp01(st.tension + v[e.tension])
	st.trust = clamp01(st.trust + v[e.trust])
	for _, h := range e.hawk {
		w.hawk[h.target] = clamp01(w.hawk[h.target] + v[h.amt])
	}
	for _, h := range e.setHawk {
		w.hawk[h.target] = v[h.amt]
	}
	for _, g := range e.goodwill {
		d := v[g.amt]
		if prov && st.hosts&(1<<g.target) != 0 {
			d *= 1 + v[m.dyn.embarrassment]
		}
		k := g.target*n + e.by
		w.goodwill[k] = clamp01(w.goodwill[k] + d)
	}
	for _, p := range e.pressure {
		w.pressure[p.target] = clamp01(w.pressure[p.target] + v[p.amt])
	}
	for _, p := range e.prevail {
		// A shift in power, which also shows the new balance.
		w.prevail[p.target] = clamp01(w.prevail[p.target] + v[p.amt])
		w.belief[p.target].RevealCapability()
	}
	if e.prefEvent >= 0 {
		// A change of preferences re-prices every package, the deal in
		// force included.
		st.mask |= 1 << e.prefEvent
		w.loadTable(st.mask)
		if w.bel.on {
			w.syncPrefs(st.mask)
		}
		if st.deal >= 0 {
			w.priceDeal(st.deal)
		}
	}
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepEvent, Actor: e.by, Event: ei, Cause: cause, Target: -1, Package: -1})
	}
	if prov {
		w.rec.Tests++
	}
	if e.reopen && !st.talks && st.talksOpen() {
		clear(w.out)
		for _, j := range m.sig {
			w.held[j] = true
		}
		w.resume(st, tr, Step{Turn: st.turn, Kind: StepResume, Actor: -1, Event: ei, Target: -1, Package: -1})
	}
}

// resume records that talks reopened.
func (w *Worker) resume(st *state, tr *Trace, s Step) {
	st.talks = true
	w.rec.Resumptions = append(w.rec.Resumptions, st.turn)
	if tr != nil {
		w.step(tr, st, s)
	}
}

// priceDeal sets every actor's utility of package p, the deal in force.
func (w *Worker) priceDeal(p int) {
	n := len(w.m.actors)
	for i := range n {
		w.dealU[i] = w.scale[i].U(w.tab.raw[p*n+i])
	}
}

// step appends s to the trace, stamped with the tension and trust after it.
func (w *Worker) step(tr *Trace, st *state, s Step) {
	s.Tension, s.Trust = st.tension, st.trust
	s.Package = w.m.full(s.Package)
	tr.Steps = append(tr.Steps, s)
}

func (w *Worker) snapshot(st *state, tr *Trace, delib []Deliberation) {
	if w.keepTurns {
		w.keepTurn(st)
	}
	if tr == nil {
		return
	}
	tr.States = append(tr.States, w.state(st, delib))
}

// KeepTurns makes the worker's records carry each turn's state
// (Record.Turns), in buffers reused from run to run.
func (w *Worker) KeepTurns(on bool) {
	w.keepTurns = on
	if on && w.turnBuf == nil {
		n := len(w.m.actors)
		w.turnBuf = make([]TurnState, w.m.Scenario.Horizon)
		for i := range w.turnBuf {
			t := &w.turnBuf[i]
			t.Hawkishness, t.NoDeal, t.Prevail = make([]float64, n), make([]float64, n), make([]float64, n)
			t.Goodwill, t.Leverage = make([]float64, n*n), make([]float64, n)
		}
	}
}

// keepTurn copies the state at the end of the turn into the record's
// turns, allocating nothing.
func (w *Worker) keepTurn(st *state) {
	t := &w.turnBuf[len(w.rec.Turns)]
	t.Turn, t.Tension, t.Trust, t.Talks, t.Deal, t.Partial = st.turn, st.tension, st.trust, st.talks, w.m.full(st.deal), st.partial
	copy(t.Hawkishness, w.hawk)
	copy(t.NoDeal, w.noDeal)
	copy(t.Prevail, w.prevail)
	copy(t.Goodwill, w.goodwill)
	copy(t.Leverage, w.lever)
	w.rec.Turns = w.turnBuf[:len(w.rec.Turns)+1]
}

// state returns a copy of the state of the talks.
func (w *Worker) state(st *state, delib []Deliberation) TurnState {
	return TurnState{
		Turn: st.turn, Tension: st.tension, Trust: st.trust,
		Hawkishness: slices.Clone(w.hawk), NoDeal: slices.Clone(w.noDeal), Prevail: slices.Clone(w.prevail),
		Goodwill: slices.Clone(w.goodwill), Leverage: slices.Clone(w.lever), Talks: st.talks, Deal: w.m.full(st.deal), Partial: st.partial,
		Deliberations: delib,
	}
}

// ideal returns actor i's best package under the current preferences (the
// lowest index among equals).
func (w *Worker) ideal(i int) int {
	if w.m.pkgs != nil {
		// The worker may have its table from another (Tables), without
		// its own preferences filled: a compact model has one set.
		w.setPrefs(0)
		return idealOf(w.m.Space, &w.prefs[i])
	}
	n, best := len(w.m.actors), 0
	for p := range w.m.Space.Size {
		if w.tab.raw[p*n+i] > w.tab.raw[best*n+i] {
			best = p
		}
	}
	return best
}
