package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func mustParse(t *testing.T, src string) *Sweep {
	t.Helper()
	s, err := Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func cells(p Point) []string {
	out := make([]string, len(p.Values))
	for i, v := range p.Values {
		out[i] = v.String()
	}
	return out
}

func TestGridPoints(t *testing.T) {
	s := mustParse(t, `
scenario = "korea-2018"
runs = 10
[[vary]]
key = "actors.us.hawkishness"
min = 0.1
max = 0.3
step = 0.1
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
[[vary]]
key = "actors.china.deadline"
min = 12
max = 24
step = 12
`)
	if s.Len() != 12 {
		t.Fatalf("Len = %d, want 3·2·2 = 12", s.Len())
	}
	var got [][]string
	for n := 1; n <= s.Len(); n++ {
		p := s.Point(n)
		if p.N != n || p.Seed != PointSeed(s.Seed, n) {
			t.Fatalf("point %d: N %d seed %d", n, p.N, p.Seed)
		}
		got = append(got, cells(p))
	}
	want := [][]string{
		{"0.1", "china", "12"}, {"0.1", "china", "24"}, {"0.1", "none", "12"}, {"0.1", "none", "24"},
		{"0.2", "china", "12"}, {"0.2", "china", "24"}, {"0.2", "none", "12"}, {"0.2", "none", "24"},
		{"0.3", "china", "12"}, {"0.3", "china", "24"}, {"0.3", "none", "12"}, {"0.3", "none", "24"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("grid points:\n got %v\nwant %v", got, want)
	}
	if _, ok := s.Point(1).Values[2].Any().(int64); !ok {
		t.Fatalf("integer min/max/step gave %T, want int64", s.Point(1).Values[2].Any())
	}
	o := s.Overrides(s.Point(3))
	if o[0].Value != "0.1" || o[1].Value != `"none"` || o[2].Value != "12" {
		t.Fatalf("overrides %v", o)
	}
	sc, err := s.ScenarioAt(s.Point(3))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Actors[0].Deadline.Value != 12 || sc.Protocol.Mediator >= 0 {
		t.Fatalf("point 3: China's deadline %v, mediator %d; want 12 and none", sc.Actors[0].Deadline.Value, sc.Protocol.Mediator)
	}
}

const lhsSrc = `
scenario = "korea-2018"
runs = 10
seed = %d
design = "lhs"
points = %d
[[vary]]
key = "actors.us.hawkishness"
min = 0.2
max = 0.8
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
[[vary]]
key = "dynamics.trust"
min = 0.0
max = 0.5
[[vary]]
key = "actors.china.deadline"
min = 2
max = 11
`

func TestLHSStrata(t *testing.T) {
	const n = 10
	s := mustParse(t, fmt.Sprintf(lhsSrc, 7, n))
	if s.Len() != 2*n {
		t.Fatalf("Len = %d, want %d samples × 2 mediators", s.Len(), 2*n)
	}
	hit := map[int][]int{} // vary index -> stratum counts
	for _, i := range []int{0, 2, 3} {
		hit[i] = make([]int, n)
	}
	for n0 := 1; n0 <= s.Len(); n0 += 2 {
		a, b := s.Point(n0), s.Point(n0+1)
		// The categorical key is crossed inside each sample.
		if a.Values[1].String() != "china" || b.Values[1].String() != "none" {
			t.Fatalf("points %d, %d: mediators %v, %v", n0, n0+1, a.Values[1], b.Values[1])
		}
		for _, i := range []int{0, 2, 3} {
			if a.Values[i] != b.Values[i] {
				t.Fatalf("points %d and %d share a sample but differ in %s", n0, n0+1, s.Vary[i].Key)
			}
		}
		for _, i := range []int{0, 2} {
			v := s.Vary[i]
			x := a.Values[i].Any().(float64)
			if x < v.Min || x >= v.Max {
				t.Fatalf("%s = %v outside [%v, %v)", v.Key, x, v.Min, v.Max)
			}
		}
		k := a.Values[3].Any().(int64) // 10 integers 2..11 for 10 strata
		if k < 2 || k > 11 {
			t.Fatalf("actors.china.deadline = %d outside [2, 11]", k)
		}
		hit[3][k-2]++
	}
	// Every stratum of every numeric dimension is hit exactly once: check
	// the coordinates the design drew.
	for d := range s.numeric {
		counts := make([]int, n)
		for j := range n {
			counts[int(math.Floor(s.unit[j*len(s.numeric)+d]*n))]++
		}
		for st, c := range counts {
			if c != 1 {
				t.Fatalf("dimension %d: stratum %d hit %d times", d, st, c)
			}
		}
	}
	// With as many integers as strata, the integer key takes each once.
	for st, c := range hit[3] {
		if c != 1 {
			t.Fatalf("actors.china.deadline = %d taken %d times, want once", st+2, c)
		}
	}

	again := mustParse(t, fmt.Sprintf(lhsSrc, 7, n))
	other := mustParse(t, fmt.Sprintf(lhsSrc, 8, n))
	if !reflect.DeepEqual(cells(again.Point(5)), cells(s.Point(5))) {
		t.Fatal("the same seed gave different LHS points")
	}
	if reflect.DeepEqual(cells(other.Point(5)), cells(s.Point(5))) {
		t.Fatal("another seed gave the same LHS points")
	}
	if other.Hash() == s.Hash() {
		t.Fatal("another seed gave the same hash")
	}
}

func TestPointSeedsDiffer(t *testing.T) {
	seen := map[uint64]bool{}
	for n := 1; n <= 1000; n++ {
		seen[PointSeed(7, n)] = true
	}
	if len(seen) != 1000 || PointSeed(7, 1) == PointSeed(8, 1) {
		t.Fatal("point seeds collide")
	}
}

// manyWeights varies n of korea-2018's issue weights, each from 0.1 to 1.
func manyWeights(n int) string {
	var b strings.Builder
	for k := range n {
		a := []string{"china", "us", "north_korea", "south_korea"}[k%4]
		i := []string{"exercises", "troops", "sanctions", "denuclearization", "relations", "alliance"}[k/4]
		fmt.Fprintf(&b, "[[vary]]\nkey = \"actors.%s.weights.%s\"\nmin = 0.1\nmax = 1\n", a, i)
	}
	return b.String()
}

func TestBadSweepFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.toml"), []byte("id = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const head = "scenario = \"korea-2018\"\n"
	const vary = "[[vary]]\nkey = \"actors.us.hawkishness\"\nvalues = [0.5]\n"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"syntax", head + "runs = = 3\n", []string{"f.toml:2: TOML syntax error"}},
		{"unknown top key", head + "rnus = 3\n" + vary, []string{`f.toml:2: rnus: unknown key "rnus"; did you mean "runs"?`}},
		{"no scenario", vary, []string{"f.toml: scenario: missing"}},
		{"unknown scenario", "scenario = \"korea-2081\"\n" + vary, []string{`f.toml:1: scenario: no file`, `no built-in scenario "korea-2081"`}},
		{"invalid scenario", "scenario = \"broken.toml\"\n" + vary, []string{"broken.toml: protocol: missing required table"}},
		{"bad runs", head + "runs = 0\n" + vary, []string{"f.toml:2: runs: want a whole number of runs per point, 1 to 1000000000, got the integer 0"}},
		{"bad seed", head + "seed = \"x\"\n" + vary, []string{`f.toml:2: seed: want a whole number, 0 or more, got the string "x"`}},
		{"bad design", head + "design = \"random\"\n" + vary, []string{`f.toml:2: design: want "grid", "lhs", "sobol", "morris" or "oat", got the string "random"`}},
		{"points in grid", head + "points = 4\n" + vary, []string{`f.toml:2: points: a design = "grid" sweep does not take points: a grid has one point per combination of values`}},
		{"lhs without points", head + "design = \"lhs\"\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n", []string{"f.toml:2: points: missing"}},
		{"no vary", head, []string{"f.toml: vary: missing"}},
		{"sobol without points", head + "design = \"sobol\"\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n", []string{"f.toml:2: points: missing: a design = \"sobol\" sweep needs points = N"}},
		{"sobol with a list", head + "design = \"sobol\"\npoints = 8\n[[vary]]\nkey = \"dynamics.trust\"\nvalues = [0.1, 0.2]\n",
			[]string{`f.toml:4: vary[1].values: a design = "sobol" sweep varies keys by min and max only, not by a list of values`}},
		{"sobol of one sample", head + "design = \"sobol\"\npoints = 1\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n", []string{"f.toml:3: points: want the number of base samples N (a power of two is best), 2 to 1000000, got the integer 1"}},
		{"sobol with trajectories", head + "design = \"sobol\"\npoints = 8\ntrajectories = 4\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n",
			[]string{`f.toml:4: trajectories: a design = "sobol" sweep does not take trajectories: a design = "sobol" sweep takes points`}},
		{"morris with odd levels", head + "design = \"morris\"\ntrajectories = 4\nlevels = 3\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n",
			[]string{"f.toml:4: levels: want an even number of grid levels, 2 or more (4 is usual), got the integer 3"}},
		{"morris without trajectories", head + "design = \"morris\"\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n", []string{"f.toml:2: trajectories: missing"}},
		{"levels in lhs", head + "design = \"lhs\"\npoints = 4\nlevels = 4\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n", []string{`f.toml:4: levels: only a design = "morris" sweep takes levels`}},
		{"morris with a step", head + "design = \"morris\"\ntrajectories = 4\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\nstep = 0.5\n", []string{`f.toml:8: vary[1].step: a design = "morris" key takes min and max, no step`}},
		// Limits that keep a design in memory: the old documented maximum
		// of points, a step that makes a billion values, and a hypercube
		// of 17 million numbers.
		{"too many points", head + "design = \"lhs\"\npoints = 1073741824\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n",
			[]string{"f.toml:3: points: want the number of Latin-hypercube points, 1 to 1000000, got the integer 1073741824"}},
		{"tiny step", head + "[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\nstep = 1e-9\n",
			[]string{"f.toml:6: vary[1].step: step 1e-09 from 0 to 1: more than 1000000 values"}},
		{"huge hypercube", head + "design = \"lhs\"\npoints = 1000000\n" + manyWeights(17),
			[]string{"f.toml:3: points: 1000000 points of 17 keys with min and max: a hypercube of more than 16777216 numbers; use fewer points or keys"}},
		// A newline in a row's value would break the sweep's own CSV.
		{"newline in a value", head + "[[vary]]\nkey = \"title\"\nvalues = [\"a\\nb\"]\n", []string{`f.toml:4: vary[1].values: title = "a\u000ab": contains the invisible character U+000A`}},
		{"deep nesting", head + "[[vary]]\nkey = \"dynamics.trust\"\nvalues = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", []string{"f.toml:4: arrays and inline tables nest more than 64 deep"}},
		{"unknown key path", head + "[[vary]]\nkey = \"actors.us.hawkishnes\"\nvalues = [0.5]\n",
			[]string{`f.toml:3: vary[1].key: actors.us.hawkishnes: no such key in scenario korea-2018`, `did you mean "actors.us.hawkishness"?`}},
		{"unknown vary key", head + "[[vary]]\nkey = \"dynamics.trust\"\nvalue = [0.5]\n", []string{`f.toml:4: vary[1].value: unknown key "value"; did you mean "values"?`}},
		{"missing key", head + "[[vary]]\nvalues = [0.5]\n", []string{"f.toml:2: vary[1].key: missing"}},
		{"empty list", head + "[[vary]]\nkey = \"dynamics.trust\"\nvalues = []\n", []string{"f.toml:4: vary[1].values: empty list"}},
		{"empty range", head + "[[vary]]\nkey = \"dynamics.trust\"\nmin = 0.5\nmax = 0.1\nstep = 0.1\n", []string{"f.toml:5: vary[1].max: empty range: max 0.1 is less than min 0.5"}},
		{"zero step", head + "[[vary]]\nkey = \"dynamics.trust\"\nmin = 0.1\nmax = 0.5\nstep = 0\n", []string{"f.toml:6: vary[1].step: step 0: want a step greater than 0"}},
		{"lhs empty range", head + "design = \"lhs\"\npoints = 3\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0.5\nmax = 0.5\n", []string{"f.toml:7: vary[1].max: empty range: max 0.5 must be greater than min 0.5"}},
		{"lhs step", head + "design = \"lhs\"\npoints = 3\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0.1\nmax = 0.5\nstep = 0.1\n", []string{"f.toml:8: vary[1].step: a design = \"lhs\" key takes min and max, no step"}},
		{"lhs all categorical", head + "design = \"lhs\"\npoints = 3\n" + vary, []string{"f.toml:2: vary: a design = \"lhs\" sweep needs at least one key with min and max"}},
		{"wrong type", head + "[[vary]]\nkey = \"actors.us.hawkishness\"\nvalues = [0.5, \"high\"]\n",
			[]string{`f.toml:4: vary[1].values: actors.us.hawkishness = "high": `}},
		{"out of range", head + "[[vary]]\nkey = \"dynamics.trust\"\nmin = 0.5\nmax = 1.5\nstep = 0.5\n",
			[]string{`f.toml:6: vary[1].values: dynamics.trust = 1.5: `}},
		{"unknown actor", head + "[[vary]]\nkey = \"protocol.mediator\"\nvalues = [\"china\", \"chnia\"]\n",
			[]string{`f.toml:4: vary[1].values: protocol.mediator = "chnia": `}},
		{"duplicate key", head + vary + vary, []string{"f.toml:5: vary[2].key: actors.us.hawkishness is already varied by vary[1]"}},
		{"duplicate value", head + "[[vary]]\nkey = \"dynamics.trust\"\nvalues = [0.5, 0.5]\n", []string{"f.toml:4: vary[1].values: value 2 (0.5) is listed twice"}},
		{"table value", head + "[[vary]]\nkey = \"dynamics.trust\"\nvalues = [{a = 1}]\n", []string{"f.toml:4: vary[1].values: value 1: want a number, a string or a boolean, got a table"}},
		{"values and min", head + "[[vary]]\nkey = \"dynamics.trust\"\nvalues = [0.5]\nmin = 0\n", []string{"f.toml:4: vary[1].values: give either values or min/max, not both"}},
		{"neither", head + "[[vary]]\nkey = \"dynamics.trust\"\n", []string{"f.toml:2: vary[1].values: missing: want values = [...], or min, max and step"}},
		{"second entry line", head + vary + "\n[[vary]]\n# a comment\nkey = \"dynamics.trust\"\nvalues = [\n  0.1,\n  2.0,\n]\n", []string{"f.toml:9: vary[2].values: dynamics.trust = 2.0"}},
		{"lines after a bad entry", head + "[[vary]]\nkey = \"nope\"\nvalues = [1]\n[[vary]]\nkey = \"protocol.mediator\"\nvalues = [\"chnia\"]\n",
			[]string{`f.toml:3: vary[1].key: nope: no such key`, `f.toml:7: vary[2].values: protocol.mediator = "chnia": unknown actor`}},
		{"every problem", head + "runs = -1\nseed = -2\n", []string{"f.toml: vary: missing", "f.toml:2: runs:", "f.toml:3: seed:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(filepath.Join(dir, "f.toml"), []byte(tc.src))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, scenarios.ErrInvalid) {
				t.Fatalf("error %v does not match scenarios.ErrInvalid", err)
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n%s\nlacks %q", msg, w)
				}
			}
		})
	}
}

