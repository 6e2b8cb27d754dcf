package sim

import (
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

	scale     []actors.Scale
	uS        [][]float64 // normalised utilities of each frontier's packages
	uSQ       []float64
	dealU     []float64 // normalised utilities of the deal in force
	conflictU []float64

	strat    []actors.Strategy
	hawk     []float64
	goodwill []float64 // goodwill[i*n+j]: i toward j
	pressure []float64 // standing pressure on each actor (events)
	noDeal   []float64
	asp      []float64
	need     []float64
	leanW    []float64 // the mediator's lean weights (see leanWeights)
	leanOK   bool      // leanW is current for this run and table
	views    []actors.View

	rec Record

	seats []Decider // per actor; nil where the model decides
}

// NewWorker returns a worker for m.
func NewWorker(m *Model) *Worker {
	n := len(m.actors)
	w := &Worker{
		m:         m,
		vals:      make([]float64, len(m.nums)),
		prefs:     make([]actors.Prefs, n),
		cache:     map[uint64]*table{},
		scale:     make([]actors.Scale, n),
		uSQ:       make([]float64, n),
		dealU:     make([]float64, n),
		conflictU: make([]float64, n),
		strat:     make([]actors.Strategy, n),
		hawk:      make([]float64, n),
		goodwill:  make([]float64, n*n),
		pressure:  make([]float64, n),
		noDeal:    make([]float64, n),
		asp:       make([]float64, n),
		need:      make([]float64, n),
		views:     make([]actors.View, n),
	}
	w.rng = rand.New(&w.pcg)
	w.uS = make([][]float64, len(m.sets))
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
			p.Links[k].When = l.when
		}
	}
	w.rec.Utility = make([]float64, n)
	w.rec.Terms = make([]int, len(m.Scenario.Issues))
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
			t = buildTable(m.Space, w.prefs, m.sets, m.sig[0], nil)
			w.cache[mask] = t
		}
		w.tab = t
	} else {
		w.setPrefs(mask)
		w.own = buildTable(m.Space, w.prefs, m.sets, m.sig[0], w.own)
		w.tab = w.own
	}
	t, n := w.tab, len(m.actors)
	for i := range m.actors {
		w.setScale(i, t.rawMin[i], t.rawMax[i], t.raw[m.sq*n+i])
	}
	w.leanOK = false
	for s := range t.fronts {
		f := &t.fronts[s]
		u := resize(w.uS[s], len(f.rawF))
		for k := range f.pkgs {
			for i := range n {
				u[k*n+i] = w.scale[i].U(f.rawF[k*n+i])
			}
		}
		w.uS[s] = u
	}
}

// setScale sets actor i's [0,1] scale for this run, and its utilities of
// conflict and of the status quo, from its least, greatest and status-quo
// raw utilities.
func (w *Worker) setScale(i int, rawMin, rawMax, rawSQ float64) {
	a := &w.m.actors[i]
	c := actors.ConflictValue(rawMin, rawMax, w.vals[a.prevail], w.vals[a.cost])
	w.scale[i] = actors.NewScale(rawMin, rawMax, c)
	w.conflictU[i] = w.scale[i].U(c)
	w.uSQ[i] = w.scale[i].U(rawSQ)
}

