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
	m   *Model
	pcg rand.PCG
	rng *rand.Rand

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
	credFn func(int) bool
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
}

// NewWorker returns a worker for m.
func NewWorker(m *Model) *Worker {
	n := len(m.actors)
	f := func() []float64 { return make([]float64, n) }
	w := &Worker{
		m:     m,
		vals:  make([]float64, len(m.nums)),
		prefs: make([]actors.Prefs, n),
		cache: map[uint64]*table{},
		scale: make([]actors.Scale, n), inv: f(), rawMin: f(), rawMax: f(),
		uSQ: f(), dealU: f(),
		strat: make([]actors.Strategy, n),
		hawk:  f(), goodwill: make([]float64, n*n), pressure: f(),
		noDeal: f(), asp: f(), views: make([]actors.View, n),
		noDealB: f(), aspB: f(), need: f(), needB: f(), floor: f(), floorB: f(), reachNeed: f(), reachNeedB: f(),
		press: f(), prevL: f(), qj: f(),
		prevail: f(), belief: make([]actors.Belief, n), belief0: make([]actors.Belief, n), war: f(), thrLo: f(), thrHi: f(), deadline: f(), lever: f(),
		out: make([]bool, n), held: make([]bool, n),
		dealLv: make([]int, len(m.Space.Levels)), lv: make([]int, len(m.Space.Levels)),
		lv2: make([]int, len(m.Space.Levels)), lv3: make([]int, len(m.Space.Levels)),
	}
	w.rng = rand.New(&w.pcg)
	w.uAll = make([]float64, m.Space.Size*n)
	w.leanAll = make([]float64, m.Space.Size)
	w.cheat = make([]int32, len(m.sig)*m.Space.Size)
	w.after = make([]int32, m.Space.Size)
	w.credAt = make([]uint32, m.Space.Size)
	w.credVal = make([]bool, m.Space.Size)
	w.credEpoch = 1
	w.leanFn = w.leanAt
	w.credFn = w.credible
	w.seats = make([]Decider, n)
	for i, a := range m.actors {
		p := &w.prefs[i]
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
	h := m.Scenario.Horizon + 1
	w.rec.Utility = f()
	w.rec.Terms = make([]int, len(m.Scenario.Issues))
	w.rec.Collapses = make([]int, 0, h)
	w.rec.Breakdowns = make([]int, 0, h)
	w.rec.Resumptions = make([]int, 0, h)
	return w
}

// setPrefs fills the preference buffers from this run's draws, with the
// weight changes of the preference events in mask applied.
func (w *Worker) setPrefs(mask uint64) {
	m, v := w.m, w.vals
	for i, a := range m.actors {
		p := &w.prefs[i]
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
			w.prefs[c.actor].Weights[c.issue] = v[c.w]
		}
	}
	for i := range w.prefs {
		actors.NormaliseWeights(w.prefs[i].Weights)
	}
}

