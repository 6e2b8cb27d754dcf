package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/sim"
)

func cmdReport(e *env, args []string) error {
	fs := newFlags("report", "report SCENARIO -o report.html [--runs N] [--seed S] [--workers W] [--run K] [--set key.path=value]...\n\nWrites one self-contained HTML page (inline CSS and SVG, nothing fetched) for a projector,\nprinting as an A4 handout: the question answered in one sentence and the outcome distribution\nwith intervals on the first screen, the actors, the agreed terms, the bargaining space, and one\nrun told: run K of the batch with --run K (as 'parley narrate --run K' tells it), else the\nfirst run that ended in the most common outcome. Runs are numbered from 1.", e.stderr)
	runs := fs.Int("runs", 10000, "number of Monte Carlo `runs`")
	seed := fs.Uint64("seed", defaultSeed, "random `seed`")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores)")
	out := fs.String("o", "", "write the page to `FILE` (atomically) instead of standard output")
	runK := fs.Int("run", 0, "tell run `K` of the batch, from 1 (default: the first run that ended in the most common outcome)")
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("report takes one scenario (a built-in name or a file)")
	}
	if err := checkBatch(*runs, 1, *workers); err != nil {
		return err
	}
	asked := false
	fs.Visit(func(f *flag.Flag) { asked = asked || f.Name == "run" })
	switch {
	case asked && *runK < 1:
		return usagef("--run %d: runs are numbered from 1", *runK)
	case asked && *runK > *runs:
		return usagef("--run %d: the batch has only %s (--runs %d)", *runK, count(*runs, "run"), *runs)
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos[0]); err != nil {
		return err
	}
	sc, err := loadAgent("report", pos[0], *sets)
	if err != nil {
		return err
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
	sum, done, err := sim.MonteCarlo(e.ctx, m, sim.Options{Runs: *runs, Seed: *seed, Workers: *workers, Progress: prog.update},
		func() *results.Summary { return results.NewSummary(sc) })
	prog.finish()
	if err != nil {
		return interrupted(err, ": %s; no report written", finished(done, *runs, "run"))
	}
	rep := sum.Report(sc.ID, *seed)

	// The told run: run K when asked for, else the first that ended in the
	// most common outcome.
	k := *runK
	w := sim.NewWorker(m)
	if !asked {
		modal := sim.Agreement
		for _, o := range sim.Outcomes {
			if sum.Count(o) > sum.Count(modal) {
				modal = o
			}
		}
		for k = 1; k < *runs; k++ {
			if w.Run(*seed, k, nil).Outcome == modal {
				break
			}
		}
	}
	var tr sim.Trace
	w.Run(*seed, k, &tr)

	page := report.Page{
		Scenario:  sc,
		Report:    rep,
		Narration: story.NewNarration(m, &tr, k),
		Asked:     asked,
		Command:   reportCommand(pos[0], *runs, *seed, *sets),
		Narrate:   narrateCommand(pos[0], k, *seed, *sets),
	}
	if asked {
		page.Command += fmt.Sprintf(" --run %d", k)
	}
	an, err := sim.Analyze(e.ctx, sc, sim.AnalyzeOptions{})
	if err != nil {
		return err
	}
	if page.Analysis, err = report.AnalysisHTML(results.NewAnalysisReport(an), sc); err != nil {
		return err
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := report.WriteHTML(bw, page); err != nil {
			return err
		}
		return bw.Flush()
	}
	return e.writeOut(*out, write)
}

// reportCommand is the parley command line that reproduces a report.
func reportCommand(scenario string, runs int, seed uint64, sets setFlags) string {
	parts := []string{"parley report", shellQuote(scenario), fmt.Sprintf("--runs %d --seed %d", runs, seed)}
	for _, s := range sets {
		parts = append(parts, "--set "+shellQuote(s.Path+"="+s.Value))
	}
	return strings.Join(parts, " ")
}

// narrateCommand is the parley command line that tells run k on its own.
func narrateCommand(scenario string, k int, seed uint64, sets setFlags) string {
	parts := []string{"parley narrate", shellQuote(scenario), fmt.Sprintf("--seed %d --run %d", seed, k)}
	for _, s := range sets {
		parts = append(parts, "--set "+shellQuote(s.Path+"="+s.Value))
	}
	return strings.Join(parts, " ")
}

// shellQuote returns s as one word of a POSIX shell: as it is when it
// holds only characters no shell treats specially, else in single quotes
// (a quote inside closes them, writes an escaped quote and opens them
// again), so that a pasted command line passes exactly s and runs nothing
// a value smuggled in.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
