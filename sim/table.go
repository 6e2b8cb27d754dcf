package sim

import (
	"cmp"
	"math"
	"slices"

	"github.com/parley-sim/parley/actors"
)

// table holds every package's raw utility for every actor under one set of
// preferences, and each actor's order of the packages. Raw utilities are
// normalised per run (the scale depends on the drawn conflict payoffs), but
// a positive affine map of each actor's utility keeps every order, so a
// table can be shared between runs.
type table struct {
	actors int
	raw    []float64 // raw[p*actors+i]
	rawMin []float64
	rawMax []float64
	// byU[i] lists every package by decreasing raw utility to actor i (the
	// lower index first among equals): the order the engine's searches
	// visit packages in, so that they can stop early.
	byU [][]int32
	// sortBuf is sortHalting's buffer.
	sortBuf []int32
}

// sortHalting sorts x by the total order cmp, asking h between steps of
// about a millisecond: blocks sorted by slices.SortFunc, then merged pass by
// pass. (One SortFunc over millions of packages takes about a second, which
// a cancellation should not wait for.) With a total order the result is the
// one any sort gives. It reports false, x half sorted, if h stopped it.
func sortHalting(x []int32, cmp func(a, b int32) int, buf *[]int32, h halt) bool {
	const block = 1 << 13
	if len(x) <= block {
		slices.SortFunc(x, cmp)
		return true
	}
	for lo := 0; lo < len(x); lo += block {
		if h.now() {
			return false
		}
		slices.SortFunc(x[lo:min(lo+block, len(x))], cmp)
	}
	if cap(*buf) < len(x) {
		*buf = make([]int32, len(x))
	}
	src, dst := x, (*buf)[:len(x)]
	for width := block; width < len(x); width *= 2 {
		for lo := 0; lo < len(x); lo += 2 * width {
			if h.now() {
				return false
			}
			mid, hi := min(lo+width, len(x)), min(lo+2*width, len(x))
			a, b, k := lo, mid, lo
			for a < mid && b < hi {
				if cmp(src[b], src[a]) < 0 {
					dst[k] = src[b]
					b++
				} else {
					dst[k] = src[a]
					a++
				}
				k++
			}
			k += copy(dst[k:], src[a:mid])
			copy(dst[k:], src[b:hi])
		}
		src, dst = dst, src
	}
	if &src[0] != &x[0] {
		copy(x, src)
	}
	return true
}

// halt tells long loops that their work was cancelled: a receive from a
// context's Done channel that never blocks, cheap enough to ask every few
// thousand steps. The zero halt never stops. A loop that stops returns what
// it has, which is garbage: the caller must ask now() before using it.
type halt <-chan struct{}

func (h halt) now() bool {
	select {
	case <-h:
		return true
	default:
		return false
	}
}

// haltEvery is how many steps a long loop takes between asking halt (about
// a millisecond of work).
const haltEvery = 1 << 14

// buildTable computes the raw utility table for prefs and each actor's
// order of the packages. It reuses t's buffers when t is not nil. When h
// stops it, it returns a table that must not be used.
func buildTable(sp actors.Space, prefs []actors.Prefs, t *table, h halt) *table {
	n := len(prefs)
	if t == nil {
		t = &table{}
	}
	t.actors = n
	t.raw = resize(t.raw, sp.Size*n)
	t.rawMin = resize(t.rawMin, n)
	t.rawMax = resize(t.rawMax, n)
	for i := range n {
		t.rawMin[i], t.rawMax[i] = math.Inf(1), math.Inf(-1)
	}
	pkg := make([]int, len(sp.Levels))
	for p := range sp.Size {
		if p%haltEvery == 0 && h.now() {
			return t
		}
		sp.Decode(p, pkg)
		for i := range prefs {
			r := prefs[i].Raw(pkg)
			t.raw[p*n+i] = r
			t.rawMin[i] = min(t.rawMin[i], r)
			t.rawMax[i] = max(t.rawMax[i], r)
		}
	}
	if len(t.byU) != n {
		t.byU = make([][]int32, n)
	}
	for i := range n {
		if h.now() {
			return t
		}
		o := t.byU[i][:0]
		for p := range sp.Size {
			o = append(o, int32(p))
		}
		// By decreasing utility, the lower index first among equals.
		t.byU[i] = o
		if !sortHalting(o, func(a, b int32) int {
			if c := cmp.Compare(t.raw[int(b)*n+i], t.raw[int(a)*n+i]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		}, &t.sortBuf, h) {
			return t
		}
	}
	return t
}

func resize(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// dominates reports whether package row a Pareto-dominates row b for the
// actors in set: at least as good for each, and better for one by more than
// rounding. Two packages whose utilities differ only by rounding (the same
// value summed in another order) both stay on the frontier: normalising
// could make them equal, and the searches would then break the tie by
// package index, which only a frontier holding both can do.
func dominates(a, b []float64, set []int) bool {
	better := false
	for _, i := range set {
		if a[i] < b[i] {
			return false
		}
		if a[i] > b[i]+dominanceMargin {
			better = true
		}
	}
	return better
}

// dominanceMargin is the least raw-utility difference dominance counts.
const dominanceMargin = 1e-9

// paretoFrontier appends to out the packages that no other package
// dominates for the actors in set, in ascending order. Candidates are
// visited by decreasing sum of those actors' utilities: a dominator always
// has the larger sum, so each candidate need only be tested against the
// frontier found so far. When h stops it, what it returns must not be used.
func paretoFrontier(raw []float64, n, size int, set []int, out []int32, h halt) []int32 {
	order := make([]int32, size)
	sums := make([]float64, size)
	for p := range size {
		order[p] = int32(p)
		for _, i := range set {
			sums[p] += raw[p*n+i]
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(sums[b], sums[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for k, p := range order {
		// Each candidate is tested against the whole frontier so far.
		if k%(haltEvery/64) == 0 && h.now() {
			return out
		}
		u := raw[int(p)*n : (int(p)+1)*n]
		dominated := false
		for _, q := range out {
			if dominates(raw[int(q)*n:(int(q)+1)*n], u, set) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// paretoFrontierExhaustive is the test oracle for paretoFrontier: it checks
// every pair of packages.
func paretoFrontierExhaustive(raw []float64, n, size int, set []int) []int32 {
	var out []int32
	for p := range size {
		dominated := false
		for q := range size {
			if dominates(raw[q*n:(q+1)*n], raw[p*n:(p+1)*n], set) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, int32(p))
		}
	}
	return out
}
