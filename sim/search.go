package sim

import "math"

// The searches below pick one package from a set of candidates. u holds the
// candidates' normalised utilities, u[k*n+i] for candidate k and actor i,
// and pkgs their package indices in ascending order. Each search's
// objective depends only on the utilities of a set of actors (tie: the
// signatories and the proposer or mediator), never decreases in them, and
// ties are broken by the larger sum of those actors' utilities, then by the
// lower package index. The winner is therefore never dominated for those
// actors, so the engine passes only the Pareto frontier over that set; the
// tests pass every package (the exhaustive oracle) and check that both give
// the same answer.

// propose returns the candidate proposer prop offers: among the packages
// worth at least asp to it, the one worth most to the other signatories
// together (the sum of their utilities), so that it is most likely to be
// accepted. It returns -1 if no candidate meets asp.
func propose(u []float64, n int, pkgs []int32, prop int, asp float64, sig, tie []int) int {
	best, bo, bs := -1, math.Inf(-1), math.Inf(-1)
	for k := range pkgs {
		row := u[k*n : (k+1)*n]
		if row[prop] < asp {
			continue
		}
		o := 0.0
		for _, j := range sig {
			if j != prop {
				o += row[j]
			}
		}
		better(u, n, tie, k, o, &best, &bo, &bs)
	}
	return best
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

// mediate returns the candidate a mediator med proposes: among the
// packages every signatory prefers to no agreement (the zone of possible
// agreement) and that are worth at least floor to the mediator, the one
// maximising
//
//	(Π_j (u_j − d_j))^(1−β) · u_med^β
//
// the Nash product of the signatories' gains (Nash 1950) leaning toward the
// mediator's own utility as its bias β grows. When some of those packages
// give every signatory j at least need[j] (pass need = nil for none), the
// best of them wins; otherwise the best of the whole zone. It returns -1
// when the zone is empty.
//
// The objective is computed without logarithms: raising it to the power
// 1/(1−β) keeps its order, so for β < 1 mediate maximises
// Π_j (u_j − d_j) · lean[k], where lean[k] = u_med^(β/(1−β)) for candidate k
// (see leanWeights); lean is nil for β = 0. For β = 1 (lean = nil and
// selfish set) it maximises u_med alone.
func mediate(u []float64, n int, pkgs []int32, order []int32, med int, lean []float64, selfish bool, floor float64, sig, tie []int, noDeal, need []float64) int {
	if len(sig) == 2 && !selfish {
		return mediate2(u, n, pkgs, order, med, lean, floor, sig, tie, noDeal, need)
	}
	// Two searches in one pass: the best package of the zone, and the best
	// package that also meets every demand. Once a package meets every
	// demand, packages that do not can no longer win and are skipped.
	zBest, zo, zs := -1, math.Inf(-1), math.Inf(-1)
	nBest, no, ns := -1, math.Inf(-1), math.Inf(-1)
	lead := sig[0]
	count := len(pkgs)
	if order != nil {
		count = len(order)
	}
outer:
	for i := range count {
		k := i
		if order != nil {
			k = int(order[i])
		}
		base := k * n
		if order != nil {
			// Candidates come by decreasing utility to the lead
			// signatory: once it no longer gains, no later one does.
			x := u[base+lead]
			if x <= noDeal[lead] || (nBest >= 0 && x < need[lead]) {
				break
			}
		}
		if u[base+med] < floor {
			continue
		}
		meets := need != nil
		for _, j := range sig {
			x := u[base+j]
			if x <= noDeal[j] {
				continue outer
			}
			if meets && x < need[j] {
				meets = false
			}
		}
		if !meets && nBest >= 0 {
			continue
		}
		var o float64
		if selfish {
			o = u[base+med]
		} else {
			o = 1
			for _, j := range sig {
				o *= u[base+j] - noDeal[j]
			}
			if lean != nil {
				o *= lean[k]
			}
		}
		if meets {
			better(u, n, tie, k, o, &nBest, &no, &ns)
		} else {
			better(u, n, tie, k, o, &zBest, &zo, &zs)
		}
	}
	if nBest >= 0 {
		return nBest
	}
	return zBest
}

// mediate2 is mediate for two signatories and a bias below 1, the common
// case, with the loops over signatories unrolled; it returns what mediate
// would (TestFrontierSearchesMatchExhaustive checks both against the
// exhaustive search).
func mediate2(u []float64, n int, pkgs []int32, order []int32, med int, lean []float64, floor float64, sig, tie []int, noDeal, need []float64) int {
	zBest, zo, zs := -1, math.Inf(-1), math.Inf(-1)
	nBest, no, ns := -1, math.Inf(-1), math.Inf(-1)
	a, b := sig[0], sig[1]
	da, db := noDeal[a], noDeal[b]
	na, nb := math.Inf(1), math.Inf(1)
	if need != nil {
		na, nb = need[a], need[b]
	}
	count := len(pkgs)
	if order != nil {
		count = len(order)
	}
	for i := range count {
		k := i
		if order != nil {
			k = int(order[i])
		}
		base := k * n
		ua, ub := u[base+a], u[base+b]
		if ua <= da {
			if order != nil {
				break // candidates come by decreasing utility to sig[0]
			}
			continue
		}
		meets := ua >= na && ub >= nb
		if nBest >= 0 && !meets {
			if order != nil && ua < na {
				break
			}
			continue
		}
		if ub <= db || u[base+med] < floor {
			continue
		}
		o := (ua - da) * (ub - db)
		if lean != nil {
			o *= lean[k]
		}
		if meets {
			better(u, n, tie, k, o, &nBest, &no, &ns)
		} else {
			better(u, n, tie, k, o, &zBest, &zo, &zs)
		}
	}
	if nBest >= 0 {
		return nBest
	}
	return zBest
}

// leanWeights returns, for a mediator with bias beta, the weights mediate
// multiplies the Nash product by (u_med^(β/(1−β)) per candidate), reusing
// out; nil when β = 0. selfish reports β = 1, when only u_med counts.
func leanWeights(u []float64, n, med int, beta float64, out []float64) (lean []float64, selfish bool) {
	if beta <= 0 {
		return nil, false
	}
	if beta >= 1 {
		return nil, true
	}
	g := beta / (1 - beta)
	out = resize(out, len(u)/n)
	for k := range out {
		out[k] = math.Pow(u[k*n+med], g)
	}
	return out, false
}
