package main

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/internal/testmodel"
	"github.com/parley-sim/parley/sim"
)

func koreaModel(t *testing.T) *sim.Model { return testmodel.Load(t, "korea-2018") }

// keyMsg makes the key message bubbletea sends for a key name.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// tuiDriver plays seats through the UI model, synchronously: at each prompt
// it hands the model the prompt message as the program would, then the
// keys keys(prompt, view) returns, and takes the answer from the reply
// channel.
type tuiDriver struct {
	t     *testing.T
	ui    tuiModel
	keys  func(p *play.Prompt, view string) []string
	views []string
}

func (d *tuiDriver) send(msg tea.Msg) tea.Cmd {
	m, cmd := d.ui.Update(msg)
	d.ui = m.(tuiModel)
	return cmd
}

func (d *tuiDriver) Choose(p *play.Prompt) (sim.Choice, error) {
	reply := make(chan sim.Choice, 1)
	d.send(promptMsg{p: p, reply: reply})
	for _, k := range d.keys(p, d.ui.View()) {
		d.send(keyMsg(k))
		d.views = append(d.views, d.ui.View())
		select {
		case c := <-reply:
			if d.ui.p != nil {
				d.t.Fatal("the UI kept the prompt after answering it")
			}
			return c, nil
		default:
		}
	}
	d.t.Fatalf("turn %d %s: the keys did not answer the prompt; view:\n%s", p.Turn, p.Kind, d.ui.View())
	return play.Pass, nil
}

// Playing every seat through the UI with the "as the model" keys plays
// the model's own run: the UI returns the choices the engine offered.
func TestTUIModelKeysReproduceRun(t *testing.T) {
	m := koreaModel(t)
	w := sim.NewWorker(m)
	asModel := func(p *play.Prompt, view string) []string {
		var keys []string
		if strings.Contains(view, "Pass the keyboard to "+p.Name) {
			keys = append(keys, "enter") // hot seat: take the keyboard
		}
		switch {
		case !p.IsPackage():
			return append(keys, "m")
		case p.ModelChoice.Package < 0:
			return append(keys, "m", "p")
		}
		return append(keys, "s", "m", "enter")
	}
	for run := 1; run <= 20; run++ {
		want := *w.Run(5, run, nil)
		d := &tuiDriver{t: t, ui: newTUIModel(m, true), keys: asModel}
		tr, err := play.Play(m, 5, run, []int{0, 1, 2, 3}, d)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Record.Outcome != want.Outcome || tr.Record.EndTurn != want.EndTurn || tr.Record.Utility[1] != want.Utility[1] {
			t.Fatalf("run %d: through the UI %s on turn %d, the model %s on turn %d", run, tr.Record.Outcome, tr.Record.EndTurn, want.Outcome, want.EndTurn)
		}
		for _, sd := range tr.Decisions {
			if sd.Choice != sd.Model && !(sd.Decision.Kind != sim.DecidePropose && sd.Decision.Kind != sim.DecideMediate && sd.Choice.Yes == sd.Model.Yes) {
				t.Fatalf("run %d: the UI chose %+v where the model chose %+v", run, sd.Choice, sd.Model)
			}
		}
	}
}

