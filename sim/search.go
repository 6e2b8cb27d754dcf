package sim

import (
	"math"
	"sort"
)

// The searches below pick one package from a set of candidates. u holds the
// candidates' normalised utilities, u[k*n+i] for candidate k and actor i.
// Each search's objective depends only on the utilities of a set of actors
// (tie), never decreases in them, and ties are broken by the larger sum of
// those actors' utilities, then by the lower candidate index, so the
// winner does not depend on the order candidates are visited in.
//
// The engine passes every package it keeps (candidate k is its package
// k: the space's, or a compact model's k-th; compact.go) and an order o,
// the packages by decreasing utility to one actor, so that a search can
// stop where that actor's utility falls below what it must have (at the
// end of that package's bucket: order); the tests pass no order (every
// candidate in index order, the exhaustive oracle) and check that both
// give the same answer. A search cannot be
// confined to a Pareto frontier: a package must also be credible (see
// credible), and the best credible package may be dominated by one that is
// not, or by the status quo, which is never a deal.
//
// No search returns the status-quo package (sq): a package that changes no
// issue is not an agreement. cred, when not nil, reports whether a
// candidate is credible: whether every signatory would keep it once signed.

// propose returns the candidate proposer prop offers: among the credible
// packages worth at least asp to it, the one worth most to the other
// signatories together (the sum of their utilities), so that it is most
// likely to be accepted. o, if not nil, lists candidates by decreasing
// utility to prop, or, when byObjective is set, by decreasing objective (the
// utility of the one other signatory): the search stops where the order
// shows no later candidate can win. It returns -1 if no candidate
// qualifies.
func propose(u []float64, n, count int, o *order, byObjective bool, prop int, asp float64, sig, tie []int, sq int, cred func(int) bool) int {
	best, bo, bs := -1, math.Inf(-1), math.Inf(-1)
	for i, lim := 0, count; i < lim; i++ {
		k := i
		if o != nil {
			k = int(o.pkgs[i])
		}
		row := u[k*n : (k+1)*n]
		if row[prop] < asp {
			if o != nil && !byObjective {
				lim = min(lim, o.stop(i))
			}
			continue
		}
		if k == sq {
			continue
		}
		x := 0.0
		for _, j := range sig {
			if j != prop {
				x += row[j]
			}
		}
		if best >= 0 && x < bo {
			if byObjective {
				lim = min(lim, o.stop(i))
			}
			continue
		}
		if cred != nil && !cred(k) {
			continue
		}
		better(u, n, tie, k, x, &best, &bo, &bs)
	}
	return best
}

// demand returns the candidate a striker k demands in an ultimatum, and
// the chance it believes the demand is taken. k does not know exactly what
// each other signatory j would take rather than refuse: it believes j's
// threshold lies between lo[j] and hi[j], uniformly, and j takes a demand
// worth at least its threshold. A demand worth x to k and taken with
// chance F (the product over the other signatories) is worth
//
//	F·x + (1 − F)·floor
//
// to k, floor being what it gets from striking: k demands the package that
// maximises the gain F·(x − floor) over striking at once (Fearon 1995: the
// risk–return trade-off of a demand made under private information). With
// lo = hi it demands the package best for it among those every other
// signatory takes. Only a credible package (cred) is worth demanding: one
// the others would break at once gains k nothing. o, if not nil, lists
// candidates by decreasing utility to k. It returns -1 when no package
// gains anything over striking.
func demand(u []float64, n, count int, o *order, k int, floor float64, sig []int, lo, hi []float64, tie []int, sq int, cred func(int) bool) (int, float64) {
	best, bo, bs, bf := -1, 0.0, math.Inf(-1), 0.0
	for i, lim := 0, count; i < lim; i++ {
		c := i
		if o != nil {
			c = int(o.pkgs[i])
		}
		row := u[c*n : (c+1)*n]
		x := row[k] - floor
		if x <= 0 || (best >= 0 && x < bo) {
			// F ≤ 1: a candidate whose whole gain is short of the best
			// cannot win, nor can any in a later bucket of the order.
			if o != nil {
				lim = min(lim, o.stop(i))
			}
			continue
		}
		if c == sq {
			continue
		}
		f := 1.0
		for _, j := range sig {
			if j != k {
				f *= takes(row[j], lo[j], hi[j])
			}
		}
		if g := f * x; g > 0 && (best < 0 || g >= bo) && (cred == nil || cred(c)) {
			prev := best
			better(u, n, tie, c, g, &best, &bo, &bs)
			if best != prev {
				bf = f
			}
		}
	}
	return best, bf
}