// startState sets hawkishness, goodwill and pressure to their values at
// the start of a run, and returns the state of the talks before turn 1.
func (w *Worker) startState() state {
	m, v, n := w.m, w.vals, len(w.m.actors)
	for i := range w.goodwill {
		w.goodwill[i] = 0.5
	}
	for i, a := range m.actors {
		w.hawk[i] = v[a.hawk]
		w.pressure[i] = 0
		for _, g := range a.goodwill {
			w.goodwill[i*n+g.target] = v[g.amt]
		}
	}
	return state{tension: v[m.dyn.tension], trust: v[m.dyn.trust], talks: true, deal: -1, violationUntil: -1}
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
	noDealTurns    int
	violationUntil int
	round          int
	mask           uint64
	hosts          uint64 // actors hosting an event this turn (bitmask)
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
	w.loadTable(0)

	st := w.startState()
	for i, a := range m.actors {
		s := &w.strat[i]
		s.Kind, s.E, s.Reservation, s.Demand = a.strat, v[a.e], v[a.res], v[a.demand]
		s.TalkValue, s.Threshold = v[a.talk], v[a.thr]
		s.Reset(n)
	}
	rec := &w.rec
	rec.Run, rec.Tests, rec.Strikes, rec.Deals, rec.Collapsed = run, 0, 0, 0, 0
	if tr != nil {
		w.updateNoDeal(&st)
		tr.Start = w.state(&st)
		tr.Ideals = tr.Ideals[:0]
		for i := range n {
			tr.Ideals = append(tr.Ideals, w.ideal(i))
		}
		tr.Seed = seed
		tr.Steps, tr.States, tr.Decisions = tr.Steps[:0], tr.States[:0], tr.Decisions[:0]
		tr.Draws = make(map[string]float64, len(m.nums))
		for i, x := range m.nums {
			if x.Path != "" {
				tr.Draws[x.Path] = v[i]
			}
		}
	}

	outcome, end := Stalemate, sc.Horizon
	for t := 1; t <= sc.Horizon; t++ {
		st.turn = t
		w.events(&st, tr)
		if st.deal >= 0 {
			w.comply(&st, tr)
		}
		w.updateNoDeal(&st)
		hazard := v[m.dyn.breakdown] * st.tension * (1 - st.trust)
		if st.talks && st.deal < 0 {
			w.negotiate(&st, hazard, tr)
			if st.deal < 0 && t == sc.Horizon && sc.Protocol.Deadline == scenarios.DeadlineFinalOffer {
				w.finalOffer(&st, tr)
			}
		}
		if st.deal < 0 {
			st.noDealTurns++
		}
		if w.strike(&st, tr) {
			outcome, end = Conflict, t
			w.snapshot(&st, tr)
			break
		}
		st.tension = clamp01(st.tension + v[m.dyn.drift]*(v[m.dyn.baseline]-st.tension))
		w.snapshot(&st, tr)
	}
	if outcome != Conflict {
		switch {
		case st.deal >= 0:
			outcome = Agreement
		case !st.talks:
			outcome = Breakdown
		case sc.Protocol.Deadline == scenarios.DeadlineBreakdown:
			outcome = Breakdown
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
		copy(rec.Utility, w.conflictU)
	default:
		copy(rec.Utility, w.uSQ)
	}
	if tr != nil {
		tr.Record = *rec
		tr.Record.Utility = slices.Clone(rec.Utility)
		tr.Record.Terms = slices.Clone(rec.Terms)
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
			p := v[e.chance]
			if prov && st.deal >= 0 && m.isSig[e.by] {
				// A signatory bound by a deal in force does not test;
				// whether it cheats is the compliance rule's draw. A seat
				// may still test, and so break the deal.
				if e.by >= 0 && w.seats[e.by] != nil && w.decide(st, tr, Decision{Kind: DecideAct, Actor: e.by, Event: ei, From: -1, Package: -1}).Yes {
					w.fire(st, ei, tr)
					w.collapse(st, e.by, CauseCompliance, tr)
				}
				continue
			}
			if prov {
				p *= v[m.actors[e.by].provocation]
				for _, r := range e.restrainers {
					p *= 1 - v[r.amt]*w.goodwill[r.target*n+e.by]
				}
				if st.hosts&^(1<<e.by) != 0 {
					p *= 1 + v[m.actors[e.by].embarrass]
				}
			}
			hit := w.rng.Float64() < p
			if e.by >= 0 && w.seats[e.by] != nil {
				hit = w.decide(st, tr, Decision{Kind: DecideAct, Actor: e.by, Event: ei, From: -1, Package: -1, ModelYes: hit}).Yes
			}
			if !hit {
				continue
			}
			w.fire(st, ei, tr)
		}
	}
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
		w.step(tr, st, Step{Turn: st.turn, Kind: StepEvent, Actor: e.by, Event: ei, Package: -1, Cause: cause})
	}
	if prov {
		w.rec.Tests++
	}
}

// priceDeal sets every actor's utility of package p, the deal in force.
func (w *Worker) priceDeal(p int) {
	n := len(w.m.actors)
	for i := range n {
		w.dealU[i] = w.scale[i].U(w.tab.raw[p*n+i])
	}
}

// comply gives each signatory the chance to cheat on the deal in force.
func (w *Worker) comply(st *state, tr *Trace) {
	m, v := w.m, w.vals
	for _, i := range m.sig {
		p := v[m.dyn.violation] * (1 - w.dealU[i]) * (1 - st.trust)
		hit := w.rng.Float64() < p
		if w.seats[i] != nil {
			hit = w.decide(st, tr, Decision{Kind: DecideViolate, Actor: i, Event: -1, From: -1, Package: st.deal, ModelYes: hit}).Yes
		}
		if hit {
			w.collapse(st, i, CauseCompliance, tr)
			return
		}
	}
}

