package sim

// Beliefs, values of no agreement and strikes (docs/model.md §5, §6, §12).

import (
	"math"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

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
		w.noDeal[i] = w.noDealAt(i, w.hold[i])
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
	margin := (w.hold[k]-l)*(sc.Hi-sc.Lo) + sc.Lo - w.rawMin[k]
	return actors.StrikeChance(w.prevail[k], cost, v[a.spread], w.hawk[k], span, 1-v[a.pretext], margin)
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
		d.Ultimatum = w.m.full(d.Ultimatum)
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
	p, chance := demand(w.uAll, n, m.size, &w.tab.byU[k], k, d.War+d.Preventive, m.sig, w.thrLo, w.thrHi, m.sets[m.strikeSet[si]], w.sq, w.credFn)
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
	w.sign(st, p, w.backs(st, p, tr), false, tr)
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
	return clamp01((1-q)*w.hold[j] + q*war - w.press[j]*w.inv[j])
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
