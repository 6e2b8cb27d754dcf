package main

import (
	"context"
	"errors"
	"io"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/sim"
)

func cmdAnalyze(e *env, args []string) error {
	fs := newFlags("analyze", `analyze SCENARIO [--format table|json|csv] [--all] [--frontier] [--runs N] [--seed S] [--workers W] [-o FILE] [--set key.path=value]...

The bargaining space at the start of the talks: each signatory's ideal package
and value of no agreement, the zone of possible agreement, the Pareto frontier,
and the Nash, Kalai-Smorodinsky and utilitarian solutions within the zone.
Distribution-valued parameters are taken at their means; --runs N plays N runs
with them sampled (the runs of 'parley run' with the same seed) and reports how
often the zone is empty and where the agreements fall. docs/analysis.md.`, e.stderr)
	format := fs.String("format", "table", "output `format`: table, json or csv")
	all := fs.Bool("all", false, "analyse every actor, not only the signatories (the frontier is then over every actor)")
	frontier := fs.Bool("frontier", false, "list the packages of the Pareto frontier")
	runs := fs.Int("runs", 0, "also play this many Monte Carlo `runs` and place their agreements (0: none)")
	seed := fs.Uint64("seed", defaultSeed, "random `seed` of the runs, as given to 'parley run'")
	workers := fs.Int("workers", 0, "parallel `workers` for the runs (0: all cores); results do not depend on it")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("analyze takes one scenario (a built-in name or a file)")
	}
	if err := checkBatch(*runs, 0, *workers); err != nil {
		return err
	}
	if *runs > sim.MaxAnalyzeRuns {
		return usagef("--runs %d: analyze places at most %d runs (it keeps where each run's agreement fell)", *runs, sim.MaxAnalyzeRuns)
	}
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos[0]); err != nil {
		return err
	}
	sc, err := loadAgent("analyze", pos[0], *sets)
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, *runs, "runs")
	if *runs > 0 {
		fit, err := e.fitEngine(sc, *workers)
		if err != nil {
			return err
		}
		*workers = fit
	}
	a, runErr := sim.Analyze(e.ctx, sc, sim.AnalyzeOptions{
		All: *all, Frontier: *frontier, Runs: *runs, Seed: *seed, Workers: *workers, Progress: prog.update,
	})
	prog.finish()
	if a == nil {
		if errors.Is(runErr, context.Canceled) {
			return interrupted(runErr, " before the analysis finished; nothing written")
		}
		return runErr
	}
	if runErr != nil && a.MonteCarlo != nil && a.MonteCarlo.Runs == 0 {
		return interrupted(runErr, " before any run finished; nothing written")
	}
	rep := results.NewAnalysisReport(a)
	prov := results.NewProvenance(sc, setStrings(*sets), *seed)
	rep.Provenance = &prov
	write := func(w io.Writer) error {
		switch *format {
		case "json":
			return results.WriteAnalysisJSON(w, rep)
		case "csv":
			return results.WriteAnalysisCSV(w, rep)
		}
		return results.WriteAnalysisTable(w, rep)
	}
	err = e.writeOut(*out, write)
	if err != nil {
		return err
	}
	if runErr != nil {
		return interrupted(runErr, ": %s; %s places those runs' agreements", finished(a.MonteCarlo.Runs, *runs, "run"), coveredBy(*out, "the analysis above"))
	}
	return nil
}
