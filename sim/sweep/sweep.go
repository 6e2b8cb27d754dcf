// Package sweep runs parameter sweeps: a scenario played at many points of a
// grid or a Latin hypercube over the keys --set can change, each point a
// Monte Carlo batch of its own.
//
// A sweep file (see docs/sweeps.md) names a scenario, the runs per point, a
// seed, a design and the keys to vary. [Parse] validates it completely before
// any run is played and reports every problem as a [scenarios.Error] with the
// sweep file's name, the line, the key and what was expected.
//
// Each point's runs are seeded by [PointSeed] from the sweep's seed and the
// point's number alone, so a point's results do not depend on which machine,
// shard or worker computes it; [Run] computes a shard's points and hands
// them over in point order. [ScanPart] and [Merge] read the outputs back to
// resume an interrupted sweep and to join shards.
package sweep

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Design is how a sweep chooses its points.
type Design string

// The designs.
const (
	// Grid is the full cross product of every key's values.
	Grid Design = "grid"
	// LHS is a Latin hypercube over the numeric keys' ranges, crossed with
	// the values of the categorical keys.
	LHS Design = "lhs"
	// Sobol is Saltelli's design for variance-based sensitivity indices
	// over the numeric keys' ranges, from a scrambled Sobol sequence: for
	// each of N base samples, the points A, B, AB_1 … AB_k and AB_dummy
	// (design.go).
	Sobol Design = "sobol"
	// Morris is Morris's design of elementary effects: trajectories of
	// k + 1 points on a grid of levels over the numeric keys' ranges, each
	// step moving one key (design.go).
	Morris Design = "morris"
	// OAT is one key at a time: a base point at the middle of every key's
	// range, then each key at its min and at its max with the others at
	// the base (the runs of a tornado chart).
	OAT Design = "oat"
)

// DefaultLevels is the number of grid levels of a Morris design that does
// not give it (Morris 1991; Campolongo et al. 2007 recommend 4).
const DefaultLevels = 4

// DefaultRuns and DefaultSeed are the runs per point and the seed of a
// sweep file that does not give them. The seed is parley run's default.
const (
	DefaultRuns = 1000
	DefaultSeed = 20180327
)

// MaxPoints is the largest number of points a sweep may have. A sweep's
// design is held in memory (its values, its hypercube), and a point costs
// milliseconds before its first run; a million points is days of work on a
// workstation, and the most a design may hold in a few tens of megabytes.
const MaxPoints = 1_000_000

// MaxHypercube is the most numbers a Latin hypercube may hold (points times
// keys with min and max): 128 MB.
const MaxHypercube = 1 << 24

// Sweep is a validated sweep definition.
type Sweep struct {
	// File is the sweep file's name, as given to Parse.
	File string
	// Scenario is the scenario as written in the file: a built-in name or a
	// path (relative to the sweep file's directory).
	Scenario string
	// Labels name varied keys in the scenario's words, for charts drawn
	// from the sweep's output later (the manifest keeps them); the caller
	// fills them in, nil for none.
	Labels map[string]string
	// Runs is the number of Monte Carlo runs per point.
	Runs int
	// Seed seeds the design (LHS, Sobol, Morris) and, through PointSeed,
	// every point.
	Seed uint64
	// Design is Grid, LHS, Sobol, Morris or OAT.
	Design Design
	// Samples is the number of Latin-hypercube points (LHS), of base
	// samples (Sobol: N) or of trajectories (Morris: r).
	Samples int
	// Levels is the number of grid levels of a Morris design.
	Levels int
	// Vary lists the varied keys in file order.
	Vary []Vary

	scenarioFile string              // the name scenarios.Parse is given
	prep         *scenarios.Prepared // the scenario read once
	source       []byte              // the scenario's TOML source
	radix        []int               // values per categorical key (all keys for a grid); 0 for LHS numeric keys
	numeric      []int               // indexes into Vary of the numeric keys (min and max)
	unit         []float64           // the design's coordinates in [0,1], row by row (LHS, Sobol, Morris)
	points       int
	hash         string
}

// Vary is one varied key.
type Vary struct {
	// Key is the dotted key path, as for --set.
	Key string
	// Values are the values a grid key or a categorical LHS key takes
	// (from a list, or from min/max/step).
	Values []Value
	// Min and Max bound a numeric LHS key.
	Min, Max float64
	// Integer is set for a numeric LHS key whose bounds are integers: its
	// draws are rounded down to integers.
	Integer bool
	// Line is the line of the [[vary]] entry in the sweep file.
	Line int

	entry int // the index of the [[vary]] entry in the file
}

