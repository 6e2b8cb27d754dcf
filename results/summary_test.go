package results

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"

	"github.com/parley-sim/parley/sim"
)

func TestMergeEqualsAdd(t *testing.T) {
	sc := testmodel.TwoActors()
	const n = 10007
	all := NewSummary(sc)
	testmodel.Records(n, 3, all.Add)

	for _, cuts := range [][]int{{n / 2}, {1, 500, 501, 9000}, {0, n}} {
		chunks := []*Summary{NewSummary(sc)}
		i := 0
		testmodel.Records(n, 3, func(r *sim.Record) {
			i++
			for _, c := range cuts {
				if i == c+1 {
					chunks = append(chunks, NewSummary(sc))
				}
			}
			chunks[len(chunks)-1].Add(r)
		})
		merged := NewSummary(sc)
		for _, c := range chunks {
			merged.Merge(c)
		}
		want, got := all.Report("t", 9), merged.Report("t", 9)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("chunks cut at %v: merged report differs from adding all:\ngot  %+v\nwant %+v", cuts, got, want)
		}
		var wb, gb bytes.Buffer
		if err := WriteJSON(&wb, want); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&gb, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(wb.Bytes(), gb.Bytes()) {
			t.Errorf("chunks cut at %v: JSON differs", cuts)
		}
	}
}

func TestMergeLeavesOtherAlone(t *testing.T) {
	sc := testmodel.TwoActors()
	a, b := NewSummary(sc), NewSummary(sc)
	testmodel.Records(100, 1, a.Add)
	testmodel.Records(100, 2, b.Add)
	before := b.Report("t", 0)
	a.Merge(b)
	a.Merge(nil)
	if !reflect.DeepEqual(b.Report("t", 0), before) {
		t.Error("Merge changed its argument")
	}
	if a.Runs() != 200 {
		t.Errorf("Runs() = %d after merging two summaries of 100, want 200", a.Runs())
	}
}

func TestMemoryBounded(t *testing.T) {
	sc := testmodel.TwoActors()
	s := NewSummary(sc)
	testmodel.Records(100_000, 5, s.Add)
	if s.Runs() != 100_000 {
		t.Fatalf("Runs() = %d, want 100000", s.Runs())
	}
	if len(s.endTurn) != sc.Horizon+1 {
		t.Errorf("end-turn histogram has %d bins, want Horizon+1 = %d", len(s.endTurn), sc.Horizon+1)
	}
	if len(s.packages) > 6 {
		t.Errorf("%d packages counted; the package space has 6", len(s.packages))
	}
	if len(s.utility) != 2 || len(s.utilityAgreed) != 2 || len(s.terms) != 2 || len(s.terms[0]) != 3 || len(s.terms[1]) != 2 {
		t.Errorf("per-actor or per-issue state grew: %d %d %d", len(s.utility), len(s.utilityAgreed), len(s.terms))
	}

	// Once every package has been seen, adding a run allocates nothing.
	r := &sim.Record{Outcome: sim.Agreement, EndTurn: 4, Utility: []float64{0.5, 0.5}, Terms: []int{2, 1}}
	if allocs := testing.AllocsPerRun(1000, func() { s.Add(r) }); allocs != 0 {
		t.Errorf("Add allocates %v times per run", allocs)
	}
}

func TestAddCopies(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	r := &sim.Record{Outcome: sim.Agreement, EndTurn: 3, Utility: []float64{0.25, 0.75}, Terms: []int{2, 1}}
	s.Add(r)
	// The runner reuses the record's slices for the next run.
	r.Outcome, r.EndTurn = sim.Breakdown, 5
	r.Utility[0], r.Utility[1] = 0.5, 0.5
	r.Terms[0], r.Terms[1] = -1, -1
	s.Add(r)

	rep := s.Report("t", 0)
	if got := rep.Terms["exercises"]["suspended"].Count; got != 1 {
		t.Errorf("exercises=suspended counted %d times, want 1", got)
	}
	if len(rep.Packages) != 1 || rep.Packages[0].Terms["exercises"] != "suspended" || rep.Packages[0].Terms["sanctions"] != "eased" {
		t.Errorf("packages = %+v, want one exercises=suspended, sanctions=eased", rep.Packages)
	}
	if got := *rep.Actors["us"].MeanUtilityInAgreement; got != 0.25 {
		t.Errorf("us mean utility in agreement = %g, want 0.25", got)
	}
	if got := rep.Actors["us"].MeanUtility; got != 0.375 {
		t.Errorf("us mean utility = %g, want 0.375", got)
	}
}

