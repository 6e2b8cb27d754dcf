package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/sim"
)

// maxLine is the longest line the line protocol reads.
const maxLine = 1 << 20

// linePlayer plays seats through the line protocol of docs/play.md: it
// writes each prompt to out and reads one line per decision from in.
type linePlayer struct {
	ctx   context.Context
	lines <-chan string // closed at the end of input
	rerr  <-chan error  // the reader's error, if any, sent before lines closes
	done  chan struct{} // closed when the game is over
	out   *bufio.Writer
	m     *sim.Model
	hot   bool // several seats at one keyboard (hot seat)
	retry bool // a person types the lines: ask again after a bad one
	last  int  // the seat of the previous prompt, or -1
	eof   bool
	read  int // lines read
}

// newLinePlayer returns a line player reading in and writing out. With
// retry (a person at a terminal) a bad line is asked again; without (a
// script) it takes the decision's empty answer, so that every later line
// still answers the decision it was written for.
func newLinePlayer(ctx context.Context, in io.Reader, out io.Writer, m *sim.Model, hot, retry bool) *linePlayer {
	lines := make(chan string)
	rerr := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		// Reading happens apart from the game so that an interrupt is
		// noticed while waiting for a line.
		defer close(lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), maxLine)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			case <-done:
				return
			}
		}
		if err := sc.Err(); err != nil {
			rerr <- err
		}
	}()
	return &linePlayer{ctx: ctx, lines: lines, rerr: rerr, done: done, out: bufio.NewWriter(out), m: m, hot: hot, retry: retry, last: -1}
}

// close flushes the output and stops reading input: lines after the game's
// last decision are left unread.
func (lp *linePlayer) close() error {
	close(lp.done)
	return lp.flush()
}

func (lp *linePlayer) printf(format string, args ...any) { fmt.Fprintf(lp.out, format, args...) }

func (lp *linePlayer) flush() error {
	if err := lp.out.Flush(); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	return nil
}

// next returns the next line that is not a comment, or false at the end
// of input. A line longer than maxLine is a usage error, not an end.
func (lp *linePlayer) next() (string, bool, error) {
	for {
		select {
		case <-lp.ctx.Done():
			return "", false, lp.ctx.Err()
		case line, ok := <-lp.lines:
			if !ok {
				select {
				case err := <-lp.rerr:
					if errors.Is(err, bufio.ErrTooLong) {
						return "", false, usagef("play: standard input: line %d is longer than %d bytes (1 MiB): one line answers one decision", lp.read+1, maxLine)
					}
					return "", false, fmt.Errorf("play: reading standard input after line %d: %w", lp.read, err)
				default:
				}
				return "", false, nil
			}
			lp.read++
			if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
				continue
			}
			return line, true, nil
		}
	}
}

// Choose implements play.Player.
func (lp *linePlayer) Choose(p *play.Prompt) (sim.Choice, error) {
	lp.show(p)
	for {
		if lp.eof {
			c := p.Default()
			lp.printf("> (end of input: %s)\n", p.ChoiceText(c))
			return c, nil
		}
		lp.printf("> ")
		if err := lp.flush(); err != nil {
			return play.Pass, err
		}
		line, ok, err := lp.next()
		if err != nil {
			return play.Pass, err
		}
		if !ok {
			lp.eof = true
			c := p.Default()
			lp.printf("(end of input: every decision from here on is a pass, or the model's where it decides by default)\n%s: %s.\n", p.Name, p.ChoiceText(c))
			return c, nil
		}
		c, err := parseMove(p, line)
		if errors.Is(err, errMoveHelp) {
			lp.printf("%s", moveHelp(p))
			continue
		}
		if err != nil {
			lp.printf("invalid move %q: %v\n%s", strings.TrimSpace(line), err, moveHint(p))
			if lp.retry {
				continue
			}
			c = p.Default()
			lp.printf("(line %d answers this decision with the empty answer; the next line answers the next decision)\n%s: %s.\n", lp.read, p.Name, p.ChoiceText(c))
			return c, nil
		}
		lp.printf("%s: %s.\n", p.Name, p.ChoiceText(c))
		return c, nil
	}
}

// End implements play.Ender: it announces the changes of state since the
// last prompt and how the game ended.
func (lp *linePlayer) End(e *play.End) error {
	lp.news(e.News)
	lp.printf("\n== The game is over: %s. ==\n", e.Outcome)
	return lp.flush()
}

// news announces changes of state, each on a line of its own.
func (lp *linePlayer) news(cs []play.Change) {
	if len(cs) == 0 {
		return
	}
	lp.printf("\n")
	for _, c := range cs {
		lp.printf("*** %s\n", c)
	}
}

// show writes the prompt.
func (lp *linePlayer) show(p *play.Prompt) {
	m := lp.m
	when := fmt.Sprintf("turn %d of %d", p.Turn, m.Scenario.Horizon)
	if p.Label != "" {
		when += " (" + p.Label + ")"
	}
	lp.news(p.News)
	if lp.hot && p.Actor != lp.last {
		lp.printf("\n-- %s to play --\n", p.Name)
	}
	lp.last = p.Actor
	lp.printf("\n== %s · %s · %s ==\n", p.Name, when, p.Title())
	if p.Partial {
		lp.printf("tension %.2f, trust %.2f; what stands now is worth %.2f to you", p.Tension, p.Trust, p.NoDeal)
	} else {
		lp.printf("tension %.2f, trust %.2f; your value of no agreement %.2f", p.Tension, p.Trust, p.NoDeal)
	}
	if p.Kind == sim.DecidePropose || p.Kind == sim.DecideRespond {
		lp.printf(", your aspiration %.2f", p.Aspiration)
	}
	lp.printf("\n")
	if len(p.Recent) > 0 {
		lp.printf("since your last move:\n")
		if p.Earlier > 0 {
			lp.printf("  (%d earlier)\n", p.Earlier)
		}
		for _, r := range p.Recent {
			lp.printf("  %s\n", r)
		}
	}
	if len(p.LastAnswers) > 0 {
		lp.printf("the others' last answers:\n")
		for _, a := range p.LastAnswers {
			lp.printf("  %s\n", a)
		}
	}
	for _, l := range play.Stakes(p) {
		lp.printf("%s\n", l)
	}
	model := p.ModelChoice
	switch {
	case !p.IsPackage():
		lp.printf("your simulated self would %s\n", p.ChoiceText(model))
	case model.Package < 0:
		lp.printf("your simulated self would pass: no package is worth what it asks\n")
	default:
		lp.printf("your simulated self would propose %s\n  %s\n", play.PackageText(m, model.Package), worthLine(p, model.Package))
	}
	lp.printf("%s", moveHint(p))
}

