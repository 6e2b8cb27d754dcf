package results

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// NewcombePaired returns the difference d = p1 − p2 of two paired
// binomial proportions and its 95% interval by Newcombe's hybrid score
// method for paired data (method 10 of Newcombe 1998, "Improved confidence
// intervals for the difference between binomial proportions based on
// paired data", Stat Med 17:2635). The pairs are counted in a 2×2 table:
// both11 pairs where both have the trait, only1 where only the first has
// it, only2 where only the second, none where neither. With n pairs,
// p1 = (both11 + only1)/n, p2 = (both11 + only2)/n, d = (only1 − only2)/n,
// (l1, u1) and (l2, u2) the Wilson intervals of p1 and p2 (see [Wilson]),
// and φ the correlation of the pairs,
//
//	lo = d − √((p1 − l1)² − 2φ(p1 − l1)(u2 − p2) + (u2 − p2)²)
//	hi = d + √((u1 − p1)² − 2φ(u1 − p1)(p2 − l2) + (p2 − l2)²)
//
// where φ = (ad − bc)/√((a+b)(c+d)(a+c)(b+d)) for the table (a, b, c, d),
// with ad − bc replaced by max(ad − bc − n/2, 0) when it is positive
// (Newcombe's correction), and 0 when a margin is empty. For the table
// (1, 1, 7, 12) it gives −0.2857 (−0.5069, −0.0256), the value Fagerland,
// Lydersen and Laake (2017, ch. 8) report. With no pairs it returns 0
// and (−1, 1). NewcombePaired panics on a negative count.
func NewcombePaired(both11, only1, only2, none int) (d, lo, hi float64) {
	if both11 < 0 || only1 < 0 || only2 < 0 || none < 0 {
		panic(fmt.Sprintf("results: NewcombePaired(%d, %d, %d, %d): negative count", both11, only1, only2, none))
	}
	n := both11 + only1 + only2 + none
	if n == 0 {
		return 0, -1, 1
	}
	a, b, c, dd := float64(both11), float64(only1), float64(only2), float64(none)
	fn := float64(n)
	p1, p2 := (a+b)/fn, (a+c)/fn
	l1, u1 := Wilson(both11+only1, n)
	l2, u2 := Wilson(both11+only2, n)
	phi := 0.0
	if den := (a + b) * (c + dd) * (a + c) * (b + dd); den > 0 {
		num := a*dd - b*c
		if num > 0 {
			num = max(num-fn/2, 0)
		}
		phi = num / math.Sqrt(den)
	}
	d = (b - c) / fn
	lo = d - math.Sqrt(max(0, sq(p1-l1)-2*phi*(p1-l1)*(u2-p2)+sq(u2-p2)))
	hi = d + math.Sqrt(max(0, sq(u1-p1)-2*phi*(u1-p1)*(p2-l2)+sq(p2-l2)))
	return d, max(lo, -1), min(hi, 1)
}

func sq(x float64) float64 { return x * x }

// Paired keeps, run by run, what a paired comparison needs of a batch: each
// run's outcome, whether it ended with only a step in force, and each
// actor's utility. It is an accumulator (sim.Accumulator) whose chunks,
// merged in run order, hold the runs in order. It holds about 8 bytes per
// run and actor: a million runs of four actors take 34 MB.
type Paired struct {
	outcome []sim.Outcome
	partial []bool
	utility []float64 // utility[k*actors+i]
	actors  int
}

var _ sim.Accumulator[*Paired] = (*Paired)(nil)

// NewPaired returns an empty record of runs of a scenario with the given
// number of actors.
func NewPaired(actors int) *Paired { return &Paired{actors: actors} }

// Add appends run r.
func (p *Paired) Add(r *sim.Record) {
	p.outcome = append(p.outcome, r.Outcome)
	p.partial = append(p.partial, r.Partial && r.Outcome == sim.Agreement)
	p.utility = append(p.utility, r.Utility...)
}

// Merge appends o's runs.
func (p *Paired) Merge(o *Paired) {
	p.outcome = append(p.outcome, o.outcome...)
	p.partial = append(p.partial, o.partial...)
	p.utility = append(p.utility, o.utility...)
}

// Reset empties p, keeping its allocations.
func (p *Paired) Reset() {
	p.outcome, p.partial, p.utility = p.outcome[:0], p.partial[:0], p.utility[:0]
}

// Runs returns the number of runs p holds.
func (p *Paired) Runs() int { return len(p.outcome) }

// pairedDiff compares a trait of the runs of a and b pair by pair.
func pairedDiff(n int, in func(k int) (bool, bool)) OutcomeDiff {
	var both, onlyA, onlyB, none int
	for k := range n {
		x, y := in(k)
		switch {
		case x && y:
			both++
		case x:
			onlyA++
		case y:
			onlyB++
		default:
			none++
		}
	}
	d, lo, hi := NewcombePaired(both, onlyA, onlyB, none)
	return OutcomeDiff{AShare: ratio(float64(both+onlyA), n), BShare: ratio(float64(both+onlyB), n), Diff: d, DiffCILow: lo, DiffCIHigh: hi}
}