// takes is the chance a signatory whose threshold is uniform on [lo, hi]
// takes a demand worth x to it.
func takes(x, lo, hi float64) float64 {
	if hi <= lo {
		if x >= lo {
			return 1
		}
		return 0
	}
	return min(max((x-lo)/(hi-lo), 0), 1)
}

// rowSum returns the sum of the tie actors' utilities of candidate k: the
// tie-break of the searches, computed only when objectives tie.
func rowSum(u []float64, n int, tie []int, k int) float64 {
	s := 0.0
	for _, i := range tie {
		s += u[k*n+i]
	}
	return s
}

// better folds candidate k with objective o into the running best (best,
// bo, bs), breaking ties by the larger rowSum, then the lower index, so the
// result does not depend on the order candidates come in; bs is NaN until
// needed.
func better(u []float64, n int, tie []int, k int, o float64, best *int, bo, bs *float64) {
	if *best < 0 || o > *bo {
		*best, *bo, *bs = k, o, math.NaN()
		return
	}
	if o == *bo {
		if math.IsNaN(*bs) {
			*bs = rowSum(u, n, tie, *best)
		}
		if s := rowSum(u, n, tie, k); s > *bs || (s == *bs && k < *best) {
			*best, *bs = k, s
		}
	}
}

// stance is what the signatories face on a package, depending on whether
// the mediator backs it: a package worth at least back to the mediator is
// backed, and its leverage then lowers what refusing is worth to each
// signatory (noDealB, needB instead of noDeal, need). Without a mediator
// (med −1), or with no leverage, the backed vectors equal the others.
type stance struct {
	med             int
	back            float64
	noDeal, noDealB []float64
	need, needB     []float64 // nil: no demands
}

// backed reports whether the mediator backs the candidate with utilities row.
func (s *stance) backed(row []float64) bool { return s.med >= 0 && row[s.med] >= s.back }

// mediate returns the candidate a mediator med proposes: among the
// credible packages every signatory prefers to no agreement (the zone of
// possible agreement, each signatory's value of no agreement lowered by
// the mediator's leverage on the packages it backs) and that are worth at
// least floor to the mediator, the one maximising
//
//	(Π_j (u_j − d_j))^(1−β) · u_med^β
//
// the Nash product of the signatories' gains (Nash 1950) leaning toward the
// mediator's own utility as its bias β grows. When some of those packages
// give every signatory j at least what it asks (st.need, or st.needB on a
// backed package), the best of them wins; otherwise the best of the whole
// zone. It returns -1 when the zone is empty. With zone false it looks only
// for a package that meets every demand, and returns -1 if there is none:
// a package short of some demand is refused by every signatory the model
// plays, so only a trace or a seat needs it.
//
// The objective is computed without logarithms: raising it to the power
// 1/(1−β) keeps its order, so for β < 1 mediate maximises
// Π_j (u_j − d_j) · lean(k), where lean(k) = u_med^(β/(1−β)) for candidate k
// (see leanWeight); lean is nil for β = 0. For β = 1 (lean = nil and
// selfish set) it maximises u_med alone.
//
// When o is not nil it lists the candidates by decreasing utility to
// the lead signatory, and the search stops where that signatory no longer
// gains.
func mediate(u []float64, n, count int, o *order, lead, med int, lean func(int) float64, selfish bool, floor float64, sig, tie []int, st *stance, sq int, cred func(int) bool, zone bool) int {
	return mediateBounded(u, u, 0, n, count, o, lead, med, lean, selfish, floor, sig, tie, st, sq, cred, zone)
}

