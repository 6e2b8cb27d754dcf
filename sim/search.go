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
		s := 0.0
		for _, x := range row {
			s += x
		}
		if best < 0 || o > bo || (o == bo && s > bs) {
			best, bo, bs = k, o, s
		}
	}
	return best
}

// mediate returns the candidate a mediator med with bias beta proposes:
// among the packages every signatory prefers to no agreement (the zone of
// possible agreement), that give each signatory j at least need[j], and that
// are worth at least floor to the mediator, the one maximising
//
//	(Π_j (u_j − d_j))^(1−β) · u_med^β
//
// the Nash product of the signatories' gains (Nash 1950) leaning toward the
// mediator's own utility as β grows. It returns -1 when the zone is empty.
func mediate(u []float64, n int, pkgs []int32, med int, beta, floor float64, sig []int, noDeal, need []float64) int {
	best, bo, bs := -1, math.Inf(-1), math.Inf(-1)
outer:
	for k := range pkgs {
		row := u[k*n : (k+1)*n]
		if row[med] < floor {
			continue
		}
		for _, j := range sig {
			if row[j] <= noDeal[j] || row[j] < need[j] {
				continue outer
			}
		}
		o := 0.0
		for _, j := range sig {
			o += math.Log(row[j] - noDeal[j])
		}
		if beta > 0 {
			o = (1-beta)*o + beta*math.Log(row[med])
		}
		s := 0.0
		for _, x := range row {
			s += x
		}
		if best < 0 || o > bo || (o == bo && s > bs) {
			best, bo, bs = k, o, s
		}
	}
	return best
}
