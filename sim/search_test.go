package sim

import (
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
		tab := buildTable(sp, randomPrefs(r, n, levels), [][]int{set}, 0, nil)
		want := paretoFrontierExhaustive(tab.raw, n, sp.Size, set)
		if !slices.Equal(tab.fronts[0].pkgs, want) {
			t.Fatalf("trial %d, set %v: frontier %v, exhaustive %v", trial, set, tab.fronts[0].pkgs, want)
		}
	}
}

// Searching a frontier gives the package an exhaustive search of every
// package gives, for proposals and for mediation.
func TestFrontierSearchesMatchExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 500 {
		n := 2 + r.IntN(3)
		levels := randomLevels(r)
		sp := actors.NewSpace(levels)
		sig := []int{0, 1}
		if n > 2 && r.IntN(2) == 0 {
			sig = append(sig, 2)
		}
		// One actor set per searcher: the signatories with each actor.
		var sets [][]int
		for a := range n {
			set := slices.Clone(sig)
			if !slices.Contains(set, a) {
				set = append(set, a)
			}
			sets = append(sets, set)
		}
		tab := buildTable(sp, randomPrefs(r, n, levels), sets, sig[0], nil)
		sc := make([]actors.Scale, n)
		noDeal := make([]float64, n)
		for i := range n {
			c := actors.ConflictValue(tab.rawMin[i], tab.rawMax[i], r.Float64(), r.Float64())
			sc[i] = actors.NewScale(tab.rawMin[i], tab.rawMax[i], c)
			noDeal[i] = r.Float64() * 0.6
		}
		all := allPackages(sp.Size)
		uAll := normalised(tab, all, sc)
		for a := range n {
			f := &tab.fronts[a]
			uF := normalised(tab, f.pkgs, sc)
			asp := r.Float64()
			kF := propose(uF, n, f.pkgs, a, asp, sig, sets[a])
			kA := propose(uAll, n, all, a, asp, sig, sets[a])
			if (kF < 0) != (kA < 0) || (kF >= 0 && f.pkgs[kF] != all[kA]) {
				t.Fatalf("trial %d: propose by %d at %.3f: frontier %d, exhaustive %d", trial, a, asp, kF, kA)
			}
			if slices.Contains(sig, a) {
				continue // a mediator is not a signatory
			}
			for _, beta := range []float64{0, 0.3, 0.9, 1} {
				floor := r.Float64() * 0.3
				need := make([]float64, n)
				for j := range need {
					need[j] = noDeal[j] + r.Float64()*0.3
				}
				leanF, selfish := leanWeights(uF, n, a, beta, nil)
				leanA, _ := leanWeights(uAll, n, a, beta, nil)
				kF := mediate(uF, n, f.pkgs, f.byLead, a, leanF, selfish, floor, sig, sets[a], noDeal, need)
				kA := mediate(uAll, n, all, nil, a, leanA, selfish, floor, sig, sets[a], noDeal, need)
				if (kF < 0) != (kA < 0) || (kF >= 0 && f.pkgs[kF] != all[kA]) {
					t.Fatalf("trial %d: mediate β=%v: frontier %d, exhaustive %d", trial, beta, kF, kA)
				}
			}
		}
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
		tab := buildTable(sp, randomPrefs(r, n, levels), [][]int{set}, 0, nil)
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
		f := &tab.fronts[0]
		uF := normalised(tab, f.pkgs, sc)
		k := mediate(uF, n, f.pkgs, f.byLead, 2, nil, false, 0, sig, set, noDeal, nil)
		if (k < 0) != (best < 0) {
			t.Fatalf("trial %d: mediator %d, Nash point %d", trial, k, best)
		}
		if k < 0 {
			continue
		}
		// The mediator's package is a Nash point: its product of gains is
		// the maximum (several packages may share it).
		gp := (uF[k*n] - noDeal[0]) * (uF[k*n+1] - noDeal[1])
		if math.Abs(gp-bestProd) > 1e-12*bestProd {
			t.Fatalf("trial %d: mediator proposed %d (product %v), Nash point is %d (product %v)", trial, f.pkgs[k], gp, best, bestProd)
		}
	}
}
