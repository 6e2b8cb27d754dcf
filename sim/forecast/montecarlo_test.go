package forecast

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// A number draws from a stream of its own: the same seed, run and key
// path give the same draw whatever was drawn before; another run, seed or
// path another; nil streams give the central value.
func TestStreamsNumber(t *testing.T) {
	u := scenarios.Number{Value: 5, Min: 0, Max: 10, Path: "actors.a.position",
		Dist: &scenarios.Distribution{Kind: scenarios.DistUniform, A: 0, B: 10}}
	v := u
	v.Path = "actors.b.position"
	s := NewStreams(7, 3)
	a1 := s.Number(u)
	s.Number(v)
	s.Number(v)
	if a2 := s.Number(u); a2 != a1 {
		t.Errorf("the same number drew %v then %v in one run", a1, a2)
	}
	if b := NewStreams(7, 3).Number(u); b != a1 {
		t.Errorf("fresh streams of the same run drew %v, want %v", b, a1)
	}
	if b := NewStreams(7, 4).Number(u); b == a1 {
		t.Errorf("run 4 drew run 3's %v", b)
	}
	if b := NewStreams(8, 3).Number(u); b == a1 {
		t.Errorf("seed 8 drew seed 7's %v", b)
	}
	if b := NewStreams(7, 3).Number(v); b == a1 {
		t.Errorf("another key path drew the same %v", b)
	}
	var none *Streams
	if c := none.Number(u); c != 5 {
		t.Errorf("nil streams drew %v, want the central value 5", c)
	}
	if c := s.Number(scenarios.Const(2)); c != 2 {
		t.Errorf("a constant drew %v", c)
	}
}

