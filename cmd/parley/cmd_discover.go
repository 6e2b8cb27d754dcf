package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/explore"
	"github.com/parley-sim/parley/results/report"
)

const discoverUsage = `discover FILE --outcome CLASS [--alpha A] [--min-mass M] [--box K] [--keep-weak] [--resamples R] [--seed S] [--format table|json] [-o FILE] [--plot DIR]

Scenario discovery: where, in the space of the uncertain inputs, does an
outcome happen most? FILE is the per-run rows of 'parley run --runs-out'
(each run's drawn inputs beside its outcome) or a sweep's output (each
point's varied keys beside its shares). The inputs are the columns named by
a key path; outcome, utility, timeline and count columns are never
restricted. PRIM (Friedman and Fisher 1999) peels a box from the whole
space, alpha of its rows at a time, down to a minimum mass, and pastes the
chosen box back where that raises its density; each restricted input gets
a quasi-p value (Bryant and Lempert 2010), restrictions above 0.05 are
dropped unless --keep-weak, and R resamples of the rows say how often each
input is restricted at all.`

func cmdDiscover(e *env, args []string) error {
	flags := newFlags("discover", discoverUsage, e.stderr)
	outcome := flags.String("outcome", "", "the outcome `CLASS` to find: agreement, stalemate, breakdown or conflict")
	alpha := flags.Float64("alpha", 0.05, "the share of the box's rows each peel removes")
	minMass := flags.Float64("min-mass", 0.05, "the smallest share of all rows a box may hold")
	box := flags.Int("box", 0, "report step `K` of the peeling trajectory (1 is the whole space); 0 chooses the densest")
	keepWeak := flags.Bool("keep-weak", false, "keep the restrictions whose quasi-p value exceeds 0.05 (dropped by default)")
	resamples := flags.Int("resamples", 20, "resamples of the rows for the check of which inputs are restricted (0: none)")
	seed := flags.Uint64("seed", 1, "random `seed` of the resamples")
	format := flags.String("format", "table", "output `format`: table or json")
	out := flags.String("o", "", "write the analysis to `FILE` (atomically) instead of standard output")
	plotDir := flags.String("plot", "", "also draw the peeling trajectory (PNG and SVG) into `DIR`")
	pos, err := parseArgs(flags, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return usagef("discover takes one file of rows (parley run --runs-out, or a sweep's output)")
	case *outcome == "":
		return usagef("discover: --outcome is required: agreement, stalemate, breakdown or conflict")
	case !(*alpha > 0 && *alpha < 0.5):
		return usagef("--alpha: want a share between 0 and 0.5, got %v", *alpha)
	case !(*minMass > 0 && *minMass < 1):
		return usagef("--min-mass: want a share between 0 and 1, got %v", *minMass)
	case *resamples < 0 || *resamples > 10000:
		return usagef("--resamples: want 0 to 10000, got %d", *resamples)
	case *box < 0:
		return usagef("--box: want a step of the trajectory, 1 or more (0 for the densest), got %d", *box)
	}
	if err := oneOf("outcome", *outcome, "agreement", "stalemate", "breakdown", "conflict"); err != nil {
		return err
	}
	if err := oneOf("format", *format, "table", "json"); err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, pos[0]); err != nil {
		return err
	}
	if err := checkPlotDir(*plotDir); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return usagef("discover: %s: %v", pos[0], err)
	}
	if len(rows) < 2 {
		return usagef("discover: %s has no rows", pos[0])
	}
	d, err := explore.Discover(rows[0], rows[1:], *outcome, explore.PRIMOptions{Alpha: *alpha, MinMass: *minMass, Box: *box, KeepWeak: *keepWeak}, *resamples,
		rand.New(rand.NewPCG(*seed, 0x7072696d))) // "prim"
	if err != nil {
		return usagef("discover: %s: %v", pos[0], err)
	}
	if data, err := os.ReadFile(pos[0] + ".manifest.json"); err == nil {
		var m results.Manifest
		if json.Unmarshal(data, &m) == nil {
			d.Provenance = m.Provenance // a sweep's manifest has none
		}
	}
	title := filepath.Base(pos[0])
	if *plotDir != "" {
		if err := e.writeCharts(*plotDir, []report.Chart{d.Chart(title)}); err != nil {
			return err
		}
	}
	return e.writeOut(*out, func(w io.Writer) error {
		if *format == "json" {
			return d.WriteJSON(w)
		}
		return d.WriteTable(w, title)
	})
}
