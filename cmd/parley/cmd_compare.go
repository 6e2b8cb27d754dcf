package main

import (
	"fmt"
	"io"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

const compareUsage = `compare A B [--runs N] [--seed S] [--workers W] [--set-a key.path=value]... [--set-b key.path=value]... [--independent] [--format table|json|csv] [-o FILE] [--plot DIR]

A and B are scenarios (built-in names or paths), often the same one with
different overrides:

  parley compare korea-2018 korea-2018 --set-b protocol.mediator=none

By default the runs are paired: A and B are both run with seed S, so run k
of A and run k of B share every random number they have in common (each
purpose draws from a stream of its own), and each outcome's difference
A − B gets Newcombe's hybrid score 95% interval for paired proportions,
narrower than the independent one when the two arms agree run by run.
With --independent, B is run with the unrelated seed splitmix64(S) and the
differences get Newcombe's interval for independent proportions (method
10). Each actor's utility shift gets a normal 95% interval either way.`

func cmdCompare(e *env, args []string) error {
	fs := newFlags("compare", compareUsage, e.stderr)
	runs := fs.Int("runs", 10000, "number of Monte Carlo `runs` of each scenario")
	seed := fs.Uint64("seed", defaultSeed, "random `seed` of A, and of B unless --independent")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores); results do not depend on it")
	independent := fs.Bool("independent", false, "draw B from the unrelated seed splitmix64(seed): independent samples, not paired runs")
	format := fs.String("format", "table", "output `format`: table, json or csv")
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
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos...); err != nil {
		return err
	}
	if err := checkPlotDir(*plotDir); err != nil {
		return err
	}
	scA, errA := loadAgent("compare", pos[0], setsA)
	scB, errB := loadAgent("compare", pos[1], setsB)
	if errA != nil || errB != nil {
		return compareLoadError(errA, errB)
	}
	seedB, note := *seed, "(B uses the same seed: run k of A and of B are paired)"
	if *independent {
		seedB, note = splitmix64(*seed), fmt.Sprintf("(B's seed is splitmix64(%d): an independent stream)", *seed)
	}

	prog := newProgress(e.stderr, 2**runs, "runs")
	a, err := compareBatch(e, "A", scA, *runs, *seed, *workers, func(done int) { prog.update(done) })
	if err != nil {
		prog.finish()
		return err
	}
	b, err := compareBatch(e, "B", scB, *runs, seedB, *workers, func(done int) { prog.update(*runs + done) })
	prog.finish()
	if err != nil {
		return err
	}
	var c results.Comparison
	if *independent {
		c = results.CompareIndependent(a.rep, b.rep, a.runs, b.runs, actorIDs(scA), actorIDs(scB))
	} else if c, err = results.ComparePaired(a.rep, b.rep, a.runs, b.runs, actorIDs(scA), actorIDs(scB)); err != nil {
		return err
	}
	c.A.Sets = setStrings(setsA)
	c.B.Sets = setStrings(setsB)
	c.A.SourceDigest, c.B.SourceDigest = scA.Digest, scB.Digest
	if *plotDir != "" {
		if err := e.writeCharts(*plotDir, report.CompareCharts(c, a.rep, b.rep)); err != nil {
			return err
		}
	}
	if err := writeComparison(e, *out, *format, c, scA, note); err != nil {
		return err
	}
	if *format != "csv" {
		return nil
	}
	return writeManifest(*out, results.Manifest{File: "comparison", Provenance: []results.Provenance{
		results.NewProvenance(scA, c.A.Sets, c.A.Seed), results.NewProvenance(scB, c.B.Sets, c.B.Seed)}})
}

func actorIDs(sc *scenarios.Scenario) []string {
	ids := make([]string, len(sc.Actors))
	for i, a := range sc.Actors {
		ids[i] = a.ID
	}
	return ids
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

// armResult is what compare keeps of one arm: its report and its runs.
type armResult struct {
	rep  results.Report
	runs *results.Paired
}

// compareBatch plays runs of sc, scenario label ("A" or "B"), with seed
// and returns their report and runs; a cancelled batch is an
// interruptedError.
func compareBatch(e *env, label string, sc *scenarios.Scenario, runs int, seed uint64, workers int, progress func(int)) (armResult, error) {
	workers, err := e.fitEngine(sc, workers)
	if err != nil {
		return armResult{}, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return armResult{}, err
	}
	acc, done, err := sim.MonteCarlo(e.ctx, m, sim.Options{
		Runs: runs, Seed: seed, Workers: workers, Progress: progress,
	}, func() *results.PairedArm { return results.NewPairedArm(sc) })
	if err != nil {
		after := ""
		if label == "B" {
			after = " (A finished)"
		}
		return armResult{}, interrupted(err, " while running %s%s: %s of %s's %s runs finished; no comparison written",
			label, after, thousands(done), label, thousands(runs))
	}
	return armResult{acc.Sum.Report(sc.ID, seed), acc.Runs}, nil
}

func writeComparison(e *env, out, format string, c results.Comparison, scA *scenarios.Scenario, note string) error {
	write := func(w io.Writer) error {
		switch format {
		case "json":
			return results.WriteComparisonJSON(w, c)
		case "csv":
			return results.WriteComparisonCSV(w, c)
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
