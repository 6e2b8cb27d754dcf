package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
)

// randomCondition is a condition on a random issue of levels, at a level
// beyond the first (a condition at level 0 always holds).
func randomCondition(r *rand.Rand, levels []int) scenarios.Condition {
	j := r.IntN(len(levels))
	return scenarios.Condition{Issue: j, AtLeast: r.IntN(levels[j]) + min(1, levels[j]-1)}
}

// randomLinks draws up to three linkage terms, some with Unless
// conditions, with values on a grid so that they tie with issue values.
func randomLinks(r *rand.Rand, levels []int) []actors.Link {
	var links []actors.Link
	for range r.IntN(4) {
		var l actors.Link
		for range 1 + r.IntN(2) {
			l.When = append(l.When, randomCondition(r, levels))
		}
		if r.IntN(3) == 0 {
			for range 1 + r.IntN(2) {
				l.Unless = append(l.Unless, randomCondition(r, levels))
			}
		}
		l.Value = float64(r.IntN(7)-3) / 8
		links = append(links, l)
	}
	return links
}

// frontierDomain draws preferences of n actors over 1–4 issues of 1–5
// levels: values on a coarse grid half the time (so that packages tie) and
// continuous otherwise, weights normalised, and random links.
func frontierDomain(r *rand.Rand, n int) (actors.Space, []actors.Prefs) {
	levels := make([]int, 1+r.IntN(4))
	for j := range levels {
		levels[j] = 1 + r.IntN(5)
	}
	coarse := r.IntN(2) == 0
	draw := func() float64 {
		if coarse {
			return float64(r.IntN(5)) / 4
		}
		return r.Float64()
	}
	prefs := make([]actors.Prefs, n)
	for i := range prefs {
		p := &prefs[i]
		for _, l := range levels {
			p.Weights = append(p.Weights, draw()+float64(r.IntN(2)))
			vals := make([]float64, l)
			for k := range vals {
				vals[k] = draw()
			}
			p.Values = append(p.Values, vals)
		}
		actors.NormaliseWeights(p.Weights)
		p.Links = randomLinks(r, levels)
	}
	return actors.NewSpace(levels), prefs
}

// checkFrontiers checks every way the package builds the Pareto frontier of
// prefs over set against the exhaustive pairwise search: the frontier built
// issue by issue (MethodAdditive, with the utilities it reports), the
// enumeration's dispatch (frontier), the sweep for two actors (frontier2)
// and the sort by sums (paretoFrontier). It returns the frontier's size.
func checkFrontiers(t *testing.T, what string, sp actors.Space, prefs []actors.Prefs, set []int) int {
	t.Helper()
	n := len(prefs)
	tab := buildTable(sp, prefs, nil, true, nil, nil)
	want := paretoFrontierExhaustive(tab.raw, n, sp.Size, set)
	wantInt := make([]int, len(want))
	for k, p := range want {
		wantInt[k] = int(p)
	}
	if got := frontier(tab.raw, n, sp.Size, set, nil); !slices.Equal(got, want) {
		t.Fatalf("%s, set %v: frontier %v, exhaustive %v", what, set, got, want)
	}
	if got := paretoFrontier(tab.raw, n, sp.Size, set, nil, nil); !slices.Equal(got, want) {
		t.Fatalf("%s, set %v: paretoFrontier %v, exhaustive %v", what, set, got, want)
	}
	if len(set) == 2 {
		if got := frontier2(tab.raw, n, sp.Size, set[0], set[1], nil); !slices.Equal(got, want) {
			t.Fatalf("%s, set %v: frontier2 %v, exhaustive %v", what, set, got, want)
		}
	}
	pkgs, raw, err := frontierAdditive(sp, prefs, set, nil)
	if err != nil {
		t.Fatalf("%s, set %v: %v", what, set, err)
	}
	if !slices.Equal(pkgs, wantInt) {
		t.Fatalf("%s, set %v, levels %v: additive frontier %v, exhaustive %v", what, set, sp.Levels, pkgs, want)
	}
	for k, p := range pkgs {
		if !slices.Equal(raw[k*n:(k+1)*n], tab.raw[p*n:(p+1)*n]) {
			t.Fatalf("%s, set %v: additive utilities of package %d %v, table %v", what, set, p, raw[k*n:(k+1)*n], tab.raw[p*n:(p+1)*n])
		}
	}
	return len(want)
}

// The frontier built from the structure equals the exhaustive one on
// random domains of 2 to 5 actors with links, over every actor and over
// the signatories (the first two actors, and for more than three actors
// the first three too) and over a random pair.
func TestFrontierRandomDomains(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	trials := 250
	if testenv.Quick() {
		trials = 60
	}
	for n := 2; n <= 5; n++ {
		for trial := range trials {
			sp, prefs := frontierDomain(r, n)
			all := make([]int, n)
			for i := range all {
				all[i] = i
			}
			what := fmt.Sprintf("%d actors, trial %d", n, trial)
			sets := [][]int{all, {0, 1}}
			if n > 3 {
				sets = append(sets, []int{0, 1, 2})
			}
			a := r.IntN(n)
			b := (a + 1 + r.IntN(n-1)) % n
			sets = append(sets, []int{min(a, b), max(a, b)})
			for _, set := range sets {
				checkFrontiers(t, what, sp, prefs, set)
			}
		}
	}
}

