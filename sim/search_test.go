package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/scenarios"
)

// randomPrefs draws preferences for n actors over issues with the given
// level counts, with values on a coarse grid so that ties happen.
func randomPrefs(r *rand.Rand, n int, levels []int) []actors.Prefs {
	prefs := make([]actors.Prefs, n)
	for i := range prefs {
		p := &prefs[i]
		for _, l := range levels {
			p.Weights = append(p.Weights, float64(r.IntN(4)))
			vals := make([]float64, l)
			for k := range vals {
				vals[k] = float64(r.IntN(5)) / 4
			}
			p.Values = append(p.Values, vals)
		}
		if r.IntN(2) == 0 {
			p.Links = []actors.Link{{When: []scenarios.Condition{{Issue: 0, AtLeast: 1}, {Issue: 1, AtLeast: 1}}, Value: float64(r.IntN(3)-1) / 4}}
		}
		actors.NormaliseWeights(p.Weights)
	}
	return prefs
}

// normalised returns the normalised utilities of the given packages under
// scales sc.
func normalised(t *table, pkgs []int32, sc []actors.Scale) []float64 {
	n := t.actors
	u := make([]float64, len(pkgs)*n)
	for k, p := range pkgs {
		for i := range n {
			u[k*n+i] = sc[i].U(t.raw[int(p)*n+i])
		}
	}
	return u
}

func allPackages(size int) []int32 {
	out := make([]int32, size)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

func randomLevels(r *rand.Rand) []int {
	return []int{2 + r.IntN(3), 2 + r.IntN(3), 1 + r.IntN(4)}
}

// The frontier found by the sorted sweep is the one pairwise checks find,
// for any set of actors.
func TestParetoFrontierMatchesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 2 + r.IntN(3)
		levels := randomLevels(r)
		sp := actors.NewSpace(levels)
		var set []int
		for i := range n {
			if i < 2 || r.IntN(2) == 0 {
				set = append(set, i)
			}
		}
		tab := buildTable(sp, randomPrefs(r, n, levels), nil, true, nil, nil)
		got := paretoFrontier(tab.raw, n, sp.Size, set, nil, nil)
		want := paretoFrontierExhaustive(tab.raw, n, sp.Size, set)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, set %v: frontier %v, exhaustive %v", trial, set, got, want)
		}
	}
}