// worthLine gives package pkg's worth to the seat and to every other actor.
func worthLine(p *play.Prompt, pkg int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "worth %.2f to you", p.Worth(pkg))
	for i, a := range p.Model.Scenario.Actors {
		if i != p.Actor {
			fmt.Fprintf(&b, ", %.2f to %s", p.WorthTo(i, pkg), a.Name)
		}
	}
	return b.String()
}

func moveHint(p *play.Prompt) string {
	if !p.IsPackage() {
		yes, no := play.Answers(p.Kind)
		empty := "empty to pass (" + no + ")"
		if play.ModelDefault(p.Kind) {
			empty = "empty for your simulated self's choice (" + p.ChoiceText(p.ModelChoice) + ")"
		}
		return fmt.Sprintf("move: y (%s), n (%s), model, or %s; help lists the moves\n", yes, no, empty)
	}
	return "move: issue=level,... (other issues stay at the status quo), model, or empty to pass; help lists the issues\n"
}

func moveHelp(p *play.Prompt) string {
	var b strings.Builder
	if play.ModelDefault(p.Kind) {
		b.WriteString("moves: an empty line does what your simulated self would, 'pass' (or n) does not; 'model' does what your simulated self would; lines starting with # are skipped\n")
	} else {
		b.WriteString("moves: an empty line or 'pass' passes; 'model' does what your simulated self would; lines starting with # are skipped\n")
	}
	if !p.IsPackage() {
		b.WriteString("  y or yes, n or no")
		if p.Kind == sim.DecideRespond {
			b.WriteString(" (also accept, refuse)")
		}
		b.WriteString("\n")
		return b.String()
	}
	b.WriteString("  a package: issue=level pairs separated by commas or spaces; a level by name or number (0 is the first); issues left out stay at the status quo\n")
	for _, is := range p.Model.Scenario.Issues {
		fmt.Fprintf(&b, "  %s:", is.ID)
		for l, name := range is.Levels {
			sq := ""
			if l == is.StatusQuo {
				sq = " (status quo)"
			}
			fmt.Fprintf(&b, " %d=%s%s", l, name, sq)
		}
		b.WriteString("\n")
	}
	return b.String()
}

var errMoveHelp = errors.New("help")

// parseMove reads one line of the protocol as a choice at p.
func parseMove(p *play.Prompt, line string) (sim.Choice, error) {
	s := strings.ToLower(strings.TrimSpace(line))
	switch s {
	case "":
		return p.Default(), nil
	case "pass":
		return play.Pass, nil
	case "model", "m":
		return p.ModelChoice, nil
	case "help", "?", "h":
		return play.Pass, errMoveHelp
	}
	if !p.IsPackage() {
		switch s {
		case "y", "yes":
			return sim.Choice{Yes: true, Package: -1}, nil
		case "n", "no":
			return play.Pass, nil
		}
		if p.Kind == sim.DecideRespond {
			switch s {
			case "accept":
				return sim.Choice{Yes: true, Package: -1}, nil
			case "refuse":
				return play.Pass, nil
			}
		}
		return play.Pass, fmt.Errorf("want y, n, model or an empty line")
	}
	pkg, err := parsePackage(p.Model, s)
	if err != nil {
		return play.Pass, err
	}
	return sim.Choice{Package: pkg}, nil
}

// parsePackage reads "issue=level,issue=level" (levels by name or number;
// issues left out at the status quo) as a package index.
func parsePackage(m *sim.Model, s string) (int, error) {
	sc := m.Scenario
	levels := make([]int, len(sc.Issues))
	for j, is := range sc.Issues {
		levels[j] = is.StatusQuo
	}
	set := make([]bool, len(sc.Issues))
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	for _, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return -1, fmt.Errorf("%q is not issue=level", part)
		}
		j := -1
		for jj, is := range sc.Issues {
			if strings.EqualFold(is.ID, k) {
				j = jj
			}
		}
		if j < 0 {
			ids := make([]string, len(sc.Issues))
			for jj, is := range sc.Issues {
				ids[jj] = is.ID
			}
			return -1, fmt.Errorf("no issue %q; the issues are %s", k, strings.Join(ids, ", "))
		}
		if set[j] {
			return -1, fmt.Errorf("issue %q given twice", k)
		}
		set[j] = true
		is := sc.Issues[j]
		l := -1
		for ll, name := range is.Levels {
			if strings.EqualFold(name, v) {
				l = ll
			}
		}
		if n, err := strconv.Atoi(v); l < 0 && err == nil && n >= 0 && n < len(is.Levels) {
			l = n
		}
		if l < 0 {
			return -1, fmt.Errorf("issue %s has no level %q; its levels are %s", is.ID, v, strings.Join(is.Levels, ", "))
		}
		levels[j] = l
	}
	return m.Space.Encode(levels), nil
}
