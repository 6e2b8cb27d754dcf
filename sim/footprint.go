package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-sim/parley/scenarios"
)

// The engine keeps, for every package of a scenario's space, each actor's
// utility and the answers of its searches (docs/benchmarks.md, "How large
// a scenario runs"). Its only fixed ceiling is the width of its package
// numbers (32 bits); below that, memory decides, and Footprint says in
// advance how much a run needs.

// Footprint is what playing a scenario costs in memory, estimated before
// anything is allocated.
type Footprint struct {
	// Packages is the number of packages (combinations of issue levels).
	Packages int
	// Shared is the bytes every worker shares: the utility tables of a
	// scenario whose preferences are certain, and the packages' levels.
	Shared int64
	// PerWorker is the bytes each worker keeps for itself.
	PerWorker int64
	// Kept is the number of packages the engine keeps: Packages, or for a
	// scenario played on the packages its searches can choose (a compact
	// model, Model.Compact) their number.
	Kept int
}

// Bytes returns the estimated peak memory of a batch on workers workers.
func (f Footprint) Bytes(workers int) int64 {
	return f.Shared + int64(max(workers, 1))*f.PerWorker
}

// heapFactor is how much more memory the process holds than its live
// buffers: the garbage collector lets the heap grow past what is live
// before it collects, and a table's sort needs a buffer while it runs.
// Measured (docs/benchmarks.md): peak RSS over the buffers counted here was
// 1.51 and 1.53 on scenarios of 1,048,576 and 4,194,304 packages.
const heapFactor = 1.5

// FootprintOf estimates the memory sc needs to be played, and reports
// false when sc has more packages than the engine numbers (MaxPackages;
// Packages is then the count, or the largest int when it overflows).
func FootprintOf(sc *scenarios.Scenario) (Footprint, bool) {
	size, ok := Packages(sc)
	if !ok || size > MaxPackages {
		return Footprint{Packages: size, Kept: size}, false
	}
	f := Footprint{Packages: size, Kept: size}
	compact := false
	if size > compactAbove {
		// A large space may be played compact: the packages kept are
		// known once they are found.
		if m, err := Compile(sc); err == nil && m.Compact() {
			size, f.Kept, compact = m.size, m.size, true
		}
	}
	n, ns, L := len(sc.Actors), len(sc.Protocol.Signatories), len(sc.Issues)
	certain := true
	believers := 0
	for i, a := range sc.Actors {
		for _, w := range a.Weights {
			certain = certain && w.IsConst()
		}
		for _, vs := range a.Values {
			for _, v := range vs {
				certain = certain && v.IsConst()
			}
		}
		for _, l := range a.Links {
			certain = certain && l.Value.IsConst()
		}
		if (i == sc.Protocol.Mediator || slices.Contains(sc.Protocol.Proposers, i)) && (!a.Misperception.IsConst() || a.Misperception.Value > 0) {
			believers++
		}
	}
	tables := 1
	for _, e := range sc.Events {
		if len(e.Effects.Weights) > 0 {
			tables++
			for _, w := range e.Effects.Weights {
				certain = certain && w.Weight.IsConst()
			}
		}
	}
	// Per package: a table holds each actor's raw utility (8 bytes) and
	// the order by the utility of each actor a search walks (4: the
	// signatories, proposers and strikers); a worker each actor's
	// normalised utility (8), the mediator's lean weight (8), the package a
	// breaking signatory keeps (4 per signatory) and what stands after a
	// collapse (4), a credibility answer and its stamp (5), and each
	// believer's picture of every package (8 per actor); steps need each
	// package's levels (4 per issue) and may list every package as a
	// candidate (24). A table rebuilt every run (uncertain preferences)
	// keeps each order's buckets (8 per order) and its sort's buffers
	// (16).
	no := int64(0)
	for _, o := range orderedActors(sc) {
		if o {
			no++
		}
	}
	table := int64(8*n) + 4*no
	worker := int64(8*n + 8 + 4*ns + 4 + 5 + 8*n*believers)
	var shared int64
	if sc.Protocol.PartialDeals {
		shared += int64(4 * L)
		worker += 24
	}
	if certain {
		shared += int64(tables) * table
	} else {
		worker += table + 8*no + 16
	}
	if compact {
		shared += int64(4 + 8*ns) // the packages' numbers, what a breaker keeps
	}
	f.Shared = int64(math.Ceil(heapFactor * float64(shared) * float64(size)))
	f.PerWorker = int64(math.Ceil(heapFactor * float64(worker) * float64(size)))
	return f, true
}

// Fit returns how many of workers workers fit in avail bytes (avail ≤ 0:
// unknown, all of them); 0 when not even one does.
func (f Footprint) Fit(workers int, avail int64) int {
	workers = max(workers, 1)
	switch {
	case avail <= 0 || f.Bytes(workers) <= avail:
		return workers
	case f.Bytes(1) > avail:
		return 0
	}
	return int((avail - f.Shared) / f.PerWorker)
}

// FormatBytes writes b in MiB or GiB, as a person reads it.
func FormatBytes(b int64) string {
	const mib, gib = 1 << 20, 1 << 30
	if b >= gib {
		return fmt.Sprintf("%.1f GiB", float64(b)/gib)
	}
	return fmt.Sprintf("%d MiB", max((b+mib-1)/mib, 1))
}