// mediateBounded is mediate for a mediator that chooses by utilities u
// that are not the ones o orders by: o lists the candidates by
// decreasing utility to the lead signatory in ub, and u's utility to it
// exceeds ub's by at most slack, so the search stops where ub's, plus
// slack, no longer gains. (A mediator that misperceives the signatories
// chooses by its beliefs, u; the order is by their true utilities, ub.)
func mediateBounded(u, ub []float64, slack float64, n, count int, o *order, lead, med int, lean func(int) float64, selfish bool, floor float64, sig, tie []int, st *stance, sq int, cred func(int) bool, zone bool) int {
	// Two searches in one pass: the best package of the zone, and the best
	// package that also meets every demand. Once a package meets every
	// demand, packages that do not can no longer win and are skipped.
	zBest, zo, zs := -1, math.Inf(-1), math.Inf(-1)
	nBest, no, ns := -1, math.Inf(-1), math.Inf(-1)
	leadZone := min(st.noDeal[lead], st.noDealB[lead])
	leadNeed := math.Inf(-1)
	if st.need != nil {
		leadNeed = min(st.need[lead], st.needB[lead])
	}
	lim := count
outer:
	for i := 0; i < lim; i++ {
		k := i
		if o != nil {
			k = int(o.pkgs[i])
		}
		row := u[k*n : (k+1)*n]
		if o != nil {
			// Candidates come by decreasing utility to the lead
			// signatory: once it no longer gains, none in a later
			// bucket does.
			x := ub[k*n+lead] + slack
			if x <= leadZone || ((nBest >= 0 || !zone) && x < leadNeed) {
				lim = min(lim, o.stop(i))
				continue
			}
		}
		if row[med] < floor || k == sq {
			continue
		}
		d, need := st.noDeal, st.need
		if st.backed(row) {
			d, need = st.noDealB, st.needB
		}
		meets := need != nil
		for _, j := range sig {
			x := row[j]
			if x <= d[j] {
				continue outer
			}
			if meets && x < need[j] {
				meets = false
			}
		}
		if !meets && (nBest >= 0 || !zone) {
			continue
		}
		var obj float64
		if selfish {
			obj = row[med]
		} else {
			obj = 1
			for _, j := range sig {
				obj *= row[j] - d[j]
			}
			if lean != nil {
				// lean(k) ≤ 1: a Nash product already short of the best
				// cannot win.
				if (meets && nBest >= 0 && obj < no) || (!meets && zBest >= 0 && obj < zo) {
					continue
				}
				obj *= lean(k)
			}
		}
		if meets {
			if nBest >= 0 && obj < no {
				continue
			}
		} else if zBest >= 0 && obj < zo {
			continue
		}
		if cred != nil && !cred(k) {
			continue
		}
		if meets {
			better(u, n, tie, k, obj, &nBest, &no, &ns)
		} else {
			better(u, n, tie, k, obj, &zBest, &zo, &zs)
		}
	}
	if nBest >= 0 {
		return nBest
	}
	return zBest
}

// reachable reports whether some credible candidate other than the status
// quo gives every signatory j at least st.need[j] (st.needB[j] on a package
// the mediator backs): a deal the signatories could still sign as things
// stand. o, if not nil, lists candidates by decreasing utility to
// the signatory lead.
func reachable(u []float64, n, count int, o *order, lead int, sig []int, st *stance, sq int, cred func(int) bool) bool {
	leadNeed := min(st.need[lead], st.needB[lead])
	lim := count
outer:
	for i := 0; i < lim; i++ {
		k := i
		if o != nil {
			k = int(o.pkgs[i])
		}
		row := u[k*n : (k+1)*n]
		if o != nil && row[lead] < leadNeed {
			lim = min(lim, o.stop(i))
			continue
		}
		if k == sq {
			continue
		}
		bar := st.need
		if st.backed(row) {
			bar = st.needB
		}
		for _, j := range sig {
			if row[j] < bar[j] {
				continue outer
			}
		}
		if cred == nil || cred(k) {
			return true
		}
	}
	return false
}

// narrowest returns the signatory with the fewest candidates worth more to
// it than bar[j] (or barB[j], whichever is lower): the one whose order lets
// a search stop soonest. orders[j] lists the candidates by decreasing
// utility to j. In a bucketed order the count is an estimate, which
// changes only how fast a search ends, not its answer.
func narrowest(u []float64, n int, orders []order, sig []int, bar, barB []float64) int {
	best, fewest := sig[0], math.MaxInt
	for _, j := range sig {
		x := min(bar[j], barB[j])
		o := orders[j].pkgs
		c := sort.Search(len(o), func(i int) bool { return u[int(o[i])*n+j] <= x })
		if c < fewest {
			best, fewest = j, c
		}
	}
	return best
}

// countAtLeast returns how many candidates are worth at least x to actor
// j, when o lists them by decreasing utility to j (an estimate when o is
// bucketed).
func countAtLeast(u []float64, n int, o *order, j int, x float64) int {
	return sort.Search(len(o.pkgs), func(i int) bool { return u[int(o.pkgs[i])*n+j] < x })
}

// leanWeight returns the weight mediate multiplies the Nash product by for
// a candidate worth uMed to a mediator with bias 0 < β < 1: uMed^(β/(1−β)).
func leanWeight(uMed, beta float64) float64 {
	return math.Pow(uMed, beta/(1-beta))
}
