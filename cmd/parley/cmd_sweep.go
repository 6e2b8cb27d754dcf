package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/sweep"
)

const sweepUsage = `sweep SWEEP.toml [-o FILE] [--format csv|jsonl] [--workers W] [--resume] [--shard K/N] [--plot DIR]

Plays the scenario of a sweep file at every point of its design (see
docs/sweeps.md) and writes one row per point, in point order, flushed as
points finish. With -o, a manifest FILE.manifest.json beside the output
records the sweep's hash and shard for --resume and 'parley merge'.`

func cmdSweep(e *env, args []string) error {
	fs := newFlags("sweep", sweepUsage, e.stderr)
	out := fs.String("o", "", "write the rows to `FILE` (standard output if not given)")
	format := fs.String("format", "csv", "row `format`: csv or jsonl")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores); results do not depend on it")
	resume := fs.Bool("resume", false, "continue the sweep in -o FILE, computing only the points it lacks")
	shardFlag := fs.String("shard", "", "compute only shard `K/N` of the points (K from 1 to N)")
	plotDir := fs.String("plot", "", "when the sweep is complete, draw each outcome's share against each numeric key into `DIR` (needs -o and csv)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("sweep takes one sweep file")
	}
	if err := oneOf("format", *format, results.SweepFormats...); err != nil {
		return err
	}
	if *workers < 0 {
		return usagef("--workers %d: want 0 (all cores) or more", *workers)
	}
	var sh sweep.Shard
	if *shardFlag != "" {
		if sh, err = sweep.ParseShard(*shardFlag); err != nil {
			return usagef("--shard: %v", err)
		}
	}
	if *out == "" && (*resume || *shardFlag != "") {
		return usagef("--resume and --shard write to a file: give -o FILE")
	}
	if *plotDir != "" && (*out == "" || *format != "csv") {
		return usagef("--plot draws from the rows written: give -o FILE and --format csv")
	}
	if *out != "" {
		if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}, {Name: "its manifest", Path: sweep.ManifestPath(*out)}}, pos[0]); err != nil {
			return err
		}
	}
	if err := checkPlotDir(*plotDir); err != nil {
		return err
	}
	sw, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	name, src := sw.ScenarioSource()
	sc, err := scenarios.Parse(name, src, nil)
	if err != nil {
		return err
	}
	// A point's values do not change the package space: the base says
	// what every point needs.
	if *workers, err = e.fitEngine(sc, *workers); err != nil {
		return err
	}
	keys := make([]string, len(sw.Vary))
	sw.Labels = map[string]string{}
	for i, v := range sw.Vary {
		keys[i] = v.Key
		sw.Labels[v.Key] = report.KeyLabel(sc, v.Key) // the manifest keeps them for sensitivity's charts
	}
	table, err := results.NewSweepTable(*format, keys, sc)
	if err != nil {
		return err
	}
	total := sh.Count(sw.Len())

	var (
		w    io.Writer = e.stdout
		f    *os.File
		skip int
	)
	if *out != "" {
		check := func(n int, _, line []byte) string {
			p := sw.Point(n)
			vals := make([]any, len(p.Values))
			for i, v := range p.Values {
				vals[i] = v.Any()
			}
			return table.CheckRow(n, vals, sw.Runs, line)
		}
		f, skip, err = openSweepOutput(*out, sweep.NewManifest(sw, *format, sh), table.Header(), sh, *resume, check)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	} else if _, err := w.Write(table.Header()); err != nil {
		return err
	}

	// PARLEY_SWEEP_LOG=1 logs each point written to stderr (for tests and
	// for checking what a resumed sweep computes).
	logPoints := os.Getenv("PARLEY_SWEEP_LOG") != ""
	todo := total - skip
	prog := newSweepProgress(e.stderr, todo, todo*sw.Runs)
	start := time.Now()
	var runs int
	done, runErr := sweep.Run(e.ctx, sw, sweep.Options{Workers: *workers, Shard: sh, Skip: skip,
		Progress: func(points, r int) { runs = r; prog.update(points, r) }},
		results.NewSummary,
		func(p sweep.Point, _ *scenarios.Scenario, s *results.Summary) error {
			vals := make([]any, len(p.Values))
			for i, v := range p.Values {
				vals[i] = v.Any()
			}
			if _, err := w.Write(table.Row(p.N, vals, s)); err != nil {
				return err
			}
			if logPoints {
				fmt.Fprintf(e.stderr, "sweep: point %d done\n", p.N)
			}
			return nil
		})
	prog.finish()
	elapsed := time.Since(start)
	where := ""
	if sh.N > 0 {
		where = " of shard " + sh.String()
	}
	fmt.Fprintf(e.stderr, "sweep: %d of %d points%s computed (%d already done); %d runs in %s, %.0f runs/s\n",
		done, total, where, skip, runs, elapsed.Round(time.Millisecond), float64(runs)/max(elapsed.Seconds(), 1e-9))
	if f != nil {
		if err := f.Sync(); err != nil && runErr == nil {
			runErr = err
		}
		if err := f.Close(); err != nil && runErr == nil {
			runErr = err
		}
	}
	if runErr != nil {
		if *out != "" && e.ctx.Err() != nil {
			return interrupted(runErr, ": %s; %s holds them: the same command with --resume computes the rest",
				finished(skip+done, total, "point"), *out)
		}
		if e.ctx.Err() != nil {
			return interrupted(runErr, ": %s; the rows above are those points (with -o FILE, --resume finishes a sweep)",
				finished(done, total, "point"))
		}
		return runErr
	}
	if *plotDir != "" {
		return plotSweep(e, *out, sw.Scenario, sc, *plotDir)
	}
	return nil
}

