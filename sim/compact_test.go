package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/parley-sim/parley/actors"
	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
)

// eligible strips from sc what a compact model cannot play: uncertain
// preferences and events that change them, steps, misperception,
// irreversible levels and links.
func eligible(sc *scenarios.Scenario) {
	sc.Protocol.PartialDeals = false
	for j := range sc.Issues {
		sc.Issues[j].IrreversibleFrom = -1
	}
	for i := range sc.Actors {
		a := &sc.Actors[i]
		a.Misperception = num(0)
		a.Links = nil
		for j, w := range a.Weights {
			a.Weights[j] = num(w.Value)
		}
		for j := range a.Values {
			for l, v := range a.Values[j] {
				a.Values[j][l] = num(v.Value)
			}
		}
	}
	for e := range sc.Events {
		sc.Events[e].Effects.Weights = nil
	}
}

// compileBoth compiles sc as it is and as a compact model.
func compileBoth(t *testing.T, sc *scenarios.Scenario) (whole, compact *Model) {
	t.Helper()
	whole = mustCompile(t, sc)
	compactAll = true
	defer func() { compactAll = false }()
	compact = mustCompile(t, sc)
	if whole.Compact() || !compact.Compact() {
		t.Fatalf("%s: compact %v and %v, want false and true (%s)", sc.ID, whole.Compact(), compact.Compact(), compact.compactable())
	}
	return whole, compact
}

// sameRuns plays runs 1..runs of both models and fails at the first whose
// record or trace differs.
func sameRuns(t *testing.T, name string, whole, compact *Model, runs int) {
	t.Helper()
	w1, w2 := NewWorker(whole), NewWorker(compact)
	w1.KeepTurns(true) // records then hold each turn's state, the deal in force included
	w2.KeepTurns(true)
	outcomes := map[Outcome]int{}
	defer func() { t.Logf("%s: %v over %d runs", name, outcomes, runs) }()
	for run := 1; run <= runs; run++ {
		var t1, t2 Trace
		r1 := w1.Run(7, run, &t1)
		r2 := w2.Run(7, run, &t2)
		outcomes[r1.Outcome]++
		if !reflect.DeepEqual(r1, r2) {
			t.Fatalf("%s run %d: records differ\nwhole   %+v\ncompact %+v", name, run, *r1, *r2)
		}
		if !reflect.DeepEqual(t1, t2) {
			for k := range min(len(t1.Steps), len(t2.Steps)) {
				if !reflect.DeepEqual(t1.Steps[k], t2.Steps[k]) {
					t.Fatalf("%s run %d: step %d differs\nwhole   %+v\ncompact %+v", name, run, k, t1.Steps[k], t2.Steps[k])
				}
			}
			v1, v2 := reflect.ValueOf(t1), reflect.ValueOf(t2)
			for f := range v1.NumField() {
				if !reflect.DeepEqual(v1.Field(f).Interface(), v2.Field(f).Interface()) {
					t.Fatalf("%s run %d: the traces' %s differ\nwhole   %+v\ncompact %+v", name, run, v1.Type().Field(f).Name, v1.Field(f).Interface(), v2.Field(f).Interface())
				}
			}
			t.Fatalf("%s run %d: traces differ", name, run)
		}
	}
}