// counts is a minimal accumulator: outcome counts and a utility sum, enough
// to tell batches apart.
type counts struct {
	n [sim.NumOutcomes]int
	u float64
}

func (c *counts) Add(r *sim.Record) {
	c.n[r.Outcome]++
	c.u += r.Utility[0]
}
func (c *counts) Merge(o *counts) {
	for i := range c.n {
		c.n[i] += o.n[i]
	}
	c.u += o.u
}
func (c *counts) Reset() { *c = counts{} }

func newCounts(*scenarios.Scenario) *counts { return &counts{} }

const smallGrid = `
scenario = "korea-2018"
runs = 300
seed = 11
[[vary]]
key = "actors.us.hawkishness"
values = [0.2, 0.8]
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
[[vary]]
key = "dynamics.trust"
values = [0.1, 0.4]
`

// quickGrid is smallGrid, with 60 runs a point instead of 300 under
// -short or the race detector: the tests that use it check how points are
// shared out and computed, which the number of runs does not change.
func quickGrid() string {
	if testenv.Quick() {
		return strings.Replace(smallGrid, "runs = 300", "runs = 60", 1)
	}
	return smallGrid
}

type emitted struct {
	n int
	c counts
}

func runAll(t *testing.T, s *Sweep, opt Options) []emitted {
	t.Helper()
	var got []emitted
	done, err := Run(context.Background(), s, opt, newCounts, func(p Point, _ *scenarios.Scenario, c *counts) error {
		got = append(got, emitted{p.N, *c})
		return nil
	})
	if err != nil || done != len(got) {
		t.Fatalf("Run: done %d, %d emitted, err %v", done, len(got), err)
	}
	return got
}