// The package builder: arrows move over issues and levels, the view shows
// the package and its worth to the seat and to the others as it changes,
// and enter proposes exactly the package shown.
func TestTUIBuildPackage(t *testing.T) {
	m := koreaModel(t)
	us := m.Scenario.ActorIndex("us")
	var built []int
	var wantWorth string
	step, start := 0, 0
	d := &tuiDriver{t: t, ui: newTUIModel(m, false)}
	d.keys = func(p *play.Prompt, view string) []string {
		if p.Kind != sim.DecidePropose || built != nil {
			return []string{"p"}
		}
		for _, want := range []string{"UNITED STATES · turn 1 of 36 · April 2018 · Your proposal", fmt.Sprintf("tension %.2f", p.Tension), "Your simulated self would propose",
			"▸ exercises", "This package is worth", "to North Korea", "↑/↓ issue"} {
			if !strings.Contains(view, want) {
				t.Errorf("builder view lacks %q:\n%s", want, view)
			}
		}
		// Status quo, then sanctions (third issue) two levels up and
		// denuclearization to the top, with a step back.
		keys := []string{"s", "down", "down", "right", "right", "down", "right", "right", "right", "right", "left", "up", "up", "up", "left", "enter"}
		built = []int{0, 0, 2, 2, 0, 0} // exercises, troops, sanctions, denuclearization, relations, alliance
		step, start = step+1, len(d.views)
		pkg := m.Space.Encode(built)
		wantWorth = fmt.Sprintf("worth %.2f to you · %.2f to China · %.2f to North Korea · %.2f to South Korea",
			p.Worth(pkg), p.WorthTo(0, pkg), p.WorthTo(2, pkg), p.WorthTo(3, pkg))
		return keys
	}
	tr, err := play.Play(m, 1, 1, []int{us}, d)
	if err != nil {
		t.Fatal(err)
	}
	if step != 1 {
		t.Fatalf("the builder was used %d times", step)
	}
	var got *sim.SeatDecision
	for i := range tr.Decisions {
		if tr.Decisions[i].Decision.Kind == sim.DecidePropose {
			got = &tr.Decisions[i]
			break
		}
	}
	want := m.Space.Encode(built)
	if got == nil || got.Choice.Package != want {
		t.Fatalf("proposed %+v, want package %d (%s)", got, want, play.PackageText(m, want))
	}
	// The view after the sanctions moves shows the level chosen and the
	// worth of the package as built, to every actor.
	v := d.views[start+4] // after "s down down right right"
	if !strings.Contains(v, "▸ sanctions") || !strings.Contains(v, "[eased_with_incentives]") {
		t.Fatalf("view after moving sanctions:\n%s", v)
	}
	before := d.views[start+14] // just before enter
	if !strings.Contains(before, "[gradual]") || !strings.Contains(before, "▸ exercises") {
		t.Fatalf("view before proposing:\n%s", before)
	}
	if !strings.Contains(before, wantWorth) {
		t.Fatalf("view before proposing lacks %q:\n%s", wantWorth, before)
	}
	for _, s := range tr.Steps {
		if s.Kind == sim.StepProposal && s.Actor == us {
			if s.Package != want {
				t.Fatalf("the engine recorded proposal %d, want %d", s.Package, want)
			}
			break
		}
	}
}

// Offers: the view shows the offer and its worth, arrows move the choice,
// enter confirms it; y and n answer directly.
func TestTUIRespond(t *testing.T) {
	m := koreaModel(t)
	us := m.Scenario.ActorIndex("us")
	responses := 0
	d := &tuiDriver{t: t, ui: newTUIModel(m, false)}
	d.keys = func(p *play.Prompt, view string) []string {
		switch p.Kind {
		case sim.DecideRespond:
			responses++
			for _, want := range []string{"Offer from", "worth", "Your simulated self would", "accept", "refuse", "enter confirm"} {
				if !strings.Contains(view, want) {
					t.Errorf("offer view lacks %q:\n%s", want, view)
				}
			}
			if p.ModelChoice.Yes {
				return []string{"n"}
			}
			// The model refuses: highlight accept and confirm.
			return []string{"right", "enter"}
		case sim.DecidePropose:
			return []string{"p"}
		}
		return []string{"n"}
	}
	tr, err := play.Play(m, 1, 2, []int{us}, d)
	if err != nil {
		t.Fatal(err)
	}
	if responses == 0 {
		t.Fatal("no offer came")
	}
	for _, sd := range tr.Decisions {
		if sd.Decision.Kind == sim.DecideRespond && sd.Choice.Yes == sd.Model.Yes {
			t.Fatalf("turn %d: answered %v like the model, want the opposite", sd.Decision.Turn, sd.Choice.Yes)
		}
	}
}