// loadTable makes the utility table for the preference events in mask
// current, and normalises the frontiers' utilities for this run.
func (w *Worker) loadTable(mask uint64) {
	m := w.m
	if m.constPrefs {
		t, ok := w.cache[mask]
		if !ok {
			w.setPrefs(mask)
			t = buildTable(m.Space, w.prefs, nil)
			w.cache[mask] = t
		}
		w.tab = t
	} else {
		w.setPrefs(mask)
		w.own = buildTable(m.Space, w.prefs, w.own)
		w.tab = w.own
	}
	t, n := w.tab, len(m.actors)
	for i := range m.actors {
		w.setScale(i, t.rawMin[i], t.rawMax[i], t.raw[w.sq*n+i])
	}
	for p := range m.Space.Size {
		for i := range n {
			w.uAll[p*n+i] = w.scale[i].U(t.raw[p*n+i])
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
// leverage to their values at the start of a run, and returns the state of
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
	deal           int // package in force, or -1
	dealSince      int // the turn it was signed
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
	w.pcg.Seed(seed, uint64(run))
	for i := range m.nums {
		w.vals[i] = m.nums[i].Sample(w.rng)
	}
	v := w.vals
	for i, a := range m.actors {
		// Each actor's errors about the conflict lottery, drawn for every
		// actor in a fixed order whatever the spreads.
		w.belief0[i] = actors.Belief{Spread: v[a.spread], ErrPrevail: 2*w.rng.Float64() - 1,
			ErrCost: 2*w.rng.Float64() - 1, ErrResolve: 2*w.rng.Float64() - 1}
	}
	w.startConflict()
	if w.sq != m.sq || !m.constPrefs {
		w.credOK = false
	}
	w.sq = m.sq
	w.loadTable(0)

	st := w.startState()
	for i, a := range m.actors {
		s := &w.strat[i]
		s.Kind, s.E, s.Reservation, s.Demand = a.strat, v[a.e], v[a.res], v[a.demand]
		s.Reset(n)
	}
	rec := &w.rec
	rec.Run, rec.Tests, rec.Strikes, rec.Deals, rec.Collapsed, rec.FirstDeal = run, 0, 0, 0, 0, 0
	rec.Collapses, rec.Breakdowns, rec.Resumptions = rec.Collapses[:0], rec.Breakdowns[:0], rec.Resumptions[:0]
	if tr != nil {
		st.turn = 1
		w.assess(&st)
		tr.Start = w.state(&st, nil)
		tr.Ideals = tr.Ideals[:0]
		for i := range n {
			tr.Ideals = append(tr.Ideals, w.ideal(i))
		}
		tr.Seed = seed
		tr.Steps, tr.States, tr.Decisions = tr.Steps[:0], tr.States[:0], tr.Decisions[:0]
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
		st.turn, st.collapsed = t, false
		clear(w.held)
		var delib []Deliberation
		w.events(&st, tr)
		w.assess(&st)
		if st.deal >= 0 {
			w.comply(&st, tr)
		}
		if !st.talks && st.deal < 0 && m.mediator >= 0 {
			w.reopen(&st, tr)
		}
		if st.talks && st.deal < 0 && !st.collapsed {
			w.negotiate(&st, tr)
			if st.deal < 0 {
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
	for j := range rec.Terms {
		rec.Terms[j] = -1
	}
	switch outcome {
	case Agreement:
		copy(rec.Utility, w.dealU)
		m.Space.Decode(st.deal, rec.Terms)
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
	}
	return rec
}

// events fires this turn's events: first the scheduled and stochastic
// events that are not provocations (so a provocation knows which actors host
// an event this turn), then the provocations.
func (w *Worker) events(st *state, tr *Trace) {
	m, v, n := w.m, w.vals, len(w.m.actors)
	st.hosts = 0
	for pass := range 2 {
		for ei := range m.events {
			e := &m.events[ei]
			prov := e.kind == scenarios.KindProvocation
			if prov != (pass == 1) {
				continue
			}
			if e.turns != nil && !e.turns[st.turn] {
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
			hit := w.rng.Float64() < p
			if e.by >= 0 && w.seats[e.by] != nil {
				hit = w.decide(st, tr, Decision{Kind: DecideAct, Actor: e.by, Event: ei, Target: -1, From: -1, Package: -1, ModelYes: hit}).Yes
			}
			if !hit {
				continue
			}
			w.fire(st, ei, tr)
		}
	}
	_ = n
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
func (w *Worker) fire(st *state, ei int, tr *Trace) {
	m, v, n := w.m, w.vals, len(w.m.actors)
	e := &m.events[ei]
	prov := e.kind == scenarios.KindProvocation
	cause := CauseNone
	if prov && st.hosts&^(1<<e.by) != 0 {
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
	if e.reopen && !st.talks && st.deal < 0 {
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

// pretext returns striker k's pretext for a strike this turn, if any.
func (w *Worker) pretext(st *state, k int) Cause {
	switch {
	case !st.talks && st.deal < 0:
		return CauseBreakdown
	case st.violated && st.violator != k:
		return CauseViolation
	case st.deal < 0 && float64(st.turn) >= w.deadline[k]:
		return CauseStalemate
	}
	return CauseNone
}

// keep returns the share of its cost of fighting actor i pays: all of it
// for an actor that may not strike; for a striker, all but its pretext
// share π with a pretext, and all but π times the tension without one (in
// a crisis the public accepts a strike more readily).
func (w *Worker) keep(st *state, i int, pretext Cause) float64 {
	if !w.m.isStriker[i] {
		return 1
	}
	pi := w.vals[w.m.actors[i].pretext]
	if pretext == CauseNone {
		return 1 - pi*st.tension
	}
	return 1 - pi
}

// warRaw returns actor i's value of the conflict lottery on its raw scale
// when it believes it prevails with chance p and pays cost.
func (w *Worker) warRaw(i int, p, cost float64) float64 {
	return actors.ConflictValue(w.rawMin[i], w.rawMax[i], p, cost)
}

// conflictU returns actor i's utility of the true conflict lottery as it
// stands, paying all of its cost.
func (w *Worker) conflictU(i int) float64 {
	return w.scale[i].U(w.warRaw(i, w.prevail[i], w.vals[w.m.actors[i].cost]))
}

// believedWar returns actor i's believed chance of prevailing, believed
// cost of fighting, and believed value of the conflict lottery on its
// [0,1] scale, paying the share keep of its cost.
func (w *Worker) believedWar(i int, keep float64) (p, cost, war float64) {
	a := &w.m.actors[i]
	p = w.belief[i].Prevail(w.prevail[i], w.hawk[i])
	cost = w.belief[i].Cost(w.vals[a.cost], w.hawk[i])
	return p, cost, w.scale[i].U(w.warRaw(i, p, cost*keep))
}

// drift returns how much striker k's true chance of prevailing is expected
// to fall each turn from the provocations (tests) that shift power against
// it, as things stand: the chance of each stochastic provocation with a
// prevail effect against k (zero when the deal in force halts it; ignored
// when halted is false) times its effect.
func (w *Worker) drift(st *state, k int, halted bool) float64 {
	v, d := w.vals, 0.0
	for ei := range w.m.events {
		e := &w.m.events[ei]
		if e.kind != scenarios.KindProvocation || e.turns != nil || (halted && w.bound(st, e)) {
			continue
		}
		for _, p := range e.prevail {
			if p.target == k && v[p.amt] < 0 {
				d -= v[e.chance] * w.provokeFactor(e) * v[p.amt]
			}
		}
	}
	return d
}

// preventive returns striker k's expected loss from waiting (see
// actors.Preventive) on its [0,1] scale, when it believes it prevails with
// chance p; halted says whether a deal in force that halts provocations
// counts.
func (w *Worker) preventive(st *state, k int, p float64, halted bool) float64 {
	span := w.rawMax[k] - w.rawMin[k]
	l := actors.Preventive(w.drift(st, k, halted)*span, w.vals[w.m.actors[k].discount], p*span)
	sc := w.scale[k]
	if sc.Hi <= sc.Lo {
		return 0
	}
	return l / (sc.Hi - sc.Lo)
}

// assess sets, at the start of a turn's talks, every actor's believed value
// of war and value of no agreement, the aspirations, and what the mediator
// backs. For actor i:
//
//   - a striker's value of no agreement is the better of striking and the
//     status quo, less what it expects to lose by waiting while power shifts
//     against it (its strike rule compares the same two);
//   - every other actor's is (1 − q)·u(status quo) + q·(its believed value
//     of war), where q is the chance, as it reckons it without knowing the
//     striker's beliefs, that a striker would strike if talks gave nothing;
//   - a reservation value given by the scenario replaces either;
//
// less the standing pressure on it and the pressure others put on it,
// clamped to [0, 1].
func (w *Worker) assess(st *state) {
	w.noDeals(st)
	w.aspire(st)
}

// noDeals sets every actor's believed value of war and value of no
// agreement (see assess).
func (w *Worker) noDeals(st *state) {
	m, v, n := w.m, w.vals, len(w.m.actors)
	for i := range m.actors {
		w.qj[i] = 0
		if !m.isStriker[i] {
			for _, k := range m.strikers {
				cost := w.belief[i].Resolve(v[m.actors[k].cost], w.hawk[i])
				w.qj[i] = max(w.qj[i], w.strikeChance(st, k, cost))
			}
		}
	}
	for i := range m.actors {
		pre := CauseNone
		if m.isStriker[i] {
			pre = w.pretext(st, i)
		}
		p, _, war := w.believedWar(i, w.keep(st, i, pre))
		w.war[i] = war
		w.prevL[i] = 0
		if m.isStriker[i] {
			w.prevL[i] = w.preventive(st, i, p, false)
		}
		w.press[i] = w.pressure[i]
	}
	for k, a := range m.actors {
		for _, p := range a.pressure {
			w.press[p.target] += v[p.amt] * (1 - w.goodwill[k*n+p.target])
		}
	}
	for i := range m.actors {
		w.noDeal[i] = w.noDealAt(i, w.uSQ[i])
		w.noDealB[i] = clamp01(w.noDeal[i] - w.lever[i]*w.inv[i])
	}
	w.trustNext = clamp01(st.trust + v[m.dyn.agrTrust])
	w.forget()
}

// aspire sets, from the values of no agreement, whether a walk-out looms,
// every actor's aspiration and floor (with and without the mediator's
// backing), and what the mediator backs.
func (w *Worker) aspire(st *state) {
	m := w.m
	st.looms = false
	for _, j := range m.sig {
		if float64(st.turn) >= w.deadline[j] && w.talkValue(st, j) < 0 {
			st.looms = true
		}
	}
	for i := range m.actors {
		w.views[i] = actors.View{Turn: st.turn, Deadline: w.deadline[i], NoDeal: w.noDeal[i], WalkOutLooms: st.looms}
		w.asp[i] = w.strat[i].Aspiration(w.views[i])
		w.floor[i] = w.strat[i].Floor(w.views[i])
		w.need[i] = max(w.asp[i], w.noDeal[i])
		vb := w.views[i]
		vb.NoDeal = w.noDealB[i]
		w.aspB[i] = w.strat[i].Aspiration(vb)
		w.floorB[i] = w.strat[i].Floor(vb)
		w.needB[i] = max(w.aspB[i], w.noDealB[i])
	}
	st.medAsp = math.Inf(1)
	if m.mediator >= 0 {
		st.medAsp = w.asp[m.mediator]
	}
	w.turnSt = stance{med: m.mediator, back: st.medAsp, noDeal: w.noDeal, noDealB: w.noDealB, need: w.need, needB: w.needB}
	w.cst = &w.turnSt
	w.forget()
}

// talkValue returns what one more turn of talks is worth to actor i now.
func (w *Worker) talkValue(st *state, i int) float64 {
	return actors.TalkValue(w.vals[w.m.actors[i].talk], w.hawk[i], st.tension)
}

// comply lets each signatory decide whether to keep the deal in force or
// break it (actors.BreaksDeal): breaking it, a signatory keeps for a turn
// what the others conceded while withdrawing its own concessions (those it
// still can: an irreversible step stays), then faces no agreement with what
// stands after the collapse; a deal the mediator backs is enforced with its
// leverage over the breaker.
func (w *Worker) comply(st *state, tr *Trace) {
	m, v, n := w.m, w.vals, len(w.m.actors)
	w.prepareCred()
	size := m.Space.Size
	after := int(w.after[st.deal])
	for si, i := range m.sig {
		a := &m.actors[i]
		cheat := w.uAll[int(w.cheat[si*size+st.deal])*n+i]
		enf := 0.0
		if st.backed {
			enf = w.lever[i] * w.inv[i]
		}
		trust, delta, deal := st.trust, v[a.discount], w.dealU[i]
		d := w.noDealAt(i, w.uAll[after*n+i])
		keep, brk := actors.DealValues(deal, cheat, d, enf, trust, delta)
		hit := brk > keep
		if w.seats[i] != nil {
			hit = w.decide(st, tr, Decision{Kind: DecideViolate, Actor: i, Event: -1, Target: -1, From: -1, Package: st.deal,
				ModelYes: hit, War: brk, Carry: keep}).Yes
		}
		if hit {
			w.collapse(st, i, CauseCompliance, brk, keep, tr)
			return
		}
	}
}

// collapse ends the deal in force after a violation by actor i; the
// irreversible steps it took stay as the new status quo, talks go on, and
// a deal can be renegotiated from the next turn.
func (w *Worker) collapse(st *state, i int, cause Cause, brk, keep float64, tr *Trace) {
	m, v := w.m, w.vals
	deal := st.deal
	w.rec.Collapsed++
	w.rec.Collapses = append(w.rec.Collapses, st.turn)
	w.prepareCred()
	if after := int(w.after[deal]); after != w.sq {
		w.setStatusQuo(after)
	}
	st.deal, st.backed = -1, false
	st.violated, st.violator, st.collapsed = true, i, true
	st.tension = clamp01(st.tension + v[m.dyn.vioTension])
	st.trust = clamp01(st.trust + v[m.dyn.vioTrust])
	for _, k := range m.strikers {
		w.hawk[k] = clamp01(w.hawk[k] + v[m.dyn.vioHawk])
	}
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepViolation, Actor: i, Package: deal, Cause: cause, War: brk, Carry: keep, Target: -1, Event: -1})
	}
}

// setStatusQuo makes package p the status quo.
func (w *Worker) setStatusQuo(p int) {
	n := len(w.m.actors)
	w.sq = p
	for i := range n {
		w.uSQ[i] = w.uAll[p*n+i]
	}
	w.credOK = false
	w.forget()
}

// negotiate plays one round. With the agenda proposer_first, the proposer
// in turn proposes and, if a signatory refuses, the mediator offers its
// compromise; with mediator_first the mediator speaks first. If nothing is
// signed, trust erodes.
func (w *Worker) negotiate(st *state, tr *Trace) {
	m, v := w.m, w.vals
	pos := st.round % len(m.proposer)
	prop := m.proposer[pos]
	st.round++
	if m.mediator >= 0 && m.medFirst && w.mediation(st, tr) {
		return
	}
	p := w.proposal(pos, w.asp[prop])
	if w.seats[prop] != nil {
		p = w.decide(st, tr, Decision{Kind: DecidePropose, Actor: prop, Event: -1, Target: -1, From: -1, Package: p, Aspiration: w.asp[prop]}).Package
	}
	if p >= 0 && p != w.sq {
		backed := w.backs(st, p, tr)
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepProposal, Actor: prop, Package: p, Backed: backed,
				Value: w.u(prop, p), Aspiration: w.asp[prop], NoDeal: w.noDeal[prop], Target: -1, Event: -1})
		}
		if w.respond(st, p, prop, backed, tr) {
			w.sign(st, p, backed, tr)
			return
		}
	}
	if m.mediator >= 0 && !m.medFirst && w.mediation(st, tr) {
		return
	}
	st.trust = clamp01(st.trust + v[m.dyn.rejTrust])
}

// mediation has the mediator table its compromise; it reports whether a
// deal was signed.
func (w *Worker) mediation(st *state, tr *Trace) bool {
	m := w.m
	med := m.mediator
	p := w.compromise(st, tr)
	if w.seats[med] != nil {
		p = w.decide(st, tr, Decision{Kind: DecideMediate, Actor: med, Event: -1, Target: -1, From: -1, Package: p}).Package
	}
	if p < 0 || p == w.sq {
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepNoZone, Actor: med, Package: -1, Target: -1, Event: -1})
		}
		return false
	}
	backed := w.backs(st, p, tr)
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepMediation, Actor: med, Package: p, Backed: backed,
			Value: w.u(med, p), Aspiration: st.medAsp, NoDeal: w.noDeal[med], Target: -1, Event: -1})
	}
	if w.respond(st, p, med, backed, tr) {
		w.sign(st, p, backed, tr)
		return true
	}
	return false
}