// A point's accumulator is sim.MonteCarlo's for the point's scenario and
// seed, and the same for any number of workers.
func TestRunMatchesMonteCarlo(t *testing.T) {
	s := mustParse(t, quickGrid())
	one := runAll(t, s, Options{Workers: 1})
	if len(one) != 8 {
		t.Fatalf("%d points emitted, want 8", len(one))
	}
	for i, e := range one {
		if e.n != i+1 {
			t.Fatalf("emitted point %d in position %d", e.n, i+1)
		}
		p := s.Point(e.n)
		sc, err := s.ScenarioAt(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Compile(sc)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := sim.MonteCarlo(context.Background(), m, sim.Options{Runs: s.Runs, Seed: p.Seed, Workers: 2}, func() *counts { return &counts{} })
		if err != nil {
			t.Fatal(err)
		}
		if e.c != *want {
			t.Fatalf("point %d: sweep %+v, MonteCarlo %+v", e.n, e.c, *want)
		}
	}
	if one[0].c == one[7].c {
		t.Fatal("the first and last points agree: the values are not applied")
	}
	for _, w := range []int{2, 3, 8} {
		if got := runAll(t, s, Options{Workers: w}); !reflect.DeepEqual(got, one) {
			t.Fatalf("%d workers differ from 1", w)
		}
	}
}

// Each shard computes only its points; together they are the whole sweep.
func TestShardsPartition(t *testing.T) {
	s := mustParse(t, quickGrid())
	whole := runAll(t, s, Options{Workers: 2})
	for _, n := range []int{1, 2, 3, 8, 11} {
		var union []emitted
		for k := 1; k <= n; k++ {
			part := runAll(t, s, Options{Workers: 3, Shard: Shard{k, n}})
			if len(part) != (Shard{k, n}).Count(s.Len()) {
				t.Fatalf("shard %d/%d: %d points", k, n, len(part))
			}
			for _, e := range part {
				if (e.n-1)%n+1 != k {
					t.Fatalf("shard %d/%d computed point %d", k, n, e.n)
				}
			}
			union = append(union, part...)
		}
		slices.SortFunc(union, func(a, b emitted) int { return a.n - b.n })
		if !reflect.DeepEqual(union, whole) {
			t.Fatalf("%d shards together differ from the whole sweep", n)
		}
	}
	// Skip resumes after the points already done.
	rest := runAll(t, s, Options{Workers: 2, Skip: 5})
	if !reflect.DeepEqual(rest, whole[5:]) {
		t.Fatalf("Skip 5 computed %d points, want points 6..8", len(rest))
	}
}

func TestRunCancelled(t *testing.T) {
	s := mustParse(t, smallGrid)
	ctx, cancel := context.WithCancel(context.Background())
	var got []int
	done, err := Run(ctx, s, Options{Workers: 2}, newCounts, func(p Point, _ *scenarios.Scenario, _ *counts) error {
		got = append(got, p.N)
		if p.N == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || done < 3 || done >= s.Len() || done != len(got) {
		t.Fatalf("done %d of %d, emitted %v, err %v", done, s.Len(), got, err)
	}
	stop := errors.New("disk full")
	done, err = Run(context.Background(), s, Options{Workers: 2}, newCounts, func(p Point, _ *scenarios.Scenario, _ *counts) error {
		if p.N == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || done != 1 {
		t.Fatalf("an emit error: done %d, err %v", done, err)
	}
}

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"1/1": {1, 1}, "3/8": {3, 8}, " 2 / 2 ": {2, 2}} {
		if got, err := ParseShard(in); err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v", in, got, err)
		}
	}
	for in, want := range map[string]string{"0/4": "counts from 1", "5/4": "from 1 to 4", "2": "want K/N", "1/0": "at least 1", "a/b": "want K/N"} {
		if _, err := ParseShard(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseShard(%q): %v, want %q", in, err, want)
		}
	}
	sh := Shard{2, 3}
	if sh.Count(7) != 2 || sh.Point(0) != 2 || sh.Point(1) != 5 || sh.Of(5) != 2 || (Shard{3, 3}).Count(2) != 0 || (Shard{}).Count(7) != 7 {
		t.Fatal("shard arithmetic")
	}
}

func TestScanPart(t *testing.T) {
	header := []byte("point,x\n")
	sh := Shard{2, 3}
	tests := []struct {
		in   string
		rows int
		end  int
		err  string
	}{
		{"", 0, 0, ""},
		{"poi", 0, 0, ""},
		{"point,x\n", 0, 8, ""},
		{"point,x\n2,a\n5,b\n", 2, 16, ""},
		{"point,x\n2,a\n5,b\n8,", 2, 16, ""}, // a last line cut short
		{"point,y\n2,a\n", 0, 0, "header differs"},
		{"point,x\n2,a\n6,b\n", 1, 12, "test.csv:3: row of point 6, want point 5"},
		{"point,x\n2,a\n5,b\n8,c\n", 2, 16, "a row after the last point of shard 2/3"},
		{"point,x\nxyz\n", 0, 8, "not a row"},
		// Damaged rows: a column too many, a broken quote.
		{"point,x\n2,a\n5,b,\n", 1, 12, "test.csv:3: the row of point 5 is damaged: 3 columns, the header has 2"},
		{"point,x\n2,a,b\n", 0, 8, "test.csv:2: the row of point 2 is damaged: 3 columns, the header has 2"},
		{"point,x\n2,\"a\n", 0, 8, "the row of point 2 is damaged: not one CSV row"},
	}
	for _, tc := range tests {
		rows, end, err := ScanPart(strings.NewReader(tc.in), "test.csv", header, sh, 7, nil)
		if rows != tc.rows || end != int64(tc.end) || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ScanPart(%q) = %d, %d, %v; want %d, %d, %q", tc.in, rows, end, err, tc.rows, tc.end, tc.err)
		}
	}
	// JSON lines have no header.
	rows, _, err := ScanPart(strings.NewReader("{\"point\":1,\"a\":2}\n{\"point\":2,\"a\":3}\n"), "t.jsonl", nil, Shard{}, 2, nil)
	if rows != 2 || err != nil {
		t.Fatalf("JSON lines: %d rows, %v", rows, err)
	}
	rows, _, err = ScanPart(strings.NewReader("{\"point\":1,\"a\":2}\n{\"point\":2,\"a\":3\n"), "t.jsonl", nil, Shard{}, 2, nil)
	if rows != 1 || err == nil || !strings.Contains(err.Error(), "t.jsonl:2: the row of point 2 is damaged: not a JSON object") {
		t.Fatalf("damaged JSON line: %d rows, %v", rows, err)
	}
}

func TestMerge(t *testing.T) {
	m := func(k, n int) Manifest { return Manifest{Sweep: "h", Format: "csv", Shard: k, Shards: n, Points: 5} }
	part := func(name string, mf Manifest, body string) Part {
		return Part{Name: name, Manifest: mf, R: strings.NewReader(body)}
	}
	a := func() Part { return part("a.csv", m(1, 2), "point,x\n1,p\n3,q\n5,r\n") }
	b := func() Part { return part("b.csv", m(2, 2), "point,x\n2,s\n4,t\n") }
	var out bytes.Buffer
	got, err := Merge(&out, []Part{b(), a()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "point,x\n1,p\n2,s\n3,q\n4,t\n5,r\n"; out.String() != want {
		t.Fatalf("merged:\n%s\nwant\n%s", out.String(), want)
	}
	if got != m(1, 1) {
		t.Fatalf("merged manifest %+v", got)
	}

	other := m(2, 2)
	other.Sweep = "g"
	jsonl := m(2, 2)
	jsonl.Format = "jsonl"
	tests := []struct {
		name  string
		parts []Part
		want  string
	}{
		{"other sweep", []Part{a(), part("c.csv", other, "")}, "a.csv and c.csv are outputs of different sweeps"},
		{"other format", []Part{a(), part("c.jsonl", jsonl, "")}, "a.csv is csv and c.jsonl is jsonl"},
		{"other split", []Part{a(), part("c.csv", m(2, 3), "")}, "a.csv is shard 1/2 and c.csv is shard 2/3"},
		{"duplicate", []Part{a(), b(), part("a2.csv", m(1, 2), "")}, "a.csv and a2.csv are both shard 1/2"},
		{"missing", []Part{b()}, "missing shard 1 of 2"},
		{"incomplete", []Part{a(), part("b.csv", m(2, 2), "point,x\n2,s\n")}, "b.csv (shard 2/2) ends before point 4: the shard is incomplete"},
		{"cut short", []Part{a(), part("b.csv", m(2, 2), "point,x\n2,s\n4,t")}, "b.csv (shard 2/2) ends before point 4"},
		{"extra", []Part{a(), part("b.csv", m(2, 2), "point,x\n2,s\n4,t\n6,u\n")}, "b.csv (shard 2/2) holds more than its 2 points"},
		{"wrong row", []Part{a(), part("b.csv", m(2, 2), "point,x\n2,s\n3,t\n")}, "b.csv: row 2 is not point 4"},
		{"header", []Part{a(), part("b.csv", m(2, 2), "point,y\n2,s\n4,t\n")}, "b.csv:1: header differs from a.csv's"},
		{"damaged row", []Part{a(), part("b.csv", m(2, 2), "point,x\n2,s\n4,t,u\n")}, "b.csv: row 2 (point 4) is damaged: 3 columns, the header has 2"},
		{"none", nil, "no parts"},
		// A manifest claiming the largest shard count: refused without
		// sizing anything by it.
		{"huge split", []Part{part("h.csv", Manifest{Sweep: "h", Format: "csv", Shard: 1, Shards: math.MaxInt, Points: math.MaxInt}, "")},
			"h.csv is shard 1 of 9223372036854775807: 9223372036854775806 shards are missing"},
	}
	for _, tc := range tests {
		_, err := Merge(&bytes.Buffer{}, tc.parts, nil)
		if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestManifestRoundTrip(t *testing.T) {
	s := mustParse(t, smallGrid)
	path := filepath.Join(t.TempDir(), "out.csv")
	want := NewManifest(s, "csv", Shard{2, 4})
	var b bytes.Buffer
	if err := WriteManifest(&b, want); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ManifestPath(path), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(path)
	if err != nil || got != want {
		t.Fatalf("ReadManifest = %+v, %v; want %+v", got, err, want)
	}
	if err := os.WriteFile(ManifestPath(path), []byte(`{"sweep":"x","shard":5,"shards":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadManifest(path); !errors.Is(err, ErrMismatch) {
		t.Fatalf("a bad manifest: %v", err)
	}
}

func TestHashCoversDefinition(t *testing.T) {
	base := mustParse(t, smallGrid)
	for _, change := range []string{
		strings.Replace(smallGrid, "runs = 300", "runs = 301", 1),
		strings.Replace(smallGrid, "0.2, 0.8", "0.2, 0.9", 1),
		strings.Replace(smallGrid, `"china", "none"`, `"none", "china"`, 1),
	} {
		if mustParse(t, change).Hash() == base.Hash() {
			t.Errorf("a changed definition kept the hash:\n%s", change)
		}
	}
	same := strings.Replace(smallGrid, "runs = 300", "runs = 300   # a comment", 1)
	if mustParse(t, same).Hash() != base.Hash() {
		t.Error("a comment changed the hash")
	}
}

func TestValueTOML(t *testing.T) {
	for v, want := range map[any]string{
		"a \"b\" \\ c\n": `"a \"b\" \\ c\u000a"`,
		"é":              `"é"`,
		int64(3):         "3",
		2.0:              "2.0",
		1e-7:             "1e-07",
		true:             "true",
	} {
		if got := (Value{v}).TOML(); got != want {
			t.Errorf("Value{%#v}.TOML() = %s, want %s", v, got, want)
		}
	}
}

// A Sobol sweep of N base samples and k keys has N(k+3) points: for each
// sample, A, B, then AB_i (A with key i from B) for each key, then the
// dummy's AB (A's values again, with a seed of its own); A and B are
// scrambled Sobol points, so each key's A values stratify its range.
func TestSobolDesign(t *testing.T) {
	const n, k = 8, 3
	s := mustParse(t, `scenario = "korea-2018"
design = "sobol"
points = 8
runs = 10
[[vary]]
key = "dynamics.trust"
min = 0.0
max = 1.0
[[vary]]
key = "actors.us.hawkishness"
min = 0.2
max = 0.6
[[vary]]
key = "actors.us.deadline"
min = 10
max = 30
`)
	if s.Len() != n*(k+3) {
		t.Fatalf("%d points, want %d", s.Len(), n*(k+3))
	}
	val := func(p Point, i int) float64 {
		switch x := p.Values[i].Any().(type) {
		case float64:
			return x
		case int64:
			return float64(x)
		}
		t.Fatalf("value %v", p.Values[i])
		return 0
	}
	seeds := map[uint64]bool{}
	bins := make([]bool, n)
	for j := range n {
		a, b := s.Point(j*(k+3)+1), s.Point(j*(k+3)+2)
		bins[int(val(a, 0)*n)] = true
		for i := range k {
			if i < 2 && val(a, i) == val(b, i) { // the third, an integer key, may
				t.Errorf("sample %d: A and B share key %d's value %v", j+1, i+1, val(a, i))
			}
			ab := s.Point(j*(k+3) + 3 + i)
			for q := range k {
				want := val(a, q)
				if q == i {
					want = val(b, q)
				}
				if val(ab, q) != want {
					t.Errorf("sample %d, AB_%d: key %d is %v, want %v", j+1, i+1, q+1, val(ab, q), want)
				}
			}
		}
		dummy := s.Point(j*(k+3) + k + 3)
		for q := range k {
			if val(dummy, q) != val(a, q) {
				t.Errorf("sample %d: the dummy's point differs from A in key %d", j+1, q+1)
			}
		}
		for b := range k + 3 {
			seeds[s.Point(j*(k+3)+1+b).Seed] = true
		}
	}
	if len(seeds) != s.Len() {
		t.Errorf("%d seeds for %d points", len(seeds), s.Len())
	}
	for b, ok := range bins {
		if !ok {
			t.Errorf("no A point in the %d-th eighth of dynamics.trust's range: the sample is not stratified", b+1)
		}
	}
}

// A Morris sweep of r trajectories over k keys has r(k+1) points; within
// a trajectory each step moves exactly one key, each key once, by
// Δ = p/(2(p−1)) of its range, on the grid of p levels.
func TestMorrisDesign(t *testing.T) {
	const r, k, p = 6, 3, 4
	s := mustParse(t, `scenario = "korea-2018"
design = "morris"
trajectories = 6
runs = 10
[[vary]]
key = "dynamics.trust"
min = 0.0
max = 1.0
[[vary]]
key = "actors.us.hawkishness"
min = 0.2
max = 0.6
[[vary]]
key = "dynamics.tension"
min = 0.1
max = 0.9
`)
	if s.Len() != r*(k+1) || s.Levels != p {
		t.Fatalf("%d points at %d levels, want %d at %d", s.Len(), s.Levels, r*(k+1), p)
	}
	lo, span := []float64{0, 0.2, 0.1}, []float64{1, 0.4, 0.8}
	unit := func(pt Point, i int) float64 { return (pt.Values[i].Any().(float64) - lo[i]) / span[i] }
	delta := float64(p) / float64(2*(p-1))
	for tr := range r {
		moved := map[int]bool{}
		for m := 1; m <= k; m++ {
			x, y := s.Point(tr*(k+1)+m), s.Point(tr*(k+1)+m+1)
			changed := -1
			for i := range k {
				u, v := unit(x, i), unit(y, i)
				for _, g := range []float64{u, v} {
					if l := g * (p - 1); math.Abs(l-math.Round(l)) > 1e-9 || g < -1e-12 || g > 1+1e-12 {
						t.Fatalf("trajectory %d: %v is not on the grid of %d levels", tr+1, g, p)
					}
				}
				if math.Abs(u-v) > 1e-12 {
					if changed >= 0 || math.Abs(math.Abs(u-v)-delta) > 1e-9 {
						t.Fatalf("trajectory %d, step %d: key %d moved by %v (another moved too: %v)", tr+1, m, i+1, v-u, changed >= 0)
					}
					changed = i
				}
			}
			if changed < 0 || moved[changed] {
				t.Fatalf("trajectory %d, step %d: moved key %d (moved before: %v)", tr+1, m, changed+1, moved[changed])
			}
			moved[changed] = true
		}
	}
}

// A one-at-a-time sweep of k keys has 1 + 2k points: the base, every key
// at the middle of its range, then each key at its min and at its max
// with the others at the base.
func TestOATDesign(t *testing.T) {
	s := mustParse(t, `scenario = "korea-2018"
design = "oat"
runs = 10
[[vary]]
key = "dynamics.trust"
min = 0.2
max = 0.6
[[vary]]
key = "actors.us.deadline"
min = 10
max = 30
`)
	if s.Len() != 5 {
		t.Fatalf("%d points, want 5", s.Len())
	}
	want := [][2]any{{0.4, int64(20)}, {0.2, int64(20)}, {0.6, int64(20)}, {0.4, int64(10)}, {0.4, int64(30)}}
	for n, w := range want {
		p := s.Point(n + 1)
		if got := p.Values[0].Any(); math.Abs(got.(float64)-w[0].(float64)) > 1e-12 || p.Values[1].Any() != w[1] {
			t.Errorf("point %d: %v, want %v", n+1, p.Values, w)
		}
	}
	if _, err := Parse("f.toml", []byte("scenario = \"korea-2018\"\ndesign = \"oat\"\npoints = 3\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0.1\nmax = 0.2\n")); err == nil || !strings.Contains(err.Error(), "a one-at-a-time sweep has a base point and two points per key") {
		t.Errorf("points in an oat sweep: %v", err)
	}
}
