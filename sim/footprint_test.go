package sim

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// FootprintOf's estimate, less its allowance for the garbage collector,
// must be the memory a worker really keeps alive, within a third, on
// scenarios that exercise every buffer it counts: certain preferences
// (shared tables), uncertain ones (a table per worker), steps, and a
// believer.
func TestFootprintMatchesLiveHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	levels := []int{4, 4, 4, 4, 4, 4, 4, 4} // 65,536 packages
	cases := []struct {
		name string
		edit func(sc *scenarios.Scenario)
	}{
		{"certain", func(sc *scenarios.Scenario) {}},
		{"uncertain weights", func(sc *scenarios.Scenario) {
			sc.Actors[0].Weights[0] = scenarios.Number{Value: 0.5, Min: 0, Max: 1,
				Dist: &scenarios.Distribution{Kind: scenarios.DistUniform, A: 0, B: 1}}
		}},
		{"steps and a believer", func(sc *scenarios.Scenario) {
			sc.Protocol.PartialDeals = true
			sc.Actors[0].Misperception = num(0.5)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := randomScenario(r, 3, levels)
			tc.edit(sc)
			fp, ok := FootprintOf(sc)
			if !ok || fp.Packages != 65536 {
				t.Fatalf("footprint %+v, %v", fp, ok)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m, err := Compile(sc)
			if err != nil {
				t.Fatal(err)
			}
			w := NewWorker(m)
			for run := range 20 {
				w.Run(1, run+1, nil)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			live := float64(after.HeapAlloc) - float64(before.HeapAlloc)
			est := float64(fp.Bytes(1)) / heapFactor
			t.Logf("estimated %.1f MiB live, measured %.1f MiB (%.2f×)", est/(1<<20), live/(1<<20), est/live)
			if est < live*0.75 || est > live*1.33 {
				t.Errorf("estimated %.0f bytes live, measured %.0f", est, live)
			}
			runtime.KeepAlive(w)
		})
	}
}

// Fit gives every worker asked for when they fit, as many as fit when not
// all do, and none when one does not.
func TestFootprintFit(t *testing.T) {
	f := Footprint{Packages: 1 << 20, Shared: 100, PerWorker: 1000}
	for _, tc := range []struct {
		workers int
		avail   int64
		want    int
	}{
		{4, 0, 4},       // unknown memory: as asked
		{4, 4100, 4},    // exactly enough
		{4, 4099, 3},    // a byte short: three fit
		{16, 16099, 15}, // the shared part counted once
		{2, 1099, 0},    // not even one
		{0, 5000, 1},    // no workers asked is one
	} {
		if got := f.Fit(tc.workers, tc.avail); got != tc.want {
			t.Errorf("Fit(%d, %d) = %d, want %d", tc.workers, tc.avail, got, tc.want)
		}
	}
	big := randomScenario(rand.New(rand.NewPCG(1, 2)), 2, []int{3, 3, 3})
	for range 20 {
		big.Issues = append(big.Issues, scenarios.Issue{ID: "x", Levels: []string{"a", "b", "c", "d"}})
	}
	if fp, ok := FootprintOf(big); ok || fp.Packages != 27<<40 {
		t.Errorf("27·4^20 packages: %+v, %v; want refused with the count", fp, ok)
	}
}
