package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/parley-sim/parley/actors"
)

// A compact space is the list of packages the engine's searches can
// choose, for a scenario whose space is too large to keep whole
// (docs/benchmarks.md, "How large a scenario runs"). Every search's
// objective never decreases in the utilities it reads (the signatories',
// the mediator's, the strikers' and the proposers'), and a package's
// credibility never fails for one that is worth more to every signatory
// and leaves each less to keep by breaking it. So a package that another
// beats on all of these sums, by more than rounding can undo, is never a
// search's answer: the searches give, on the list, the answers they give
// on the whole space. The list is built issue by issue, as analyze builds
// a frontier, from each level's share of every sum.
//
// Only scenarios whose searches read nothing else qualify (compactable):
// constant preferences without links, no steps, no actor that
// misperceives, and no irreversible level (so that what stands after a
// collapse is always the status quo).

// feature is one sum a search reads: an actor's utility of the package
// (larger is better), or a signatory's utility of what it keeps by
// breaking the package (cheat; smaller is better, stored negated).
type feature struct {
	actor int
	cheat bool
	sig   bool // a signatory's utility of the package
}

// partials are packages of the first issues of the space, stored by
// columns: the sums of each feature's terms, and the index those issues'
// levels give a package.
type partials struct {
	sums []float64 // sums[k*nf+f]
	idx  []int64
}

func (p *partials) len() int { return len(p.idx) }

// candidateSet returns, in increasing order, every package of space sp
// that a search can choose under prefs (the preferences of every actor),
// plus the status quo (levels sq): those no other package beats on every
// feature. read lists the actors whose utility a search reads, sig the
// signatories. It returns nil if h stopped it, or once it has compared
// more than maxCompactWork sums of partial packages: with many actors
// reading, few packages beat others, and the list would hold most of the
// space.
func candidateSet(sp actors.Space, prefs []actors.Prefs, read, sig []int, sq []int, h halt) []int32 {
	L := len(sp.Levels)
	var fs []feature
	for _, a := range read {
		fs = append(fs, feature{actor: a, sig: slices.Contains(sig, a)})
	}
	for _, k := range sig {
		fs = append(fs, feature{actor: k, cheat: true})
	}
	nf := len(fs)
	// term[f][j][l] is level l of issue j's share of feature f.
	term := make([][][]float64, nf)
	tol := make([]float64, nf)
	for f, ft := range fs {
		p := &prefs[ft.actor]
		term[f] = make([][]float64, L)
		span := 0.0
		for j, nl := range sp.Levels {
			t := make([]float64, nl)
			for l := range nl {
				kept := l
				if ft.cheat {
					kept = keptLevel(p.Values[j], l, sq[j])
				}
				t[l] = p.Weights[j] * p.Values[j][kept]
				if ft.cheat {
					t[l] = -t[l]
				}
				span = max(span, math.Abs(t[l]))
			}
			term[f][j] = t
		}
		// Far above what adding up L terms in any order can round away.
		tol[f] = 1e-9 * (span*float64(L) + math.SmallestNonzeroFloat64)
	}
	stride := make([]int64, L)
	s := int64(1)
	for j := L - 1; j >= 0; j-- {
		stride[j] = s
		s *= int64(sp.Levels[j])
	}
	// Packages are built issue by issue from the first, their sums added
	// up in the order the engine adds them (actors.Prefs.Raw): a partial
	// package whose every sum is at least another's keeps that for every
	// way of completing both alike, since rounding a sum never reverses
	// an order.
	//
	// beats reports whether partial a beats partial b: every sum of a is
	// at least b's, and either a comes first in the space (the searches'
	// last tie-break), or a signatory's utility of a exceeds b's by more
	// than the rest of the sums can round away (so every search that
	// could choose b prefers a).
	beats := func(x *partials, a int, y *partials, b int) bool {
		strict := x.idx[a] < y.idx[b]
		for f := range nf {
			xa, yb := x.sums[a*nf+f], y.sums[b*nf+f]
			if xa < yb {
				return false
			}
			if !strict && fs[f].sig && xa-yb > tol[f] {
				strict = true
			}
		}
		return strict
	}
	sigSum := func(x *partials, k int) float64 {
		t := 0.0
		for f, ft := range fs {
			if ft.sig {
				t += x.sums[k*nf+f]
			}
		}
		return t
	}
	var (
		perm []int
		key  []float64
		work int // sums compared (nf a pair of partial packages)
	)
	// keep returns the partials of all that no other beats. A partial's
	// betters have a sum of the signatories' utilities at least its own,
	// and come first among equal sums: visited in that order, each is
	// checked against those kept before it.
	keep := func(all *partials) *partials {
		perm, key = perm[:0], key[:0]
		for k := range all.len() {
			perm = append(perm, k)
			key = append(key, sigSum(all, k))
		}
		slices.SortFunc(perm, func(a, b int) int {
			if c := cmp.Compare(key[b], key[a]); c != 0 {
				return c
			}
			return cmp.Compare(all.idx[a], all.idx[b])
		})
		out := &partials{}
		for i, k := range perm {
			if i%1024 == 0 && h.now() {
				return out
			}
			beaten := false
			for m := range out.len() {
				if work += nf; work > maxCompactWork {
					return nil
				}
				if beats(out, m, all, k) {
					beaten = true
					break
				}
			}
			if !beaten {
				out.sums = append(out.sums, all.sums[k*nf:(k+1)*nf]...)
				out.idx = append(out.idx, all.idx[k])
			}
		}
		return out
	}
	// extend appends each level of issue j but skip to each partial of
	// x, into all.
	extend := func(all, x *partials, j, skip int) {
		for k := range x.len() {
			for l := range sp.Levels[j] {
				if l == skip {
					continue
				}
				for f := range nf {
					all.sums = append(all.sums, x.sums[k*nf+f]+term[f][j][l])
				}
				all.idx = append(all.idx, x.idx[k]+int64(l)*stride[j])
			}
		}
	}

	// Every package but the status quo has the status quo's levels on the
	// issues before some issue j and another level on j: b holds the best
	// partial packages that already differ from the status quo, and sqp
	// the status quo's own partial. (The status quo is never a search's
	// answer, so it must not rule out a package it beats.)
	b := &partials{}
	sqp := &partials{sums: make([]float64, nf), idx: []int64{0}}
	for j := range L {
		all := &partials{}
		extend(all, b, j, -1)
		extend(all, sqp, j, sq[j])
		if b = keep(all); b == nil || h.now() {
			return nil
		}
		next := &partials{}
		extend(next, sqp, j, -1)
		next.sums, next.idx = next.sums[sq[j]*nf:][:nf], next.idx[sq[j]:][:1]
		sqp = next
	}
	out := make([]int32, 0, b.len()+1)
	for _, x := range b.idx {
		out = append(out, int32(x))
	}
	out = append(out, int32(sqp.idx[0]))
	slices.Sort(out)
	return out
}

