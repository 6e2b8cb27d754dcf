package main

import (
	"io"
	"strconv"
	"time"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func cmdNarrate(e *env, args []string) error {
	fs := newFlags("narrate", "narrate SCENARIO [--seed S] [--run K] [--set key.path=value]... [--brief | --full] [--from WHEN] [--to WHEN] [--format text|json] [-o FILE]\n       narrate --transcript FILE [--brief | --full] [--from WHEN] [--to WHEN] [--format text|json] [-o FILE]\n\nTells run K of 'parley run SCENARIO --seed S' (with the same --set overrides) from the\nengine's own trace of that run. Runs are numbered from 1. By default it tells a digest:\nrounds that went the same way are folded into one line with their count, and every\nsigning, violation, walk-out, rescue, resumption, ultimatum and strike is told with its\nreason. --brief tells the run in one paragraph, --full turn by turn. --from and --to\nkeep a span of the run: a turn number, or a month (2019-05) when the scenario has a start.\nWith --transcript it tells a game saved by 'parley play', marking the players' decisions.\n\n"+story.Glossary(), e.stderr)
	seed := fs.Uint64("seed", defaultSeed, "random `seed`, as given to 'parley run'")
	runK := fs.Int("run", 1, "the `number` of the run to tell, from 1")
	format := fs.String("format", "text", "output `format`: text or json")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	sets := setFlag(fs)
	brief := fs.Bool("brief", false, "tell the run in one paragraph")
	full := fs.Bool("full", false, "tell every turn, every offer and every answer")
	from := fs.String("from", "", "tell from `WHEN` on: a turn number, or a month such as 2019-05")
	to := fs.String("to", "", "tell up to `WHEN`: a turn number, or a month such as 2020-10")
	transcript := fs.String("transcript", "", "tell the game saved by 'parley play --transcript `FILE`' (instead of SCENARIO, --seed, --run and --set)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}}, append(pos, *transcript)...); err != nil {
		return err
	}
	length := story.Digest
	switch {
	case *brief && *full:
		return usagef("--brief and --full: choose one length")
	case *brief && (*from != "" || *to != ""):
		return usagef("--brief tells the whole run in one paragraph; --from and --to go with the digest or --full")
	case *brief:
		length = story.Brief
	case *full:
		length = story.Full
	}
	tell := tellSpan{opt: story.TellOptions{Length: length}, from: *from, to: *to}
	if *transcript != "" {
		return narrateTranscript(e, fs, pos, *transcript, *format, *out, tell)
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
	sc, err := loadAgent("narrate", pos[0], *sets)
	if err != nil {
		return err
	}
	if _, err := e.fitEngine(sc, 1); err != nil {
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
	return writeNarration(e, nr, *format, *out, tell)
}

// tellSpan is how long to tell a run, and the --from and --to it was
// given, which need the scenario to read.
type tellSpan struct {
	opt      story.TellOptions
	from, to string
}

// options reads --from and --to against the scenario: a turn number
// within the horizon, or a month (YYYY-MM) within the run when the
// scenario has a start.
func (ts tellSpan) options(sc *scenarios.Scenario) (story.TellOptions, error) {
	o := ts.opt
	read := func(flag, v string) (int, error) {
		if v == "" {
			return 0, nil
		}
		if n, err := strconv.Atoi(v); err == nil {
			if n < 1 || n > sc.Horizon {
				return 0, usagef("--%s %s: turns run from 1 to %d", flag, v, sc.Horizon)
			}
			return n, nil
		}
		m, err := time.Parse("2006-01", v)
		if err != nil {
			return 0, usagef("--%s %q: expected a turn number or a month such as 2019-05", flag, v)
		}
		n, ok := scenarios.TurnOf(sc.Start, m)
		if !ok {
			return 0, usagef("--%s %s: %s has no start month; give a turn number", flag, v, sc.ID)
		}
		if n < 1 || n > sc.Horizon {
			first, _ := scenarios.MonthOf(sc.Start, 1)
			last, _ := scenarios.MonthOf(sc.Start, sc.Horizon)
			return 0, usagef("--%s %s: the run covers %s to %s", flag, v, first.Format("2006-01"), last.Format("2006-01"))
		}
		return n, nil
	}
	var err error
	if o.From, err = read("from", ts.from); err != nil {
		return o, err
	}
	if o.To, err = read("to", ts.to); err != nil {
		return o, err
	}
	if o.From > 0 && o.To > 0 && o.From > o.To {
		return o, usagef("--from %s comes after --to %s", ts.from, ts.to)
	}
	return o, nil
}

// writeNarration writes nr in format to FILE out, or to standard output.
func writeNarration(e *env, nr story.Narration, format, out string, ts tellSpan) error {
	opt, err := ts.options(nr.Spec())
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		if format == "json" {
			return story.WriteNarrationJSON(w, nr)
		}
		return story.Tell(w, nr, opt)
	}
	return e.writeOut(out, write)
}
