package main

import (
	"io"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func cmdNarrate(e *env, args []string) error {
	fs := newFlags("narrate", "narrate SCENARIO [--seed S] [--run K] [--set key.path=value]... [--format text|json] [-o FILE]\n       narrate --transcript FILE [--format text|json] [-o FILE]\n\nTells run K of 'parley run SCENARIO --seed S' (with the same --set overrides) turn by turn,\nfrom the engine's own trace of that run. Runs are numbered from 1. With --transcript\nit tells a game saved by 'parley play', marking the players' decisions.", e.stderr)
	seed := fs.Uint64("seed", defaultSeed, "random `seed`, as given to 'parley run'")
	runK := fs.Int("run", 1, "the `number` of the run to tell, from 1")
	format := fs.String("format", "text", "output `format`: text or json")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	sets := setFlag(fs)
	transcript := fs.String("transcript", "", "tell the game saved by 'parley play --transcript `FILE`' (instead of SCENARIO, --seed, --run and --set)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, append(pos, *transcript)...); err != nil {
		return err
	}
	if *transcript != "" {
		return narrateTranscript(e, fs, pos, *transcript, *format, *out)
	}
	if len(pos) != 1 {
		return usagef("narrate takes one scenario (a built-in name or a file)")
	}
	if *runK < 1 {
		return usagef("--run %d: runs are numbered from 1", *runK)
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
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
	var tr sim.Trace
	sim.NewWorker(m).Run(*seed, *runK, &tr)
	nr := story.NewNarration(m, &tr, *runK)
	prov := results.NewProvenance(sc, setStrings(*sets), *seed)
	nr.Provenance = &prov
	return writeNarration(e, nr, *format, *out)
}

// writeNarration writes nr in format to FILE out, or to standard output.
func writeNarration(e *env, nr story.Narration, format, out string) error {
	write := func(w io.Writer) error {
		if format == "json" {
			return story.WriteNarrationJSON(w, nr)
		}
		return story.WriteNarration(w, nr)
	}
	return e.writeOut(out, write)
}