// collapse ends the deal in force after a violation by actor i.
func (w *Worker) collapse(st *state, i int, cause Cause, tr *Trace) {
	m, v := w.m, w.vals
	deal := st.deal
	w.rec.Collapsed++
	st.deal = -1
	st.noDealTurns = 0
	st.tension = clamp01(st.tension + v[m.dyn.vioTension])
	st.trust = clamp01(st.trust + v[m.dyn.vioTrust])
	for _, k := range m.strikers {
		w.hawk[k] = clamp01(w.hawk[k] + v[m.dyn.vioHawk])
	}
	st.violationUntil = st.turn + m.dyn.memory
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepViolation, Actor: i, Event: -1, Package: deal, Cause: cause})
	}
}

// updateNoDeal sets every actor's value of no agreement for this turn:
//
//	d_i = (1 − q)·u_i(status quo) + q·w_i − pressure on i
//
// with q = tension × the highest hawkishness among actors who may strike,
// the chance that talks without a deal end in conflict.
func (w *Worker) updateNoDeal(st *state) {
	m, v, n := w.m, w.vals, len(w.m.actors)
	h := 0.0
	for _, k := range m.strikers {
		h = max(h, w.hawk[k])
	}
	q := clamp01(st.tension * h)
	for i := range m.actors {
		w.noDeal[i] = (1-q)*w.uSQ[i] + q*w.conflictU[i] - w.pressure[i]
	}
	for k, a := range m.actors {
		for _, p := range a.pressure {
			w.noDeal[p.target] -= v[p.amt] * (1 - w.goodwill[k*n+p.target])
		}
	}
	for i := range w.noDeal {
		w.noDeal[i] = clamp01(w.noDeal[i])
	}
}

// aspire sets actor i's view and aspiration for this turn.
func (w *Worker) aspire(st *state, i int, hazard float64) {
	w.views[i] = actors.View{
		Turn: st.turn, Horizon: w.m.Scenario.Horizon, NoDeal: w.noDeal[i],
		Hawkishness: w.hawk[i], HawkFloor: w.vals[w.m.dyn.hawkFloor], Hazard: hazard,
	}
	w.asp[i] = w.strat[i].Aspiration(w.views[i])
}

// negotiate plays one round: the proposer in turn proposes; if a signatory
// refuses, the mediator offers its compromise; if that fails too, trust
// erodes and talks may break down.
func (w *Worker) negotiate(st *state, hazard float64, tr *Trace) {
	m, v := w.m, w.vals
	pos := st.round % len(m.proposer)
	prop := m.proposer[pos]
	st.round++
	for _, j := range m.sig {
		w.aspire(st, j, hazard)
	}
	if !m.isSig[prop] {
		w.aspire(st, prop, hazard)
	}
	p := w.proposal(pos, w.asp[prop])
	if w.seats[prop] != nil {
		p = w.decide(st, tr, Decision{Kind: DecidePropose, Actor: prop, Event: -1, From: -1, Package: p, Aspiration: w.asp[prop]}).Package
	}
	if p >= 0 {
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepProposal, Actor: prop, Event: -1,
				Package: p, Value: w.u(prop, p), Aspiration: w.asp[prop], NoDeal: w.noDeal[prop]})
		}
		if w.respond(st, p, prop, tr) {
			w.sign(st, p, tr)
			return
		}
	}
	if m.mediator >= 0 {
		p = w.mediation(hazard)
		if w.seats[m.mediator] != nil {
			p = w.decide(st, tr, Decision{Kind: DecideMediate, Actor: m.mediator, Event: -1, From: -1, Package: p}).Package
		}
		if p < 0 {
			if tr != nil {
				w.step(tr, st, Step{Turn: st.turn, Kind: StepNoZone, Actor: m.mediator, Event: -1, Package: -1})
			}
		} else {
			if tr != nil {
				w.step(tr, st, Step{Turn: st.turn, Kind: StepMediation, Actor: m.mediator, Event: -1,
					Package: p, Value: w.u(m.mediator, p), NoDeal: w.noDeal[m.mediator]})
			}
			if w.respond(st, p, m.mediator, tr) {
				w.sign(st, p, tr)
				return
			}
		}
	}
	st.trust = clamp01(st.trust + v[m.dyn.rejTrust])
	if w.rng.Float64() < hazard {
		if m.mediator >= 0 && w.rng.Float64() < v[m.salvage] {
			if tr != nil {
				w.step(tr, st, Step{Turn: st.turn, Kind: StepSalvage, Actor: m.mediator, Event: -1, Package: -1, Value: hazard})
			}
			return
		}
		st.talks = false
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepBreakdown, Actor: -1, Event: -1, Package: -1, Value: hazard})
		}
	}
}

