// Package actors holds what an actor brings to the table: its preferences
// over packages (additive utilities with linkage terms, normalised to one
// [0,1] scale that also places the value of conflict) and its concession
// strategy (time-dependent aspiration, tit-for-tat, hardliner, staller).
//
// Everything here is pure computation on numbers a run has already drawn;
// the turn engine in package sim decides when to call it.
package actors

import (
	"math"
	"slices"

	"github.com/parley-sim/parley/scenarios"
)

// Space is the set of packages: one level per issue, indexed in mixed radix
// with the first issue varying slowest.
type Space struct {
	// Levels holds the number of levels of each issue.
	Levels []int
	// Size is the number of packages.
	Size int
}

// NewSpace returns the package space of issues with the given level counts.
func NewSpace(levels []int) Space {
	size := 1
	for _, n := range levels {
		size *= n
	}
	return Space{Levels: append([]int(nil), levels...), Size: size}
}

// Decode writes the levels of package idx into out (len(out) == len(Levels)).
func (s Space) Decode(idx int, out []int) {
	for j := len(s.Levels) - 1; j >= 0; j-- {
		out[j] = idx % s.Levels[j]
		idx /= s.Levels[j]
	}
}

// Encode returns the index of the package with the given levels.
func (s Space) Encode(pkg []int) int {
	idx := 0
	for j, l := range pkg {
		idx = idx*s.Levels[j] + l
	}
	return idx
}

// Prefs are one actor's drawn preferences: raw utility of a package p is
//
//	r(p) = Σ_j Weights[j]·Values[j][p_j] + Σ_links Value·[every condition holds]
//
// with weights normalised to sum to 1.
type Prefs struct {
	Weights []float64
	Values  [][]float64
	Links   []Link
}

// Link is a drawn linkage term.
type Link struct {
	When   []scenarios.Condition
	Unless []scenarios.Condition
	Value  float64
}

// Holds reports whether the link pays for pkg: every condition of When
// holds, and not every condition of Unless does (an empty Unless never
// blocks). A condition holds at or beyond its level.
func (l Link) Holds(pkg []int) bool {
	return all(l.When, pkg) && (len(l.Unless) == 0 || !all(l.Unless, pkg))
}

// all reports whether every condition holds for pkg.
func all(cs []scenarios.Condition, pkg []int) bool {
	for _, c := range cs {
		if pkg[c.Issue] < c.AtLeast {
			return false
		}
	}
	return true
}

// Raw returns the actor's raw utility of pkg.
func (p *Prefs) Raw(pkg []int) float64 {
	r := 0.0
	for j, l := range pkg {
		r += p.Weights[j] * p.Values[j][l]
	}
	for _, k := range p.Links {
		if k.Holds(pkg) {
			r += k.Value
		}
	}
	return r
}

// NormaliseWeights scales w in place to sum to 1; all-zero weights are left
// as they are.
func NormaliseWeights(w []float64) {
	s := 0.0
	for _, x := range w {
		s += x
	}
	if s <= 0 {
		return
	}
	if math.IsInf(s, 1) {
		// Weights near the largest float (1e308 twice) overflow their
		// sum: scale them by the largest first. Only then, so that
		// ordinary weights keep their exact results.
		m := slices.Max(w)
		s = 0
		for i := range w {
			w[i] /= m
			s += w[i]
		}
	}
	for i := range w {
		w[i] /= s
	}
}

// Scale maps an actor's raw utilities onto [0,1]: 1 is its best package,
// 0 the worst it can get, conflict included.
type Scale struct {
	Lo, Hi float64
}

// U returns the normalised utility of raw value r.
func (s Scale) U(r float64) float64 {
	if s.Hi <= s.Lo {
		return 1
	}
	return (r - s.Lo) / (s.Hi - s.Lo)
}

// ConflictValue returns the raw expected value of the conflict lottery
// (Fearon 1995): with chance prevail the actor imposes its best package,
// otherwise it suffers its worst, and it pays cost either way.
func ConflictValue(rawMin, rawMax, prevail, cost float64) float64 {
	return prevail*rawMax + (1-prevail)*rawMin - cost
}

// NewScale returns the scale of an actor whose packages range over
// [rawMin, rawMax] and whose conflict lottery is worth conflict (raw).
func NewScale(rawMin, rawMax, conflict float64) Scale {
	return Scale{Lo: min(rawMin, conflict), Hi: rawMax}
}
