package sim

// Step-by-step deals (docs/model.md §20): with protocol.partial_deals, a
// round that signs nothing ends with the broker (the mediator, or without
// one the proposer in turn) offering a step, a deal that settles some
// issues and leaves the rest open. The talks go on over the open issues
// while the step is in force; keeping it builds trust, and a later deal
// extends it (Kissinger's step-by-step diplomacy of 1973–75; China's 2017
// "dual suspension"; Watson 1999 on starting small).

import (
	"cmp"
	"slices"
)

// stepCand is a candidate step and its objective for the broker.
type stepCand struct {
	k      int
	o, sum float64
}

// settles reports whether package q keeps every issue package k settled:
// the issues where k differs from the status quo. A deal in force settles
// its issues; a later deal must keep them.
func (w *Worker) settles(k, q int) bool {
	L := len(w.m.Space.Levels)
	lv := w.m.lvl
	pk, sq, pq := lv[k*L:(k+1)*L], lv[w.sq*L:(w.sq+1)*L], lv[q*L:(q+1)*L]
	for i, l := range pk {
		if l != sq[i] && pq[i] != l {
			return false
		}
	}
	return true
}

// isStep reports whether package k is a step from base (the status quo,
// or the partial deal in force): it keeps what base settled, settles more,
// and leaves at least one issue open (at its status-quo level).
func (w *Worker) isStep(k, base int) bool {
	if k == base || k == w.sq || (base != w.sq && !w.settles(base, k)) {
		return false
	}
	L := len(w.m.Space.Levels)
	lv := w.m.lvl
	pk, sq := lv[k*L:(k+1)*L], lv[w.sq*L:(w.sq+1)*L]
	for i, l := range pk {
		if l == sq[i] {
			return true
		}
	}
	return false
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

// extendsDeal is the credibility test of the searches while a partial deal
// is in force: a package must keep what the deal settled, be another
// package, and be credible.
func (w *Worker) extendsDeal(k int) bool {
	return k != w.base && w.settles(w.base, k) && w.credible(k)
}

// leavesOpen reports whether, by utilities u, step k leaves signatory j
// the hope of what it asks for now: some package that keeps what k settles
// is worth w.need[j] to j. Packages are visited by j's true utility, which
// u's exceeds by at most slack.
func (w *Worker) leavesOpen(u []float64, slack float64, j, k int) bool {
	n, need := len(w.m.actors), w.need[j]
	for _, q := range w.tab.byU[j] {
		q := int(q)
		if w.uAll[q*n+j]+slack < need {
			return false
		}
		if u[q*n+j] >= need && w.settles(k, q) {
			return true
		}
	}
	return false
}

// acceptsStep is signatory j's rule for a step k, by utilities u (its own
// are true): it takes a step worth more to it than what stands now (the
// status quo, or the step in force) that still leaves open what it asks
// for. The talks, the pressure on it and the risk of war go on after a
// step as before it, so a step must improve on what stands, not on the
// value of no agreement; and a step is not a settlement, so j does not ask
// the step itself to meet its aspiration, only that it cost it no hope of
// it (docs/model.md §20).
func (w *Worker) acceptsStep(u []float64, slack float64, j, k int) bool {
	return u[k*len(w.m.actors)+j] > w.hold[j] && w.leavesOpen(u, slack, j, k)
}

// stepOffer returns the step broker b offers, or -1 when it sees none
// that every signatory would take (acceptsStep, by what b believes they
// value) and that is credible (as credible judges it: with the mediator's
// backing where its rule would back the step). The mediator chooses as it chooses its
// compromise, from what stands rather than from no agreement: the Nash
// product of the signatories' gains over what stands, leaning to its own
// utility with its bias, among steps that cost it nothing; a proposer
// chooses the step worth most to itself.
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
	// Visit packages by the narrowest signatory's true utility: once that
	// (plus what b's beliefs may add) no longer beats what stands, no
	// later package is a step it takes.
	lead := narrowest(w.uAll, n, w.tab.byU, m.sig, w.hold, w.hold)
	slackOf := func(j int) float64 {
		if !believes || j == b {
			return 0
		}
		return w.bel.slack[b*len(m.sig)+slices.Index(m.sig, j)]
	}
	leadSlack := slackOf(lead)
	cands := w.steps[:0]
	for _, k := range w.tab.byU[lead] {
		k := int(k)
		if w.uAll[k*n+lead]+leadSlack <= w.hold[lead] {
			break
		}
		row := u[k*n : (k+1)*n]
		if row[b] < w.hold[b] || !w.isStep(k, base) {
			continue
		}
		o, sum, ok := 1.0, 0.0, true
		for _, j := range m.sig {
			g := row[j] - w.hold[j]
			if g <= 0 {
				ok = false
				break
			}
			o *= g
			sum += row[j]
		}
		if !ok {
			continue
		}
		switch {
		case !med || beta >= 1:
			o = row[b]
		case beta > 0:
			o *= leanWeight(row[b], beta)
		}
		cands = append(cands, stepCand{k: k, o: o, sum: sum})
	}
	w.steps = cands
	slices.SortFunc(cands, func(a, c stepCand) int {
		if r := cmp.Compare(c.o, a.o); r != 0 {
			return r
		}
		if r := cmp.Compare(c.sum, a.sum); r != 0 {
			return r
		}
		return cmp.Compare(a.k, c.k)
	})
	w.prepareCred()
	for _, c := range cands {
		if !w.credible(c.k) {
			continue
		}
		all := true
		for _, j := range m.sig {
			if !w.leavesOpen(u, slackOf(j), j, c.k) {
				all = false
				break
			}
		}
		if all {
			return c.k
		}
	}
	return -1
}

// stepRound has the broker offer a step after a round that signed
// nothing, and the signatories answer; it reports whether the step was
// signed. The mediator backs a step as it backs any package (one worth its
// aspiration to it), and then enforces it with its leverage; the backing
// does not change what a step must give each signatory, which is more than
// what stands (acceptsStep).
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
		p = w.decide(st, tr, Decision{Kind: dk, Actor: b, Event: -1, Target: -1, From: -1, Package: p, Partial: true}).Package
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
		ok := w.acceptsStep(w.uAll, 0, j, p) && doubt < 0
		if w.seats[j] != nil {
			ok = w.decide(st, tr, Decision{Kind: DecideRespond, Actor: j, Event: -1, Target: -1, From: b, Package: p,
				ModelYes: ok, Aspiration: w.need[j], Partial: true}).Yes
		}
		if tr != nil {
			w.step(tr, st, Step{Turn: st.turn, Kind: StepResponse, Actor: j, Package: p, Accepted: ok, Partial: true,
				Value: w.u(j, p), Aspiration: w.need[j], NoDeal: w.hold[j], Target: doubt, Event: -1})
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
