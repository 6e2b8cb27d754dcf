package sim

import (
	"errors"
	"fmt"
	"slices"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// MethodAdditive: spaces too large to enumerate are analysed through the
// additive structure of the utilities (docs/analysis.md):
//
//   - Linkage terms are the only part of a utility that is not a sum over
//     issues. Each link holds on a box of packages (every listed issue at or
//     beyond its level), so the space splits into boxes on each of which
//     every link holds throughout or fails throughout (linkBoxes); within a
//     box every utility is additive.
//   - An actor's least and greatest utility, and its ideal, are then found
//     issue by issue in each box.
//   - The Pareto frontier of a box is built issue by issue: the frontier of
//     the packages of the first j issues, each extended by every level of
//     issue j+1, then pruned of dominated partial packages. A dominated
//     partial package stays dominated whatever the remaining issues add, so
//     the pruning loses nothing, but for rounding: adding the same terms to
//     two sums can shrink their difference by a few units in the last
//     place, so a partial package is pruned only when it is dominated by
//     twice the margin dominance counts (boxFrontier). The union of the
//     boxes' frontiers, pruned again with the exact utilities, is the
//     frontier of the space.
//   - The Nash, Kalai–Smorodinsky and utilitarian solutions lie on the
//     signatories' frontier and are exact.
//   - Only the size of the zone of possible agreement is estimated, from a
//     uniform sample of ZoneSamples packages; the writers give its 95%
//     interval. TestAdditiveMatchesEnumeration measures the error against
//     enumeration on spaces of about a million packages.

// ErrFrontierTooLarge is returned when a frontier built issue by issue
// grows beyond maxStagePoints packages.
var ErrFrontierTooLarge = errors.New("sim: the Pareto frontier is too large to build issue by issue")

// maxStagePoints bounds the partial frontiers of MethodAdditive.
const maxStagePoints = 1 << 21

// maxBoxes bounds the number of boxes linkage terms split a space into.
const maxBoxes = 1 << 14

// additive computes the raw space of prefs from the additive structure.
func (an *analyzer) additive(prefs []actors.Prefs, full bool) (*rawSpace, error) {
	sp, n := an.m.Space, an.n
	rs := &rawSpace{
		rawMin: make([]float64, n), rawMax: make([]float64, n), rawSQ: make([]float64, n),
		ideal: make([]int, n),
	}
	sq := make([]int, len(sp.Levels))
	sp.Decode(an.m.sq, sq)
	for i := range n {
		rs.rawSQ[i] = prefs[i].Raw(sq)
		var err error
		if rs.rawMin[i], rs.rawMax[i], rs.ideal[i], err = extremes(sp, &prefs[i]); err != nil {
			return nil, err
		}
	}
	var err error
	if rs.sigFront, rs.sigRaw, err = frontierAdditive(sp, prefs, an.sig, an.h); err != nil {
		return nil, err
	}
	if !full {
		return rs, nil
	}
	rs.setFront, rs.setRaw = rs.sigFront, rs.sigRaw
	if !slices.Equal(an.set, an.sig) {
		if rs.setFront, rs.setRaw, err = frontierAdditive(sp, prefs, an.set, an.h); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// box is a set of packages: issue j takes the levels lo[j] ≤ l < hi[j].
type box struct{ lo, hi []int }

func (b box) clone() box { return box{slices.Clone(b.lo), slices.Clone(b.hi)} }

func (b box) empty() bool {
	for j := range b.lo {
		if b.lo[j] >= b.hi[j] {
			return true
		}
	}
	return false
}

// linkBoxes splits the space into disjoint boxes on each of which every
// link holds for every package or for none. A set of conditions holds when
// each of them does; otherwise some condition is the first to fail. So a
// set of conditions splits a box into the box where they all hold and, for
// each condition k, the box where conditions 1..k−1 hold and condition k
// fails (split). A link holds where its When conditions all hold and its
// Unless conditions do not all hold, so the box where When holds is split
// again by Unless.
func linkBoxes(levels []int, links []actors.Link) ([]box, error) {
	boxes := []box{{lo: make([]int, len(levels)), hi: slices.Clone(levels)}}
	for _, l := range links {
		var next []box
		for _, b := range boxes {
			h, fails := split(b, l.When)
			next = append(next, fails...)
			if h.empty() {
				continue
			}
			if len(l.Unless) == 0 {
				next = append(next, h)
				continue
			}
			hu, holds := split(h, l.Unless)
			if !hu.empty() {
				next = append(next, hu)
			}
			next = append(next, holds...)
		}
		if len(next) > maxBoxes {
			return nil, fmt.Errorf("sim: the linkage terms split the package space into more than %d boxes", maxBoxes)
		}
		boxes = next
	}
	return boxes, nil
}

// split returns the part of box b where every condition holds, and the
// non-empty disjoint parts where condition k is the first to fail.
func split(b box, conds []scenarios.Condition) (box, []box) {
	h := b.clone()
	for _, c := range conds {
		h.lo[c.Issue] = max(h.lo[c.Issue], c.AtLeast)
	}
	var fails []box
	for k, c := range conds {
		f := b.clone()
		for _, d := range conds[:k] {
			f.lo[d.Issue] = max(f.lo[d.Issue], d.AtLeast)
		}
		f.hi[c.Issue] = min(f.hi[c.Issue], c.AtLeast)
		if !f.empty() {
			fails = append(fails, f)
		}
	}
	return h, fails
}

// extremes returns the least and greatest raw utility of prefs over the
// space and the package of the greatest: in each box of its links, the best
// (worst) level of each issue, the lowest among equals. Rounding is
// monotone, so the per-issue choices give the greatest (least) sum as
// Prefs.Raw computes it.
func extremes(sp actors.Space, prefs *actors.Prefs) (lo, hi float64, ideal int, err error) {
	boxes, err := linkBoxes(sp.Levels, prefs.Links)
	if err != nil {
		return 0, 0, 0, err
	}
	pkg := make([]int, len(sp.Levels))
	first := true
	for _, b := range boxes {
		for _, best := range []bool{true, false} {
			for j := range pkg {
				pkg[j] = b.lo[j]
				for l := b.lo[j] + 1; l < b.hi[j]; l++ {
					x, y := prefs.Weights[j]*prefs.Values[j][l], prefs.Weights[j]*prefs.Values[j][pkg[j]]
					if (best && x > y) || (!best && x < y) {
						pkg[j] = l
					}
				}
			}
			r := prefs.Raw(pkg)
			if best {
				p := sp.Encode(pkg)
				if first || r > hi || (r == hi && p < ideal) {
					hi, ideal = r, p
				}
			} else if first || r < lo {
				lo = r
			}
		}
		first = false
	}
	return lo, hi, ideal, nil
}

// frontierAdditive returns the Pareto frontier over the actors in set, in
// ascending package order, with every actor's raw utility of each package
// (rows of len(prefs)). When h stops it, what it returns must not be used.
func frontierAdditive(sp actors.Space, prefs []actors.Prefs, set []int, h halt) ([]int, []float64, error) {
	var links []actors.Link
	for _, i := range set {
		links = append(links, prefs[i].Links...)
	}
	boxes, err := linkBoxes(sp.Levels, links)
	if err != nil {
		return nil, nil, err
	}
	var cands []int
	for _, b := range boxes {
		if h.now() {
			return nil, nil, nil
		}
		pkgs, err := boxFrontier(sp, prefs, set, b, h)
		if err != nil {
			return nil, nil, err
		}
		cands = append(cands, pkgs...)
	}
	slices.Sort(cands)
	n := len(prefs)
	raw := make([]float64, len(cands)*n)
	pkg := make([]int, len(sp.Levels))
	for k, p := range cands {
		sp.Decode(p, pkg)
		for i := range prefs {
			raw[k*n+i] = prefs[i].Raw(pkg)
		}
	}
	keep := frontier(raw, n, len(cands), set, h)
	pkgs := make([]int, len(keep))
	out := make([]float64, len(keep)*n)
	for k, c := range keep {
		pkgs[k] = cands[c]
		copy(out[k*n:(k+1)*n], raw[int(c)*n:(int(c)+1)*n])
	}
	return pkgs, out, nil
}

// boxFrontier returns the packages of box b on the box's Pareto frontier
// over the actors in set, ignoring the links (constant on the box), built
// issue by issue. When h stops it, what it returns must not be used.
func boxFrontier(sp actors.Space, prefs []actors.Prefs, set []int, b box, h halt) ([]int, error) {
	k := len(set)
	cols := make([]int, k)
	for c := range cols {
		cols[c] = c
	}
	// Partial packages: sums (rows of k) and, per stage, each point's
	// parent in the previous stage and its level. The sums are halved
	// (exactly: a power of two), so that frontier, which counts a
	// difference of more than dominanceMargin, prunes only partial
	// packages dominated by more than twice it: a package whose sums
	// exceed another's by just over the margin may, once the remaining
	// issues are added, exceed it by no more than the margin, rounding
	// having taken a few units in the last place, and then both are on
	// the frontier (TestFrontierAdditiveAtTheMargin).
	sums := make([]float64, k)
	var parents, levels [][]int32
	for j := range sp.Levels {
		count := len(sums) / k
		width := b.hi[j] - b.lo[j]
		if count*width > maxStagePoints {
			return nil, fmt.Errorf("%w (more than %d partial packages at issue %d)", ErrFrontierTooLarge, maxStagePoints, j+1)
		}
		next := make([]float64, 0, count*width*k)
		for p := range count {
			for l := b.lo[j]; l < b.hi[j]; l++ {
				for c, i := range set {
					next = append(next, sums[p*k+c]+prefs[i].Weights[j]*prefs[i].Values[j][l]/2)
				}
			}
		}
		keep := frontier(next, k, count*width, cols, h)
		if h.now() {
			return nil, nil
		}
		sums = sums[:0]
		par, lev := make([]int32, len(keep)), make([]int32, len(keep))
		for q, x := range keep {
			sums = append(sums, next[int(x)*k:(int(x)+1)*k]...)
			par[q] = x / int32(width)
			lev[q] = int32(b.lo[j]) + x%int32(width)
		}
		parents, levels = append(parents, par), append(levels, lev)
	}
	out := make([]int, len(sums)/k)
	pkg := make([]int, len(sp.Levels))
	for q := range out {
		x := int32(q)
		for j := len(sp.Levels) - 1; j >= 0; j-- {
			pkg[j] = int(levels[j][x])
			x = parents[j][x]
		}
		out[q] = sp.Encode(pkg)
	}
	return out, nil
}