// backs reports whether the mediator backs package p with its leverage:
// the model's mediator backs a package worth at least its own aspiration
// to it (a seated mediator decides).
func (w *Worker) backs(st *state, p int, tr *Trace) bool {
	m := w.m
	med := m.mediator
	if med < 0 {
		return false
	}
	yes := w.u(med, p) >= st.medAsp
	if w.seats[med] != nil {
		yes = w.decide(st, tr, Decision{Kind: DecideBack, Actor: med, Event: -1, Target: -1, From: -1, Package: p,
			ModelYes: yes, Aspiration: st.medAsp}).Yes
	}
	return yes
}

// proposal returns the package the proposer at position pos of the
// rotation offers when it asks for asp, or -1 if no credible package is
// worth that much to it.
func (w *Worker) proposal(pos int, asp float64) int {
	m := w.m
	prop := m.proposer[pos]
	w.prepareCred()
	n := len(m.actors)
	order, byObjective := w.tab.byU[prop], false
	if m.isSig[prop] && len(m.sig) == 2 {
		// The objective is the other signatory's utility: packages visited
		// by it can stop at the first that qualifies, which pays when many
		// packages are worth asp to the proposer.
		if c := countAtLeast(w.uAll, n, order, prop, asp); c > m.Space.Size/8 {
			other := m.sig[0] + m.sig[1] - prop
			order, byObjective = w.tab.byU[other], true
		}
	}
	return propose(w.uAll, n, m.Space.Size, order, byObjective, prop, asp, m.sig, m.sets[m.propSet[pos]], w.sq, w.credFn)
}