// Numeric reports whether v is a numeric LHS key (drawn from [Min, Max]).
func (v *Vary) Numeric() bool { return v.Values == nil }

// Value is one value of a varied key: a string, an int64, a float64 or a
// bool.
type Value struct{ v any }

// Any returns the value as a string, int64, float64 or bool.
func (v Value) Any() any { return v.v }

// String returns the value as a CSV cell: strings as they are, numbers in
// the shortest form that reads back exactly.
func (v Value) String() string {
	switch x := v.v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v.v)
}

// TOML returns the value as TOML text, the value of a --set override.
func (v Value) TOML() string {
	switch x := v.v.(type) {
	case string:
		return tomlString(x)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") { // n: NaN and Inf never get here
			s += ".0"
		}
		return s
	}
	return v.String()
}

// tomlString returns s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Len returns the number of points of the sweep.
func (s *Sweep) Len() int { return s.points }

// Hash returns a hash of the sweep definition: the scenario's source, the
// runs, seed, design and every varied key with its values. Outputs record
// it so that resuming and merging refuse files of another sweep.
func (s *Sweep) Hash() string { return s.hash }

// ScenarioSource returns the TOML source of the sweep's scenario and the
// file name its problems are reported under.
func (s *Sweep) ScenarioSource() (name string, src []byte) { return s.scenarioFile, s.source }

// Load reads and parses the sweep file at path; see Parse.
func Load(path string) (*Sweep, error) {
	data, found, err := scenarios.ReadFile(path, "sweep file")
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("sweep: no file %s: %w", path, fs.ErrNotExist)
	}
	return Parse(path, data)
}

// builder collects problems while a sweep file is checked.
type builder struct {
	file  string
	lines lines
	errs  scenarios.ErrorList
}

