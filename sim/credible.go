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
	after := int(w.after[st.deal])
	for si, i := range m.sig {
		a := &m.actors[i]
		cheat := w.cheatU(si, i, st.deal)
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
// status quo as it stands. Each is a package index, a sum over the issues
// of a level times the stride (Space.Encode), so packages are
// visited like an odometer (the last issue fastest), the sums over the
// issues before the last kept until one of them changes.
func (w *Worker) prepareCred() {
	if w.credOK {
		return
	}
	m, v := w.m, w.vals
	size, levels := m.Space.Size, m.Space.Levels
	L, ns := len(levels), len(m.sig)
	if m.pkgs != nil {
		// A compact model has no irreversible level: what stands after a
		// collapse is the status quo, and what a breaker keeps is known
		// (cheatRaw).
		for p := range w.after {
			w.after[p] = int32(w.sq)
		}
		w.credOK = true
		w.forget()
		return
	}
	if L == 0 {
		w.after[0] = 0
		for si := range ns {
			w.cheat[si*size] = 0
		}
		w.credOK = true
		w.forget()
		return
	}
	sqLv := w.lv
	m.Space.Decode(w.sq, sqLv)
	total := 0
	for _, nl := range levels {
		total += nl
	}
	outs := 1 + ns
	if cap(w.credC) < outs*total {
		w.credC = make([]int32, outs*total)
	}
	if cap(w.credOff) < L {
		w.credOff = make([]int, L)
	}
	if cap(w.credSum) < outs {
		w.credSum = make([]int32, outs)
	}
	// c[k*total+off[j]+l] is level l of issue j's share of the index of
	// what stands after a collapse (k = 0) and of what signatory k−1
	// keeps by breaking.
	c, off, sums := w.credC[:outs*total], w.credOff[:L], w.credSum[:outs]
	stride, o := 1, total
	for j := L - 1; j >= 0; j-- {
		o -= levels[j]
		off[j] = o
		sq := sqLv[j]
		for l := range levels[j] {
			locked := m.irr[j] >= 0 && l >= m.irr[j]
			after := sq
			if locked {
				after = l
			}
			c[o+l] = int32(after * stride)
			for si, i := range m.sig {
				vals := m.actors[i].values[j]
				kept := l
				if !locked && v[vals[l]] < v[vals[sq]] {
					kept = sq
				}
				c[(1+si)*total+o+l] = int32(kept * stride)
			}
		}
		stride *= levels[j]
	}
	pkg := w.lv2
	clear(pkg)
	last := L - 1
	nl := levels[last]
	for base := 0; base < size; base += nl {
		if base > 0 { // the next package of the issues before the last
			for j := last - 1; j >= 0; j-- {
				if pkg[j]++; pkg[j] < levels[j] {
					break
				}
				pkg[j] = 0
			}
		}
		for k := range outs {
			s := int32(0)
			for j := range last {
				s += c[k*total+off[j]+pkg[j]]
			}
			sums[k] = s
		}
		for l, x := range c[off[last] : off[last]+nl] {
			w.after[base+l] = sums[0] + x
		}
		for si := range ns {
			ck := c[(1+si)*total+off[last] : (1+si)*total+off[last]+nl]
			dst := w.cheat[si*size+base : si*size+base+nl]
			for l, x := range ck {
				dst[l] = sums[1+si] + x
			}
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
	n := len(m.actors)
	row := w.uAll[p*n : (p+1)*n]
	backed := w.cst.backed(row)
	after := int(w.after[p])
	for si, k := range m.sig {
		e := 0.0
		if backed {
			e = w.lever[k] * w.inv[k]
		}
		cheat := w.cheatU(si, k, p)
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

// cheatU returns signatory k's (the si-th's) utility of what it keeps by
// breaking package p.
func (w *Worker) cheatU(si, k, p int) float64 {
	m := w.m
	if m.pkgs != nil {
		return w.scale[k].U(m.cheatRaw[si*m.size+p])
	}
	return w.uAll[int(w.cheat[si*m.size+p])*len(m.actors)+k]
}