// The engine's searches visit packages in a sorted order, or one sorted
// only bucket by bucket (a table rebuilt every run), and stop early; they
// give the package an exhaustive search in index order gives, with a
// mediator that backs some packages, a credibility test that rules some
// out, and the status quo excluded. The ultimatum's search of a frontier
// gives what an exhaustive search gives.
func TestSortedSearchesMatchExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	bucketedSeen := false
	for trial := range 500 {
		n := 2 + r.IntN(3)
		// A fourth issue makes up to 320 packages: enough for buckets.
		levels := append(randomLevels(r), 1+r.IntN(5))
		sp := actors.NewSpace(levels)
		sig := []int{0, 1}
		if n > 2 && r.IntN(2) == 0 {
			sig = append(sig, 2)
		}
		var sets [][]int
		for a := range n {
			set := slices.Clone(sig)
			if !slices.Contains(set, a) {
				set = append(set, a)
			}
			slices.Sort(set)
			sets = append(sets, set)
		}
		prefs := randomPrefs(r, n, levels)
		if trial%2 == 1 {
			// Values off the grid: few ties, so that buckets hold
			// packages of different utilities.
			for i := range prefs {
				for _, vs := range prefs[i].Values {
					for l := range vs {
						vs[l] += 0.05 * r.Float64()
					}
				}
			}
		}
		tab := buildTable(sp, prefs, nil, true, nil, nil)
		bk := buildTable(sp, prefs, nil, false, nil, nil)
		for _, o := range bk.byU {
			bucketedSeen = bucketedSeen || len(o.bucket) > 0
		}
		orders := [][]order{tab.byU, bk.byU}
		sc := make([]actors.Scale, n)
		noDeal, noDealB := make([]float64, n), make([]float64, n)
		for i := range n {
			c := actors.ConflictValue(tab.rawMin[i], tab.rawMax[i], r.Float64(), r.Float64())
			sc[i] = actors.NewScale(tab.rawMin[i], tab.rawMax[i], c)
			noDeal[i] = r.Float64() * 0.6
			noDealB[i] = max(0, noDeal[i]-r.Float64()*0.2)
		}
		u := normalised(tab, allPackages(sp.Size), sc)
		sq := r.IntN(sp.Size)
		bad := make([]bool, sp.Size) // not credible
		for p := range bad {
			bad[p] = r.IntN(4) == 0
		}
		cred := func(p int) bool { return !bad[p] }
		for a := range n {
			asp := r.Float64()
			kE := propose(u, n, sp.Size, nil, false, a, asp, sig, sets[a], sq, cred)
			kS := kE
			for x, byU := range orders {
				if kS = propose(u, n, sp.Size, &byU[a], false, a, asp, sig, sets[a], sq, cred); kS != kE {
					t.Fatalf("trial %d, order %d: propose by %d at %.3f: sorted %d, exhaustive %d", trial, x, a, asp, kS, kE)
				}
				if len(sig) == 2 && slices.Contains(sig, a) {
					other := sig[0] + sig[1] - a
					if kO := propose(u, n, sp.Size, &byU[other], true, a, asp, sig, sets[a], sq, cred); kO != kE {
						t.Fatalf("trial %d, order %d: propose by %d at %.3f, by objective: %d, exhaustive %d", trial, x, a, asp, kO, kE)
					}
				}
			}
			if kS == sq || (kS >= 0 && bad[kS]) {
				t.Fatalf("trial %d: propose returned the status quo or a package that is not credible", trial)
			}
			if slices.Contains(sig, a) {
				continue // a mediator is not a signatory
			}
			need, needB := make([]float64, n), make([]float64, n)
			for j := range need {
				need[j] = noDeal[j] + r.Float64()*0.3
				needB[j] = noDealB[j] + r.Float64()*0.3
			}
			st := &stance{med: a, back: r.Float64(), noDeal: noDeal, noDealB: noDealB, need: need, needB: needB}
			for _, beta := range []float64{0, 0.3, 0.9, 1} {
				floor := r.Float64() * 0.3
				var lean func(int) float64
				if beta > 0 && beta < 1 {
					lean = func(k int) float64 { return leanWeight(u[k*n+a], beta) }
				}
				kE := mediate(u, n, sp.Size, nil, sig[0], a, lean, beta >= 1, floor, sig, sets[a], st, sq, cred, true)
				for x, byU := range orders {
					lead := narrowest(u, n, byU, sig, noDeal, noDealB)
					if kS := mediate(u, n, sp.Size, &byU[lead], lead, a, lean, beta >= 1, floor, sig, sets[a], st, sq, cred, true); kS != kE {
						t.Fatalf("trial %d, order %d: mediate β=%v: sorted %d, exhaustive %d", trial, x, beta, kS, kE)
					}
					// Without the zone it finds the same package when that
					// package meets every demand, and none otherwise.
					kN := mediate(u, n, sp.Size, &byU[lead], lead, a, lean, beta >= 1, floor, sig, sets[a], st, sq, cred, false)
					if meets := kE >= 0 && meetsAll(u[kE*n:(kE+1)*n], sig, st); (meets && kN != kE) || (!meets && kN != -1) {
						t.Fatalf("trial %d, order %d: mediate β=%v without the zone: %d, with it %d (meets every demand: %v)", trial, x, beta, kN, kE, meets)
					}
				}
				lead := narrowest(u, n, tab.byU, sig, noDeal, noDealB)
				// A mediator that misperceives chooses by other utilities
				// to the signatories (ub here, the truth, plus an error of
				// up to 0.2): visiting packages in the true order and
				// stopping at the bound finds what the exhaustive search
				// over its beliefs finds.
				ub := slices.Clone(u)
				slack := math.Inf(-1)
				for k := range sp.Size {
					for _, j := range sig {
						ub[k*n+j] += 0.4*r.Float64() - 0.2
						if j == lead {
							slack = max(slack, ub[k*n+j]-u[k*n+j])
						}
					}
				}
				kX := mediate(ub, n, sp.Size, nil, sig[0], a, lean, beta >= 1, floor, sig, sets[a], st, sq, cred, true)
				for x, byU := range orders {
					if kB := mediateBounded(ub, u, slack, n, sp.Size, &byU[lead], lead, a, lean, beta >= 1, floor, sig, sets[a], st, sq, cred, true); kB != kX {
						t.Fatalf("trial %d, order %d: mediate β=%v by beliefs: bounded %d, exhaustive %d", trial, x, beta, kB, kX)
					}
				}
			}
			floorSt := *st
			want := reachable(u, n, sp.Size, nil, sig[0], sig, &floorSt, sq, cred)
			for x, byU := range orders {
				lead := narrowest(u, n, byU, sig, need, needB)
				if got := reachable(u, n, sp.Size, &byU[lead], lead, sig, &floorSt, sq, cred); got != want {
					t.Fatalf("trial %d, order %d: reachable: sorted %v, exhaustive %v", trial, x, got, want)
				}
			}
		}
		// The ultimatum of the last signatory.
		k := sig[len(sig)-1]
		lo, hi := make([]float64, n), make([]float64, n)
		for j := range lo {
			lo[j] = r.Float64() * 0.7
			hi[j] = lo[j]
			if r.IntN(2) == 0 {
				hi[j] += r.Float64() * 0.3
			}
		}
		floor := r.Float64() * 0.8
		cE, fE := demand(u, n, sp.Size, nil, k, floor, sig, lo, hi, sets[k], sq, cred)
		for x, byU := range orders {
			if cS, fS := demand(u, n, sp.Size, &byU[k], k, floor, sig, lo, hi, sets[k], sq, cred); cS != cE || fS != fE {
				t.Fatalf("trial %d, order %d: demand: sorted %d (%v), exhaustive %d (%v)", trial, x, cS, fS, cE, fE)
			}
		}
	}
	if !bucketedSeen {
		t.Fatal("no trial had a bucketed order")
	}
}