func TestQuantileNearestRank(t *testing.T) {
	// Sorted observations: 1 1 3 3 3 4 5 5 5 5.
	hist := []int{0, 2, 0, 3, 1, 4}
	for _, c := range []struct{ pct, want int }{
		{1, 1},   // rank ⌈0.1⌉ = 1
		{10, 1},  // rank 1
		{20, 1},  // rank 2
		{25, 3},  // rank ⌈2.5⌉ = 3
		{50, 3},  // rank 5
		{60, 4},  // rank 6
		{75, 5},  // rank ⌈7.5⌉ = 8
		{90, 5},  // rank 9
		{100, 5}, // rank 10
	} {
		if got := quantile(hist, 10, c.pct); got != c.want {
			t.Errorf("p%d = %d, want %d", c.pct, got, c.want)
		}
	}
	// 0.1·30 is 3.0000000000000004 in float64; the rank must still be 3.
	flat := make([]int, 30)
	for i := range flat {
		flat[i] = 1
	}
	if got := quantile(flat, 30, 10); got != 2 {
		t.Errorf("p10 of 0..29 = %d, want 2 (the 3rd value)", got)
	}
	if got := quantile(nil, 0, 50); got != 0 {
		t.Errorf("median of nothing = %d, want 0", got)
	}
}

func TestTurnStats(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	r := &sim.Record{Outcome: sim.Stalemate, Utility: make([]float64, 2), Terms: []int{-1, -1}}
	for _, turn := range []int{5, 1, 3, 5, 3, 4, 1, 5, 3, 5} {
		r.EndTurn = turn
		s.Add(r)
	}
	want := TurnStats{Mean: 3.5, Min: 1, P10: 1, P25: 3, Median: 3, P75: 5, P90: 5, Max: 5}
	if got := s.Report("t", 0).Turns; got != want {
		t.Errorf("turns = %+v, want %+v", got, want)
	}
}

func TestReportNumbers(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	add := func(o sim.Outcome, u0, u1 float64, e, sa int) {
		s.Add(&sim.Record{Outcome: o, EndTurn: 2, Utility: []float64{u0, u1}, Terms: []int{e, sa}, Tests: 1, Deals: 1})
	}
	// Packages by count: (1,0)×2 and (0,1)×2 tie and (2,1)×1; the tie is
	// broken by encoding, (0,1) = 1 before (1,0) = 2.
	add(sim.Agreement, 1, 0.5, 1, 0)
	add(sim.Agreement, 1, 0.5, 0, 1)
	add(sim.Agreement, 1, 0.5, 2, 1)
	add(sim.Agreement, 1, 0.5, 1, 0)
	add(sim.Agreement, 0.5, 0.5, 0, 1)
	add(sim.Conflict, 0, 0, -1, -1)
	add(sim.Breakdown, 0, 0, -1, -1)
	add(sim.Breakdown, 0, 0, -1, -1)

	r := s.Report("test-talks", 42)
	if r.Runs != 8 || r.Seed != 42 || r.Scenario != "test-talks" {
		t.Errorf("header = %q %d %d", r.Scenario, r.Runs, r.Seed)
	}
	lo, hi := Wilson(5, 8)
	if got, want := r.Outcomes.Agreement, (OutcomeStat{5, 0.625, lo, hi}); got != want {
		t.Errorf("agreement = %+v, want %+v", got, want)
	}
	if got := r.Outcomes.Get(sim.Breakdown); got.Count != 2 || got.Share != 0.25 {
		t.Errorf("breakdown = %+v", got)
	}
	if got := r.Outcomes.Stalemate; got.Count != 0 || got.CILow != 0 {
		t.Errorf("stalemate = %+v", got)
	}
	if got := *r.Actors["us"].MeanUtilityInAgreement; got != 0.9 {
		t.Errorf("us mean utility in agreement = %g, want 0.9", got)
	}
	if got := r.Actors["us"].MeanUtility; got != 4.5/8 {
		t.Errorf("us mean utility = %g, want %g", got, 4.5/8)
	}
	wantTerms := map[string]map[string]TermStat{
		"exercises": {"ongoing": {2, 0.4}, "scaled": {2, 0.4}, "suspended": {1, 0.2}},
		"sanctions": {"kept": {2, 0.4}, "eased": {3, 0.6}},
	}
	if !reflect.DeepEqual(r.Terms, wantTerms) {
		t.Errorf("terms = %v, want %v", r.Terms, wantTerms)
	}
	wantPkgs := []PackageStat{
		{map[string]string{"exercises": "ongoing", "sanctions": "eased"}, 2, 0.4},
		{map[string]string{"exercises": "scaled", "sanctions": "kept"}, 2, 0.4},
		{map[string]string{"exercises": "suspended", "sanctions": "eased"}, 1, 0.2},
	}
	if !reflect.DeepEqual(r.Packages, wantPkgs) {
		t.Errorf("packages = %v, want %v", r.Packages, wantPkgs)
	}
	if got, want := r.Events, (EventRates{1, 0, 1, 0, 0}); got != want {
		t.Errorf("events = %+v, want %+v", got, want)
	}
}