// maxCompactWork bounds the sums candidateSet compares (the features of
// each pair of partial packages), about a second of work: the 15-issue
// contested space of the tests takes 415 million.
const maxCompactWork = 1 << 30

// compactAbove is the number of packages above which a model that
// qualifies is compact; compactAll (tests) makes every one that qualifies
// compact.
var (
	compactAbove = 1 << 22
	compactAll   = false
)

// compactable returns why m cannot be played on a list of packages, or ""
// when it can (compact.go's opening comment).
func (m *Model) compactable() string {
	switch {
	case !m.constPrefs || len(m.prefEvents) > 0:
		return "its preferences are uncertain or change during the talks"
	case m.partial:
		return "its protocol allows step-by-step deals"
	case m.beliefs:
		return "an actor misperceives the others"
	}
	for _, from := range m.irr {
		if from >= 0 {
			return "an issue has irreversible levels"
		}
	}
	for _, a := range m.actors {
		if len(a.links) > 0 {
			return "an actor's values link issues"
		}
	}
	return ""
}

// Compact reports whether m plays on the list of packages its searches
// can choose rather than on the whole space (docs/benchmarks.md, "How
// large a scenario runs"). A compact model cannot seat players: a player
// may choose any package.
func (m *Model) Compact() bool { return m.pkgs != nil }

// Kept returns the number of packages the engine keeps for m: the whole
// space, or for a compact model those its searches can choose.
func (m *Model) Kept() int { return m.size }