// With bias 0 the mediator proposes the signatories' Nash bargaining
// solution (Nash 1950): the package in the zone of possible agreement with
// the largest product of gains over no agreement, computed here directly as
// a product over every package.
func TestMediatorWithoutBiasProposesNashPoint(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		n := 3
		levels := []int{3, 4, 3}
		sp := actors.NewSpace(levels)
		set := []int{0, 1, 2}
		tab := buildTable(sp, randomPrefs(r, n, levels), nil, true, nil, nil)
		sc := make([]actors.Scale, n)
		for i := range n {
			sc[i] = actors.NewScale(tab.rawMin[i], tab.rawMax[i], tab.rawMin[i])
		}
		noDeal := []float64{r.Float64() * 0.5, r.Float64() * 0.5, 0}
		sig := []int{0, 1}
		best, bestProd := -1, -1.0
		for p := range sp.Size {
			u0 := sc[0].U(tab.raw[p*n])
			u1 := sc[1].U(tab.raw[p*n+1])
			if u0 <= noDeal[0] || u1 <= noDeal[1] {
				continue
			}
			if prod := (u0 - noDeal[0]) * (u1 - noDeal[1]); prod > bestProd {
				best, bestProd = p, prod
			}
		}
		u := normalised(tab, allPackages(sp.Size), sc)
		st := &stance{med: -1, noDeal: noDeal, noDealB: noDeal}
		k := mediate(u, n, sp.Size, &tab.byU[0], 0, 2, nil, false, 0, sig, set, st, -1, nil, true)
		if (k < 0) != (best < 0) {
			t.Fatalf("trial %d: mediator %d, Nash point %d", trial, k, best)
		}
		if k < 0 {
			continue
		}
		// The mediator's package is a Nash point: its product of gains is
		// the maximum (several packages may share it).
		gp := (u[k*n] - noDeal[0]) * (u[k*n+1] - noDeal[1])
		if math.Abs(gp-bestProd) > 1e-12*bestProd {
			t.Fatalf("trial %d: mediator proposed %d (product %v), Nash point is %d (product %v)", trial, k, gp, best, bestProd)
		}
	}
}