// compromise returns the mediator's compromise, or -1 if the zone of
// possible agreement holds no credible package. The mediator sounds out
// what each signatory will accept this turn (its aspiration, lowered by the
// mediator's leverage on a package it backs) and, if some packages meet
// every demand, proposes the best of them by its objective; otherwise it
// proposes the best package of the whole zone, which the signatories may
// refuse.
func (w *Worker) compromise(st *state, tr *Trace) int {
	m := w.m
	beta, floor := w.mediatorStance(st)
	var lean func(int) float64
	selfish := beta >= 1
	if beta > 0 && beta < 1 {
		if beta != w.leanBeta {
			for k := range w.leanAll {
				w.leanAll[k] = math.NaN()
			}
			w.leanBeta = beta
		}
		lean = w.leanFn
	}
	w.prepareCred()
	n := len(m.actors)
	lead := narrowest(w.uAll, n, w.tab.byU, m.sig, w.noDeal, w.noDealB)
	zone := tr != nil || w.seated
	return mediate(w.uAll, n, m.Space.Size, w.tab.byU[lead], lead, m.mediator, lean, selfish, floor,
		m.sig, m.sets[m.medSet], &w.turnSt, w.sq, w.credFn, zone)
}

// leanAt returns the mediator's lean weight of package k, computed once
// per run, table and bias.
func (w *Worker) leanAt(k int) float64 {
	x := w.leanAll[k]
	if math.IsNaN(x) {
		x = leanWeight(w.uAll[k*len(w.m.actors)+w.m.mediator], w.leanBeta)
		w.leanAll[k] = x
	}
	return x
}

