package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// defaultSeed is the seed runs use unless --seed is given: the date of the
// Xi–Kim summit in Beijing (27 March 2018).
const defaultSeed = 20180327

func cmdRun(e *env, args []string) error {
	fs := newFlags("run", "run SCENARIO [--runs N] [--seed S] [--workers W] [--set key.path=value]...\n              [--format table|json|csv] [-o FILE] [--runs-out FILE] [--plot DIR]\n              [--series-out FILE [--series-runs RUNS]]\n\nSCENARIO is a built-in name (see 'parley list') or a path to a TOML file.", e.stderr)
	runs := fs.Int("runs", 10000, "number of Monte Carlo `runs`")
	seed := fs.Uint64("seed", defaultSeed, "random `seed`; the same seed gives the same results")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores); results do not depend on it")
	format := fs.String("format", "table", "output `format`: table, json or csv")
	out := fs.String("o", "", "write the results to `FILE` (atomically) instead of standard output")
	runsOut := fs.String("runs-out", "", "also write one CSV row per run to `FILE` (atomically)")
	plotDir := fs.String("plot", "", "also draw charts (PNG and SVG) into `DIR`, the per-turn bands of the talks among them")
	seriesOut := fs.String("series-out", "", "also write the state of the talks turn by turn to `FILE` (CSV): per-turn bands across all runs, or with --series-runs the rows of those runs")
	seriesRuns := fs.String("series-runs", "", "with --series-out, the `RUNS` whose every turn to write (\"5\", \"1,5,9\", \"1-20\"), instead of bands")
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("run takes one scenario (a built-in name or a file)")
	}
	if err := checkBatch(*runs, 1, *workers); err != nil {
		return err
	}
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}, {Name: "--runs-out", Path: *runsOut}, {Name: "--series-out", Path: *seriesOut}}, pos[0]); err != nil {
		return err
	}
	var chosen map[int]bool
	if *seriesRuns != "" {
		if *seriesOut == "" {
			return usagef("--series-runs chooses the runs --series-out writes: give --series-out FILE")
		}
		if chosen, err = parseRunList(*seriesRuns, *runs); err != nil {
			return err
		}
	}
	if err := checkPlotDir(*plotDir); err != nil {
		return err
	}
	sc, sp, err := scenarios.LoadAny(pos[0], *sets)
	if err != nil {
		return err
	}
	if sp != nil {
		// A spatial scenario: its Monte Carlo forecast summary.
		if *runsOut != "" || *seriesOut != "" {
			return usagef("%s is a spatial (forecast) scenario: run gives its forecast summary, without --runs-out or --series-out; 'parley forecast %s --runs %d --format csv' gives every round", pos[0], pos[0], *runs)
		}
		return e.runSpatial(sp, *runs, *seed, *workers, *format, *out, *plotDir)
	}
	fit, err := e.fitEngine(sc, *workers)
	if err != nil {
		return err
	}
	*workers = fit
	m, err := sim.Compile(sc)
	if err != nil {
		return err
	}

	prog := newProgress(e.stderr, *runs, "runs")
	withBands := (*seriesOut != "" && chosen == nil) || *plotDir != ""
	opts := sim.Options{Runs: *runs, Seed: *seed, Workers: *workers, Progress: prog.update, Turns: withBands || chosen != nil}
	withRows := *runsOut != ""
	keep := func(run int) bool { return chosen[run] }
	newAcc := func() *runAcc {
		a := &runAcc{sum: results.NewSummary(sc)}
		if withRows {
			a.rows = results.NewRunRows(sc)
		}
		if withBands {
			a.bands = results.NewBands(sc)
		}
		if chosen != nil {
			a.series = results.NewSeriesRows(sc, keep)
		}
		return a
	}
	total := newAcc()
	total.rows = nil
	var done int
	var runErr error
	if withRows {
		// The rows stream into a temporary file, renamed into place once
		// the batch ends; an interrupted batch keeps the runs that finished.
		err = outfile.Write(*runsOut, func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			if total.rows, err = results.NewRunRowsWriter(bw, m); err != nil {
				return err
			}
			done, runErr = sim.MonteCarloInto(e.ctx, m, opts, total, newAcc)
			if err := total.rows.Err(); err != nil {
				return err
			}
			return bw.Flush()
		})
	} else {
		done, runErr = sim.MonteCarloInto(e.ctx, m, opts, total, newAcc)
	}
	prog.finish()
	if err != nil {
		return err
	}
	if runErr != nil && done == 0 {
		return interrupted(runErr, " before any run finished; nothing written")
	}
	rep := total.sum.Report(sc.ID, *seed)
	prov := results.NewProvenance(sc, setStrings(*sets), *seed)
	rep.Provenance = &prov
	manifest := func(file string) results.Manifest {
		return results.Manifest{File: file, Provenance: []results.Provenance{prov}}
	}
	var bands []results.Band
	if withBands {
		bands = total.bands.Bands()
	}
	if *seriesOut != "" {
		err := outfile.Write(*seriesOut, func(w io.Writer) error {
			if chosen == nil {
				return results.WriteBandsCSV(w, bands)
			}
			rw, err := results.NewSeriesRowsWriter(w, sc, keep)
			if err != nil {
				return err
			}
			rw.Merge(total.series)
			return rw.Err()
		})
		if err != nil {
			return err
		}
		kind := "bands"
		if chosen != nil {
			kind = "series"
		}
		if err := writeManifest(*seriesOut, manifest(kind)); err != nil {
			return err
		}
	}
	write := func(w io.Writer) error {
		switch *format {
		case "json":
			return results.WriteJSON(w, rep)
		case "csv":
			return results.WriteCSV(w, rep)
		}
		return results.WriteTable(w, rep, sc)
	}
	if *plotDir != "" {
		if err := e.writeCharts(*plotDir, append(report.RunCharts(rep, sc), report.BandCharts(bands, sc)...)); err != nil {
			return err
		}
	}
	err = e.writeOut(*out, write)
	if err != nil {
		return err
	}
	if *format == "csv" {
		if err := writeManifest(*out, manifest("report")); err != nil {
			return err
		}
	}
	if withRows {
		if err := writeManifest(*runsOut, manifest("runs")); err != nil {
			return err
		}
	}
	if runErr != nil {
		return interrupted(runErr, ": %s; %s covers those runs", finished(done, *runs, "run"), coveredBy(*out, "the summary above"))
	}
	return nil
}

