package sim

// Credible deals and compliance: what a breaking signatory keeps and what
// stands after a collapse, the credibility test, and the decision to break
// a deal in force (docs/model.md §9).

import (
	"github.com/parley-sim/parley/actors"
)

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
	w.setPartial(st, false)
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