// A compact model plays every run as the model of the whole space does,
// record and trace alike: the packages it drops are never a search's
// answer. korea-2018 (stripped of what a compact model cannot play: its
// mediator, strikes, events and walk-outs stay) and random bilateral
// spaces whose values sit on a coarse grid, so that many packages tie
// and the searches' tie-breaks decide, with and without a mediator, each
// run drawing the actors' hawkishness, deadlines and odds in a war.
func TestCompactPlaysAsWhole(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	eligible(sc)
	whole, compact := compileBoth(t, sc)
	t.Logf("korea-2018: %d of %d packages kept", compact.Kept(), compact.Space.Size)
	sameRuns(t, "korea-2018", whole, compact, 300)
	// A worker that takes its table from another's (Tables) tells the
	// same run.
	var t1, t2 Trace
	NewWorker(whole).Run(7, 1, &t1)
	NewWorker(compact).Run(7, 1, &t2)
	if !reflect.DeepEqual(t1, t2) {
		t.Fatalf("korea-2018 run 1 on a worker of shared tables: traces differ (ideals %v, %v)", t1.Ideals, t2.Ideals)
	}

	r := rand.New(rand.NewPCG(41, 42))
	for trial := range 40 {
		levels := []int{2 + r.IntN(4), 2 + r.IntN(4), 3 + r.IntN(3), 1 + r.IntN(4), 2 + r.IntN(3)}
		sc := randomScenario(r, 3, levels)
		eligible(sc)
		for i := range sc.Actors {
			a := &sc.Actors[i]
			for j := range a.Weights {
				a.Weights[j] = num(float64(r.IntN(4)))
				for l := range a.Values[j] {
					a.Values[j][l] = num(float64(r.IntN(5)) / 4)
				}
			}
			// Each run draws how the actors fight and when they give up,
			// so that runs end in every way.
			a.Hawkishness, a.Deadline = uniform(0, 1), uniform(2, 10)
			a.Conflict.Prevail, a.Conflict.Cost = uniform(0, 1), uniform(0, 0.3)
		}
		if trial%2 == 1 {
			sc.Protocol.Mediator = 2
			sc.Protocol.MediatorBias = num(0.3)
		}
		sc.ID = fmt.Sprint("random-", trial)
		whole, compact := compileBoth(t, sc)
		sameRuns(t, sc.ID, whole, compact, 40)
	}
}

// The kept packages include every package no other beats (the status quo
// aside) on the sums the searches read, found here by comparing every
// pair; and each actor's best package is found as a search of every
// package finds it.
func TestCandidateSetKeepsTheUnbeaten(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	for trial := range 100 {
		levels := []int{1 + r.IntN(4), 2 + r.IntN(3), 1 + r.IntN(5), 2 + r.IntN(2)}
		sp := actors.NewSpace(levels)
		prefs := randomPrefs(r, 3, levels)
		for i := range prefs {
			prefs[i].Links = nil
		}
		sq := make([]int, len(levels))
		for j, l := range levels {
			sq[j] = r.IntN(l)
		}
		sig := []int{0, 1}
		read := []int{0, 1, 2}
		got := candidateSet(sp, prefs, read, sig, sq, nil)
		// Every package's sums, as the engine adds them.
		feat := func(p int) []float64 {
			lv := make([]int, len(levels))
			sp.Decode(p, lv)
			var f []float64
			for _, a := range read {
				f = append(f, prefs[a].Raw(lv))
			}
			for _, k := range sig {
				kept := make([]int, len(lv))
				for j, l := range lv {
					kept[j] = l
					if prefs[k].Values[j][l] < prefs[k].Values[j][sq[j]] {
						kept[j] = sq[j]
					}
				}
				f = append(f, -prefs[k].Raw(kept))
			}
			return f
		}
		sqIdx := sp.Encode(sq)
		kept := map[int32]bool{}
		for _, p := range got {
			kept[p] = true
		}
		if !kept[int32(sqIdx)] {
			t.Fatalf("trial %d: the status quo is not kept", trial)
		}
		for p := range sp.Size {
			fp := feat(p)
			beaten := false
			for q := range sp.Size {
				if q == p || q == sqIdx {
					continue
				}
				fq := feat(q)
				ge, gt := true, false
				for k := range fp {
					ge = ge && fq[k] >= fp[k]
					gt = gt || fq[k] > fp[k]
				}
				if ge && (gt || q < p) {
					beaten = true
					break
				}
			}
			if !beaten && !kept[int32(p)] {
				t.Fatalf("trial %d, levels %v: package %d is beaten by none, but not kept", trial, levels, p)
			}
		}
		for i := range prefs {
			want := 0
			lv := make([]int, len(levels))
			for p := range sp.Size {
				sp.Decode(p, lv)
				sp.Decode(want, make([]int, len(levels)))
				if prefs[i].Raw(lv) > rawOf(sp, &prefs[i], want) {
					want = p
				}
			}
			if got := idealOf(sp, &prefs[i]); got != want {
				t.Fatalf("trial %d: actor %d's ideal %d, a search of every package finds %d", trial, i, got, want)
			}
		}
	}
}

