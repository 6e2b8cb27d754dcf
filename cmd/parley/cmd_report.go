package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func cmdReport(e *env, args []string) error {
	fs := newFlags("report", "report SCENARIO -o report.html [--runs N] [--seed S] [--workers W] [--set key.path=value]...\n\nWrites one self-contained HTML page (inline CSS and SVG, nothing fetched) for a projector:\nthe question and the actors, the outcome distribution with intervals, the agreed terms,\nthe bargaining space, and one representative run told turn by turn.", e.stderr)
	runs := fs.Int("runs", 10000, "number of Monte Carlo `runs`")
	seed := fs.Uint64("seed", defaultSeed, "random `seed`")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores)")
	out := fs.String("o", "", "write the page to `FILE` (atomically) instead of standard output")
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
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos[0]); err != nil {
		return err
	}
	sc, err := scenarios.Load(pos[0], *sets)
	if err != nil {
		return err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, *runs, "runs")
	sum, done, err := sim.MonteCarlo(e.ctx, m, sim.Options{Runs: *runs, Seed: *seed, Workers: *workers, Progress: prog.update},
		func() *results.Summary { return results.NewSummary(sc) })
	prog.finish()
	if err != nil {
		return fmt.Errorf("interrupted after %d runs; no report written: %w", done, err)
	}
	rep := sum.Report(sc.ID, *seed)

	// The representative run: the first that ended in the most common outcome.
	modal := sim.Agreement
	for _, o := range sim.Outcomes {
		if sum.Count(o) > sum.Count(modal) {
			modal = o
		}
	}
	w := sim.NewWorker(m)
	k := 1
	for ; k < *runs; k++ {
		if w.Run(*seed, k, nil).Outcome == modal {
			break
		}
	}
	var tr sim.Trace
	w.Run(*seed, k, &tr)

	page := report.Page{
		Scenario:  sc,
		Report:    rep,
		Narration: story.NewNarration(m, &tr, k),
		Command:   reportCommand(pos[0], *runs, *seed, *sets),
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
