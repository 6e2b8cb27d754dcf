package main

import (
	"flag"
	"os"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// narrateTranscript is 'parley narrate --transcript FILE': it replays the
// saved game and tells it, marking the players' decisions.
func narrateTranscript(e *env, fs *flag.FlagSet, pos []string, path, format, out string, ts tellSpan) error {
	if len(pos) > 0 {
		return usagef("narrate --transcript takes no scenario: the transcript names it")
	}
	var clash string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "seed", "run", "set":
			clash = f.Name
		}
	})
	if clash != "" {
		return usagef("--%s cannot go with --transcript: the transcript fixes it", clash)
	}
	if err := oneOf("format", format, "text", "json"); err != nil {
		return err
	}
	nr, err := transcriptNarration(path)
	if err != nil {
		return err
	}
	return writeNarration(e, nr, format, out, ts)
}

// transcriptNarration reads a transcript, replays its game and returns the
// game's narration.
func transcriptNarration(path string) (story.Narration, error) {
	f, err := os.Open(path)
	if err != nil {
		return story.Narration{}, err
	}
	t, err := play.ReadTranscript(f)
	f.Close()
	if err != nil {
		return story.Narration{}, usageError{path + ": " + err.Error()}
	}
	var sets setFlags
	for _, s := range t.Sets {
		if err := sets.Set(s); err != nil {
			return story.Narration{}, usagef("%s: set %q: %v", path, s, err)
		}
	}
	sc, err := scenarios.Load(t.Scenario, sets)
	if err != nil {
		return story.Narration{}, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return story.Narration{}, err
	}
	tr, seats, err := t.Replay(m)
	if err != nil {
		return story.Narration{}, err
	}
	nr := story.NewNarration(m, tr, t.Run)
	nr.Seats = play.ActorIDs(sc, seats)
	markSeats(&nr, tr)
	return nr, nil
}

// markSeats marks the narration's steps that record a seat's decision:
// the events it chose to perform, its proposals and compromises, its
// responses and its violations. Decisions and steps come in the same order,
// so each decision's step is the first one after the previous match that
// fits it; a decision that leaves no step (not acting, passing) marks
// nothing.
func markSeats(nr *story.Narration, tr *sim.Trace) {
	type ref struct{ turn, step int }
	var refs []ref // narration position of each trace step
	for ti, t := range nr.Turns {
		for si := range t.Steps {
			refs = append(refs, ref{ti, si})
		}
	}
	next := 0
	for _, sd := range tr.Decisions {
		d := sd.Decision
		fits := func(s sim.Step) bool {
			if s.Turn != d.Turn || s.Actor != d.Actor {
				return false
			}
			switch d.Kind {
			case sim.DecideAct:
				return sd.Choice.Yes && s.Kind == sim.StepEvent && s.Event == d.Event
			case sim.DecidePropose:
				return sd.Choice.Package >= 0 && s.Kind == sim.StepProposal
			case sim.DecideMediate:
				return s.Kind == sim.StepMediation || s.Kind == sim.StepNoZone
			case sim.DecideRespond:
				return s.Kind == sim.StepResponse
			case sim.DecideViolate:
				return sd.Choice.Yes && s.Kind == sim.StepViolation
			case sim.DecideStrike:
				return sd.Choice.Yes && (s.Kind == sim.StepStrike || s.Kind == sim.StepUltimatum)
			case sim.DecideWalkOut:
				return sd.Choice.Yes && s.Kind == sim.StepBreakdown
			case sim.DecideRescue:
				return sd.Choice.Yes && s.Kind == sim.StepRescue
			case sim.DecideReopen:
				return sd.Choice.Yes && (s.Kind == sim.StepResume || s.Kind == sim.StepReopenFailed)
			}
			return false
		}
		for k := next; k < len(tr.Steps) && tr.Steps[k].Turn <= d.Turn; k++ {
			if k < len(refs) && fits(tr.Steps[k]) {
				r := refs[k]
				nr.Turns[r.turn].Steps[r.step].Seat = true
				next = k + 1
				break
			}
		}
	}
}