// proposal returns the package the proposer at position pos of the
// rotation offers when it asks for asp, or -1 if none is worth that much.
func (w *Worker) proposal(pos int, asp float64) int {
	m := w.m
	s := m.propSet[pos]
	f := &w.tab.fronts[s]
	k := propose(w.uS[s], len(m.actors), f.pkgs, m.proposer[pos], asp, m.sig, m.sets[s])
	if k < 0 {
		return -1
	}
	return int(f.pkgs[k])
}

// mediation returns the mediator's compromise, or -1 if the zone of
// possible agreement is empty. The mediator first sounds out what each
// signatory will accept this turn (its aspiration) and, if some packages
// meet every demand, proposes the best of them by its objective; otherwise
// it proposes the best package of the whole zone of possible agreement,
// which the signatories may refuse.
func (w *Worker) mediation(hazard float64) int {
	m := w.m
	beta, floor := w.mediatorStance(hazard)
	lean, selfish := w.lean(beta)
	for _, j := range m.sig {
		w.need[j] = max(w.asp[j], w.noDeal[j])
	}
	return w.mediate(lean, selfish, floor, w.need)
}

// mediate runs the mediator's search on its frontier and returns a package
// or -1.
func (w *Worker) mediate(lean []float64, selfish bool, floor float64, need []float64) int {
	m := w.m
	f := &w.tab.fronts[m.medSet]
	k := mediate(w.uS[m.medSet], len(m.actors), f.pkgs, f.byLead, m.mediator, lean, selfish, floor,
		m.sig, m.sets[m.medSet], w.noDeal, need)
	if k < 0 {
		return -1
	}
	return int(f.pkgs[k])
}

// lean returns the mediator's lean weights for bias beta, computed once per
// run and utility table (see leanWeights).
func (w *Worker) lean(beta float64) ([]float64, bool) {
	if beta <= 0 || beta >= 1 {
		return leanWeights(nil, 1, 0, beta, nil)
	}
	if !w.leanOK {
		w.leanW, _ = leanWeights(w.uS[w.m.medSet], len(w.m.actors), w.m.mediator, beta, w.leanW)
		w.leanOK = true
	}
	return w.leanW, false
}

// mediatorStance returns the bias and the floor of the mediator's
// compromise when talks face breakdown hazard. A mediator brokers no package
// worth less to it than its own value of no agreement. A staller mediator
// also asks for its talk value on top, and leans toward its own interests
// with the scenario's bias, until the hazard reaches its threshold: then,
// to save the talks, it drops both and proposes as an honest broker.
func (w *Worker) mediatorStance(hazard float64) (beta, floor float64) {
	m := w.m
	med := m.mediator
	beta, floor = w.vals[m.bias], w.noDeal[med]
	if s := &w.strat[med]; s.Kind == scenarios.Staller {
		if hazard >= s.Threshold {
			return 0, floor
		}
		floor += s.TalkValue
	}
	return beta, floor
}

// respond asks every signatory but the proposer whether it accepts package
// p, offered by actor prop; all must accept. Every signatory asked hears
// the offer.
func (w *Worker) respond(st *state, p, prop int, tr *Trace) bool {
	m := w.m
	all := true
	for _, j := range m.sig {
		if j == prop {
			continue
		}
		u := w.u(j, p)
		ok := w.strat[j].Accepts(u, w.asp[j], w.views[j])
		if w.seats[j] != nil {
			ok = w.decide(st, tr, Decision{Kind: DecideRespond, Actor: j, Event: -1, From: prop, Package: p,
				ModelYes: ok, Aspiration: w.asp[j]}).Yes
		}
		w.strat[j].Observe(prop, u)
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepResponse, Actor: j, Event: -1,
				Package: p, Accepted: ok, Value: u, Aspiration: w.asp[j], NoDeal: w.noDeal[j]})
		}
		all = all && ok
	}
	return all
}

