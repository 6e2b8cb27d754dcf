package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// asFlags collects repeatable --as ACTOR flags.
type asFlags []string

func (a *asFlags) String() string { return strings.Join(*a, ",") }

func (a *asFlags) Set(v string) error {
	*a = append(*a, v)
	return nil
}

const playUsage = `play SCENARIO --as ACTOR [--as ACTOR2]... [--seed S] [--run K] [--set key.path=value]...
              [--transcript FILE] [--debrief-runs N] [--plain]

Plays run K of 'parley run SCENARIO --seed S' with the seats of the --as
actors taken by people at this keyboard (hot seat when there are several);
the other actors play as the model does. On a terminal a full-screen UI
shows the state and builds packages issue by issue; otherwise moves are
read one line per decision from standard input (see docs/play.md). At the
end a debrief sets the game against the model.`

func cmdPlay(e *env, args []string) error {
	fs := newFlags("play", playUsage+"\n\n"+story.Glossary(), e.stderr)
	var as asFlags
	fs.Var(&as, "as", "take the seat of `ACTOR` (an actor id; repeatable: hot seat)")
	seed := fs.Uint64("seed", defaultSeed, "random `seed`, as given to 'parley run'")
	runK := fs.Int("run", 1, "the `number` of the run to play, from 1: it fixes every draw")
	transcript := fs.String("transcript", "", "save every decision and draw to `FILE` (JSON, atomically); 'parley narrate --transcript FILE' tells the game")
	debriefRuns := fs.Int("debrief-runs", 2000, "Monte Carlo `runs` with the model in the seats, for the debrief")
	plain := fs.Bool("plain", false, "use the line protocol even on a terminal")
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("play takes one scenario (a built-in name or a file)")
	}
	if *runK < 1 {
		return usagef("--run %d: runs are numbered from 1", *runK)
	}
	if *debriefRuns < 1 || *debriefRuns > sim.MaxRuns {
		return usagef("--debrief-runs %d: want 1 to %d", *debriefRuns, sim.MaxRuns)
	}
	if *transcript == "-" {
		return usagef("--transcript -: the game itself is on standard output; name a file for the transcript")
	}
	if err := checkOutputs([]outfile.Output{{Name: "--transcript", Path: *transcript}}, pos[0]); err != nil {
		return err
	}
	sc, err := loadAgent("play", pos[0], *sets)
	if err != nil {
		return err
	}
	seats, err := seatActors(sc, as)
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
	if err := play.Playable(m); err != nil {
		return usagef("%v", err)
	}

	var tr *sim.Trace
	tui := !*plain && isTerminalReader(e.stdin) && isTerminal(e.stdout)
	if tui {
		tr, err = playTUI(e, m, *seed, *runK, seats)
	} else {
		lp := newLinePlayer(e.ctx, e.stdin, e.stdout, m, len(seats) > 1, isTerminalReader(e.stdin))
		tr, err = play.Play(m, *seed, *runK, seats, lp)
		if ferr := lp.close(); err == nil {
			err = ferr
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return interrupted(err, ": the game stopped before its end; nothing saved")
		}
		return err
	}

	if *transcript != "" {
		t := play.NewTranscript(m, transcriptScenario(pos[0]), sets.strings(), *seed, *runK, seats, tr)
		if err := outfile.Write(*transcript, func(w io.Writer) error { return play.WriteTranscript(w, t) }); err != nil {
			return err
		}
	}
	db, err := story.NewDebrief(e.ctx, m, *seed, *runK, seats, tr, story.DebriefOptions{Runs: *debriefRuns, Top: 3})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(e.stdout)
	if tui {
		// The full screen is gone: tell the game's turning points again,
		// and its end, above the debrief.
		if cs := play.Changes(m, tr, 0); len(cs) > 0 {
			fmt.Fprintln(bw, "The game's turning points:")
			for _, c := range cs {
				fmt.Fprintf(bw, "  %s\n", c)
			}
		}
		fmt.Fprintf(bw, "The game is over: %s.\n", play.OutcomeText(m, tr))
	}
	fmt.Fprintln(bw)
	if err := story.WriteDebrief(bw, db); err != nil {
		return err
	}
	if *transcript != "" {
		fmt.Fprintf(bw, "Transcript saved to %s; 'parley narrate --transcript %s' tells the game.\n", *transcript, *transcript)
	}
	return bw.Flush()
}

// seatActors resolves the --as actor ids.
func seatActors(sc *scenarios.Scenario, as []string) ([]int, error) {
	if len(as) == 0 {
		return nil, usagef("play needs --as ACTOR, one of %s", actorList(sc))
	}
	var seats []int
	for _, id := range as {
		i := sc.ActorIndex(id)
		if i < 0 {
			return nil, usagef("--as %q: %s has no such actor; want one of %s", id, sc.ID, actorList(sc))
		}
		if slices.Contains(seats, i) {
			return nil, usagef("--as %q given twice", id)
		}
		seats = append(seats, i)
	}
	return seats, nil
}

func actorList(sc *scenarios.Scenario) string {
	ids := make([]string, len(sc.Actors))
	for i, a := range sc.Actors {
		ids[i] = a.ID
	}
	return strings.Join(ids, ", ")
}

// transcriptScenario is the scenario as a transcript records it: a file
// path made absolute, so the transcript replays from any directory; a
// built-in name as it is.
func transcriptScenario(arg string) string {
	if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
		if abs, err := filepath.Abs(arg); err == nil {
			return abs
		}
	}
	return arg
}

func (s setFlags) strings() []string {
	out := make([]string, len(s))
	for i, o := range s {
		out[i] = o.Path + "=" + o.Value
	}
	return out
}

// isTerminalReader reports whether r is a terminal.
func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