func rawOf(sp actors.Space, p *actors.Prefs, k int) float64 {
	lv := make([]int, len(sp.Levels))
	sp.Decode(k, lv)
	return p.Raw(lv)
}

// A package ahead of another by less than rounding can undo is not taken
// to beat it: here package 1 is worth one unit in the last place more to
// actor 0 than package 0 on the first issue, which the second issue's
// large term rounds away, so the two tie on every sum and package 0, the
// lower index, is the searches' answer. It must be kept, though package 1
// comes first by the sum of the signatory's (actor 0's) utility.
func TestCandidateSetRoundingTie(t *testing.T) {
	ulp := math.Nextafter(1, 2) - 1
	sp := actors.NewSpace([]int{3, 1})
	prefs := []actors.Prefs{
		{Weights: []float64{1, 1}, Values: [][]float64{{1, 1 + ulp, 2}, {1 << 60}}},
		{Weights: []float64{1, 1}, Values: [][]float64{{1, 1, 0}, {0}}},
	}
	// The status quo, level 2, is worth most to actor 0: breaking takes
	// it back, so what actor 0 keeps by breaking is the same for both.
	got := candidateSet(sp, prefs, []int{0, 1}, []int{0}, []int{2, 0}, nil)
	if rawOf(sp, &prefs[0], 0) != rawOf(sp, &prefs[0], 1) {
		t.Fatal("the second issue's term does not round the difference away")
	}
	if !slices.Contains(got, 0) {
		t.Fatalf("kept %v: package 0, which ties package 1 on every sum, is not kept", got)
	}
}

// On a space of a million packages (ten issues of four levels, three
// actors, the third mediating; the values coarse, so that packages tie),
// with hawkishness and deadlines drawn each run, the compact model plays
// every run as the whole space's does. Heavy: PARLEY_LONG=1.
func TestCompactPlaysAsWholeLarge(t *testing.T) {
	testenv.Heavy(t)
	r := rand.New(rand.NewPCG(45, 46))
	levels := []int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4}
	sc := randomScenario(r, 3, levels)
	eligible(sc)
	for i := range sc.Actors {
		a := &sc.Actors[i]
		for j := range a.Weights {
			a.Weights[j] = num(float64(1 + r.IntN(4)))
			for l := range a.Values[j] {
				a.Values[j][l] = num(float64(r.IntN(5)) / 4)
			}
		}
		a.Hawkishness, a.Deadline = uniform(0, 1), uniform(2, 10)
		a.Conflict.Prevail, a.Conflict.Cost = uniform(0, 1), uniform(0, 0.3)
	}
	sc.Protocol.Mediator = 2
	sc.Protocol.MediatorBias = num(0.3)
	whole, compact := compileBoth(t, sc)
	t.Logf("%d of %d packages kept", compact.Kept(), compact.Space.Size)
	sameRuns(t, "a million packages", whole, compact, 60)
}

// With many actors reading packages, few packages beat others and the
// list would hold most of the space: finding it stops after
// maxCompactWork comparisons, and the model keeps the whole space.
func TestCompactGivesUp(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 48))
	sc := randomScenario(r, 8, []int{4, 4, 4, 4, 4, 4, 4, 4, 4})
	eligible(sc)
	sc.Protocol.Signatories = []int{0, 1, 2, 3, 4, 5, 6, 7}
	sc.Protocol.Proposers = sc.Protocol.Signatories
	compactAll = true
	defer func() { compactAll = false }()
	start := time.Now()
	m := mustCompile(t, sc)
	t.Logf("gave up after %v", time.Since(start))
	if m.Compact() || m.Kept() != m.Space.Size {
		t.Fatalf("compact %v keeping %d of %d packages; want the whole space", m.Compact(), m.Kept(), m.Space.Size)
	}
}