// sign puts package p in force.
func (w *Worker) sign(st *state, p int, tr *Trace) {
	m, v := w.m, w.vals
	st.deal = p
	w.priceDeal(p)
	st.noDealTurns = 0
	w.rec.Deals++
	st.tension = clamp01(st.tension + v[m.dyn.agrTension])
	st.trust = clamp01(st.trust + v[m.dyn.agrTrust])
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepAgreement, Actor: -1, Event: -1, Package: p})
	}
}

// finalOffer plays the deadline rule final_offer: the mediator (or else the
// next proposer, asking only for its value of no agreement) makes a last
// offer; each signatory takes it if it beats no agreement, and if any
// refuses the talks end in breakdown.
func (w *Worker) finalOffer(st *state, tr *Trace) {
	m := w.m
	var p, by int
	kind := DecideMediate
	if m.mediator >= 0 {
		by = m.mediator
		_, floor := w.mediatorStance(1)
		p = w.mediate(nil, false, floor, nil)
	} else {
		pos := st.round % len(m.proposer)
		by = m.proposer[pos]
		p = w.proposal(pos, w.noDeal[by])
		kind = DecidePropose
	}
	if w.seats[by] != nil {
		p = w.decide(st, tr, Decision{Kind: kind, Actor: by, Event: -1, From: -1, Package: p, Aspiration: w.noDeal[by]}).Package
	}
	if p >= 0 {
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepFinalOffer, Actor: by, Event: -1,
				Package: p, Value: w.u(by, p), NoDeal: w.noDeal[by]})
		}
		all := true
		for _, j := range m.sig {
			u := w.u(j, p)
			ok := u >= w.noDeal[j]
			if w.seats[j] != nil {
				ok = w.decide(st, tr, Decision{Kind: DecideRespond, Actor: j, Event: -1, From: by, Package: p,
					ModelYes: ok, Aspiration: w.noDeal[j]}).Yes
			}
			if tr != nil {
				w.step(tr, st, Step{Turn: st.turn, Kind: StepResponse, Actor: j, Event: -1,
					Package: p, Accepted: ok, Value: u, Aspiration: w.noDeal[j], NoDeal: w.noDeal[j]})
			}
			all = all && ok
		}
		if all {
			w.sign(st, p, tr)
			return
		}
	}
	st.talks = false
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: StepBreakdown, Actor: -1, Event: -1, Package: -1})
	}
}

// strike gives each actor that may strike its chance to, when a trigger is
// live: talks broken down, a violation within violation_memory turns, or a
// stalemate that has dragged on for stalemate_turns. It reports whether a
// strike ended the run.
func (w *Worker) strike(st *state, tr *Trace) bool {
	m, v := w.m, w.vals
	cause := CauseNone
	switch {
	case !st.talks:
		cause = CauseBreakdown
	case st.turn <= st.violationUntil:
		cause = CauseViolation
	case st.deal < 0 && st.noDealTurns >= m.dyn.stalemateTurns:
		cause = CauseStalemate
	}
	if cause == CauseNone {
		return false
	}
	for _, k := range m.strikers {
		p := v[m.dyn.strike] * w.hawk[k] * st.tension
		if w.rng.Float64() < p {
			w.rec.Strikes++
			if tr != nil {
				w.step(tr, st, Step{Turn: st.turn, Kind: StepStrike, Actor: k, Event: -1, Package: -1,
					Value: p, Cause: cause})
			}
			return true
		}
	}
	return false
}

// step appends s to the trace, stamped with the tension and trust after it.
func (w *Worker) step(tr *Trace, st *state, s Step) {
	s.Tension, s.Trust = st.tension, st.trust
	tr.Steps = append(tr.Steps, s)
}

func (w *Worker) snapshot(st *state, tr *Trace) {
	if tr == nil {
		return
	}
	tr.States = append(tr.States, w.state(st))
}

// state returns a copy of the state of the talks.
func (w *Worker) state(st *state) TurnState {
	return TurnState{
		Turn: st.turn, Tension: st.tension, Trust: st.trust,
		Hawkishness: slices.Clone(w.hawk), NoDeal: slices.Clone(w.noDeal),
		Goodwill: slices.Clone(w.goodwill), Talks: st.talks, Deal: st.deal,
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