// The EC case as a problem: one dimension, Table 1's numbers in file order.
func TestSpatialProblem(t *testing.T) {
	_, sp, err := scenarios.LoadAny("ec-emissions-1994", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := SpatialProblem(sp)
	if len(p.Dimensions) != 1 || p.Dimensions[0].ID != "delay" || p.Dimensions[0].Lo != 0 || p.Dimensions[0].Hi != 0 {
		t.Fatalf("dimensions: %+v", p.Dimensions)
	}
	got := p.Draw(nil)[0]
	if len(got) != 10 || got[0] != (Actor{ID: "netherlands", Capability: 0.08, Position: 4, Salience: 0.8}) ||
		got[6] != (Actor{ID: "uk", Capability: 0.16, Position: 10, Salience: 0.9}) {
		t.Errorf("actors: %+v", got)
	}
	if again := p.Draw(NewStreams(1, 1))[0]; !reflect.DeepEqual(again, got) {
		t.Errorf("a scenario of constants drew %+v, want %+v", again, got)
	}
	if p.Uncertain {
		t.Error("the EC case has no distribution, but its problem is uncertain")
	}
	// Without uncertain inputs, every run of a batch is the central
	// forecast.
	central, err := Central(p, Options{Rounds: 4, Q: 1})
	if err != nil {
		t.Fatal(err)
	}
	runs, done, err := MonteCarlo(context.Background(), p, MonteCarloOptions{Runs: 5, Seed: 3, Options: Options{Rounds: 4, Q: 1}})
	if err != nil || done != 5 {
		t.Fatalf("MonteCarlo: %d, %v", done, err)
	}
	for k, r := range runs[0] {
		if !reflect.DeepEqual(r, central[0]) {
			t.Errorf("run %d differs from the central forecast", k+1)
		}
	}
}

// korea-2018 as a spatial model: each issue a dimension on its level
// indices; each actor's position its ideal level, its salience its weight
// over its greatest weight, its capability the default.
func TestAgentProblem(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := AgentProblem(sc)
	if len(p.Dimensions) != len(sc.Issues) {
		t.Fatalf("%d dimensions for %d issues", len(p.Dimensions), len(sc.Issues))
	}
	draw := p.Draw(nil)
	for j, is := range sc.Issues {
		d := p.Dimensions[j]
		if d.ID != is.ID || d.Lo != 0 || d.Hi != float64(len(is.Levels)-1) || !reflect.DeepEqual(d.Levels, is.Levels) {
			t.Errorf("dimension %d: %+v", j, d)
		}
		for _, a := range draw[j] {
			i := sc.ActorIndex(a.ID)
			actor := sc.Actors[i]
			best := -1
			for k, v := range actor.Values[j] {
				if best < 0 || v.Value > actor.Values[j][best].Value {
					best = k
				}
			}
			top := 0.0
			for _, w := range actor.Weights {
				top = max(top, w.Value)
			}
			want := Actor{ID: actor.ID, Capability: scenarios.DefaultCapability, Position: float64(best), Salience: actor.Weights[j].Value / top}
			if a != want {
				t.Errorf("%s on %s: %+v, want %+v", a.ID, is.ID, a, want)
			}
			if a.Salience < 0 || a.Salience > 1 {
				t.Errorf("%s on %s: salience %v outside [0, 1]", a.ID, is.ID, a.Salience)
			}
		}
	}
	// The United States' ideal on denuclearization is CVID, the last level.
	us := sc.ActorIndex("us")
	nuke := sc.IssueIndex("denuclearization")
	for _, a := range draw[nuke] {
		if a.ID == sc.Actors[us].ID && a.Position != float64(len(sc.Issues[nuke].Levels)-1) {
			t.Errorf("the United States' ideal on denuclearization is level %v", a.Position)
		}
	}
}

// The same seed gives the same runs whatever the number of workers, and
// drawn inputs give runs that differ.
func TestMonteCarloWorkers(t *testing.T) {
	_, sp, err := scenarios.LoadAny("ec-emissions-1994", []scenarios.Override{
		{Path: "actors.uk.position", Value: `{ dist = "uniform", min = 6, max = 10 }`},
		{Path: "actors.germany.capability", Value: `{ dist = "triangular", min = 0.1, mode = 0.16, max = 0.2 }`},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := SpatialProblem(sp)
	if !p.Uncertain {
		t.Fatal("a problem with distributions is not uncertain")
	}
	opt := MonteCarloOptions{Runs: 40, Seed: 11, Options: Options{Rounds: 10, Q: 1}}
	var first [][][]Round
	for _, w := range []int{1, 3, 8} {
		opt.Workers = w
		runs, done, err := MonteCarlo(context.Background(), p, opt)
		if err != nil || done != 40 || len(runs) != 1 || len(runs[0]) != 40 {
			t.Fatalf("workers %d: done %d, %v", w, done, err)
		}
		if first == nil {
			first = runs
			continue
		}
		if !reflect.DeepEqual(runs, first) {
			t.Errorf("workers %d: runs differ from 1 worker's", w)
		}
	}
	differ := false
	for _, r := range first[0][1:] {
		if r[0].Positions[6] != first[0][0][0].Positions[6] {
			differ = true
		}
	}
	if !differ {
		t.Error("every run drew the same position for the United Kingdom")
	}
	for k, r := range first[0] {
		if x := r[0].Positions[6]; x < 6 || x > 10 || math.IsNaN(x) {
			t.Errorf("run %d: the United Kingdom starts at %v, outside its distribution", k+1, x)
		}
	}
	// A cancelled batch stops and says so.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, done, err := MonteCarlo(ctx, p, opt); !errors.Is(err, context.Canceled) || done != 0 {
		t.Errorf("cancelled: done %d, %v", done, err)
	}
}

func TestMedianPositions(t *testing.T) {
	runs := [][]Round{
		{{Positions: []float64{1, 10}}, {Positions: []float64{2, 9}}},
		{{Positions: []float64{3, 10}}},
		{{Positions: []float64{5, 10}}, {Positions: []float64{6, 4}}, {Positions: []float64{7, 4}}},
	}
	if n := Length(runs); n != 3 {
		t.Errorf("Length = %d, want 3", n)
	}
	// Round 2: the first run holds round 1 (2, 9), the second round 0
	// (3, 10), the third has round 2 (7, 4).
	if got := MedianPositions(runs, 2); !reflect.DeepEqual(got, []float64{3, 9}) {
		t.Errorf("MedianPositions(2) = %v, want [3 9]", got)
	}
	// An even count: the lower middle value, as Summarise's nearest rank.
	if got := median([]float64{4, 1, 3, 2}); got != 2 {
		t.Errorf("median = %v, want 2", got)
	}
}