// mediatorStance returns the bias and the floor of the mediator's
// compromise. A mediator brokers no package worth less to it than its own
// value of no agreement. A staller mediator also asks for its talk value on
// top, and leans toward its own interests with the scenario's bias, until a
// walk-out looms: then, to save the talks, it drops both and proposes as an
// honest broker.
func (w *Worker) mediatorStance(st *state) (beta, floor float64) {
	m := w.m
	med := m.mediator
	beta, floor = w.vals[m.bias], w.noDeal[med]
	if s := &w.strat[med]; s.Kind == scenarios.Staller {
		if st.looms {
			return 0, floor
		}
		floor += s.TalkValue
	}
	return beta, floor
}

// respond asks every signatory but the one who offers (from) whether it
// accepts package p; all must accept. On a package the mediator backs, each
// signatory's value of no agreement, and so its aspiration, is lowered by
// the mediator's leverage over it. Every signatory asked hears the offer.
func (w *Worker) respond(st *state, p, from int, backed bool, tr *Trace) bool {
	m := w.m
	all := true
	w.prepareCred()
	doubt := w.doubterBacked(p, backed)
	for _, j := range m.sig {
		if j == from {
			continue
		}
		u := w.u(j, p)
		a, view := w.asp[j], w.views[j]
		if backed {
			a, view.NoDeal = w.aspB[j], w.noDealB[j]
		}
		ok := w.strat[j].Accepts(u, a, view) && doubt < 0
		if w.seats[j] != nil {
			ok = w.decide(st, tr, Decision{Kind: DecideRespond, Actor: j, Event: -1, Target: -1, From: from, Package: p,
				ModelYes: ok, Aspiration: a}).Yes
		}
		if m.isSig[from] {
			w.strat[j].Observe(from, u)
		}
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepResponse, Actor: j, Package: p, Accepted: ok,
				Value: u, Aspiration: a, NoDeal: view.NoDeal, Target: doubt, Event: -1})
		}
		all = all && ok
	}
	return all
}

// doubterBacked is doubter for package p when whether the mediator backs
// it was decided (by a seat, perhaps) to be backed.
func (w *Worker) doubterBacked(p int, backed bool) int {
	saved := w.cst
	w.fixed = *saved
	w.fixed.back = math.Inf(1)
	if backed {
		w.fixed.back = math.Inf(-1)
	}
	w.cst = &w.fixed
	d := w.doubter(p)
	w.cst = saved
	return d
}

// sign puts package p in force.
func (w *Worker) sign(st *state, p int, backed bool, tr *Trace) {
	m, v := w.m, w.vals
	st.deal, st.dealSince, st.backed, st.violated = p, st.turn, backed, false
	m.Space.Decode(p, w.dealLv)
	w.priceDeal(p)
	w.rec.Deals++
	if w.rec.FirstDeal == 0 {
		w.rec.FirstDeal = st.turn
	}
	st.tension = clamp01(st.tension + v[m.dyn.agrTension])
	st.trust = clamp01(st.trust + v[m.dyn.agrTrust])
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepAgreement, Actor: -1, Package: p, Backed: backed, Target: -1, Event: -1})
	}
}

// walkOuts lets each signatory past its deadline decide, after a round
// that failed, whether to walk out: it does when one more turn of talks
// costs it (actors.TalkValue < 0) and no deal is within reach (no package
// other than the status quo meets every signatory's floor, with the
// mediator's backing where it would back it). A mediator that values the
// talks may keep it at the table by paying what the turn costs it out of
// its leverage over it.
func (w *Worker) walkOuts(st *state, tr *Trace) {
	m := w.m
	for _, j := range m.sig {
		if !st.talks {
			return
		}
		if w.held[j] || float64(st.turn) < w.deadline[j] {
			continue
		}
		tv := w.talkValue(st, j)
		walk := tv < 0 && !w.reachable(st, j)
		if w.seats[j] != nil {
			walk = w.decide(st, tr, Decision{Kind: DecideWalkOut, Actor: j, Event: -1, Target: -1, From: -1, Package: -1,
				ModelYes: walk, Value: tv}).Yes
		}
		if !walk {
			continue
		}
		if w.rescue(st, j, -tv, tr) {
			continue
		}
		w.out[j] = true
		st.talks = false
		st.lastBreak = st.turn
		w.rec.Breakdowns = append(w.rec.Breakdowns, st.turn)
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepBreakdown, Actor: j, Target: -1, Package: -1, Value: tv, Event: -1})
		}
	}
}