// plotSweep draws the charts of the sweep rows in file into dir, naming
// the keys in the words of scenario sc (nil: by their paths).
func plotSweep(e *env, file, name string, sc *scenarios.Scenario, dir string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	charts, err := report.SweepCharts(f, name, sc)
	if err != nil {
		return err
	}
	return e.writeCharts(dir, charts)
}

// openSweepOutput opens the output of a sweep for its rows. A new output
// gets its manifest, then the header. With resume an existing output is
// checked against the manifest and the sweep, cut after its last complete
// row, and opened for appending; skip is the number of rows it holds.
func openSweepOutput(path string, m sweep.Manifest, header []byte, sh sweep.Shard, resume bool, check sweep.RowCheck) (f *os.File, skip int, err error) {
	_, statErr := os.Stat(path)
	if statErr == nil && !resume {
		return nil, 0, usagef("%s exists: continue it with --resume, or remove it first", path)
	}
	if statErr == nil {
		got, err := sweep.ReadManifest(path)
		if err != nil {
			return nil, 0, usagef("--resume: %v", err)
		}
		if got.Runs == 0 {
			got.Runs = m.Runs // written before manifests recorded it; the hash covers it
		}
		if got.Model != m.Model {
			return nil, 0, usagef("--resume: %s was computed by parley's model %d and this is model %d: its rows cannot be continued; start a new output", path, got.Model, m.Model)
		}
		if !got.Same(m) {
			return nil, 0, usagef("--resume: %s holds shard %d/%d (%s) of sweep %s; this is shard %d/%d (%s) of sweep %s",
				path, got.Shard, got.Shards, got.Format, got.Sweep, m.Shard, m.Shards, m.Format, m.Sweep)
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return nil, 0, err
		}
		rows, end, err := sweep.ScanPart(f, path, header, sh, m.Points, check)
		if err != nil {
			f.Close()
			if errors.Is(err, sweep.ErrMismatch) {
				return nil, 0, usagef("--resume: %v", err)
			}
			return nil, 0, err
		}
		if err := f.Truncate(end); err != nil {
			f.Close()
			return nil, 0, err
		}
		if _, err := f.Seek(end, io.SeekStart); err != nil {
			f.Close()
			return nil, 0, err
		}
		if end == 0 {
			if _, err := f.Write(header); err != nil {
				f.Close()
				return nil, 0, err
			}
		}
		return f, rows, nil
	}
	if !errors.Is(statErr, fs.ErrNotExist) {
		return nil, 0, statErr
	}
	if err := outfile.Write(sweep.ManifestPath(path), func(w io.Writer) error { return sweep.WriteManifest(w, m) }); err != nil {
		return nil, 0, err
	}
	f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, 0, err
	}
	if _, err := f.Write(header); err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, 0, nil
}

