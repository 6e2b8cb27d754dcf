package main

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/sim"
)

// The terminal UI is a bubbletea program; the engine plays in its own
// goroutine and, at each decision of a seat, sends the program a
// promptMsg and waits for the answer on the message's reply channel.

// promptMsg asks the UI for a decision.
type promptMsg struct {
	p     *play.Prompt
	reply chan<- sim.Choice // buffered: answering never blocks the UI
}

// gameOverMsg says the engine has finished the game.
type gameOverMsg struct{}

// tuiModel is the UI's state.
type tuiModel struct {
	m     *sim.Model
	hot   bool // several seats at one keyboard
	p     *play.Prompt
	reply chan<- sim.Choice
	last  int  // the seat of the previous prompt, or -1
	wait  bool // hot seat: waiting for the next player to take the keyboard

	yes    bool      // the highlighted answer of a yes-or-no decision
	levels []int     // the package being built
	row    int       // the issue under the cursor
	worth  []float64 // the package's worth to each actor, computed in Update
	stakes []string  // what a yes-or-no decision is about, computed in Update
	note   string

	width, height int  // the terminal's, once known (0 before)
	help          bool // the key help is shown

	over, quit bool
}

func newTUIModel(m *sim.Model, hot bool) tuiModel {
	return tuiModel{m: m, hot: hot, last: -1}
}

func (t tuiModel) Init() tea.Cmd { return nil }

// Update handles prompts from the engine and the player's keys. The
// engine's state (the prompt's Worth methods) is read only here, while the
// engine waits for the answer; View reads only what Update cached.
func (t tuiModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case promptMsg:
		t.p, t.reply, t.note = msg.p, msg.reply, ""
		t.wait = t.hot && msg.p.Actor != t.last
		t.last = msg.p.Actor
		t.yes = msg.p.ModelChoice.Yes
		t.stakes = play.Stakes(msg.p) // reads the engine's state: only here
		if msg.p.IsPackage() {
			t.row = 0
			t.load(msg.p.ModelChoice.Package)
		}
		return t, nil
	case gameOverMsg:
		t.over = true
		return t, tea.Quit
	case tea.WindowSizeMsg:
		t.width, t.height = msg.Width, msg.Height
		return t, nil
	case tea.KeyMsg:
		return t.key(msg.String())
	}
	return t, nil
}

// load puts package pkg in the builder (the status quo when pkg is -1).
func (t *tuiModel) load(pkg int) {
	sc := t.m.Scenario
	t.levels = make([]int, len(sc.Issues))
	if pkg >= 0 {
		t.m.Space.Decode(pkg, t.levels)
	} else {
		for j, is := range sc.Issues {
			t.levels[j] = is.StatusQuo
		}
	}
	t.price()
}

// price caches the package's worth to every actor.
func (t *tuiModel) price() {
	pkg := t.m.Space.Encode(t.levels)
	t.worth = make([]float64, len(t.m.Scenario.Actors))
	for i := range t.worth {
		t.worth[i] = t.p.WorthTo(i, pkg)
	}
}

// answer sends the choice to the engine and forgets the prompt.
func (t tuiModel) answer(c sim.Choice) (tea.Model, tea.Cmd) {
	t.reply <- c
	t.note = fmt.Sprintf("%s: %s.", t.p.Name, t.p.ChoiceText(c))
	t.p, t.reply = nil, nil
	return t, nil
}

func (t tuiModel) key(k string) (tea.Model, tea.Cmd) {
	switch k {
	case "ctrl+c", "q":
		t.quit = true
		return t, tea.Quit
	case "?":
		t.help = !t.help
		return t, nil
	}
	if t.help {
		if k == "esc" || k == "enter" {
			t.help = false
		}
		return t, nil
	}
	if t.p == nil {
		return t, nil
	}
	if t.wait {
		if k == "enter" || k == " " {
			t.wait = false
		}
		return t, nil
	}
	switch k {
	case "m":
		if !t.p.IsPackage() {
			return t.answer(t.p.ModelChoice)
		}
		if t.p.ModelChoice.Package < 0 {
			t.note = "Your simulated self would pass; press p to pass."
			return t, nil
		}
		t.load(t.p.ModelChoice.Package)
		t.note = "Loaded your simulated self's package."
		return t, nil
	case "p":
		return t.answer(play.Pass)
	}
	if !t.p.IsPackage() {
		switch k {
		case "y":
			return t.answer(sim.Choice{Yes: true, Package: -1})
		case "n":
			return t.answer(play.Pass)
		case "left", "right", "up", "down", "tab", "h", "j", "k", "l":
			t.yes = !t.yes
		case "enter", " ":
			return t.answer(sim.Choice{Yes: t.yes, Package: -1})
		}
		return t, nil
	}
	issues := t.m.Scenario.Issues
	switch k {
	case "up", "k":
		t.row = (t.row + len(issues) - 1) % len(issues)
	case "down", "j", "tab":
		t.row = (t.row + 1) % len(issues)
	case "left", "h":
		if t.levels[t.row] > 0 {
			t.levels[t.row]--
			t.price()
		}
	case "right", "l":
		if t.levels[t.row] < len(issues[t.row].Levels)-1 {
			t.levels[t.row]++
			t.price()
		}
	case "s":
		t.load(-1)
	case "enter":
		return t.answer(sim.Choice{Package: t.m.Space.Encode(t.levels)})
	}
	return t, nil
}