// Runs that end with only a step in force are counted apart, as a part of
// the agreements; a run that signed a step and ended otherwise counts its
// step among the steps signed but not as a partial agreement, whatever its
// Partial flag says.
func TestReportPartial(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	rec := func(o sim.Outcome, steps int, partial bool) *sim.Record {
		return &sim.Record{Outcome: o, EndTurn: 2, Utility: []float64{0.5, 0.5}, Terms: []int{1, 0}, Deals: steps, Partials: steps, Partial: partial}
	}
	s.Add(rec(sim.Agreement, 1, true))
	s.Add(rec(sim.Agreement, 2, true))
	s.Add(rec(sim.Agreement, 0, false))
	s.Add(rec(sim.Breakdown, 1, true))
	o := NewSummary(testmodel.TwoActors())
	o.Add(rec(sim.Agreement, 1, true))
	s.Merge(o)
	r := s.Report("t", 1)
	lo, hi := Wilson(3, 5)
	if got, want := r.Partial, (OutcomeStat{3, 0.6, lo, hi}); got != want {
		t.Errorf("partial = %+v, want %+v", got, want)
	}
	if got := r.Events.StepsPerRun; got != 1 {
		t.Errorf("steps per run = %g, want 1 (5 steps in 5 runs)", got)
	}
	var b strings.Builder
	if err := WriteTable(&b, r, testmodel.TwoActors()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "  a step only    60.0%") {
		t.Errorf("the table does not give the step-only share under agreement:\n%s", b.String())
	}
}

func TestTopPackagesAtMostFive(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	r := &sim.Record{Outcome: sim.Agreement, EndTurn: 1, Utility: make([]float64, 2), Terms: make([]int, 2)}
	for e := range 3 {
		for sa := range 2 {
			for range 1 + e + 3*sa { // counts 1..6, all different
				r.Terms[0], r.Terms[1] = e, sa
				s.Add(r)
			}
		}
	}
	pk := s.Report("t", 0).Packages
	if len(pk) != TopPackages {
		t.Fatalf("%d packages listed, want %d", len(pk), TopPackages)
	}
	for i, want := range []int{6, 5, 4, 3, 2} {
		if pk[i].Count != want {
			t.Errorf("package %d has count %d, want %d", i, pk[i].Count, want)
		}
	}
}

