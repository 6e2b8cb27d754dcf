package sweep

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// A sweep reads its scenario once and applies each point's values to it
// (scenarios.Prepared): every point of every sweep in testdata gives the
// scenario that parsing the file with the point's overrides gives, so the
// fast path's output is the parse-every-point path's.
func TestScenarioAtIsParseOfThePoint(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "sweeps", "*.toml"))
	tried := 0
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "bad-") {
			continue
		}
		s, err := Load(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for n := 1; n <= s.Len(); n++ {
			p := s.Point(n)
			got, err := s.ScenarioAt(p)
			if err != nil {
				t.Fatalf("%s point %d: %v", f, n, err)
			}
			want, err := scenarios.Parse(s.scenarioFile, s.source, s.Overrides(p))
			if err != nil {
				t.Fatalf("%s point %d: %v", f, n, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s point %d: the prepared scenario differs from the parsed one", f, n)
			}
			tried++
		}
	}
	if tried == 0 {
		t.Fatal("no sweep points tried")
	}
}

// BenchmarkPointSetup is a sweep's work for a point outside the engine:
// the scenario with the point's values, read from the text each time
// (parse, the old way) or from the scenario read once (prepared), and
// compiling it.
//
//	go test ./sim/sweep -run '^$' -bench PointSetup -count 5
func BenchmarkPointSetup(b *testing.B) {
	s, err := Load(filepath.Join("..", "..", "testdata", "sweeps", "sobol.toml"))
	if err != nil {
		b.Fatal(err)
	}
	p := s.Point(7)
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := scenarios.Parse(s.scenarioFile, s.source, s.Overrides(p)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prepared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.ScenarioAt(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	sc, _ := s.ScenarioAt(p)
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sim.Compile(sc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// tableSweep varies a weight (which changes the utility tables) and a
// dynamics number (which does not): its points share tables in pairs.
const tableSweep = `scenario = "korea-2018"
runs = 1
[[vary]]
key = "actors.us.weights.sanctions"
values = [0.1, 0.3]
[[vary]]
key = "dynamics.trust"
values = [0.2, 0.5]
`

// Points that share utility tables (sim.Tables) run exactly as points
// that build their own: the same records, run by run.
func TestSharedTablesChangeNothing(t *testing.T) {
	s, err := Parse("tables.toml", []byte(tableSweep))
	if err != nil {
		t.Fatal(err)
	}
	shared := sim.NewTables()
	for n := 1; n <= s.Len(); n++ {
		p := s.Point(n)
		sc, err := s.ScenarioAt(p)
		if err != nil {
			t.Fatal(err)
		}
		own, err := sim.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := sim.Compile(sc)
		other.Share(shared)
		a, b := sim.NewWorker(own), sim.NewWorker(other)
		for run := 1; run <= 30; run++ {
			ra, rb := *a.Run(p.Seed, run, nil), *b.Run(p.Seed, run, nil)
			if !reflect.DeepEqual(ra, rb) {
				t.Fatalf("point %d run %d: with shared tables %+v, with its own %+v", n, run, rb, ra)
			}
		}
	}
}