// View draws the screen: the body, wrapped to the terminal's width, and
// below it, always, the note and the key footer. When the screen is too
// short, lines are dropped from the top of the body, never the footer.
func (t tuiModel) View() string {
	if t.over {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "parley play · %s\n\n", t.m.Scenario.Title)
	footer := "? help · q quit"
	switch {
	case t.help:
		b.WriteString(tuiHelp)
		footer = "? or enter: back to the game · q quit"
	case t.p == nil:
		b.WriteString("The others are moving…\n")
	case t.wait:
		fmt.Fprintf(&b, "Pass the keyboard to %s, then press enter.\n", t.p.Name)
		footer = "enter: take the keyboard · ? help · q quit"
	default:
		t.viewPrompt(&b)
		if t.p.IsPackage() {
			t.viewBuilder(&b)
			footer = "↑/↓ issue · ←/→ level · enter propose · m the model's package · s status quo · p pass · ? help · q quit"
		} else {
			t.viewYesNo(&b)
			footer = "←/→ choose · enter confirm · y/n answer · m as the model · p pass · ? help · q quit"
		}
	}
	body := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	var tail []string
	if t.note != "" {
		tail = append(tail, "", t.note)
	}
	tail = append(tail, "", footer)
	body, tail = t.wrap(body), t.wrap(tail)
	if t.height > 0 && len(body)+len(tail) > t.height {
		keep := max(t.height-len(tail)-1, 0)
		if keep < len(body) {
			body = append([]string{"…"}, body[len(body)-keep:]...)
		}
	}
	return strings.Join(append(body, tail...), "\n")
}