// meetsAll reports whether a package with utilities row gives every
// signatory what it asks under st.
func meetsAll(row []float64, sig []int, st *stance) bool {
	need := st.need
	if st.backed(row) {
		need = st.needB
	}
	for _, j := range sig {
		if row[j] < need[j] {
			return false
		}
	}
	return true
}

// A closed halt stops the set-up loops at their first check: they return
// without finishing (what they return is never used), where an open one
// lets them finish.
func TestHaltStopsSetUp(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	levels := []int{4, 4, 4, 4, 4, 4}
	sp := actors.NewSpace(levels)
	prefs := randomPrefs(r, 3, levels)
	stopped := make(chan struct{})
	close(stopped)

	whole := buildTable(sp, prefs, nil, true, nil, nil)
	cut := buildTable(sp, prefs, nil, true, nil, stopped)
	if math.IsInf(whole.rawMax[0], -1) || !math.IsInf(cut.rawMax[0], -1) {
		t.Fatalf("buildTable: greatest raw utility %v open, %v halted; want a value, then none", whole.rawMax[0], cut.rawMax[0])
	}
	set := []int{0, 1, 2}
	if f := paretoFrontier(whole.raw, 3, sp.Size, set, nil, nil); len(f) == 0 {
		t.Fatal("paretoFrontier found no frontier")
	}
	if f := paretoFrontier(whole.raw, 3, sp.Size, set, nil, stopped); len(f) != 0 {
		t.Fatalf("halted paretoFrontier went on: %d packages", len(f))
	}
	if f := frontier2(whole.raw, 3, sp.Size, 0, 1, stopped); len(f) != 0 {
		t.Fatalf("halted frontier2 went on: %d packages", len(f))
	}
	if pk, _, err := frontierAdditive(sp, prefs, set, stopped); err != nil || len(pk) != 0 {
		t.Fatalf("halted frontierAdditive went on: %d packages, %v", len(pk), err)
	}
}

// sortHalting gives the order a stable sort by utility gives, at sizes
// around its block and merge boundaries, ties included; halted, it says so.
func TestSortHalting(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	var buf []int32
	for _, size := range []int{0, 1, 7, 1 << 13, 1<<13 + 1, 3<<13 - 5, 1 << 16, 100_003} {
		keys := make([]float64, size)
		for p := range keys {
			keys[p] = float64(r.IntN(50)) // many ties
		}
		desc := func(a, b int32) int { return cmp.Compare(keys[b], keys[a]) }
		want := make([]int32, size)
		for p := range want {
			want[p] = int32(p)
		}
		got := slices.Clone(want)
		slices.SortStableFunc(want, desc)
		if !sortHalting(got, func(a, b int32) int {
			if c := desc(a, b); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		}, &buf, nil) || !slices.Equal(got, want) {
			t.Fatalf("%d keys: sortHalting differs from a stable sort", size)
		}
	}
	stopped := make(chan struct{})
	close(stopped)
	x := make([]int32, 1<<15)
	if sortHalting(x, func(a, b int32) int { return cmp.Compare(a, b) }, &buf, stopped) {
		t.Fatal("a halted sortHalting reported a sorted slice")
	}
}