// reachable reports whether a deal is within reach for signatory j: some
// credible package other than the status quo gives j what it asks now and
// every other signatory its floor (what it would accept at the end of its
// concessions).
func (w *Worker) reachable(st *state, j int) bool {
	m := w.m
	s := w.turnSt
	copy(w.reachNeed, w.floor)
	copy(w.reachNeedB, w.floorB)
	w.reachNeed[j], w.reachNeedB[j] = w.need[j], w.needB[j]
	s.need, s.needB = w.reachNeed, w.reachNeedB
	w.prepareCred()
	n := len(m.actors)
	lead := narrowest(w.uAll, n, w.tab.byU, m.sig, s.need, s.needB)
	return reachable(w.uAll, n, m.Space.Size, w.tab.byU[lead], lead, m.sig, &s, w.sq, w.credFn)
}

// prepareCred makes the packages a breaking signatory would keep, and what
// would stand after a collapse, current for this run's values and the
// status quo as it stands.
func (w *Worker) prepareCred() {
	if w.credOK {
		return
	}
	m, v := w.m, w.vals
	size := m.Space.Size
	sqLv := w.lv
	m.Space.Decode(w.sq, sqLv)
	pkg, tmp := w.lv2, w.lv3
	for p := range size {
		m.Space.Decode(p, pkg)
		for j, l := range pkg {
			tmp[j] = sqLv[j]
			if m.irr[j] >= 0 && l >= m.irr[j] {
				tmp[j] = l
			}
		}
		w.after[p] = int32(m.Space.Encode(tmp))
		for si, i := range m.sig {
			a := &m.actors[i]
			for j, l := range pkg {
				tmp[j] = l
				locked := m.irr[j] >= 0 && l >= m.irr[j]
				if !locked && v[a.values[j][l]] < v[a.values[j][sqLv[j]]] {
					tmp[j] = sqLv[j]
				}
			}
			w.cheat[si*size+p] = int32(m.Space.Encode(tmp))
		}
	}
	w.credOK = true
	w.forget()
}

// noDealAt returns actor i's value of no agreement this turn if the status
// quo were worth uSQ to it (see noDeals).
func (w *Worker) noDealAt(i int, uSQ float64) float64 {
	a := &w.m.actors[i]
	var d float64
	switch {
	case a.reservation >= 0:
		d = w.vals[a.reservation]
	case w.m.isStriker[i]:
		d = max(uSQ-w.prevL[i], w.war[i])
	default:
		d = (1-w.qj[i])*uSQ + w.qj[i]*w.war[i]
	}
	return clamp01(d - w.press[i]*w.inv[i])
}

// strikeChance is the chance an actor who believes striker k's cost of
// fighting is cost, but does not know k's beliefs, gives to k finding a
// strike (with a pretext) worth more than the status quo (with what waiting
// would lose): see actors.StrikeChance.
func (w *Worker) strikeChance(st *state, k int, cost float64) float64 {
	a := &w.m.actors[k]
	v := w.vals
	span := w.rawMax[k] - w.rawMin[k]
	sc := w.scale[k]
	l := w.preventive(st, k, w.belief[k].Prevail(w.prevail[k], w.hawk[k]), false)
	margin := (w.uSQ[k]-l)*(sc.Hi-sc.Lo) + sc.Lo - w.rawMin[k]
	return actors.StrikeChance(w.prevail[k], cost, v[a.spread], w.hawk[k], span, 1-v[a.pretext], margin)
}

// doubter returns the first signatory that would break package p if it
// were signed now (actors.BreaksDeal, with the trust a signed deal brings
// and the mediator's enforcement where it backs p), or -1: p is credible
// when no signatory would.
func (w *Worker) doubter(p int) int {
	m, v := w.m, w.vals
	n, size := len(m.actors), m.Space.Size
	row := w.uAll[p*n : (p+1)*n]
	backed := w.cst.backed(row)
	after := int(w.after[p])
	for si, k := range m.sig {
		e := 0.0
		if backed {
			e = w.lever[k] * w.inv[k]
		}
		cheat := w.uAll[int(w.cheat[si*size+p])*n+k]
		d := w.noDealAt(k, w.uAll[after*n+k])
		if actors.BreaksDeal(row[k], cheat, d, e, w.trustNext, v[m.actors[k].discount]) {
			return k
		}
	}
	return -1
}

// credible reports whether no signatory would break package p once signed.
// Answers are kept until what they depend on changes (forget).
func (w *Worker) credible(p int) bool {
	if w.credAt[p] == w.credEpoch {
		return w.credVal[p]
	}
	ok := w.doubter(p) < 0
	w.credAt[p], w.credVal[p] = w.credEpoch, ok
	return ok
}

// forget drops the credibility answers kept by credible: values of no
// agreement, trust, leverage or the status quo have changed.
func (w *Worker) forget() {
	w.credEpoch++
	if w.credEpoch == 0 { // wrapped: no stamp may match by accident
		clear(w.credAt)
		w.credEpoch = 1
	}
}

// rescue decides whether the mediator keeps signatory j at the table by
// spending cost of its leverage over j, and does it. The model's mediator
// does when it values the talks at least as much (its talk value) and has
// that much leverage left.
func (w *Worker) rescue(st *state, j int, cost float64, tr *Trace) bool {
	m := w.m
	med := m.mediator
	if med < 0 || cost <= 0 {
		return false
	}
	yes := w.vals[m.actors[med].talk] >= cost && w.lever[j] >= cost
	if w.seats[med] != nil {
		yes = w.decide(st, tr, Decision{Kind: DecideRescue, Actor: med, Event: -1, Target: j, From: -1, Package: -1,
			ModelYes: yes, Spent: cost}).Yes && w.lever[j] >= cost
	}
	if !yes {
		return false
	}
	w.lever[j] -= cost
	w.noDealB[j] = clamp01(w.noDeal[j] - w.lever[j]*w.inv[j])
	w.forget()
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepRescue, Actor: med, Target: j, Package: -1, Spent: cost, Event: -1})
	}
	return true
}