// wrap wraps lines to the terminal's width, at spaces where it can; a
// wrapped line keeps its indentation.
func (t tuiModel) wrap(lines []string) []string {
	if t.width <= 0 {
		return lines
	}
	var out []string
	for _, l := range lines {
		if ansi.StringWidth(l) <= t.width {
			out = append(out, l)
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		if len(indent)+2 > t.width/2 {
			indent = ""
		}
		// Continuation lines are indented two more: wrap for them.
		w := strings.Split(ansi.Wrap(strings.TrimLeft(l, " "), max(t.width-len(indent)-2, 1), ""), "\n")
		for k, x := range w {
			if k == 0 {
				out = append(out, indent+x)
			} else {
				out = append(out, indent+"  "+strings.TrimLeft(x, " "))
			}
		}
	}
	// Only a terminal narrower than a few columns leaves lines too wide.
	for k, l := range out {
		if ansi.StringWidth(l) > t.width {
			out[k] = ansi.Truncate(l, t.width, "")
		}
	}
	return out
}

// tuiHelp says what each key does.
const tuiHelp = `Keys
  y, n          answer a yes-or-no decision at once (accept or refuse, act
                or not, strike or hold off, …)
  ←/→, tab      choose between the two answers; enter confirms
  ↑/↓, k/j      a package: move over the issues
  ←/→, h/l      a package: lower or raise the level of the issue under the cursor
  enter         propose the package built, or confirm the answer chosen
  m             do what your simulated self would (for a package, load its
                package into the builder; enter then proposes it)
  s             reset the package to the status quo
  p             pass: no proposal, refuse, don't act, keep the deal
  ?             show or hide this help
  q, Ctrl-C     leave the game (no debrief)
`

// viewPrompt draws what every prompt shows: the heading, the state of the
// talks, the changes of state and what happened since the seat's last
// move, and the others' last answers.
func (t tuiModel) viewPrompt(b *strings.Builder) {
	p, sc := t.p, t.m.Scenario
	if len(p.News) > 0 {
		for _, c := range p.News {
			fmt.Fprintf(b, "*** %s\n", c)
		}
		b.WriteString("\n")
	}
	when := fmt.Sprintf("turn %d of %d", p.Turn, sc.Horizon)
	if p.Label != "" {
		when += " · " + p.Label
	}
	fmt.Fprintf(b, "%s · %s · %s\n", strings.ToUpper(p.Name), when, capFirst(p.Title()))
	fmt.Fprintf(b, "tension %.2f   trust %.2f   your no-agreement value %.2f", p.Tension, p.Trust, p.NoDeal)
	if p.Kind == sim.DecidePropose || p.Kind == sim.DecideRespond {
		fmt.Fprintf(b, "   your aspiration %.2f", p.Aspiration)
	}
	b.WriteString("\n\n")
	if len(p.Recent) > 0 {
		b.WriteString("Since your last move\n")
		if p.Earlier > 0 {
			fmt.Fprintf(b, "  (%d earlier)\n", p.Earlier)
		}
		for _, r := range p.Recent {
			fmt.Fprintf(b, "  %s\n", r)
		}
		b.WriteString("\n")
	}
	if len(p.LastAnswers) > 0 {
		b.WriteString("The others' last answers\n")
		for _, a := range p.LastAnswers {
			fmt.Fprintf(b, "  %s\n", a)
		}
		b.WriteString("\n")
	}
	for _, l := range t.stakes {
		fmt.Fprintf(b, "%s\n", capFirst(l))
	}
}

func (t tuiModel) viewYesNo(b *strings.Builder) {
	p := t.p
	yes, no := play.Answers(p.Kind)
	fmt.Fprintf(b, "Your simulated self would %s.\n\n", p.ChoiceText(p.ModelChoice))
	mark := func(on bool) string {
		if on {
			return "▸ "
		}
		return "  "
	}
	fmt.Fprintf(b, "  %s%-10s %s%s\n", mark(t.yes), yes, mark(!t.yes), no)
}

func (t tuiModel) viewBuilder(b *strings.Builder) {
	p, sc := t.p, t.m.Scenario
	if p.ModelChoice.Package < 0 {
		b.WriteString("Your simulated self would pass: no package is worth what it asks.\n\n")
	} else {
		fmt.Fprintf(b, "Your simulated self would propose %s.\n\n", play.PackageText(t.m, p.ModelChoice.Package))
	}
	width := 0
	for _, is := range sc.Issues {
		width = max(width, len(is.ID))
	}
	for j, is := range sc.Issues {
		cur := "  "
		if j == t.row {
			cur = "▸ "
		}
		fmt.Fprintf(b, "%s%-*s ", cur, width, is.ID)
		for l, name := range is.Levels {
			if l == t.levels[j] {
				fmt.Fprintf(b, " [%s]", name)
			} else {
				fmt.Fprintf(b, "  %s ", name)
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "\nThis package is worth %.2f to you", t.worth[p.Actor])
	for i, a := range sc.Actors {
		if i != p.Actor {
			fmt.Fprintf(b, " · %.2f to %s", t.worth[i], a.Name)
		}
	}
	if p.Kind == sim.DecidePropose {
		fmt.Fprintf(b, "\n(your simulated self asks %.2f; no agreement is worth %.2f to you)\n", p.Aspiration, p.NoDeal)
	} else {
		fmt.Fprintf(b, "\n(no agreement is worth %.2f to you)\n", p.NoDeal)
	}
}

// tuiPlayer is the Player of the terminal UI: it hands each prompt to the
// bubbletea program and waits for the answer, or for the program to end.
type tuiPlayer struct {
	send func(tea.Msg)
	done <-chan struct{} // closed when the program has ended
}

func (tp *tuiPlayer) Choose(p *play.Prompt) (sim.Choice, error) {
	reply := make(chan sim.Choice, 1)
	tp.send(promptMsg{p: p, reply: reply})
	select {
	case c := <-reply:
		return c, nil
	case <-tp.done:
		return play.Pass, play.ErrAbandoned
	}
}

// playTUI plays the game in the terminal UI.
func playTUI(e *env, m *sim.Model, seed uint64, run int, seats []int) (*sim.Trace, error) {
	prog := tea.NewProgram(newTUIModel(m, len(seats) > 1),
		tea.WithInput(e.stdin), tea.WithOutput(e.stdout), tea.WithAltScreen(), tea.WithContext(e.ctx))
	done := make(chan struct{})
	type result struct {
		tr  *sim.Trace
		err error
	}
	res := make(chan result, 1)
	go func() {
		tr, err := play.Play(m, seed, run, seats, &tuiPlayer{send: prog.Send, done: done})
		prog.Send(gameOverMsg{})
		res <- result{tr, err}
	}()
	final, runErr := prog.Run()
	close(done)
	r := <-res
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	if runErr != nil {
		return nil, fmt.Errorf("play: terminal UI: %w", runErr)
	}
	if fm, ok := final.(tuiModel); ok && fm.quit {
		return nil, play.ErrAbandoned
	}
	return r.tr, r.err
}

// capFirst capitalises the first letter of a line of the prompt.
func capFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
