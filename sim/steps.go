package sim

// Step-by-step deals (docs/model.md §20): with protocol.partial_deals, a
// round that signs nothing ends with the broker (the mediator, or without
// one the proposer in turn) offering a step, a deal that settles some
// issues, leaves the rest open and gives nothing that cannot be taken
// back. The talks go on while the step is in force; keeping it builds
// trust, and a later deal extends or replaces it (Kissinger's
// step-by-step diplomacy of 1973–75; Osgood 1962 on graduated, reversible
// steps; China's 2017 "dual suspension"; Watson 1999 on starting small).

import (
	"math"
	"slices"
)

// stepCand is a candidate step and its objective for the broker.
type stepCand struct {
	k      int
	o, sum float64
}

// isStep reports whether package k is a step from base (the status quo,
// or the step in force): another package, that leaves at least one issue
// open (at its status-quo level) and moves no issue to a level that cannot
// be undone (issues.<id>.irreversible_from). A step is an interim
// arrangement taken while the rest is talked over, so each side gives in
// it only what it can take back if the talks on the rest fail (Osgood
// 1962: graduated, reciprocated initiatives that do not impair one's
// security); what cannot be undone is kept for a settlement.
func (w *Worker) isStep(k, base int) bool {
	if k == base || k == w.sq {
		return false
	}
	L := len(w.m.Space.Levels)
	lv, irr := w.m.lvl, w.m.irr
	pk, pb, sq := lv[k*L:(k+1)*L], lv[base*L:(base+1)*L], lv[w.sq*L:(w.sq+1)*L]
	open := false
	for i, l := range pk {
		if l != pb[i] && irr[i] >= 0 && int(l) >= irr[i] {
			return false
		}
		open = open || l == sq[i]
	}
	return open
}

// openIssues returns the issues package k leaves at their status-quo
// levels.
func (w *Worker) openIssues(k int) []int {
	L := len(w.m.Space.Levels)
	lv := w.m.lvl
	var open []int
	for i := range L {
		if lv[k*L+i] == lv[w.sq*L+i] {
			open = append(open, i)
		}
	}
	return open
}

// beyondStep is the credibility test of the searches while a step is in
// force: a package must be another package than the step, and credible.
// A later deal may keep what the step settled (extend it) or change it
// (replace it); either way it must be worth more than the step to every
// signatory, since the step is what stands if the talks give nothing more.
func (w *Worker) beyondStep(k int) bool {
	return k != w.base && w.credible(k)
}

// standing returns what stands for signatory j, the utility a step must
// beat: the status quo, or the step in force, less the mediator's leverage
// over j when the mediator backs the step (refusing what it backs costs j
// that leverage, as for any package it backs).
func (w *Worker) standing(j int, backed bool) float64 {
	if backed {
		return clamp01(w.hold[j] - w.lever[j]*w.inv[j])
	}
	return w.hold[j]
}

// acceptsStep is signatory j's rule for a step k, by its true utility: it
// takes a step worth more to it than what stands now (standing). The
// talks, the pressure on it and the risk of war go on after a step as
// before it, so a step must improve on what stands, not on the value of no
// agreement; and since a step gives nothing that cannot be taken back and
// a later deal may replace it, j does not ask the step to meet its
// aspiration (docs/model.md §20).
func (w *Worker) acceptsStep(j, k int, backed bool) bool {
	return w.uAll[k*len(w.m.actors)+j] > w.standing(j, backed)
}

