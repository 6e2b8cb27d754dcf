package results

import (
	"fmt"
	"math"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Summary is a streaming summary of runs of one scenario. It implements
// [sim.Accumulator]: Add folds in one record and Merge folds in another
// summary of the same scenario.
//
// A Summary's memory is bounded by the scenario, not by the number of runs:
// it keeps outcome counts, per-actor utility sums, a histogram of end turns
// (one bin per turn 0..Horizon), per-level counts of agreed terms, counts of
// agreed packages (at most one entry per package in the package space) and
// sums of event counts. It keeps no reference to the records it is given.
//
// Counts merge exactly. Utility sums are float64 sums, so a Summary built
// from the same records in the same chunks merged in the same order is
// bit-for-bit the same; the runner guarantees that order.
type Summary struct {
	sc *scenarios.Scenario
	// radix holds the number of levels of each issue.
	radix []int

	runs     int
	outcomes [sim.NumOutcomes]int

	utility       []float64 // per actor, over all runs
	utilityAgreed []float64 // per actor, over agreement runs

	endTurn []int // endTurn[t] counts runs ending on turn t, 0..Horizon
	// utilHist[i][b] counts runs whose utility to actor i fell in bin b of
	// UtilityBins equal bins over [0,1] (1 falls in the last bin).
	utilHist [][]int
	terms    [][]int // terms[i][l] counts agreements with issue i at level l
	// packages counts complete agreed packages by their encoding (see encode).
	packages map[int]int

	tests, strikes, deals, collapsed int
	// partial counts the runs ending with only a step in force, steps the
	// steps signed.
	partial, steps int
}

var _ sim.Accumulator[*Summary] = (*Summary)(nil)

// NewSummary returns an empty summary for runs of sc. The summary refers to
// sc for ids and labels, so sc must not change while the summary is in use.
// NewSummary panics if the number of distinct packages (the product of the
// issues' level counts) does not fit in an int.
func NewSummary(sc *scenarios.Scenario) *Summary {
	s := &Summary{
		sc:            sc,
		radix:         make([]int, len(sc.Issues)),
		utility:       make([]float64, len(sc.Actors)),
		utilityAgreed: make([]float64, len(sc.Actors)),
		endTurn:       make([]int, max(sc.Horizon, 0)+1),
		utilHist:      make([][]int, len(sc.Actors)),
		terms:         make([][]int, len(sc.Issues)),
		packages:      make(map[int]int),
	}
	for i := range s.utilHist {
		s.utilHist[i] = make([]int, UtilityBins)
	}
	space := 1
	for i, is := range sc.Issues {
		n := len(is.Levels)
		s.radix[i] = n
		s.terms[i] = make([]int, n)
		if n > 0 && space > math.MaxInt/n {
			panic(fmt.Sprintf("results: scenario %q has too many packages to encode", sc.ID))
		}
		space *= n
	}
	return s
}

// UtilityBins is the number of equal bins over [0,1] in which a Summary
// counts each actor's utility.
const UtilityBins = 20

// UtilityBin returns the bin of utility u: bin b holds [b/UtilityBins,
// (b+1)/UtilityBins), and the last bin also holds 1.
func UtilityBin(u float64) int {
	return min(max(int(u*UtilityBins), 0), UtilityBins-1)
}

// Runs returns the number of runs summarised.
func (s *Summary) Runs() int { return s.runs }

// Count returns the number of runs that ended in outcome o.
func (s *Summary) Count(o sim.Outcome) int {
	if int(o) >= sim.NumOutcomes {
		return 0
	}
	return s.outcomes[o]
}

// Reset empties the summary for reuse, keeping its allocations.
func (s *Summary) Reset() {
	s.runs = 0
	s.outcomes = [sim.NumOutcomes]int{}
	clear(s.utility)
	clear(s.utilityAgreed)
	clear(s.endTurn)
	for _, h := range s.utilHist {
		clear(h)
	}
	for _, t := range s.terms {
		clear(t)
	}
	clear(s.packages)
	s.tests, s.strikes, s.deals, s.collapsed = 0, 0, 0, 0
	s.partial, s.steps = 0, 0
}

// Add folds the record r into the summary. It copies what it needs and keeps
// no reference to r or its slices. Terms of an agreement that are out of
// range (such as -1) are not counted, and the package is counted only when
// every term is in range. Add panics if r does not fit the scenario: a
// Utility or Terms slice of the wrong length, an unknown outcome, or an end
// turn outside 0..Horizon.
func (s *Summary) Add(r *sim.Record) {
	if len(r.Utility) != len(s.utility) || len(r.Terms) != len(s.radix) {
		panic(fmt.Sprintf("results: run %d has %d utilities and %d terms; scenario %q has %d actors and %d issues",
			r.Run, len(r.Utility), len(r.Terms), s.sc.ID, len(s.utility), len(s.radix)))
	}
	if int(r.Outcome) >= sim.NumOutcomes {
		panic(fmt.Sprintf("results: run %d has unknown outcome %v", r.Run, r.Outcome))
	}
	if r.EndTurn < 0 || r.EndTurn >= len(s.endTurn) {
		panic(fmt.Sprintf("results: run %d ended on turn %d, outside 0..%d", r.Run, r.EndTurn, len(s.endTurn)-1))
	}
	s.runs++
	s.outcomes[r.Outcome]++
	s.endTurn[r.EndTurn]++
	for i, u := range r.Utility {
		s.utility[i] += u
		s.utilHist[i][UtilityBin(u)]++
	}
	if r.Outcome == sim.Agreement {
		for i, u := range r.Utility {
			s.utilityAgreed[i] += u
		}
		complete := true
		for i, l := range r.Terms {
			if l < 0 || l >= s.radix[i] {
				complete = false
				continue
			}
			s.terms[i][l]++
		}
		if complete {
			s.packages[s.encode(r.Terms)]++
		}
	}
	s.tests += r.Tests
	s.strikes += r.Strikes
	s.deals += r.Deals
	s.collapsed += r.Collapsed
	s.steps += r.Partials
	if r.Partial && r.Outcome == sim.Agreement {
		s.partial++
	}
}

// Merge adds the runs summarised by o to s; o is not changed. Merging
// summaries of consecutive chunks in run order gives the summary of all the
// runs. A nil o is a no-op. Merge panics if o summarises a scenario of a
// different shape.
func (s *Summary) Merge(o *Summary) {
	if o == nil {
		return
	}
	if !s.sameShape(o) {
		panic(fmt.Sprintf("results: cannot merge a summary of %q into one of %q", o.sc.ID, s.sc.ID))
	}
	s.runs += o.runs
	for i := range s.outcomes {
		s.outcomes[i] += o.outcomes[i]
	}
	for i := range s.utility {
		s.utility[i] += o.utility[i]
		s.utilityAgreed[i] += o.utilityAgreed[i]
	}
	for t, c := range o.endTurn {
		s.endTurn[t] += c
	}
	for i, h := range o.utilHist {
		for b, c := range h {
			s.utilHist[i][b] += c
		}
	}
	for i := range s.terms {
		for l, c := range o.terms[i] {
			s.terms[i][l] += c
		}
	}
	for code, c := range o.packages {
		s.packages[code] += c
	}
	s.tests += o.tests
	s.strikes += o.strikes
	s.deals += o.deals
	s.collapsed += o.collapsed
	s.partial += o.partial
	s.steps += o.steps
}

func (s *Summary) sameShape(o *Summary) bool {
	if len(s.utility) != len(o.utility) || len(s.endTurn) != len(o.endTurn) || len(s.radix) != len(o.radix) {
		return false
	}
	for i := range s.radix {
		if s.radix[i] != o.radix[i] {
			return false
		}
	}
	return true
}

// encode returns the mixed-radix code of a complete package: the first
// issue is the most significant digit, so codes sort packages
// lexicographically by level index in scenario issue order.
func (s *Summary) encode(terms []int) int {
	code := 0
	for i, l := range terms {
		code = code*s.radix[i] + l
	}
	return code
}

// decode writes the level indexes of the package with the given code into
// terms, which must have one entry per issue.
func (s *Summary) decode(code int, terms []int) {
	for i := len(s.radix) - 1; i >= 0; i-- {
		terms[i] = code % s.radix[i]
		code /= s.radix[i]
	}
}

// quantile returns the pct-th percentile (0 < pct <= 100) of the n
// observations counted in hist, by the nearest-rank definition: the smallest
// index t such that at least ⌈pct·n/100⌉ observations are at most t. It
// works in integers so ranks are exact. With no observations it returns 0.
func quantile(hist []int, n, pct int) int {
	if n == 0 {
		return 0
	}
	rank := max((pct*n+99)/100, 1)
	cum := 0
	for t, c := range hist {
		cum += c
		if cum >= rank {
			return t
		}
	}
	return len(hist) - 1
}