// reopen lets the mediator try to bring back the signatory that walked
// out. The model's mediator tries when it values the talks and has leverage
// over the walker enough to pay for a turn of talks; the walker returns
// with chance actors.ReturnChance, and the mediator then pays for the turn.
func (w *Worker) reopen(st *state, tr *Trace) {
	m := w.m
	med, n := m.mediator, len(m.actors)
	for _, j := range m.sig {
		if !w.out[j] {
			continue
		}
		cost := max(0, -w.talkValue(st, j))
		chance := actors.ReturnChance(w.lever[j], w.goodwill[med*n+j], st.tension)
		try := w.vals[m.actors[med].talk] > 0 && w.lever[j] > 0 && w.lever[j] >= cost
		if w.seats[med] != nil {
			try = w.decide(st, tr, Decision{Kind: DecideReopen, Actor: med, Event: -1, Target: j, From: -1, Package: -1,
				ModelYes: try, Spent: cost, Chance: chance}).Yes && w.lever[j] >= cost
		}
		if !try {
			continue
		}
		if w.rng.Float64() >= chance {
			if tr != nil {
				w.step(tr, st, Step{Turn: st.turn, Kind: StepReopenFailed, Actor: med, Target: j, Package: -1, Chance: chance, Event: -1})
			}
			continue
		}
		w.lever[j] -= cost
		w.forget()
		w.out[j], w.held[j] = false, true
		if !slices.Contains(w.out, true) {
			w.resume(st, tr, Step{Turn: st.turn, Kind: StepResume, Actor: med, Target: j, Event: -1, Package: -1, Spent: cost, Chance: chance})
		}
	}
}

// strikes lets each actor that may strike weigh a strike at the end of the
// turn, and reports whether one struck. Striker k compares its believed
// value of striking plus what it expects to lose by waiting with its value
// of carrying on (the deal in force, or the status quo): it strikes only
// if the first is larger. Before striking it demands, as an ultimatum, the
// package best for it among those it believes the other signatories would
// rather take than fight; if they accept, the deal is signed. A refusal
// shows how hard they would fight: its belief of its cost loses its random
// error, and it strikes only if striking is still worth more.
func (w *Worker) strikes(st *state, tr *Trace, delib *[]Deliberation) bool {
	m := w.m
	if len(m.strikers) == 0 {
		return false
	}
	// The turn may have given a pretext (a walk-out, a violation): values
	// of no agreement as they stand now.
	w.noDeals(st)
	for si, k := range m.strikers {
		pre := w.pretext(st, k)
		keep := w.keep(st, k, pre)
		p, cost, war := w.believedWar(k, keep)
		l := w.preventive(st, k, p, true)
		carry := w.uSQ[k]
		if st.deal >= 0 {
			carry = w.dealU[k]
		}
		prefers := war+l > carry
		d := Deliberation{Actor: k, Prevail: p, Cost: cost, Pretext: pre, Keep: keep,
			RawMin: w.rawMin[k], RawMax: w.rawMax[k], Scale: w.scale[k],
			War: war, Preventive: l, Carry: carry, Ultimatum: -1}
		model := prefers
		if w.seats[k] != nil && (prefers || pre != CauseNone) {
			yes := w.decide(st, tr, Decision{Kind: DecideStrike, Actor: k, Event: -1, Target: -1, From: -1, Package: -1,
				ModelYes: prefers, War: war, Preventive: l, Carry: carry, Pretext: pre}).Yes
			d.Seat = true
			if yes != prefers {
				// The seat overrides the model: a strike now, or none.
				model = false
				if yes {
					w.strike(st, k, &d, tr)
					w.deliberated(tr, delib, d)
					return true
				}
			}
		}
		if !model {
			w.deliberated(tr, delib, d)
			continue
		}
		if w.ultimatum(st, k, si, &d, tr) {
			w.deliberated(tr, delib, d)
			continue
		}
		if d.Ultimatum >= 0 {
			// Refused: the refusal reveals resolve.
			w.belief[k].RevealResolve()
			d.Prevail, d.Cost, d.War = w.believedWar(k, keep)
			d.Preventive = w.preventive(st, k, d.Prevail, true)
			if d.War+d.Preventive <= d.Carry {
				if tr != nil {
					w.step(tr, st, Step{Turn: st.turn, Kind: StepStandDown, Actor: k, Target: -1, Package: d.Ultimatum,
						War: d.War, Preventive: d.Preventive, Carry: d.Carry, Prevail: d.Prevail, Cost: d.Cost, Cause: pre, Event: -1})
				}
				w.deliberated(tr, delib, d)
				continue
			}
		}
		w.strike(st, k, &d, tr)
		w.deliberated(tr, delib, d)
		return true
	}
	return false
}

// deliberated records a strike decision in the turn's deliberations.
func (w *Worker) deliberated(tr *Trace, delib *[]Deliberation, d Deliberation) {
	if tr != nil {
		*delib = append(*delib, d)
	}
}