// stepOffer returns the step broker b offers, or -1 when it sees none
// that every signatory would take (acceptsStep, by what b believes they
// value) and that is credible (as credible judges it: with the mediator's
// backing where its rule would back the step). The mediator chooses as it
// chooses its compromise, from what stands rather than from no agreement:
// the Nash product of the signatories' gains over what stands (less its
// leverage on a step it backs), leaning to its own utility with its bias,
// among steps that cost it nothing; a proposer chooses the step worth
// most to itself.
func (w *Worker) stepOffer(st *state, b int) int {
	m := w.m
	n := len(m.actors)
	base := w.sq
	if st.partial {
		base = st.deal
	}
	u := w.uAll
	believes := w.bel.on && w.bel.believer[b]
	if believes {
		u = w.believedMatrix(b)
	}
	med := b == m.mediator
	beta := 0.0
	if med {
		beta, _ = w.mediatorStance(st)
	}
	hold, holdB := w.stepHold, w.stepHoldB
	for _, j := range m.sig {
		hold[j], holdB[j] = w.standing(j, false), w.standing(j, med)
	}
	// Visit packages by the narrowest signatory's true utility: once that
	// (plus what b's beliefs may add) no longer beats what stands, less
	// the leverage on a step the mediator backs, no later package is a
	// step it takes.
	lead := narrowest(w.uAll, n, w.tab.byU, m.sig, hold, holdB)
	leadSlack := 0.0
	if believes && lead != b {
		leadSlack = w.bel.slack[b*len(m.sig)+slices.Index(m.sig, lead)]
	}
	if med && beta > 0 && beta < 1 && beta != w.leanBeta {
		for k := range w.leanAll {
			w.leanAll[k] = math.NaN()
		}
		w.leanBeta = beta
	}
	cands := w.steps[:0]
	o := &w.tab.byU[lead]
	for i, lim := 0, len(o.pkgs); i < lim; i++ {
		k := int(o.pkgs[i])
		if w.uAll[k*n+lead]+leadSlack <= min(hold[lead], holdB[lead]) {
			lim = min(lim, o.stop(i)) // no package of a later bucket is a step
			continue
		}
		row := u[k*n : (k+1)*n]
		if row[b] < w.hold[b] {
			continue
		}
		d := hold
		if med && row[b] >= st.medAsp {
			d = holdB // the mediator backs it: it is worth its aspiration to it
		}
		o, sum, ok := 1.0, 0.0, true
		for _, j := range m.sig {
			g := row[j] - d[j]
			if g <= 0 {
				ok = false
				break
			}
			o *= g
			sum += row[j]
		}
		if !ok || !w.isStep(k, base) {
			continue
		}
		switch {
		case !med || beta >= 1:
			o = row[b]
		case beta > 0:
			o *= w.leanAt(k) // row[b] is b's true utility: its own column
		}
		cands = append(cands, stepCand{k: k, o: o, sum: sum})
	}
	w.steps = cands
	// The best candidate by objective, then sum, then the lower index,
	// that is credible: picked one at a time, since the best usually is.
	w.prepareCred()
	for len(cands) > 0 {
		bi := 0
		for i := 1; i < len(cands); i++ {
			if stepBefore(cands[i], cands[bi]) {
				bi = i
			}
		}
		if k := cands[bi].k; w.credible(k) {
			return k
		}
		cands[bi] = cands[len(cands)-1]
		cands = cands[:len(cands)-1]
	}
	return -1
}

// stepBefore reports whether candidate a precedes c: a larger objective,
// then a larger sum of the signatories' utilities, then a lower index.
func stepBefore(a, c stepCand) bool {
	if a.o != c.o {
		return a.o > c.o
	}
	if a.sum != c.sum {
		return a.sum > c.sum
	}
	return a.k < c.k
}

// stepRound has the broker offer a step after a round that signed
// nothing, and the signatories answer; it reports whether the step was
// signed. The mediator backs a step as it backs any package (one worth its
// aspiration to it: backing is the mediator's own concession, and it
// backs no less for a step than for a settlement), and then enforces it
// with its leverage; a signatory refusing a backed step faces what stands
// less that leverage (standing).
func (w *Worker) stepRound(st *state, prop int, tr *Trace) bool {
	m := w.m
	b, kind, dk := m.mediator, StepMediation, DecideMediate
	if b < 0 {
		b, kind, dk = prop, StepProposal, DecidePropose
	}
	base := w.sq
	if st.partial {
		base = st.deal
	}
	p := w.stepOffer(st, b)
	if w.seats[b] != nil {
		p = w.decide(st, tr, Decision{Kind: dk, Actor: b, Event: -1, Target: -1, From: -1, Package: p, Partial: true, NoDeal: w.hold[b]}).Package
		if p >= 0 && !w.isStep(p, base) {
			p = -1 // not a step: the seat passed on offering one
		}
	}
	if p < 0 {
		return false
	}
	backed := w.backs(st, p, tr)
	if tr != nil {
		w.step(tr, st, Step{Turn: st.turn, Kind: kind, Actor: b, Package: p, Partial: true, Open: w.openIssues(p), Backed: backed,
			Value: w.u(b, p), Aspiration: w.hold[b], NoDeal: w.noDeal[b], Target: -1, Event: -1})
		w.recordBeliefs(tr, b)
	}
	doubt := w.doubterBacked(p, backed)
	all := true
	for _, j := range m.sig {
		if j == b {
			continue
		}
		ok := w.acceptsStep(j, p, backed) && doubt < 0
		if w.seats[j] != nil {
			ok = w.decide(st, tr, Decision{Kind: DecideRespond, Actor: j, Event: -1, Target: -1, From: b, Package: p,
				ModelYes: ok, Aspiration: w.need[j], NoDeal: w.standing(j, backed), Partial: true}).Yes
		}
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepResponse, Actor: j, Package: p, Accepted: ok, Partial: true,
				Value: w.u(j, p), Aspiration: w.need[j], NoDeal: w.standing(j, backed), Target: doubt, Event: -1})
		}
		all = all && ok
	}
	if all {
		w.sign(st, p, backed, true, tr)
	}
	return all
}

// talksOpen reports whether the talks have something left to settle: no
// deal is in force, or only a partial one.
func (st *state) talksOpen() bool { return st.deal < 0 || st.partial }