func (b *builder) errorf(line int, path, format string, args ...any) {
	b.errs = append(b.errs, &scenarios.Error{File: b.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Parse decodes and validates a sweep file. It resolves the scenario (a
// path relative to the sweep file's directory, else a built-in name),
// checks every varied key exists in it and every value is valid for its
// key, and computes the design. Every problem is reported at once in a
// scenarios.ErrorList, which matches scenarios.ErrInvalid.
func Parse(filename string, data []byte) (*Sweep, error) {
	if err := scenarios.CheckNesting(filename, data); err != nil {
		return nil, err
	}
	b := &builder{file: filename, lines: locate(string(data))}
	var root map[string]any
	if _, err := toml.Decode(string(data), &root); err != nil {
		e := &scenarios.Error{File: filename, Msg: "TOML syntax error: " + err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e.Line = pe.Position.Line
			e.Msg = "TOML syntax error: " + pe.Message
		}
		return nil, scenarios.ErrorList{e}
	}
	s := &Sweep{File: filename, Runs: DefaultRuns, Seed: DefaultSeed, Design: Grid}
	b.top(s, root, filepath.Dir(filename))
	if s.source != nil {
		b.values(s)
	}
	if len(b.errs) == 0 {
		b.design(s)
	}
	if len(b.errs) > 0 {
		slices.SortStableFunc(b.errs, func(x, y *scenarios.Error) int {
			return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line))
		})
		return nil, b.errs
	}
	digest, err := scenarios.ResolvedDigest(s.scenarioFile, s.source)
	if err != nil {
		return nil, err
	}
	s.hash = s.computeHash(digest)
	return s, nil
}

var topKeys = []string{"scenario", "runs", "seed", "design", "points", "trajectories", "levels", "vary"}
var varyKeys = []string{"key", "values", "min", "max", "step"}

// sampleKeys reads points (LHS, Sobol), trajectories and levels (Morris),
// each refused by the designs that do not take it.
func (b *builder) sampleKeys(s *Sweep, root map[string]any, line func(string) int) {
	want := map[Design]string{LHS: "points", Sobol: "points", Morris: "trajectories"}[s.Design]
	what := map[Design]string{LHS: "the number of Latin-hypercube points", Sobol: "the number of base samples N (a power of two is best)", Morris: "the number of trajectories"}[s.Design]
	least := map[Design]int64{LHS: 1, Sobol: 2, Morris: 2}[s.Design]
	for _, k := range []string{"points", "trajectories"} {
		v, ok := root[k]
		switch {
		case !ok && k == want:
			b.errorf(line("design"), k, `missing: a design = "%s" sweep needs %s = N`, s.Design, k)
		case !ok:
		case k != want:
			takes := `a grid has one point per combination of values`
			if s.Design == OAT {
				takes = "a one-at-a-time sweep has a base point and two points per key"
			}
			if want != "" {
				takes = fmt.Sprintf(`a design = "%s" sweep takes %s`, s.Design, want)
			}
			b.errorf(line(k), k, "a design = %q sweep does not take %s: %s", s.Design, k, takes)
		default:
			n, isInt := v.(int64)
			if !isInt || n < least || n > MaxPoints {
				b.errorf(line(k), k, "want %s, %d to %d, got %s", what, least, MaxPoints, describe(v))
			} else {
				s.Samples = int(n)
			}
		}
	}
	if v, ok := root["levels"]; ok {
		n, isInt := v.(int64)
		switch {
		case s.Design != Morris:
			b.errorf(line("levels"), "levels", `only a design = "morris" sweep takes levels`)
		case !isInt || n < 2 || n%2 != 0 || n > 1<<20:
			b.errorf(line("levels"), "levels", "want an even number of grid levels, 2 or more (4 is usual), got %s", describe(v))
		default:
			s.Levels = int(n)
		}
	} else if s.Design == Morris {
		s.Levels = DefaultLevels
	}
}

// top reads the top-level keys and the [[vary]] entries.
func (b *builder) top(s *Sweep, root map[string]any, dir string) {
	for _, k := range sortedKeys(root) {
		if !slices.Contains(topKeys, k) {
			b.errorf(b.lines.top[k], k, "unknown key %q%s", k, scenarios.DidYouMean(k, topKeys))
		}
	}
	line := func(k string) int { return b.lines.top[k] }

	if v, ok := root["scenario"]; !ok {
		b.errorf(0, "scenario", "missing: want a built-in scenario name or a path to a scenario file")
	} else if name, ok := v.(string); !ok || name == "" {
		b.errorf(line("scenario"), "scenario", "want a built-in scenario name or a path (a non-empty string), got %s", describe(v))
	} else {
		s.Scenario = name
		b.scenario(s, dir)
	}
	if v, ok := root["runs"]; ok {
		n, ok := v.(int64)
		if !ok || n < 1 || n > sim.MaxRuns {
			b.errorf(line("runs"), "runs", "want a whole number of runs per point, 1 to %d, got %s", sim.MaxRuns, describe(v))
		} else {
			s.Runs = int(n)
		}
	}
	if v, ok := root["seed"]; ok {
		n, ok := v.(int64)
		if !ok || n < 0 {
			b.errorf(line("seed"), "seed", "want a whole number, 0 or more, got %s", describe(v))
		} else {
			s.Seed = uint64(n)
		}
	}
	if v, ok := root["design"]; ok {
		d, _ := v.(string)
		switch Design(d) {
		case Grid, LHS, Sobol, Morris, OAT:
			s.Design = Design(d)
		default:
			b.errorf(line("design"), "design", `want "grid", "lhs", "sobol", "morris" or "oat", got %s`, describe(v))
		}
	}
	b.sampleKeys(s, root, line)

	raw, ok := root["vary"]
	if !ok {
		b.errorf(0, "vary", "missing: want one [[vary]] table per varied key")
		return
	}
	entries, ok := raw.([]map[string]any)
	if !ok {
		b.errorf(line("vary"), "vary", "want [[vary]] tables, got %s", describe(raw))
		return
	}
	if len(entries) == 0 {
		b.errorf(line("vary"), "vary", "want at least one [[vary]] table")
	}
	seen := map[string]int{}
	for i, e := range entries {
		v := b.vary(s, i, e)
		if v == nil {
			continue
		}
		if j, dup := seen[v.Key]; dup {
			b.errorf(v.Line, varyPath(i, "key"), "%s is already varied by vary[%d]", v.Key, j+1)
			continue
		}
		seen[v.Key] = i
		s.Vary = append(s.Vary, *v)
	}
}

// scenario resolves and loads the scenario source.
func (b *builder) scenario(s *Sweep, dir string) {
	line := b.lines.top["scenario"]
	p := s.Scenario
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	data, found, err := scenarios.ReadFile(p, "scenario file")
	switch {
	case err != nil:
		b.errorf(line, "scenario", "%v", err)
		return
	case found:
		s.scenarioFile, s.source = p, data
	default:
		data, err := scenarios.BuiltinSource(s.Scenario)
		if err != nil {
			names := []string{}
			for _, bi := range scenarios.Builtins() {
				names = append(names, bi.Name)
			}
			b.errorf(line, "scenario", "no file %s and no built-in scenario %q (built-ins: %s)", p, s.Scenario, strings.Join(names, ", "))
			return
		}
		s.scenarioFile, s.source = s.Scenario+".toml", data
	}
	_, err = scenarios.Parse(s.scenarioFile, s.source, nil)
	if err == nil {
		// Read once: each value and each point is parsed from it.
		s.prep, err = scenarios.Prepare(s.scenarioFile, s.source)
	}
	if err != nil {
		var list scenarios.ErrorList
		if errors.As(err, &list) {
			b.errs = append(b.errs, list...)
		} else {
			b.errorf(line, "scenario", "%v", err)
		}
		s.source, s.prep = nil, nil
	}
}

func varyPath(i int, key string) string {
	return fmt.Sprintf("vary[%d].%s", i+1, key)
}

// vary reads one [[vary]] entry.
func (b *builder) vary(s *Sweep, i int, e map[string]any) *Vary {
	ln := b.lines.vary(i)
	line := func(k string) int { return ln.key(k) }
	bad := false
	for _, k := range sortedKeys(e) {
		if !slices.Contains(varyKeys, k) {
			b.errorf(line(k), varyPath(i, k), "unknown key %q%s", k, scenarios.DidYouMean(k, varyKeys))
			bad = true
		}
	}
	v := &Vary{Line: ln.header, entry: i}
	key, ok := e["key"].(string)
	switch {
	case e["key"] == nil:
		b.errorf(ln.header, varyPath(i, "key"), "missing: want the dotted key path to vary, as for --set")
		return nil
	case !ok:
		b.errorf(line("key"), varyPath(i, "key"), "want a dotted key path (a string), got %s", describe(e["key"]))
		return nil
	}
	v.Key = key
	if s.source != nil {
		paths, err := scenarios.ScalarPaths(s.source)
		if err == nil && !slices.Contains(paths, key) {
			b.errorf(line("key"), varyPath(i, "key"), "%s: no such key in scenario %s (only keys written in the scenario file can be varied)%s",
				key, s.Scenario, scenarios.DidYouMean(key, paths))
			bad = true
		}
	}

	_, hasValues := e["values"]
	_, hasMin := e["min"]
	_, hasMax := e["max"]
	_, hasStep := e["step"]
	switch {
	case hasValues && (hasMin || hasMax || hasStep):
		b.errorf(line("values"), varyPath(i, "values"), "give either values or min/max, not both")
		return nil
	case hasValues:
		vals, ok := b.list(i, e["values"], line("values"))
		if !ok {
			return nil
		}
		v.Values = vals
	case s.Design != Grid:
		if hasStep {
			b.errorf(line("step"), varyPath(i, "step"), `a design = "%s" key takes min and max, no step%s`, s.Design, map[bool]string{true: " (a list of values is crossed with the hypercube)"}[s.Design == LHS])
			bad = true
		}
		lo, loInt, ok1 := b.number(i, e, "min", line)
		hi, hiInt, ok2 := b.number(i, e, "max", line)
		if !ok1 || !ok2 {
			return nil
		}
		if !(hi > lo) {
			b.errorf(line("max"), varyPath(i, "max"), "empty range: max %v must be greater than min %v", hi, lo)
			return nil
		}
		v.Min, v.Max, v.Integer = lo, hi, loInt && hiInt
	case !hasMin && !hasMax && !hasStep:
		b.errorf(ln.header, varyPath(i, "values"), "missing: want values = [...], or min, max and step")
		return nil
	default:
		lo, loInt, ok1 := b.number(i, e, "min", line)
		hi, hiInt, ok2 := b.number(i, e, "max", line)
		st, stInt, ok3 := b.number(i, e, "step", line)
		if !ok1 || !ok2 || !ok3 {
			return nil
		}
		if hi < lo {
			b.errorf(line("max"), varyPath(i, "max"), "empty range: max %v is less than min %v", hi, lo)
			return nil
		}
		vals, err := steps(lo, hi, st, loInt && hiInt && stInt)
		if err != "" {
			b.errorf(line("step"), varyPath(i, "step"), "%s", err)
			return nil
		}
		v.Values = vals
	}
	if bad {
		return nil
	}
	return v
}

// number reads a numeric key of a vary entry.
func (b *builder) number(i int, e map[string]any, k string, line func(string) int) (x float64, isInt, ok bool) {
	switch n := e[k].(type) {
	case int64:
		return float64(n), true, true
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			break
		}
		return n, false, true
	case nil:
		b.errorf(line(""), varyPath(i, k), "missing: want a number")
		return 0, false, false
	}
	b.errorf(line(k), varyPath(i, k), "want a finite number, got %s", describe(e[k]))
	return 0, false, false
}

// list reads a list of values.
func (b *builder) list(i int, raw any, line int) ([]Value, bool) {
	arr, ok := raw.([]any)
	if !ok {
		b.errorf(line, varyPath(i, "values"), "want a list of numbers, strings or booleans, got %s", describe(raw))
		return nil, false
	}
	if len(arr) == 0 {
		b.errorf(line, varyPath(i, "values"), "empty list: want at least one value")
		return nil, false
	}
	out := make([]Value, len(arr))
	seen := map[string]bool{}
	for j, x := range arr {
		switch y := x.(type) {
		case string, int64, bool:
		case float64:
			if math.IsNaN(y) || math.IsInf(y, 0) {
				b.errorf(line, varyPath(i, "values"), "value %d: want a finite number, got %v", j+1, y)
				return nil, false
			}
		default:
			b.errorf(line, varyPath(i, "values"), "value %d: want a number, a string or a boolean, got %s", j+1, describe(x))
			return nil, false
		}
		out[j] = Value{x}
		k := out[j].TOML()
		if seen[k] {
			b.errorf(line, varyPath(i, "values"), "value %d (%s) is listed twice", j+1, k)
			return nil, false
		}
		seen[k] = true
	}
	return out, true
}

// steps returns min, min+step, ... up to max (within a relative 1e-9 of a
// step), rounded to 12 significant digits so that 0.1+0.2 prints as 0.3.
func steps(lo, hi, step float64, integers bool) ([]Value, string) {
	if !(step > 0) {
		return nil, fmt.Sprintf("step %v: want a step greater than 0", step)
	}
	n := math.Floor((hi-lo)/step+1e-9) + 1
	if n > MaxPoints {
		return nil, fmt.Sprintf("step %v from %v to %v: more than %d values", step, lo, hi, MaxPoints)
	}
	out := make([]Value, int(n))
	for k := range out {
		x := lo + float64(k)*step
		if integers {
			out[k] = Value{int64(math.Round(x))}
			continue
		}
		x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
		out[k] = Value{x}
	}
	return out, ""
}

// values checks each value of each key alone against the scenario, and the
// first point with every key set, so that a value of the wrong type or out
// of range stops the sweep before any run.
func (b *builder) values(s *Sweep) {
	check := func(v *Vary, k string, val Value, line int, i int) {
		_, err := s.prep.Parse([]scenarios.Override{{Path: v.Key, Value: val.TOML()}})
		var list scenarios.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				msg := e.Msg
				if e.Path != "" && e.Path != v.Key {
					msg = e.Path + ": " + msg
				}
				b.errorf(line, varyPath(i, k), "%s = %s: %s", v.Key, val.TOML(), msg)
			}
		} else if err != nil {
			b.errorf(line, varyPath(i, k), "%s = %s: %v", v.Key, val.TOML(), err)
		}
	}
	for j := range s.Vary {
		v := &s.Vary[j]
		i := v.entry
		ln := b.lines.vary(i)
		if !v.Numeric() {
			line := ln.key("values")
			if line == ln.header {
				line = ln.key("step")
			}
			for _, val := range v.Values {
				check(v, "values", val, line, i)
			}
			continue
		}
		if v.Integer {
			check(v, "min", Value{int64(v.Min)}, ln.key("min"), i)
			check(v, "max", Value{int64(v.Max)}, ln.key("max"), i)
		} else {
			check(v, "min", Value{v.Min}, ln.key("min"), i)
			check(v, "max", Value{v.Max}, ln.key("max"), i)
		}
	}
}