// On a zero-sum domain every package is on the frontier: two actors whose
// values are one minus each other's (with equal weights, so that their
// utilities sum to 1, and links that move utility from one to the other),
// and n actors whose values of each level share a constant sum (a random
// point of the simplex, equal weights).
func TestFrontierZeroSum(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for trial := range 100 {
		sp, prefs := frontierDomain(r, 2)
		b := &prefs[1]
		b.Weights = slices.Clone(prefs[0].Weights)
		for j := range b.Values {
			for l, v := range prefs[0].Values[j] {
				b.Values[j][l] = 1 - v
			}
		}
		b.Links = nil
		for _, l := range prefs[0].Links {
			b.Links = append(b.Links, actors.Link{When: l.When, Unless: l.Unless, Value: -l.Value})
		}
		// Packages worth the same to both are both kept: neither
		// dominates the other.
		if got := checkFrontiers(t, fmt.Sprintf("two actors, zero-sum, trial %d", trial), sp, prefs, []int{0, 1}); got != sp.Size {
			t.Fatalf("zero-sum trial %d: frontier of %d of %d packages", trial, got, sp.Size)
		}
	}
	for trial := range 100 {
		n := 3 + r.IntN(3)
		sp, prefs := frontierDomain(r, n)
		for i := range prefs {
			prefs[i].Weights = slices.Clone(prefs[0].Weights)
			prefs[i].Links = nil
		}
		for j, l := range sp.Levels {
			for k := range l {
				share := make([]float64, n)
				sum := 0.0
				for i := range share {
					share[i] = 0.05 + r.Float64()
					sum += share[i]
				}
				for i := range prefs {
					prefs[i].Values[j][k] = share[i] / sum
				}
			}
		}
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		what := fmt.Sprintf("%d actors, constant-sum, trial %d", n, trial)
		if got := checkFrontiers(t, what, sp, prefs, all); got != sp.Size {
			t.Fatalf("%s: frontier of %d of %d packages", what, got, sp.Size)
		}
		checkFrontiers(t, what, sp, prefs, []int{0, 1})
	}
}

// On a fully aligned domain (every actor with the same preferences) the
// frontier is the set of best packages: those no package beats by more
// than rounding.
func TestFrontierAligned(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for trial := range 100 {
		n := 2 + r.IntN(4)
		sp, prefs := frontierDomain(r, n)
		for i := 1; i < n; i++ {
			prefs[i] = prefs[0]
		}
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		what := fmt.Sprintf("%d aligned actors, trial %d", n, trial)
		got := checkFrontiers(t, what, sp, prefs, all)
		checkFrontiers(t, what, sp, prefs, []int{0, 1})
		// The best packages, counted directly.
		pkg := make([]int, len(sp.Levels))
		raw := make([]float64, sp.Size)
		for q := range sp.Size {
			sp.Decode(q, pkg)
			raw[q] = prefs[0].Raw(pkg)
		}
		best := slices.Max(raw)
		count := 0
		for _, u := range raw {
			if u >= best-dominanceMargin {
				count++
			}
		}
		if got != count {
			t.Fatalf("%s: frontier of %d packages, %d best", what, got, count)
		}
	}
}

// Analyze's frontier from the additive structure equals the enumeration's
// on random scenarios of 2 to 5 actors with links, over the signatories
// and over every actor (the enumeration path is checked against the
// exhaustive search above).
func TestAnalyzeFrontierMethodsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	for trial := range 40 {
		n := 2 + trial%4
		levels := []int{2 + r.IntN(3), 1 + r.IntN(4), 2 + r.IntN(3), 1 + r.IntN(3)}
		sc := randomScenario(r, n, levels)
		for _, all := range []bool{false, true} {
			e, ad := analyzeBoth(t, sc, AnalyzeOptions{All: all, Frontier: true})
			var ep, ap []int
			for _, f := range e.Frontier {
				ep = append(ep, f.Package)
			}
			for _, f := range ad.Frontier {
				ap = append(ap, f.Package)
			}
			if !slices.Equal(ep, ap) {
				t.Fatalf("trial %d, %d actors, all %v: enumeration's frontier %v, additive %v", trial, n, all, ep, ap)
			}
		}
	}
}

// A partial package whose sums exceed another's by just over the
// dominance margin is pruned, though once the remaining issues are added
// rounding can leave the two packages within the margin, both on the
// frontier: the pruning of partial packages must allow for rounding.
// Package (0, 0) is worth 0.7 to a and (1, 0) is worth 0.7 + d, d the
// float after 1e-9; both are worth 0.7 to b.
func TestFrontierAdditiveAtTheMargin(t *testing.T) {
	d := math.Nextafter(dominanceMargin, 1)
	prefs := []actors.Prefs{
		{Weights: []float64{1, 1}, Values: [][]float64{{0, d}, {0.7}}},
		{Weights: []float64{1, 1}, Values: [][]float64{{0.5, 0.5}, {0.2}}},
	}
	checkFrontiers(t, "at the margin", actors.NewSpace([]int{2, 1}), prefs, []int{0, 1})
}
