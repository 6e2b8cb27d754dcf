package story

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// tell narrates run of model m with the given seed and returns its trace
// and its text.
func tell(t *testing.T, m *sim.Model, seed uint64, run int) (*sim.Trace, string) {
	t.Helper()
	var tr sim.Trace
	sim.NewWorker(m).Run(seed, run, &tr)
	var buf bytes.Buffer
	if err := WriteNarration(&buf, NewNarration(m, &tr, run)); err != nil {
		t.Fatal(err)
	}
	return &tr, buf.String()
}

// turnText returns the lines told under turn n ("Turn n" or "<Month> (turn n)").
func turnText(text string, n int) string {
	lines := strings.Split(text, "\n")
	head := func(l string) bool {
		return l == fmt.Sprintf("Turn %d", n) || strings.HasSuffix(l, fmt.Sprintf("(turn %d)", n))
	}
	for i, l := range lines {
		if !head(l) {
			continue
		}
		var out []string
		for _, m := range lines[i+1:] {
			if !strings.HasPrefix(m, "  ") {
				break
			}
			out = append(out, m)
		}
		return strings.Join(out, "\n")
	}
	return ""
}

// find returns the first run of m (seed 1, runs 1..limit) whose trace
// satisfies ok.
func find(t *testing.T, m *sim.Model, limit int, ok func(*sim.Trace) bool) (int, *sim.Trace) {
	t.Helper()
	w := sim.NewWorker(m)
	for run := 1; run <= limit; run++ {
		var tr sim.Trace
		w.Run(1, run, &tr)
		if ok(&tr) {
			return run, &tr
		}
	}
	t.Fatalf("no run in %d has the steps this test tells", limit)
	return 0, nil
}

func stepOf(tr *sim.Trace, k sim.StepKind) *sim.Step {
	for i := range tr.Steps {
		if tr.Steps[i].Kind == k {
			return &tr.Steps[i]
		}
	}
	return nil
}

// A strike is told with what the striker believed and what it compared:
// its believed value of war against carrying on, at the values the trace
// recorded.
func TestNarrateStrikeReasons(t *testing.T) {
	m := koreaModel(t)
	run, tr := find(t, m, 3000, func(tr *sim.Trace) bool { return tr.Record.Outcome == sim.Conflict })
	_, text := tell(t, m, 1, run)
	s := stepOf(tr, sim.StepStrike)
	got := turnText(text, s.Turn)
	name := m.Scenario.Actors[s.Actor].Name
	for _, want := range []string{
		name + " struck",
		fmt.Sprintf("war worth %.2f", s.War),
		fmt.Sprintf("the %.2f of carrying on", s.Carry),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("run %d, turn %d: the strike is told without %q:\n%s", run, s.Turn, want, got)
		}
	}
	if !strings.Contains(text, "1 strike.") {
		t.Errorf("run %d: the summary does not count 1 strike:\n%s", run, text[strings.LastIndex(text, "On the way"):])
	}
}

// A breakdown is told as a walk-out past the walker's own deadline, and a
// resumption with what reopened the talks; the summary counts both with
// plurals right.
func TestNarrateBreakdownAndResumption(t *testing.T) {
	m := koreaModel(t)
	run, tr := find(t, m, 3000, func(tr *sim.Trace) bool {
		return len(tr.Record.Breakdowns) >= 2 && len(tr.Record.Resumptions) == 1
	})
	_, text := tell(t, m, 1, run)
	b := stepOf(tr, sim.StepBreakdown)
	got := turnText(text, b.Turn)
	walker := m.Scenario.Actors[b.Actor].Name
	for _, want := range []string{walker + " walked out", "past its own deadline", "Talks broke down."} {
		if !strings.Contains(got, want) {
			t.Errorf("run %d, turn %d: the breakdown is told without %q:\n%s", run, b.Turn, want, got)
		}
	}
	r := stepOf(tr, sim.StepResume)
	got = turnText(text, r.Turn)
	if !strings.Contains(got, "reopened the talks") && !strings.Contains(got, "Talks resumed.") {
		t.Errorf("run %d, turn %d: the resumption is not told:\n%s", run, r.Turn, got)
	}
	if want := fmt.Sprintf("%d breakdowns, 1 resumption,", len(tr.Record.Breakdowns)); !strings.Contains(text, want) {
		t.Errorf("run %d: the summary lacks %q:\n%s", run, want, text[strings.LastIndex(text, "On the way"):])
	}
}

// A deal broken after an election is told with the comparison that broke
// it, and the deal renegotiated after it follows in the same story.
func TestNarrateCollapseAndRenegotiation(t *testing.T) {
	sc, err := scenarios.Load("testdata/renegotiation.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	tr, text := tell(t, m, 1, 1)
	v := stepOf(tr, sim.StepViolation)
	if v == nil {
		t.Fatal("the deal did not collapse: the fixture no longer tests a renegotiation")
	}
	got := turnText(text, v.Turn)
	for _, want := range []string{
		"Atlantis broke the agreement",
		fmt.Sprintf("breaking %.2f against keeping %.2f", v.War, v.Carry),
		"The deal collapsed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("turn %d: the collapse is told without %q:\n%s", v.Turn, want, got)
		}
	}
	after := text[strings.Index(text, "The deal collapsed"):]
	if !strings.Contains(after, "Agreement signed: ") {
		t.Errorf("no new deal told after the collapse:\n%s", after)
	}
	if !strings.Contains(text, "2 deals signed (1 collapsed)") {
		t.Errorf("the summary does not count two deals, one collapsed:\n%s", text[strings.LastIndex(text, "On the way"):])
	}
	if strings.Contains(text, "It halts") {
		t.Errorf("a deal in a scenario without provocations is said to halt something:\n%s", text)
	}
}