// ultimatum has striker k (strikers[si]) demand the package best for it
// among those it believes each other signatory would rather take than
// fight, and worth more to it than striking. It reports whether a deal was
// signed; d.Ultimatum is the demand (-1 when there was none to make).
func (w *Worker) ultimatum(st *state, k, si int, d *Deliberation, tr *Trace) bool {
	m := w.m
	n := len(m.actors)
	// What k believes each other signatory would take rather than refuse:
	// its value of no agreement, which k does not know exactly. k believes
	// each other signatory's chance of prevailing is short of the truth by
	// as much as its own belief exceeds its own truth, and that j's
	// threshold lies between its values at the two ends of j's errors.
	optimism := d.Prevail - w.prevail[k]
	for _, j := range m.sig {
		if j != k {
			w.thrLo[j] = w.barAt(st, j, k, optimism, -1)
			w.thrHi[j] = w.barAt(st, j, k, optimism, 1)
		}
	}
	w.prepareCred()
	p, chance := demand(w.uAll, n, m.Space.Size, w.tab.byU[k], k, d.War+d.Preventive, m.sig, w.thrLo, w.thrHi, m.sets[m.strikeSet[si]], w.sq, w.credFn)
	if p < 0 {
		return false
	}
	d.Ultimatum = p
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepUltimatum, Actor: k, Target: -1, Package: p, Value: w.u(k, p), Chance: chance,
			War: d.War, Preventive: d.Preventive, Carry: d.Carry, Prevail: d.Prevail, Cost: d.Cost, Cause: d.Pretext, Event: -1})
	}
	all := true
	for _, j := range m.sig {
		if j == k {
			continue
		}
		// j cannot tell a real threat from a bluff: it takes the demand
		// when it is worth at least its value of no agreement, which
		// already weighs its own estimate of the chance that k strikes and
		// its own belief of what a war is worth to it.
		u := w.u(j, p)
		ok := u >= w.noDeal[j]
		if w.seats[j] != nil {
			ok = w.decide(st, tr, Decision{Kind: DecideRespond, Actor: j, Event: -1, Target: -1, From: k, Package: p,
				ModelYes: ok, Aspiration: w.noDeal[j]}).Yes
		}
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepResponse, Actor: j, Target: -1, Package: p, Accepted: ok,
				Value: u, Aspiration: w.noDeal[j], NoDeal: w.noDeal[j], War: w.war[j], Event: -1})
		}
		all = all && ok
	}
	if !all {
		return false
	}
	// A deal signed under threat binds even if talks had broken down; it
	// does not reopen them.
	w.sign(st, p, w.backs(st, p, tr), tr)
	return true
}

// barAt returns signatory j's value of no agreement as striker k reckons
// it when j's errors about the conflict all lie at end e of their range
// (e = 1: j most resolved, believing k's cost high, its own chance high and
// its own cost low; e = −1 the reverse), k's own optimism shortening j's
// chance of prevailing.
func (w *Worker) barAt(st *state, j, k int, optimism, e float64) float64 {
	m, v := w.m, w.vals
	a := &m.actors[j]
	if a.reservation >= 0 {
		return clamp01(v[a.reservation] - w.press[j]*w.inv[j])
	}
	s, h := v[a.spread], w.hawk[j]
	q := w.strikeChance(st, k, v[m.actors[k].cost]*max(0, 1+s*(e+h)))
	p := clamp01(w.prevail[j] - optimism + s*(e+h))
	cost := v[a.cost] * max(0, 1+s*(-e-h))
	war := w.scale[j].U(w.warRaw(j, p, cost))
	return clamp01((1-q)*w.uSQ[j] + q*war - w.press[j]*w.inv[j])
}

// strike ends the run in conflict by striker k: every actor gets the true
// conflict lottery as it stands (the striker paying its share of the cost
// with its pretext), on its scale, clamped to [0, 1].
func (w *Worker) strike(st *state, k int, d *Deliberation, tr *Trace) {
	m := w.m
	d.Struck = true
	w.rec.Strikes++
	for i := range m.actors {
		cost := w.vals[m.actors[i].cost]
		if i == k {
			cost *= d.Keep
		}
		w.rec.Utility[i] = clamp01(w.scale[i].U(w.warRaw(i, w.prevail[i], cost)))
	}
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepStrike, Actor: k, Target: -1, Package: -1,
			War: d.War, Preventive: d.Preventive, Carry: d.Carry, Prevail: d.Prevail, Cost: d.Cost, Cause: d.Pretext, Event: -1})
	}
}

// step appends s to the trace, stamped with the tension and trust after it.
func (w *Worker) step(tr *Trace, st *state, s Step) {
	s.Tension, s.Trust = st.tension, st.trust
	tr.Steps = append(tr.Steps, s)
}

func (w *Worker) snapshot(st *state, tr *Trace, delib []Deliberation) {
	if tr == nil {
		return
	}
	tr.States = append(tr.States, w.state(st, delib))
}

// state returns a copy of the state of the talks.
func (w *Worker) state(st *state, delib []Deliberation) TurnState {
	return TurnState{
		Turn: st.turn, Tension: st.tension, Trust: st.trust,
		Hawkishness: slices.Clone(w.hawk), NoDeal: slices.Clone(w.noDeal), Prevail: slices.Clone(w.prevail),
		Goodwill: slices.Clone(w.goodwill), Leverage: slices.Clone(w.lever), Talks: st.talks, Deal: st.deal,
		Deliberations: delib,
	}
}

// ideal returns actor i's best package under the current preferences (the
// lowest index among equals).
func (w *Worker) ideal(i int) int {
	n, best := len(w.m.actors), 0
	for p := range w.m.Space.Size {
		if w.tab.raw[p*n+i] > w.tab.raw[best*n+i] {
			best = p
		}
	}
	return best
}