// ComparePaired is Compare for two batches played with the same seed, run
// k of A paired with run k of B (their common random numbers: docs/model.md
// §1): each outcome's difference gets Newcombe's interval for paired
// proportions, and each actor's utility shift the normal 95% interval of
// the mean of the per-run differences. pa and pb hold the runs of a and b,
// which must be as many, and actors the actor ids of the runs' utilities,
// in order (A's scenario order).
func ComparePaired(a, b Report, pa, pb *Paired, actorsA, actorsB []string) (Comparison, error) {
	n := pa.Runs()
	if n != pb.Runs() || n != a.Runs || n != b.Runs {
		return Comparison{}, fmt.Errorf("results: a paired comparison needs as many runs of A as of B (%d and %d)", pa.Runs(), pb.Runs())
	}
	c := Compare(a, b)
	c.Design = DesignPaired
	for _, o := range sim.Outcomes {
		c.Outcomes[o.String()] = pairedDiff(n, func(k int) (bool, bool) { return pa.outcome[k] == o, pb.outcome[k] == o })
	}
	settled := func(p *Paired, k int) bool { return p.outcome[k] == sim.Agreement && !p.partial[k] }
	c.Settlement = pairedDiff(n, func(k int) (bool, bool) { return settled(pa, k), settled(pb, k) })
	c.Partial = pairedDiff(n, func(k int) (bool, bool) { return pa.partial[k], pb.partial[k] })
	for id, u := range c.Actors {
		i, j := slices.Index(actorsA, id), slices.Index(actorsB, id)
		if i < 0 || j < 0 {
			continue
		}
		diff := func(k int) float64 { return pa.utility[k*pa.actors+i] - pb.utility[k*pb.actors+j] }
		mean := 0.0
		for k := range n {
			mean += diff(k)
		}
		mean /= float64(n)
		se := 0.0
		if n > 1 {
			v := 0.0
			for k := range n {
				v += sq(diff(k) - mean)
			}
			se = math.Sqrt(v / float64(n-1) / float64(n))
		}
		u.ShiftCILow, u.ShiftCIHigh = u.Shift-z95*se, u.Shift+z95*se
		c.Actors[id] = u
	}
	return c, nil
}

// CompareIndependent is Compare for two independent batches with their
// runs at hand: each actor's utility shift gets Welch's normal 95%
// interval. pa and pb hold the runs of a and b; actorsA and actorsB the
// actor ids of their utilities, in order.
func CompareIndependent(a, b Report, pa, pb *Paired, actorsA, actorsB []string) Comparison {
	c := Compare(a, b)
	for id, u := range c.Actors {
		i, j := slices.Index(actorsA, id), slices.Index(actorsB, id)
		if i < 0 || j < 0 {
			continue
		}
		_, va := pa.meanVar(i)
		_, vb := pb.meanVar(j)
		se := math.Sqrt(va/float64(max(pa.Runs(), 1)) + vb/float64(max(pb.Runs(), 1)))
		u.ShiftCILow, u.ShiftCIHigh = u.Shift-z95*se, u.Shift+z95*se
		c.Actors[id] = u
	}
	return c
}

// meanVar returns the mean and the sample variance of actor i's utility
// over p's runs.
func (p *Paired) meanVar(i int) (mean, variance float64) {
	n := p.Runs()
	if n == 0 {
		return 0, 0
	}
	for k := range n {
		mean += p.utility[k*p.actors+i]
	}
	mean /= float64(n)
	if n < 2 {
		return mean, 0
	}
	for k := range n {
		x := p.utility[k*p.actors+i] - mean
		variance += x * x
	}
	return mean, variance / float64(n-1)
}

// z95 is the 97.5th percentile of the standard normal distribution.
const z95 = 1.959963984540054

// PairedArm accumulates one arm of a paired comparison, as sim.MonteCarlo folds
// chunks of runs: its summary, and its runs kept for the pairing
// (ComparePaired).
type PairedArm struct {
	Sum  *Summary
	Runs *Paired
}

// NewPairedArm returns an empty arm for runs of sc.
func NewPairedArm(sc *scenarios.Scenario) *PairedArm {
	return &PairedArm{Sum: NewSummary(sc), Runs: NewPaired(len(sc.Actors))}
}

// Add adds run r.
func (a *PairedArm) Add(r *sim.Record) { a.Sum.Add(r); a.Runs.Add(r) }

// Merge adds the runs of o, which follow a's.
func (a *PairedArm) Merge(o *PairedArm) { a.Sum.Merge(o.Sum); a.Runs.Merge(o.Runs) }

// Reset empties the arm.
func (a *PairedArm) Reset() { a.Sum.Reset(); a.Runs.Reset() }