// sweepProgress shows a bar of runs, with the points done in its
// description, on a terminal once a sweep has taken more than a moment.
type sweepProgress struct {
	w      io.Writer
	points int
	runs   int
	start  time.Time
	on     bool
	pb     *progressbar.ProgressBar
}

func newSweepProgress(w io.Writer, points, runs int) *sweepProgress {
	return &sweepProgress{w: w, points: points, runs: runs, start: time.Now(), on: isTerminal(w) && runs > 0}
}

func (p *sweepProgress) update(points, runs int) {
	if !p.on {
		return
	}
	if p.pb == nil {
		if time.Since(p.start) < 500*time.Millisecond {
			return
		}
		p.pb = progressbar.NewOptions(p.runs,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("runs"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
	}
	p.pb.Describe(fmt.Sprintf("%d/%d points", points, p.points))
	_ = p.pb.Set(runs)
}

func (p *sweepProgress) finish() {
	if p.pb != nil {
		_ = p.pb.Finish()
	}
}

const mergeUsage = `merge OUT PART... [--plot DIR]

Joins the outputs of 'parley sweep --shard K/N' runs, given in any order,
into OUT (and its manifest), byte for byte the output of the whole sweep
on one machine. It refuses parts of different sweeps, duplicate or missing
shards and incomplete parts, naming them.`

func cmdMerge(e *env, args []string) error {
	flags := newFlags("merge", mergeUsage, e.stderr)
	plotDir := flags.String("plot", "", "also draw each outcome's share against each numeric key into `DIR` (csv parts)")
	pos, err := parseArgs(flags, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("merge takes the output file and at least one part")
	}
	out, names := pos[0], pos[1:]
	inputs := slices.Clone(names)
	for _, n := range names {
		inputs = append(inputs, sweep.ManifestPath(n))
	}
	if err := checkOutputs([]outfile.Output{{Name: "OUT", Path: out}, {Name: "its manifest", Path: sweep.ManifestPath(out)}}, inputs...); err != nil {
		return usagef("merge: %v", err)
	}
	parts := make([]sweep.Part, len(names))
	for i, n := range names {
		m, err := sweep.ReadManifest(n)
		if err != nil {
			if errors.Is(err, sweep.ErrMismatch) || errors.Is(err, fs.ErrNotExist) {
				return usagef("merge: %v", err)
			}
			return err
		}
		f, err := os.Open(n)
		if err != nil {
			return err
		}
		defer f.Close()
		parts[i] = sweep.Part{Name: n, Manifest: m, R: f}
	}
	var merged sweep.Manifest
	err = outfile.Write(out, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		var err error
		check := func(_ int, header, line []byte) string {
			return results.CheckSweepRow(header, parts[0].Manifest.Runs, line)
		}
		if merged, err = sweep.Merge(bw, parts, check); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		if errors.Is(err, sweep.ErrMismatch) {
			return usagef("merge: %v", err)
		}
		return err
	}
	if err := outfile.Write(sweep.ManifestPath(out), func(w io.Writer) error { return sweep.WriteManifest(w, merged) }); err != nil {
		return err
	}
	if *plotDir != "" {
		if merged.Format != "csv" {
			return usagef("--plot draws from csv rows; these parts are %s", merged.Format)
		}
		return plotSweep(e, out, filepath.Base(out), nil, *plotDir)
	}
	return nil
}