// Quitting, the hot-seat handover and the end of the game.
func TestTUIQuitHandoverAndEnd(t *testing.T) {
	m := koreaModel(t)
	reply := make(chan sim.Choice, 1)
	ui := newTUIModel(m, true)
	p := &play.Prompt{Model: m, Kind: sim.DecideAct, Turn: 1, Name: "North Korea", Actor: 2, Event: 0, From: -1, Offer: -1}
	next, _ := ui.Update(promptMsg{p: p, reply: reply})
	ui = next.(tuiModel)
	if v := ui.View(); !strings.Contains(v, "Pass the keyboard to North Korea") {
		t.Fatalf("hot seat: no handover screen:\n%s", v)
	}
	next, _ = ui.Update(keyMsg("y"))
	ui = next.(tuiModel)
	if len(reply) != 0 {
		t.Fatal("a key answered during the handover")
	}
	next, _ = ui.Update(keyMsg("enter"))
	ui = next.(tuiModel)
	if v := ui.View(); !strings.Contains(v, "You may act: North Korean missile test") {
		t.Fatalf("after the handover:\n%s", v)
	}
	next, _ = ui.Update(keyMsg("y"))
	ui = next.(tuiModel)
	if c := <-reply; !c.Yes {
		t.Fatal("y did not act")
	}
	if v := ui.View(); !strings.Contains(v, "North Korea: act.") || !strings.Contains(v, "The others are moving") {
		t.Fatalf("after answering:\n%s", v)
	}
	next, cmd := ui.Update(keyMsg("q"))
	if !next.(tuiModel).quit || cmd == nil {
		t.Fatal("q did not quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not send tea.Quit")
	}
	next, cmd = ui.Update(gameOverMsg{})
	if !next.(tuiModel).over || cmd == nil || next.View() != "" {
		t.Fatal("the end of the game did not end the UI")
	}

	// A player who left abandons the game: every later decision passes.
	done := make(chan struct{})
	close(done)
	tp := &tuiPlayer{send: func(tea.Msg) {}, done: done}
	tr, err := play.Play(m, 1, 1, []int{1}, tp)
	if err != play.ErrAbandoned || len(tr.Decisions) == 0 {
		t.Fatalf("err %v, %d decisions", err, len(tr.Decisions))
	}
}

// On a narrow, short terminal every view ends with the key footer (after
// m then enter too), no line is wider than the terminal (long lines wrap,
// they are not cut), and ? shows what each key does and ? again goes back.
func TestTUIFooterWrapAndHelp(t *testing.T) {
	m := koreaModel(t)
	us := m.Scenario.ActorIndex("us")
	const width, height = 60, 30
	helped, wrapped := 0, false
	d := &tuiDriver{t: t, ui: newTUIModel(m, false)}
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	d.keys = func(p *play.Prompt, view string) []string {
		d.views = append(d.views, view)
		if p.IsPackage() && p.ModelChoice.Package >= 0 {
			// The sentence is whole, wrapped at spaces, not cut.
			want := "Your simulated self would propose " + play.PackageText(m, p.ModelChoice.Package) + "."
			if !strings.Contains(strings.Join(strings.Fields(view), " "), want) {
				t.Fatalf("the view lacks %q:\n%s", want, view)
			}
			wrapped = wrapped || len(want) > width
		}
		if p.IsPackage() && p.ModelChoice.Package >= 0 && helped < 3 {
			helped++
			return []string{"?", "?", "m", "enter"}
		}
		switch {
		case !p.IsPackage():
			return []string{"m"}
		case p.ModelChoice.Package < 0:
			return []string{"p"}
		}
		return []string{"m", "enter"}
	}
	if _, err := play.Play(m, 4, 2, []int{us}, d); err != nil {
		t.Fatal(err)
	}
	if helped == 0 {
		t.Fatal("no package prompt: the test checks nothing")
	}
	helps := 0
	for _, v := range d.views {
		lines := strings.Split(v, "\n")
		for _, l := range lines {
			if w := len([]rune(l)); w > width {
				t.Fatalf("a line of %d columns on a %d-column terminal: %q", w, width, l)
			}
		}
		if len(lines) > height {
			t.Fatalf("%d lines on a %d-line terminal", len(lines), height)
		}
		last := lines[len(lines)-1]
		if !strings.Contains(last, "q quit") {
			t.Fatalf("the view does not end with the key footer:\n%s", v)
		}
		if strings.Contains(v, "Keys\n") {
			helps++
			for _, want := range []string{"  m ", "  s ", "  p ", "  ? ", "  q, Ctrl-C", "  enter "} {
				if !strings.Contains(v, want) {
					t.Fatalf("the help lacks %q:\n%s", want, v)
				}
			}
			continue
		}
		if !strings.Contains(v, "? help") {
			t.Fatalf("the footer does not name the help key:\n%s", v)
		}
	}
	if helps != helped {
		t.Fatalf("the help showed %d times for %d presses of ?", helps, helped)
	}
	if !wrapped {
		t.Fatal("no proposal line longer than the terminal: the wrapping is untested")
	}
}