// computeHash hashes everything a sweep's rows depend on: the scenario
// with its base chain resolved (digest: a base file that changes between
// an interruption and --resume changes the hash), the engine's model
// version, and the sweep's own settings.
func (s *Sweep) computeHash(digest string) string {
	h := sha256.New()
	fmt.Fprintf(h, "parley sweep 2\nmodel %d\nscenario %s\n", sim.ModelVersion, digest)
	fmt.Fprintf(h, "\nruns %d\nseed %d\ndesign %s\npoints %d\n", s.Runs, s.Seed, s.Design, s.Samples)
	if s.Design == Morris {
		fmt.Fprintf(h, "levels %d\n", s.Levels)
	}
	for _, v := range s.Vary {
		fmt.Fprintf(h, "vary %q", v.Key)
		if v.Numeric() {
			fmt.Fprintf(h, " min %v max %v integer %v", v.Min, v.Max, v.Integer)
		}
		for _, x := range v.Values {
			fmt.Fprintf(h, " %s", x.TOML())
		}
		h.Write([]byte("\n"))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// describe names a decoded TOML value's type and shows it.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return "the string " + strconv.Quote(x)
	case int64:
		return "the integer " + strconv.FormatInt(x, 10)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return "the boolean " + strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "a list of tables"
	}
	return fmt.Sprintf("a %T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