func TestEmptyReport(t *testing.T) {
	r := NewSummary(testmodel.TwoActors()).Report("t", 0)
	if r.Runs != 0 || r.Outcomes.Agreement.CIHigh != 1 || r.Actors["us"].MeanUtilityInAgreement != nil {
		t.Errorf("empty report = %+v", r)
	}
	if r.Packages == nil {
		t.Error("Packages is nil; it must encode as [] not null")
	}
	if len(r.Terms["exercises"]) != 3 {
		t.Errorf("terms of an empty report = %v; every level must be present", r.Terms)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatalf("WriteJSON of an empty report: %v", err)
	}
}

func TestAddPanicsOnMismatch(t *testing.T) {
	for name, r := range map[string]*sim.Record{
		"utilities": {EndTurn: 1, Utility: make([]float64, 3), Terms: []int{-1, -1}},
		"terms":     {EndTurn: 1, Utility: make([]float64, 2), Terms: []int{-1}},
		"turn":      {EndTurn: 13, Utility: make([]float64, 2), Terms: []int{-1, -1}},
		"outcome":   {Outcome: 9, EndTurn: 1, Utility: make([]float64, 2), Terms: []int{-1, -1}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Add did not panic")
				}
			}()
			NewSummary(testmodel.TwoActors()).Add(r)
		})
	}
}

func TestMergePanicsOnOtherScenario(t *testing.T) {
	other := testmodel.TwoActors()
	other.Horizon = 20
	defer func() {
		if recover() == nil {
			t.Error("Merge of a summary of another shape did not panic")
		}
	}()
	NewSummary(testmodel.TwoActors()).Merge(NewSummary(other))
}

func TestIncompleteAgreement(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	s.Add(&sim.Record{Outcome: sim.Agreement, EndTurn: 1, Utility: make([]float64, 2), Terms: []int{1, -1}})
	r := s.Report("t", 0)
	if got := r.Terms["exercises"]["scaled"].Count; got != 1 {
		t.Errorf("exercises=scaled counted %d times, want 1", got)
	}
	if len(r.Packages) != 0 {
		t.Errorf("an incomplete package was counted: %v", r.Packages)
	}
}

// A reset summary is an empty one: reusing it for a new chunk gives the
// same report as a fresh summary.
func TestResetEmpties(t *testing.T) {
	sc := testmodel.TwoActors()
	used, fresh := NewSummary(sc), NewSummary(sc)
	testmodel.Records(500, 3, func(r *sim.Record) { used.Add(r) })
	used.Reset()
	if !reflect.DeepEqual(used.Report("x", 1), fresh.Report("x", 1)) {
		t.Fatal("a reset summary reports differently from a fresh one")
	}
	testmodel.Records(300, 4, func(r *sim.Record) { used.Add(r); fresh.Add(r) })
	if !reflect.DeepEqual(used.Report("x", 1), fresh.Report("x", 1)) {
		t.Fatal("a reused summary reports differently from a fresh one")
	}
}

func TestHistograms(t *testing.T) {
	for _, tc := range []struct {
		u   float64
		bin int
	}{{0, 0}, {0.049, 0}, {0.05, 1}, {0.5, 10}, {0.99, 19}, {1, 19}} {
		if b := UtilityBin(tc.u); b != tc.bin {
			t.Errorf("UtilityBin(%v) = %d, want %d", tc.u, b, tc.bin)
		}
	}
	sc := testmodel.TwoActors()
	s := NewSummary(sc)
	n := 0
	testmodel.Records(1000, 9, func(r *sim.Record) { s.Add(r); n++ })
	rep := s.Report("x", 1)
	for id, h := range rep.Histograms.Utility {
		total := 0
		for _, c := range h {
			total += c
		}
		if total != n || len(h) != UtilityBins {
			t.Errorf("%s: %d bins holding %d runs, want %d bins holding %d", id, len(h), total, UtilityBins, n)
		}
	}
	turns := 0
	for tr, c := range rep.Histograms.EndTurn {
		turns += tr * c
	}
	if float64(turns)/float64(n) != rep.Turns.Mean {
		t.Errorf("end-turn histogram mean %v, report mean %v", float64(turns)/float64(n), rep.Turns.Mean)
	}
}
