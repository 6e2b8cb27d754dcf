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
	// visit packages in, so that they can stop early. It is empty for an
	// actor no search visits by (not ordered: see buildTable).
	byU []order

	// A table rebuilt for other preferences (each run's, when they are
	// drawn) recomputes only the columns whose actor's preferences
	// changed: levels is the space it was built for, prefs[i] a copy of
	// the preferences column i was built from, valid where built[i], and
	// gen[i] counts the rebuilds of column i.
	levels []int
	prefs  []actors.Prefs
	built  []bool
	gen    []uint64
	// norm records, for the worker that owns the table, which column
	// generation and scale its normalised utilities were last computed
	// from (loadTable), so that an unchanged column is not normalised
	// again.
	norm []normMark

	// Scratch: sortBuf is sortHalting's buffer, and orderColumn's with
	// counts and key; pkg and pre are the levels and partial sums of
	// fillColumn.
	sortBuf []int32
	counts  []int32
	key     []float64
	pkg     []int
	pre     []float64
}

// normMark is what a column's normalised utilities were computed from.
type normMark struct {
	ok    bool
	gen   uint64
	scale actors.Scale
}

// shrink drops the table's scratch and rebuild records: a cached table is
// never rebuilt.
func (t *table) shrink() {
	t.sortBuf, t.counts, t.key, t.pkg, t.pre = nil, nil, nil, nil, nil
	t.prefs, t.built, t.norm = nil, nil, nil
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

// buildTable computes the raw utility table for prefs and the order of the
// packages by each actor i for which ordered[i] is true (every actor when
// ordered is nil; no search reads the order of an actor that neither
// signs, proposes nor strikes), sorted outright when exact is set, else in
// buckets (order). It reuses t's buffers when t is not nil, and
// recomputes only the columns of the actors whose preferences differ from
// those t was built from. When h stops it, it returns a table that must
// not be used.
//
// The result is the one a direct computation gives, bit for bit: each
// utility is the sum prefs[i].Raw computes, in the same order (the sum over
// the leading issues is kept per block of packages that share them), and
// each exact order is the unique one by decreasing utility, the lower
// index first among equals; a bucketed one differs from it only within
// its buckets.
func buildTable(sp actors.Space, prefs []actors.Prefs, ordered []bool, exact bool, t *table, h halt) *table {
	n := len(prefs)
	if t == nil {
		t = &table{}
	}
	if t.actors != n || len(t.built) != n || !slices.Equal(t.levels, sp.Levels) || len(t.raw) != sp.Size*n {
		t.actors = n
		t.levels = append(t.levels[:0], sp.Levels...)
		t.raw = resize(t.raw, sp.Size*n)
		t.rawMin = resize(t.rawMin, n)
		t.rawMax = resize(t.rawMax, n)
		t.byU = make([]order, n)
		t.prefs = make([]actors.Prefs, n)
		t.built = make([]bool, n)
		t.gen = make([]uint64, n)
		t.norm = make([]normMark, n)
	}
	for i := range prefs {
		if t.built[i] && samePrefs(&t.prefs[i], &prefs[i]) {
			continue
		}
		t.built[i] = false
		t.gen[i]++
		if !t.fillColumn(sp, &prefs[i], i, h) {
			return t
		}
		if ordered == nil || ordered[i] {
			if !t.orderColumn(i, sp.Size, exact, h) {
				return t
			}
		} else {
			t.byU[i] = order{}
		}
		copyPrefs(&t.prefs[i], &prefs[i])
		t.built[i] = true
	}
	return t
}

// fillColumn computes actor i's raw utility of every package, and its
// least and greatest, as p.Raw does: packages are visited in index order,
// the levels advancing like an odometer (the last issue fastest), and the
// running sum over the issues before the last is kept until one of them
// changes. It reports false if h stopped it.
func (t *table) fillColumn(sp actors.Space, p *actors.Prefs, i int, h halt) bool {
	n, L := t.actors, len(sp.Levels)
	// The least and greatest utility, as min and max fold them. A sum
	// that starts at +0 is never −0, so comparisons fold them alike, but
	// for NaN, which min and max spread: then they fold the column again.
	lo, hi, nan := math.Inf(1), math.Inf(-1), false
	defer func() {
		if nan {
			lo, hi = math.Inf(1), math.Inf(-1)
			for q := range sp.Size {
				lo, hi = min(lo, t.raw[q*n+i]), max(hi, t.raw[q*n+i])
			}
		}
		t.rawMin[i], t.rawMax[i] = lo, hi
	}()
	if L == 0 || sp.Size == 0 {
		t.pkg = slices.Grow(t.pkg[:0], L)[:L]
		for q := range sp.Size {
			sp.Decode(q, t.pkg)
			r := p.Raw(t.pkg)
			t.raw[q*n+i] = r
			lo, hi = min(lo, r), max(hi, r)
		}
		return true
	}
	pkg := slices.Grow(t.pkg[:0], L)[:L]
	pre := slices.Grow(t.pre[:0], L)[:L] // pre[j]: the sum over issues before j
	t.pkg, t.pre = pkg, pre
	clear(pkg)
	last := L - 1
	r := 0.0
	for j := range last {
		pre[j] = r
		r += p.Weights[j] * p.Values[j][0]
	}
	pre[last] = r
	wl, vl := p.Weights[last], p.Values[last]
	raw := t.raw
	for base := 0; ; base += len(vl) {
		if base%haltEvery < len(vl) && h.now() {
			return false
		}
		s := pre[last]
		if len(p.Links) == 0 {
			for l, v := range vl {
				r := s
				r += wl * v
				raw[(base+l)*n+i] = r
				if r < lo {
					lo = r
				}
				if r > hi {
					hi = r
				}
				if r != r {
					nan = true
				}
			}
		} else {
			for l, v := range vl {
				r := s
				r += wl * v
				pkg[last] = l
				for _, k := range p.Links {
					if k.Holds(pkg) {
						r += k.Value
					}
				}
				raw[(base+l)*n+i] = r
				if r < lo {
					lo = r
				}
				if r > hi {
					hi = r
				}
				if r != r {
					nan = true
				}
			}
		}
		j := last - 1
		for ; j >= 0; j-- {
			if pkg[j]++; pkg[j] < sp.Levels[j] {
				break
			}
			pkg[j] = 0
		}
		if j < 0 {
			return true
		}
		r := pre[j]
		for ; j < last; j++ {
			pre[j] = r
			r += p.Weights[j] * p.Values[j][pkg[j]]
		}
		pre[last] = r
	}
}

// An order lists every package by decreasing utility to one actor, the
// lower index first among equals, bucket by bucket: every package of a
// bucket is worth at least as much as every package of a later one, and
// within a bucket the packages may come in any order (bucket not empty). A
// search that walks an order and meets a package below what it must have
// goes on to the end of that package's bucket (stop), then stops: no later
// package can qualify. The searches' answers do not depend on the order
// they visit candidates in, so a bucketed order gives the answers a sorted
// one does.
type order struct {
	pkgs []int32
	// bucket[p] is package p's bucket and ends[b] the position after
	// bucket b's last package; both empty when pkgs is sorted outright
	// (every package its own bucket).
	bucket, ends []int32
}

// stop returns the position after the bucket that position k is in.
func (o *order) stop(k int) int {
	if len(o.bucket) == 0 {
		return k + 1
	}
	return int(o.ends[o.bucket[o.pkgs[k]]])
}

// bucketed is the most packages a bucket of an order may hold and be left
// unsorted: a search that meets a package below its bound visits at most
// this many more.
const bucketed = 16

// orderColumn orders byU[i], every package by decreasing raw utility to
// actor i, the lower index first among equals. Packages are dealt, in
// index order, into about one bucket per package by where their utility
// falls between the actor's greatest and least (a map that never puts a
// greater utility in a later bucket). For a table rebuilt every run (exact
// false) that is the order, unless some bucket holds more than bucketed
// packages. Otherwise an insertion sort orders each bucket, and should the
// buckets be crowded a comparison sort finishes the work: linear time for
// utilities spread over their range. It reports false if h stopped it.
func (t *table) orderColumn(i, size int, exact bool, h halt) bool {
	n, raw := t.actors, t.raw
	o := &t.byU[i]
	o.pkgs = resize32(o.pkgs, size)
	pkgs := o.pkgs
	byU := func(a, b int32) int {
		if c := cmp.Compare(raw[int(b)*n+i], raw[int(a)*n+i]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	// Sorted outright, an order keeps its buckets' buffers for the next
	// rebuild.
	unbucket := func() { o.bucket, o.ends = o.bucket[:0], o.ends[:0] }
	sorted := func() bool {
		unbucket()
		return sortHalting(pkgs, byU, &t.sortBuf, h)
	}
	hi := t.rawMax[i]
	nb := size
	scale := float64(nb) / (hi - t.rawMin[i])
	if size < 64 || !(scale > 0) || math.IsInf(scale, 1) {
		// Few packages, all utilities equal, or a NaN: sort them.
		for p := range pkgs {
			pkgs[p] = int32(p)
		}
		return sorted()
	}
	var counts, bk []int32
	if exact {
		unbucket()
		t.counts = resize32(t.counts, nb+1)
		t.sortBuf = resize32(t.sortBuf, size) // each package's bucket, until the sort needs it
		counts, bk = t.counts, t.sortBuf
	} else {
		o.ends = resize32(o.ends, nb+1)
		o.bucket = resize32(o.bucket, size)
		counts, bk = o.ends, o.bucket
	}
	clear(counts)
	// The bucket is non-decreasing as r decreases: hi−r, its product
	// with scale and the truncation are each monotone.
	for lo := 0; lo < size; lo += haltEvery {
		if h.now() {
			return false
		}
		for p := lo; p < min(lo+haltEvery, size); p++ {
			b := min(int((hi-raw[p*n+i])*scale), nb-1)
			bk[p] = int32(b)
			counts[b+1]++
		}
	}
	crowd := int32(0)
	for b := 1; b <= nb; b++ {
		crowd = max(crowd, counts[b])
		counts[b] += counts[b-1]
	}
	if !exact && crowd <= bucketed {
		// counts[b] becomes where bucket b ends.
		for p := range size {
			b := bk[p]
			k := counts[b]
			counts[b]++
			pkgs[k] = int32(p)
		}
		return !h.now()
	}
	if !exact {
		// A crowded bucket: sort this order outright, with the
		// worker's scratch.
		unbucket()
		t.counts = resize32(t.counts, nb+1)
		t.sortBuf = resize32(t.sortBuf, size)
		copy(t.counts, counts)
		copy(t.sortBuf, bk)
		counts, bk = t.counts, t.sortBuf
	}
	if cap(t.key) < size {
		t.key = make([]float64, size)
	}
	key := t.key[:size]
	for p := range size {
		b := bk[p]
		k := counts[b]
		counts[b]++
		pkgs[k], key[k] = int32(p), raw[p*n+i]
	}
	if h.now() {
		return false
	}
	// pkgs is sorted but within buckets, each in index order: a stable
	// insertion sort moves each package past the greater ones of its
	// bucket only. Past a budget of moves, the buckets are crowded.
	budget := 8 * size
	for a := 1; a < size; a++ {
		u := key[a]
		if key[a-1] >= u {
			continue
		}
		p := pkgs[a]
		b := a
		for ; b > 0 && key[b-1] < u; b-- {
			pkgs[b], key[b] = pkgs[b-1], key[b-1]
		}
		pkgs[b], key[b] = p, u
		if budget -= a - b; budget < 0 {
			// Crowded buckets: pkgs is a permutation, sort it outright.
			return sorted()
		}
	}
	return true
}

func resize32(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}

// samePrefs reports whether a and b are the same preferences, bit for bit.
func samePrefs(a, b *actors.Prefs) bool {
	if len(a.Weights) != len(b.Weights) || len(a.Values) != len(b.Values) || len(a.Links) != len(b.Links) {
		return false
	}
	same := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for k := range x {
			if math.Float64bits(x[k]) != math.Float64bits(y[k]) {
				return false
			}
		}
		return true
	}
	if !same(a.Weights, b.Weights) {
		return false
	}
	for j := range a.Values {
		if !same(a.Values[j], b.Values[j]) {
			return false
		}
	}
	for k, l := range a.Links {
		m := b.Links[k]
		if math.Float64bits(l.Value) != math.Float64bits(m.Value) || !slices.Equal(l.When, m.When) || !slices.Equal(l.Unless, m.Unless) {
			return false
		}
	}
	return true
}

// copyPrefs makes dst a copy of src that shares no number with it.
func copyPrefs(dst, src *actors.Prefs) {
	dst.Weights = append(dst.Weights[:0], src.Weights...)
	dst.Values = slices.Grow(dst.Values[:0], len(src.Values))[:len(src.Values)]
	for j, v := range src.Values {
		dst.Values[j] = append(dst.Values[j][:0], v...)
	}
	dst.Links = slices.Grow(dst.Links[:0], len(src.Links))[:len(src.Links)]
	for k, l := range src.Links {
		d := &dst.Links[k]
		d.When = append(d.When[:0], l.When...)
		d.Unless = append(d.Unless[:0], l.Unless...)
		d.Value = l.Value
	}
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
			// out is in decreasing order of sums, and a dominator's sum
			// exceeds the candidate's by more than the margin (less the
			// rounding of the sums): no later one can dominate it.
			if sums[q] <= sums[p]+dominanceMargin/2 {
				break
			}
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

// sameScale reports whether a and b are the same scale, bit for bit.
func sameScale(a, b actors.Scale) bool {
	return math.Float64bits(a.Lo) == math.Float64bits(b.Lo) && math.Float64bits(a.Hi) == math.Float64bits(b.Hi)
}