// compact makes m play on the packages its searches can choose, unless
// finding them takes too long (candidateSet).
func (m *Model) compact() error {
	v := make([]float64, len(m.nums))
	for i, x := range m.nums {
		v[i] = x.Value
	}
	prefs := m.newPrefs()
	m.fillPrefs(prefs, v, 0)
	var read []int // the actors whose utility a search reads
	for i, o := range m.ordered {
		if o || i == m.mediator {
			read = append(read, i)
		}
	}
	sq := make([]int, len(m.Space.Levels))
	m.Space.Decode(m.sq, sq)
	pkgs := candidateSet(m.Space, prefs, read, m.sig, sq, nil)
	if pkgs == nil {
		return nil // too many to find: the model keeps the whole space
	}
	pos, ok := slices.BinarySearch(pkgs, int32(m.sq))
	if !ok {
		return fmt.Errorf("sim: scenario %q: the status quo is missing from the packages kept", m.Scenario.ID)
	}
	m.pkgs, m.size, m.sqPos = pkgs, len(pkgs), pos
	// What each signatory keeps by breaking a package: its own
	// concessions withdrawn (prepareCred's rule, with no irreversible
	// level), valued as Raw values it.
	ns := len(m.sig)
	m.cheatRaw = make([]float64, ns*m.size)
	lv, kept := make([]int, len(sq)), make([]int, len(sq))
	for p, x := range pkgs {
		m.Space.Decode(int(x), lv)
		for si, k := range m.sig {
			for j, l := range lv {
				kept[j] = keptLevel(prefs[k].Values[j], l, sq[j])
			}
			m.cheatRaw[si*m.size+p] = prefs[k].Raw(kept)
		}
	}
	return nil
}

// keptLevel returns the level of an issue at level l that a signatory
// whose values of its levels are values keeps by breaking a deal, the
// status quo at level sq: its own concession taken back (prepareCred's
// rule, for a level that can be undone).
func keptLevel(values []float64, l, sq int) int {
	if values[l] < values[sq] {
		return sq
	}
	return l
}

// full returns the index in the space of the engine's package p (-1 stays
// -1).
func (m *Model) full(p int) int {
	if m.pkgs == nil || p < 0 {
		return p
	}
	return int(m.pkgs[p])
}

// decode writes the levels of the engine's package p into out.
func (m *Model) decode(p int, out []int) { m.Space.Decode(m.full(p), out) }

// buildTable builds the utility table of the packages m keeps under prefs,
// every order sorted outright (a table kept for the model's runs).
func (m *Model) buildTable(prefs []actors.Prefs, h halt) *table {
	if m.pkgs == nil {
		return buildTable(m.Space, prefs, m.ordered, true, nil, h)
	}
	n, size := len(prefs), m.size
	t := &table{actors: n, raw: make([]float64, size*n), rawMin: make([]float64, n), rawMax: make([]float64, n), byU: make([]order, n)}
	lv := make([]int, len(m.Space.Levels))
	for p, x := range m.pkgs {
		m.Space.Decode(int(x), lv)
		for i := range prefs {
			t.raw[p*n+i] = prefs[i].Raw(lv)
		}
	}
	for i := range prefs {
		t.rawMin[i], t.rawMax[i] = sumExtremes(&prefs[i]) // over the whole space
		if m.ordered[i] && !t.orderColumn(i, size, true, h) {
			return t
		}
	}
	return t
}

// sumExtremes returns the least and greatest raw utility of any package
// under p, which has no links, as buildTable's column of every package's
// sum folds them: each the sum, added from the left, of every issue's
// extreme term. Rounding a sum never reverses an order, so no package's
// sum is beyond them, and the package of extreme terms reaches each.
func sumExtremes(p *actors.Prefs) (lo, hi float64) {
	for j, vs := range p.Values {
		a, b := math.Inf(1), math.Inf(-1)
		for _, x := range vs {
			a, b = min(a, p.Weights[j]*x), max(b, p.Weights[j]*x)
		}
		lo += a
		hi += b
	}
	return lo, hi
}

// idealOf returns the package of sp worth most under p, the lowest index
// among equals, as a search of every package finds it: levels are tried
// in index order, and a branch is left once even its best completion
// falls short of the greatest sum.
func idealOf(sp actors.Space, p *actors.Prefs) int {
	L := len(sp.Levels)
	best := make([]float64, L) // best[j]: the greatest term of issue j
	hi := 0.0
	for j, vs := range p.Values {
		b := math.Inf(-1)
		for _, x := range vs {
			b = max(b, p.Weights[j]*x)
		}
		best[j] = b
		hi += b
	}
	lv := make([]int, L)
	var find func(j int, sum float64) bool
	find = func(j int, sum float64) bool {
		if j == L {
			return sum == hi
		}
		// The most any completion reaches, added from the left.
		top := sum
		for k := j; k < L; k++ {
			top += best[k]
		}
		if top < hi {
			return false
		}
		for l, x := range p.Values[j] {
			lv[j] = l
			if find(j+1, sum+p.Weights[j]*x) {
				return true
			}
		}
		return false
	}
	find(0, 0)
	return sp.Encode(lv)
}
