package main

import (
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results/explore"
	"github.com/parley-sim/parley/sim/sweep"
)

const sensitivityUsage = `sensitivity OUT [--format table|json|csv] [-o FILE] [--plot DIR] [--bootstrap B] [--seed S]

Reads the output of a whole sweep with design = "sobol", "morris" or
"oat" (its
CSV rows and the manifest beside them, which holds the design) and tells,
for each output column (each outcome's share, each actor's mean utility),
which varied keys it hangs on:

  sobol   first-order (S1, Saltelli 2010) and total (ST, Jansen 1999)
          indices with bootstrap 95% intervals, and a dummy input's, the
          noise floor of the runs' own randomness
  morris  elementary effects (Morris 1991): mu*, mu and sigma with
          bootstrap 95% intervals
  oat     one key at a time: each output at the base and at each key's
          min and max, drawn as a tornado

A sweep computed in shards is merged first ('parley merge'); one
interrupted is finished with --resume. The same OUT gives the same
indices, byte for byte.`

func cmdSensitivity(e *env, args []string) error {
	flags := newFlags("sensitivity", sensitivityUsage, e.stderr)
	format := flags.String("format", "table", "output `format`: table, json or csv")
	out := flags.String("o", "", "write the analysis to `FILE` (atomically) instead of standard output")
	plotDir := flags.String("plot", "", "also draw charts (PNG and SVG) into `DIR`: S1 and ST bars (sobol), or mu* against sigma (morris)")
	boot := flags.Int("bootstrap", 1000, "bootstrap `resamples` of the intervals")
	seed := flags.Uint64("seed", 1, "random `seed` of the bootstrap")
	pos, err := parseArgs(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("sensitivity takes one sweep output (a CSV file with its manifest beside it)")
	}
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	if *boot < 2 || *boot > 100000 {
		return usagef("--bootstrap: want 2 to 100000 resamples, got %d", *boot)
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos[0], sweep.ManifestPath(pos[0])); err != nil {
		return err
	}
	if err := checkPlotDir(*plotDir); err != nil {
		return err
	}
	file := pos[0]
	if _, err := os.Stat(file); err != nil {
		return usagef("sensitivity: %v", err)
	}
	m, err := sweep.ReadManifest(file)
	if err != nil {
		if errors.Is(err, sweep.ErrMismatch) || errors.Is(err, fs.ErrNotExist) {
			return usagef("sensitivity: %v", err)
		}
		return err
	}
	switch {
	case m.Design == nil:
		return usagef("sensitivity: %s is a grid or Latin-hypercube sweep: only design = \"sobol\", \"morris\" or \"oat\" sweeps have sensitivity indices", file)
	case m.Format != "csv":
		return usagef("sensitivity: %s holds %s rows; it reads csv", file, m.Format)
	case m.Shards != 1:
		return usagef("sensitivity: %s is shard %d of %d: merge the shards first (parley merge)", file, m.Shard, m.Shards)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	rows, err := r.ReadAll()
	if err != nil {
		return usagef("sensitivity: %s: %v", file, err)
	}
	if len(rows) == 0 {
		return usagef("sensitivity: %s is empty", file)
	}
	s, err := explore.AnalyzeSweep(rows[0], rows[1:], m.Design, m.Points, *boot, *seed)
	if err != nil {
		return usagef("sensitivity: %s: %v", file, err)
	}
	s.Sweep, s.Model = m.Sweep, m.Model
	title := filepath.Base(file)
	if *plotDir != "" {
		if err := e.writeCharts(*plotDir, explore.Charts(s, title)); err != nil {
			return err
		}
	}
	return e.writeOut(*out, func(w io.Writer) error {
		switch *format {
		case "json":
			return explore.WriteJSON(w, s)
		case "csv":
			return explore.WriteCSV(w, s)
		}
		return explore.WriteTable(w, s, title)
	})
}