// runAcc folds runs into a summary and, with --runs-out, into per-run
// rows; with --series-out or --plot, into per-turn bands, and with
// --series-runs into the chosen runs' per-turn rows.
type runAcc struct {
	sum    *results.Summary
	rows   *results.RunRows    // nil without --runs-out
	bands  *results.Bands      // nil without per-turn bands
	series *results.SeriesRows // nil without --series-runs
}

func (a *runAcc) Add(r *sim.Record) {
	a.sum.Add(r)
	if a.rows != nil {
		a.rows.Add(r)
	}
	if a.bands != nil {
		a.bands.Add(r)
	}
	if a.series != nil {
		a.series.Add(r)
	}
}

func (a *runAcc) Merge(o *runAcc) {
	a.sum.Merge(o.sum)
	if a.rows != nil {
		a.rows.Merge(o.rows)
	}
	if a.bands != nil {
		a.bands.Merge(o.bands)
	}
	if a.series != nil {
		a.series.Merge(o.series)
	}
}

func (a *runAcc) Reset() {
	a.sum.Reset()
	if a.rows != nil {
		a.rows.Reset()
	}
	if a.bands != nil {
		a.bands.Reset()
	}
	if a.series != nil {
		a.series.Reset()
	}
}

// parseRunList parses a list of runs, "5", "1,5,9" or "1-20" or a mix,
// each between 1 and runs; at most 10,000 of them.
func parseRunList(s string, runs int) (map[int]bool, error) {
	out := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		switch {
		case err1 != nil || err2 != nil:
			return nil, usagef("--series-runs: %q is not a run or a range of runs (as in 1,5,9 or 1-20)", part)
		case a < 1 || b > runs || a > b:
			return nil, usagef("--series-runs: %q: runs are numbered 1 to %d", part, runs)
		case b-a+1+len(out) > 10000:
			return nil, usagef("--series-runs: more than 10000 runs; for many runs, the bands (without --series-runs) summarise them")
		}
		for k := a; k <= b; k++ {
			out[k] = true
		}
	}
	return out, nil
}

// progress shows a progress bar on a terminal once work has taken longer
// than a moment; it shows nothing when stderr is not a terminal.
type progress struct {
	w     io.Writer
	total int
	unit  string
	start time.Time
	on    bool
	bar   *bar
}

func newProgress(w io.Writer, total int, unit string) *progress {
	return &progress{w: w, total: total, unit: unit, start: time.Now(), on: isTerminal(w)}
}

// update is called with the number of items done so far.
func (p *progress) update(done int) {
	if !p.on {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < 500*time.Millisecond {
			return
		}
		p.bar = newBar(p.w, p.total, p.unit)
	}
	p.bar.set(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.finish()
	}
}
