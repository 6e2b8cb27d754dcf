package sim

// The talks: a round of proposals and the mediator's compromise, backing,
// responses and signing; walk-outs, rescues and reopenings (docs/model.md
// §8, §10, §11).

import (
	"math"
	"slices"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// talkValue returns what one more turn of talks is worth to actor i now.
func (w *Worker) talkValue(st *state, i int) float64 {
	return actors.TalkValue(w.vals[w.m.actors[i].talk], w.hawk[i], st.tension)
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
			w.recordBeliefs(tr, prop)
		}
		if m.isSig[prop] {
			w.observe(prop, p, w.asp[prop], moveOffer)
		}
		if w.respond(st, p, prop, backed, tr) {
			w.sign(st, p, backed, false, tr)
			return
		}
	}
	if m.mediator >= 0 && !m.medFirst && w.mediation(st, tr) {
		return
	}
	if m.partial && w.stepRound(st, prop, tr) {
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
		w.recordBeliefs(tr, med)
	}
	if w.respond(st, p, med, backed, tr) {
		w.sign(st, p, backed, false, tr)
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
	order, byObjective := &w.tab.byU[prop], false
	if w.bel.on && w.bel.believer[prop] {
		// By what prop believes the others value: its own column is
		// true, so the order by its utility still holds.
		return propose(w.believedMatrix(prop), n, m.size, order, false, prop, asp, m.sig, m.sets[m.propSet[pos]], w.sq, w.credFn)
	}
	if m.isSig[prop] && len(m.sig) == 2 {
		// The objective is the other signatory's utility: packages visited
		// by it can stop at the first that qualifies, which pays when many
		// packages are worth asp to the proposer.
		if c := countAtLeast(w.uAll, n, order, prop, asp); c > m.size/8 {
			other := m.sig[0] + m.sig[1] - prop
			order, byObjective = &w.tab.byU[other], true
		}
	}
	return propose(w.uAll, n, m.size, order, byObjective, prop, asp, m.sig, m.sets[m.propSet[pos]], w.sq, w.credFn)
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
	// A package short of some demand is refused by every signatory the
	// model plays, so only a trace or a seat needs it; unless actors learn
	// from the refusal, or the mediator misjudges the demands.
	zone := tr != nil || w.seated || w.bel.on
	if w.bel.on && w.bel.believer[m.mediator] {
		// By what the mediator believes the signatories value, visiting
		// packages by the lead's true utility: its believed one is at
		// most slack more.
		u := w.believedMatrix(m.mediator)
		return mediateBounded(u, w.uAll, w.bel.slack[m.mediator*len(m.sig)+slices.Index(m.sig, lead)], n, m.size, &w.tab.byU[lead], lead, m.mediator, lean, selfish, floor,
			m.sig, m.sets[m.medSet], &w.turnSt, w.sq, w.credFn, zone)
	}
	return mediate(w.uAll, n, m.size, &w.tab.byU[lead], lead, m.mediator, lean, selfish, floor,
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
		move := moveRefuse
		if ok {
			move = moveAccept
		}
		w.observe(j, p, a, move)
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

// sign puts package p in force: a settlement, or with partial a step
// whose open issues the talks go on over.
func (w *Worker) sign(st *state, p int, backed, partial bool, tr *Trace) {
	m, v := w.m, w.vals
	st.deal, st.dealSince, st.backed, st.violated = p, st.turn, backed, false
	m.decode(p, w.dealLv)
	w.priceDeal(p)
	w.setPartial(st, partial)
	w.rec.Deals++
	if partial {
		w.rec.Partials++
	}
	w.rec.Signings = append(w.rec.Signings, Signing{Turn: st.turn, Package: m.full(p), Partial: partial})
	if w.rec.FirstDeal == 0 {
		w.rec.FirstDeal = st.turn
	}
	st.tension = clamp01(st.tension + v[m.dyn.agrTension])
	st.trust = clamp01(st.trust + v[m.dyn.agrTrust])
	if tr != nil {
		s := Step{Turn: st.turn, Kind: StepAgreement, Actor: -1, Package: p, Backed: backed, Partial: partial, Target: -1, Event: -1}
		if partial {
			s.Open = w.openIssues(p)
		}
		w.step(tr, st, s)
	}
}

// setPartial makes the deal in force a step (partial) or not: under a
// step, what each actor keeps if the talks give nothing more is the step,
// and a later deal must be another package (beyondStep).
func (w *Worker) setPartial(st *state, partial bool) {
	st.partial = partial
	w.hold, w.base, w.credFn = w.uSQ, -1, w.credAny
	if partial {
		w.hold, w.base, w.credFn = w.dealU, st.deal, w.credStep
	}
	w.forget()
}

// keptStep is a turn in which every signatory kept the step in force
// (whether or not the talks are meeting): each turn kept shows the others
// it keeps its word, and trust grows by the scenario's compliance_trust. A
// settlement's compliance adds no trust: nothing is left to build on it,
// and model 3's results are kept (docs/model.md §20).
func (w *Worker) keptStep(st *state) {
	g := w.vals[w.m.dyn.compTrust]
	if g == 0 {
		return
	}
	st.trust = clamp01(st.trust + g)
	w.trustNext = clamp01(st.trust + w.vals[w.m.dyn.agrTrust])
	w.forget()
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
	return reachable(w.uAll, n, m.size, &w.tab.byU[lead], lead, m.sig, &s, w.sq, w.credFn)
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
		if w.reopenRNG[j].rng.Float64() >= chance {
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
