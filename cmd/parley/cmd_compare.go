package main

import (
	"fmt"
	"io"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

const compareUsage = `compare A B [--runs N] [--seed S] [--workers W] [--set-a key.path=value]... [--set-b key.path=value]... [--format table|json] [-o FILE] [--plot DIR]

A and B are scenarios (built-in names or paths), often the same one with
different overrides:

  parley compare korea-2018 korea-2018 --set-b protocol.mediator=none

A is run with seed S and B with the independent seed splitmix64(S), so the
two batches are independent samples and each outcome's difference A − B
gets Newcombe's hybrid score 95% interval (method 10) for independent
proportions.`

func cmdCompare(e *env, args []string) error {
	fs := newFlags("compare", compareUsage, e.stderr)
	runs := fs.Int("runs", 10000, "number of Monte Carlo `runs` of each scenario")
	seed := fs.Uint64("seed", defaultSeed, "random `seed` of A; B uses splitmix64(seed)")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores); results do not depend on it")
	format := fs.String("format", "table", "output `format`: table or json")
	out := fs.String("o", "", "write the comparison to `FILE` (atomically) instead of standard output")
	plotDir := fs.String("plot", "", "also draw charts (PNG and SVG) into `DIR`: the shares side by side, and the differences")
	var setsA, setsB setFlags
	fs.Var(&setsA, "set-a", "override a value of scenario A by its `key.path=value` (repeatable)")
	fs.Var(&setsB, "set-b", "override a value of scenario B by its `key.path=value` (repeatable)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("compare takes two scenarios, A and B (built-in names or files)")
	}
	if err := checkBatch(*runs, 1, *workers); err != nil {
		return err
	}
	if err := oneOf("format", *format, "table", "json"); err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos...); err != nil {
		return err
	}
	if err := checkPlotDir(*plotDir); err != nil {
		return err
	}
	scA, errA := scenarios.Load(pos[0], setsA)
	scB, errB := scenarios.Load(pos[1], setsB)
	if errA != nil || errB != nil {
		return compareLoadError(errA, errB)
	}
	seedB := splitmix64(*seed)

	prog := newProgress(e.stderr, 2**runs, "runs")
	repA, err := compareBatch(e, scA, *runs, *seed, *workers, func(done int) { prog.update(done) })
	if err == nil {
		var repB results.Report
		repB, err = compareBatch(e, scB, *runs, seedB, *workers, func(done int) { prog.update(*runs + done) })
		prog.finish()
		if err != nil {
			return fmt.Errorf("interrupted while running B (A finished): no comparison written: %w", err)
		}
		c := results.Compare(repA, repB)
		c.A.Sets = setStrings(setsA)
		c.B.Sets = setStrings(setsB)
		if *plotDir != "" {
			paths, err := results.WriteCharts(*plotDir, results.CompareCharts(c, repA, repB))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "wrote %d chart files (PNG and SVG) to %s\n", len(paths), *plotDir)
		}
		return writeComparison(e, *out, *format, c, scA, fmt.Sprintf("(B's seed is splitmix64(%d): an independent stream)", *seed))
	}
	prog.finish()
	return fmt.Errorf("interrupted while running A: no comparison written: %w", err)
}

// compareLoadError joins the problems of A and B, keeping what they match
// (scenarios.ErrInvalid, fs.ErrNotExist) for the exit status.
func compareLoadError(errA, errB error) error {
	switch {
	case errA == nil:
		return fmt.Errorf("scenario B: %w", errB)
	case errB == nil:
		return fmt.Errorf("scenario A: %w", errA)
	}
	return fmt.Errorf("scenario A: %w\nscenario B: %w", errA, errB)
}

// compareBatch plays runs of sc with seed and returns their report; a
// cancelled batch is an error.
func compareBatch(e *env, sc *scenarios.Scenario, runs int, seed uint64, workers int, progress func(int)) (results.Report, error) {
	m, err := sim.Compile(sc)
	if err != nil {
		return results.Report{}, err
	}
	sum, done, err := sim.MonteCarlo(e.ctx, m, sim.Options{
		Runs: runs, Seed: seed, Workers: workers, Progress: progress,
	}, func() *results.Summary { return results.NewSummary(sc) })
	if err != nil {
		return results.Report{}, fmt.Errorf("%d of %d runs of %s finished: %w", done, runs, sc.ID, err)
	}
	return sum.Report(sc.ID, seed), nil
}

func writeComparison(e *env, out, format string, c results.Comparison, scA *scenarios.Scenario, note string) error {
	write := func(w io.Writer) error {
		if format == "json" {
			return results.WriteComparisonJSON(w, c)
		}
		return results.WriteComparisonTable(w, c, scA, note)
	}
	return e.writeOut(out, write)
}

func setStrings(s setFlags) []string {
	out := make([]string, len(s))
	for i, o := range s {
		out[i] = o.Path + "=" + o.Value
	}
	return out
}

// splitmix64 returns the first output of Steele, Lea and Flood's SplitMix64
// generator seeded with x (Java's SplittableRandom, the seeding routine of
// the xoshiro generators). compare draws B's runs from seed splitmix64(S),
// a stream unrelated to A's seed S, so that the two batches are
// independent samples.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
