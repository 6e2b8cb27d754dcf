package play

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func korea(t *testing.T) *sim.Model { return testmodel.Load(t, "korea-2018") }

// playerFunc adapts a function to Player.
type playerFunc func(p *Prompt) (sim.Choice, error)

func (f playerFunc) Choose(p *Prompt) (sim.Choice, error) { return f(p) }

// A player that follows its simulated self plays the model's run; what it
// sees matches the decision the engine asks.
func TestPromptsAndModelGame(t *testing.T) {
	m := korea(t)
	w := sim.NewWorker(m)
	us := m.Scenario.ActorIndex("us")
	for run := 1; run <= 30; run++ {
		want := *w.Run(9, run, nil)
		var prompts int
		tr, err := Play(m, 9, run, []int{us}, playerFunc(func(p *Prompt) (sim.Choice, error) {
			prompts++
			if p.Actor != us || p.Name != "United States" || p.Turn < 1 || p.Label == "" {
				t.Fatalf("prompt %+v", p)
			}
			switch p.Kind {
			case sim.DecideRespond:
				if p.From < 0 || p.Offer < 0 || p.Worth(p.Offer) < 0 || p.Worth(p.Offer) > 1 {
					t.Fatalf("offer prompt %+v", p)
				}
			case sim.DecideAct:
				if p.Event < 0 || (p.Bound && p.Offer < 0) {
					t.Fatalf("act prompt %+v", p)
				}
			}
			if len(p.Recent) > MaxRecent {
				t.Fatalf("%d recent lines", len(p.Recent))
			}
			return p.ModelChoice, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		if tr.Record.Outcome != want.Outcome || tr.Record.EndTurn != want.EndTurn || !slices.Equal(tr.Record.Utility, want.Utility) {
			t.Fatalf("run %d: the model's choices played %s, the model %s", run, tr.Record.Outcome, want.Outcome)
		}
		if prompts != len(tr.Decisions) || prompts == 0 {
			t.Fatalf("run %d: %d prompts, %d decisions", run, prompts, len(tr.Decisions))
		}
	}
}

// A seat sees what happened since its own last decision, changes of state
// apart: those are announced, once each, as News.
func TestPromptRecent(t *testing.T) {
	m := korea(t)
	us := m.Scenario.ActorIndex("us")
	var seen []string
	var news []Change
	total := 0
	end := &End{}
	_, err := Play(m, 1, 1, []int{us}, enderFunc{func(p *Prompt) (sim.Choice, error) {
		seen = append(seen, p.Recent...)
		news = append(news, p.News...)
		total += len(p.Recent) + p.Earlier
		return p.ModelChoice, nil
	}, end})
	if err != nil {
		t.Fatal(err)
	}
	news = append(news, end.News...)
	var tr sim.Trace
	sim.NewWorker(m).Run(1, 1, &tr)
	// The lines shown are the trace's steps, in order, each shown once.
	var all []string
	for _, s := range tr.Steps {
		if !IsChange(s.Kind) {
			all = append(all, fmt.Sprintf("turn %d: %s", s.Turn, what(m, s, func(i int) bool { return i == us }, us)))
		}
	}
	if len(seen) == 0 || total > len(all) || seen[0] != all[0] {
		t.Fatalf("%d lines shown (%d with those left out) of %d steps; first %q", len(seen), total, len(all), seen[0])
	}
	k := 0
	for _, line := range seen {
		for k < len(all) && all[k] != line {
			k++
		}
		if k == len(all) {
			t.Fatalf("line %q out of order or not a step", line)
		}
		k++
	}
	if want := Changes(m, &tr, 0); !slices.Equal(news, want) || len(want) == 0 {
		t.Fatalf("announced %d changes of state, the trace has %d:\n%v\n%v", len(news), len(want), news, want)
	}
}

// enderFunc is a Player that records how the game ended.
type enderFunc struct {
	f   playerFunc
	end *End
}

func (e enderFunc) Choose(p *Prompt) (sim.Choice, error) { return e.f(p) }
func (e enderFunc) End(x *End) error {
	*e.end = *x
	return nil
}

// A breakdown is announced at its turn, with the walker's reason, even
// when no prompt follows it; the end names the game's own outcome.
func TestBreakdownAnnounced(t *testing.T) {
	m := korea(t)
	us := m.Scenario.ActorIndex("us")
	found := false
	for run := 1; run <= 60 && !found; run++ {
		var lines []Change
		end := &End{}
		prompts := 0
		lastPrompt := 0
		tr, err := Play(m, 5, run, []int{us}, enderFunc{func(p *Prompt) (sim.Choice, error) {
			for _, c := range p.News {
				if c.Turn > p.Turn {
					t.Fatalf("run %d: a change of turn %d announced at a prompt of turn %d", run, c.Turn, p.Turn)
				}
			}
			lines = append(lines, p.News...)
			prompts++
			lastPrompt = p.Turn
			return p.ModelChoice, nil
		}, end})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, end.News...)
		if end.Record != &tr.Record || end.Outcome != OutcomeText(m, tr) {
			t.Fatalf("run %d: the end says %q, the game %q", run, end.Outcome, OutcomeText(m, tr))
		}
		if tr.Record.Outcome != sim.Breakdown {
			continue
		}
		found = true
		var br *sim.Step
		for i := range tr.Steps {
			if tr.Steps[i].Kind == sim.StepBreakdown {
				br = &tr.Steps[i]
			}
		}
		i := slices.IndexFunc(lines, func(c Change) bool { return c.Kind == "breakdown" && c.Turn == br.Turn })
		if i < 0 {
			t.Fatalf("run %d: the breakdown of turn %d was not announced (last prompt turn %d): %v", run, br.Turn, lastPrompt, lines)
		}
		name := m.Scenario.Actors[br.Actor].Name
		if c := lines[i]; !strings.Contains(c.Text, name+" walked out and the talks broke down") || !strings.Contains(c.String(), fmt.Sprintf("turn %d (", br.Turn)) {
			t.Fatalf("run %d: announcement %q", run, c)
		}
		if !strings.Contains(end.Outcome, fmt.Sprintf("breakdown: the talks broke down on turn %d", tr.Record.EndTurn)) {
			t.Fatalf("run %d: end %q", run, end.Outcome)
		}
	}
	if !found {
		t.Fatal("no run of 60 with the model in the US seat broke down")
	}
}

// A refusal carries the model's reason: worth against what it asks or
// against no agreement, as the narration tells it.
func TestAnswerReason(t *testing.T) {
	m := korea(t)
	for _, c := range []struct {
		s    sim.Step
		want string
	}{
		{sim.Step{Kind: sim.StepResponse, Actor: 2, Target: -1, Value: 0.39, Aspiration: 0.8, NoDeal: 0.45}, "refused: worth 0.39 to it, less than no agreement (0.45)"},
		{sim.Step{Kind: sim.StepResponse, Actor: 2, Target: -1, Value: 0.5, Aspiration: 0.8, NoDeal: 0.45}, "refused: worth 0.50 to it, short of the 0.80 it asks (no agreement: 0.45)"},
		{sim.Step{Kind: sim.StepResponse, Actor: 2, Target: -1, Value: 0.9, Aspiration: 0.8, NoDeal: 0.45, Accepted: true}, "accepted: worth 0.90 to it, at least what it asks (0.80) and no agreement (0.45)"},
		{sim.Step{Kind: sim.StepResponse, Actor: 2, Target: 1, Value: 0.9, Aspiration: 0.8, NoDeal: 0.45}, "refused, though the package is worth 0.90 to it: it would not trust United States to keep it"},
	} {
		if got := AnswerReason(m, c.s); !strings.HasPrefix(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
}

// A player's error abandons the game: it is not asked again, every later
// decision passes, and Play returns the error.
func TestPlayerErrorAbandons(t *testing.T) {
	m := korea(t)
	asked := 0
	tr, err := Play(m, 1, 1, []int{1}, playerFunc(func(p *Prompt) (sim.Choice, error) {
		asked++
		if asked == 3 {
			return sim.Choice{Yes: true}, ErrAbandoned
		}
		return p.ModelChoice, nil
	}))
	if !errors.Is(err, ErrAbandoned) || asked != 3 {
		t.Fatalf("err %v after %d prompts", err, asked)
	}
	for _, d := range tr.Decisions[2:] {
		if d.Choice != Pass {
			t.Fatalf("after the error: %+v", d.Choice)
		}
	}
}

// A transcript survives JSON and replays the same game; a script that does
// not fit the game says so.
func TestTranscriptRoundTrip(t *testing.T) {
	m := korea(t)
	us, nk := m.Scenario.ActorIndex("us"), m.Scenario.ActorIndex("north_korea")
	for run := 1; run <= 20; run++ {
		n := 0
		tr, err := Play(m, 3, run, []int{us, nk}, playerFunc(func(p *Prompt) (sim.Choice, error) {
			n++
			switch n % 3 { // a mix of model moves, passes and yeses
			case 0:
				return Pass, nil
			case 1:
				return p.ModelChoice, nil
			}
			if p.IsPackage() {
				return sim.Choice{Package: p.Offer + 1}, nil
			}
			return sim.Choice{Yes: true, Package: -1}, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteTranscript(&buf, NewTranscript(m, "korea-2018", nil, 3, run, []int{us, nk}, tr)); err != nil {
			t.Fatal(err)
		}
		back, err := ReadTranscript(&buf)
		if err != nil {
			t.Fatal(err)
		}
		again, seats, err := back.Replay(m)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if !slices.Equal(seats, []int{us, nk}) || again.Record.Outcome != tr.Record.Outcome || !slices.Equal(again.Record.Utility, tr.Record.Utility) ||
			len(again.Steps) != len(tr.Steps) || !slices.EqualFunc(again.Decisions, tr.Decisions, sameDecision) {
			t.Fatalf("run %d: the replay differs", run)
		}

		// Fewer recorded decisions than the game asks, or a decision that
		// does not fit, is an error.
		short := back
		short.Decisions = short.Decisions[:len(short.Decisions)-1]
		if _, _, err := short.Replay(m); err == nil {
			t.Fatalf("run %d: a truncated transcript replayed", run)
		}
		bad := back
		bad.Decisions = slices.Clone(back.Decisions)
		bad.Decisions[0].Turn += 2
		if _, _, err := bad.Replay(m); err == nil || !strings.Contains(err.Error(), "does not match") {
			t.Fatalf("run %d: a wrong turn replayed: %v", run, err)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	m := korea(t)
	yes := true
	base := Transcript{Format: TranscriptFormat, Scenario: "korea-2018", Run: 1, Seats: []string{"us"},
		Decisions: []TranscriptDecision{{Kind: "respond", Turn: 1, Actor: "us", From: "china",
			Package: map[string]string{"exercises": "full", "troops": "full", "sanctions": "eased", "denuclearization": "cvid", "relations": "none", "alliance": "kept"},
			Choice:  TranscriptChoice{Yes: &yes}, Model: TranscriptChoice{Yes: &yes}}}}
	if _, rec, err := base.Resolve(m); err != nil || len(rec) != 1 || rec[0].Decision.Package < 0 {
		t.Fatalf("resolve: %v %+v", err, rec)
	}
	for _, tc := range []struct {
		edit func(t *Transcript)
		want string
	}{
		{func(t *Transcript) { t.Seats = []string{"russia"} }, `seat "russia"`},
		{func(t *Transcript) { t.Decisions[0].Kind = "dance" }, `unknown kind "dance"`},
		{func(t *Transcript) { t.Decisions[0].From = "russia" }, `from "russia"`},
		{func(t *Transcript) { t.Decisions[0].Package = map[string]string{"exercises": "full"} }, `lacks issue "troops"`},
		{func(t *Transcript) { t.Decisions[0].Choice = TranscriptChoice{} }, "needs yes"},
	} {
		tt := base
		tt.Decisions = slices.Clone(base.Decisions)
		tc.edit(&tt)
		if _, _, err := tt.Resolve(m); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want an error with %q, got %v", tc.want, err)
		}
	}
	if _, err := ReadTranscript(strings.NewReader(`{"format":"parley-transcript/1","run":1,"extra":2}`)); err == nil {
		t.Error("an unknown field was accepted")
	}
}

func TestTexts(t *testing.T) {
	m := korea(t)
	sq := make([]int, len(m.Scenario.Issues))
	if got := PackageText(m, m.Space.Encode(sq)); got != "the status quo" {
		t.Errorf("status quo: %q", got)
	}
	sq[2], sq[3] = 1, 3
	if got := PackageText(m, m.Space.Encode(sq)); got != "Sanctions on North Korea: eased; North Korean nuclear programme: cvid" {
		t.Errorf("package: %q", got)
	}
	if got := ChoiceText(m, sim.DecideRespond, sim.Choice{Yes: true}); got != "accept" {
		t.Errorf("respond: %q", got)
	}
	if got := ChoiceText(m, sim.DecideMediate, Pass); got != "pass" {
		t.Errorf("mediate: %q", got)
	}
	if got := MonthLabel("2018-04", 10); got != "January 2019" {
		t.Errorf("month: %q", got)
	}
}

// sameDecision compares seat decisions on what they mean: a yes-or-no
// choice by its answer, a package choice by its package.
func sameDecision(a, b sim.SeatDecision) bool {
	if a.Decision != b.Decision {
		return false
	}
	if a.Decision.Kind == sim.DecidePropose || a.Decision.Kind == sim.DecideMediate {
		return a.Choice == b.Choice && a.Model == b.Model
	}
	return a.Choice.Yes == b.Choice.Yes && a.Model.Yes == b.Model.Yes
}

// asked is a prompt a test's player answered, with the stakes it was told
// (read while the engine waited).
type asked struct {
	*Prompt
	stakes []string
}

// answerer plays the seats by the model, except at decisions of kind k,
// where it answers yes (or no) and records the prompt.
func answerer(k sim.DecisionKind, yes bool, got *[]asked) Player {
	return playerFunc(func(p *Prompt) (sim.Choice, error) {
		if p.Kind != k {
			return p.ModelChoice, nil
		}
		cp := *p
		cp.d = nil
		*got = append(*got, asked{&cp, Stakes(p)})
		return sim.Choice{Yes: yes, Package: -1}, nil
	})
}

// A seated United States decides its strikes: yes where the model would
// hold off strikes at once and ends the run in conflict on that turn; no
// at every strike prompt means it never strikes, even in runs where the
// model does.
func TestSeatedStrike(t *testing.T) {
	// Strikes are rare at korea-2018's defaults (0.2% of runs); with
	// dismantlement reversible short of CVID they are seven times as
	// common (docs/model.md §19), so the search for a few the model makes
	// is shorter.
	o, err := scenarios.ParseOverride("issues.denuclearization.irreversible_from=cvid")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("korea-2018", []scenarios.Override{o})
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := sim.NewWorker(m)
	us := m.Scenario.ActorIndex("us")
	var struck, heldOff int
	for run := 1; run <= 4000 && (struck < 3 || heldOff < 3); run++ {
		model := *w.Run(3, run, nil)
		var got []asked
		tr, err := Play(m, 3, run, []int{us}, answerer(sim.DecideStrike, true, &got))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 && !got[0].ModelChoice.Yes {
			struck++
			if tr.Record.Outcome != sim.Conflict || tr.Record.EndTurn != got[0].Turn || tr.Record.Strikes != 1 {
				t.Fatalf("run %d: the US said yes to a strike on turn %d; the game ended in %v on turn %d with %d strikes",
					run, got[0].Turn, tr.Record.Outcome, tr.Record.EndTurn, tr.Record.Strikes)
			}
			if lines := got[0].stakes; len(lines) < 3 || !strings.Contains(lines[1], "you believe a war worth") || !strings.Contains(lines[2], "yes strikes now") {
				t.Fatalf("run %d: strike prompt says %q", run, lines)
			}
		}
		got = nil
		tr, err = Play(m, 3, run, []int{us}, answerer(sim.DecideStrike, false, &got))
		if err != nil {
			t.Fatal(err)
		}
		if tr.Record.Strikes != 0 {
			t.Fatalf("run %d: a US that refuses every strike struck %d times", run, tr.Record.Strikes)
		}
		if model.Strikes > 0 {
			heldOff++
			if len(got) == 0 {
				t.Fatalf("run %d: the model's US struck but the seat was never asked", run)
			}
		}
	}
	if struck < 3 || heldOff < 3 {
		t.Fatalf("%d runs with a strike the seat chose, %d with one it refused: too few to test", struck, heldOff)
	}
}

// A seated China decides its backing and its rescues: withholding support
// from every package leaves no deal backed, and changes how some games
// end; letting every signatory walk out leaves no rescue in the trace.
func TestSeatedMediator(t *testing.T) {
	m := korea(t)
	w := sim.NewWorker(m)
	china := m.Scenario.ActorIndex("china")
	changed := 0
	for run := 1; run <= 100; run++ {
		model := *w.Run(5, run, nil)
		var got []asked
		tr, err := Play(m, 5, run, []int{china}, answerer(sim.DecideBack, false, &got))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range tr.Steps {
			if s.Backed {
				t.Fatalf("run %d, turn %d: a %v was backed by a China that backs nothing", run, s.Turn, s.Kind)
			}
		}
		for _, p := range got {
			if p.Offer < 0 || len(p.stakes) != 2 {
				t.Fatalf("run %d: back prompt without the package on the table: %+v", run, p)
			}
		}
		if tr.Record.Outcome != model.Outcome || tr.Record.Utility[china] != model.Utility[china] {
			changed++
		}
		got = nil
		tr, err = Play(m, 5, run, []int{china}, answerer(sim.DecideRescue, false, &got))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range tr.Steps {
			if s.Kind == sim.StepRescue {
				t.Fatalf("run %d, turn %d: a rescue by a China that lets everyone walk out", run, s.Turn)
			}
		}
		for _, p := range got {
			if p.Target < 0 || p.Spent <= 0 {
				t.Fatalf("run %d: rescue prompt without whom or what it costs: %+v", run, p)
			}
		}
	}
	if changed == 0 {
		t.Fatal("withholding China's backing changed no game in 100 runs")
	}
}

// An empty answer at a decision the first release did not ask a seat
// (strike, walk out, back, rescue, reopen) is the model's choice; at the
// others it passes.
func TestDefaultChoice(t *testing.T) {
	m := korea(t)
	for _, k := range []sim.DecisionKind{sim.DecideStrike, sim.DecideWalkOut, sim.DecideBack, sim.DecideRescue, sim.DecideReopen} {
		for _, yes := range []bool{false, true} {
			p := &Prompt{Model: m, Kind: k, ModelChoice: sim.Choice{Yes: yes, Package: -1}}
			if p.Default() != p.ModelChoice {
				t.Errorf("%v: default %+v, model %+v", k, p.Default(), p.ModelChoice)
			}
		}
	}
	for _, k := range []sim.DecisionKind{sim.DecideAct, sim.DecidePropose, sim.DecideMediate, sim.DecideRespond, sim.DecideViolate} {
		p := &Prompt{Model: m, Kind: k, ModelChoice: sim.Choice{Yes: true, Package: 3}}
		if p.Default() != Pass {
			t.Errorf("%v: default %+v, want a pass", k, p.Default())
		}
	}
}

// A game with events an instructor injected records them in its
// transcript, and the replay injects them again: the same game.
func TestTranscriptKeepsInjections(t *testing.T) {
	m := korea(t)
	us := m.Scenario.ActorIndex("us")
	w := sim.NewWorker(m)
	w.InjectWith(func(turn int) []int {
		if turn == 4 {
			return []int{0}
		}
		return nil
	})
	tr, err := PlayOn(w, m, 3, 2, []int{us}, playerFunc(func(p *Prompt) (sim.Choice, error) { return p.ModelChoice, nil }))
	if err != nil {
		t.Fatal(err)
	}
	tx := NewTranscript(m, "korea-2018", nil, 3, 2, []int{us}, tr)
	if want := []TranscriptInjection{{Turn: 4, Event: m.Scenario.Events[0].ID}}; !slices.Equal(tx.Injected, want) {
		t.Fatalf("injected %v, want %v", tx.Injected, want)
	}
	var buf bytes.Buffer
	if err := WriteTranscript(&buf, tx); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTranscript(&buf)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := back.Replay(m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(again.Steps, tr.Steps, func(a, b sim.Step) bool { return reflect.DeepEqual(a, b) }) {
		t.Fatal("the replay of an injected game differs")
	}
	back.Injected = nil
	if plain, _, err := back.Replay(m); err == nil && slices.EqualFunc(plain.Steps, tr.Steps, func(a, b sim.Step) bool { return reflect.DeepEqual(a, b) }) {
		t.Error("a replay without the injection is the injected game")
	}
}
