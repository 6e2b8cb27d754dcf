package sim

import "math"

// The searches below pick one package from a set of candidates. u holds the
// candidates' normalised utilities, u[k*n+i] for candidate k and actor i,
// and pkgs their package indices in ascending order. The engine passes the
// run's Pareto frontier; the tests pass every package (the exhaustive
// oracle) and check both give the same answer. Ties are broken by the
// larger sum of every actor's utility, then by the lower package index, so
// the winner is never a dominated package and the two searches agree.

// propose returns the candidate proposer prop offers: among the packages
// worth at least asp to it, the one worth most to the other signatories
// together (the sum of their utilities), so that it is most likely to be
// accepted. It returns -1 if no candidate meets asp.
func propose(u []float64, n int, pkgs []int32, prop int, asp float64, sig []int) int {
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
		better(u, n, k, o, &best, &bo, &bs)
	}
	return best
}

// rowSum returns the sum of every actor's utility of candidate k: the
// tie-break of the searches, computed only when objectives tie.
func rowSum(u []float64, n, k int) float64 {
	s := 0.0
	for _, x := range u[k*n : (k+1)*n] {
		s += x
	}
	return s
}

// better folds candidate k with objective o into the running best (best,
// bo, bs), breaking ties by the larger rowSum; bs is NaN until needed.
func better(u []float64, n, k int, o float64, best *int, bo, bs *float64) {
	if *best < 0 || o > *bo {
		*best, *bo, *bs = k, o, math.NaN()
		return
	}
	if o == *bo {
		if math.IsNaN(*bs) {
			*bs = rowSum(u, n, *best)
		}
		if s := rowSum(u, n, k); s > *bs {
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
func mediate(u []float64, n int, pkgs []int32, med int, lean []float64, selfish bool, floor float64, sig []int, noDeal, need []float64) int {
	// Two searches in one pass: the best package of the zone, and the best
	// package that also meets every demand.
	zBest, zo, zs := -1, math.Inf(-1), math.Inf(-1)
	nBest, no, ns := -1, math.Inf(-1), math.Inf(-1)
outer:
	for k := range pkgs {
		row := u[k*n : (k+1)*n]
		if row[med] < floor {
			continue
		}
		meets := need != nil
		for _, j := range sig {
			if row[j] <= noDeal[j] {
				continue outer
			}
			if meets && row[j] < need[j] {
				meets = false
			}
		}
		var o float64
		switch {
		case selfish:
			o = row[med]
		default:
			o = 1
			for _, j := range sig {
				o *= row[j] - noDeal[j]
			}
			if lean != nil {
				o *= lean[k]
			}
		}
		better(u, n, k, o, &zBest, &zo, &zs)
		if meets {
			better(u, n, k, o, &nBest, &no, &ns)
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
