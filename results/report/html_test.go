package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// outcomes builds a report of n runs of which counts[o] ended in outcome o,
// with Wilson intervals as a Summary gives them.
func outcomes(counts map[sim.Outcome]int, partial int, packages ...results.PackageStat) results.Report {
	n := 0
	for _, c := range counts {
		n += c
	}
	stat := func(k int) results.OutcomeStat {
		lo, hi := results.Wilson(k, n)
		return results.OutcomeStat{Count: k, Share: float64(k) / float64(n), CILow: lo, CIHigh: hi}
	}
	return results.Report{
		Runs: n,
		Outcomes: results.Outcomes{
			Agreement: stat(counts[sim.Agreement]), Stalemate: stat(counts[sim.Stalemate]),
			Breakdown: stat(counts[sim.Breakdown]), Conflict: stat(counts[sim.Conflict]),
		},
		Partial:  stat(partial),
		Packages: packages,
	}
}

// The answer to the question is told from the report's numbers: the most
// common outcome with its share and interval, the next, and the terms of
// the most common agreement; outcomes whose intervals overlap are "about as
// often"; a rare outcome keeps a decimal so that it does not read as never.
func TestAnswer(t *testing.T) {
	sc, err := scenarios.Load("trade-deal", nil)
	if err != nil {
		t.Fatal(err)
	}
	pk := results.PackageStat{Terms: map[string]string{"tariffs": "cut_50", "farm_access": "quota", "ip_rules": "none"}, Count: 332, Share: 0.4}
	for _, c := range []struct {
		name string
		r    results.Report
		want string
	}{
		{"agreement then breakdown", outcomes(map[sim.Outcome]int{sim.Agreement: 830, sim.Breakdown: 150, sim.Stalemate: 20}, 0, pk),
			"Most often (83% of runs, 95% interval 81–85%) the talks end in an agreement still in force at the horizon, and next most often in a breakdown (15%, 13–17%); the most common agreement (40% of agreements) sets Importer's tariffs on manufactured goods to cut 50 and Exporter's market access for farm products to quota."},
		{"mostly steps", outcomes(map[sim.Outcome]int{sim.Agreement: 830, sim.Breakdown: 150, sim.Stalemate: 20}, 600),
			"Most often (83% of runs, 95% interval 81–85%) the talks end in an agreement still in force at the horizon (mostly only a step, a partial deal), and next most often in a breakdown (15%, 13–17%)."},
		{"overlapping", outcomes(map[sim.Outcome]int{sim.Breakdown: 480, sim.Agreement: 470, sim.Conflict: 50}, 0, pk),
			"The talks end about as often in a breakdown (48% of runs, 95% interval 45–51%) as in an agreement (47%, 44–50%); the most common agreement (40% of agreements) sets Importer's tariffs on manufactured goods to cut 50 and Exporter's market access for farm products to quota."},
		{"rare second", outcomes(map[sim.Outcome]int{sim.Stalemate: 995, sim.Conflict: 5}, 0),
			"Most often (99.5% of runs, 95% interval 99–99.8%) the talks end in a stalemate (still talking at the horizon, without a deal), and next most often in conflict (0.5%, 0.2–1%)."},
		{"one outcome", outcomes(map[sim.Outcome]int{sim.Conflict: 1}, 0),
			"In every run (1 run) the talks end in conflict (a strike)."},
	} {
		if got := Answer(c.r, sc); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// The told run is set in paragraphs, turn headings in bold and indented
// lines indented, without the parts the page already shows (the run's
// heading, the question, who the actors are: the page tells the run with
// story.TellOptions.NoHeader).
func TestStoryHTML(t *testing.T) {
	m := testmodel.Load(t, "korea-2018")
	var tr sim.Trace
	sim.NewWorker(m).Run(1, 5, &tr)
	var told bytes.Buffer
	if err := story.Tell(&told, story.NewNarration(m, &tr, 5), story.TellOptions{NoHeader: true}); err != nil {
		t.Fatal(err)
	}
	page := string(storyHTML(told.String()))
	for _, bad := range []string{"Who:", "The question", "run 5 with seed", "Who wants what"} {
		if strings.Contains(page, bad) {
			t.Errorf("the told run shows %q:\n%s", bad, page)
		}
	}
	if !strings.Contains(page, `<p class="d0">Outcome: `) {
		t.Errorf("the told run lacks its outcome:\n%s", page)
	}
	text := "May 2019 (turn 2)\n  A proposed <x & y>.\n  B refused.\n\nOutcome: agreement on turn 2.\nPayoffs:\n  A      0.5\n  Lead\n    Deeper\n"
	got := string(storyHTML(text))
	for _, want := range []string{
		`<p class="head">May 2019 (turn 2)</p>`,
		`<p class="d1">A proposed &lt;x &amp; y&gt;.</p>`,
		`<p class="d1">B refused.</p>`,
		`<p class="d0">Outcome: agreement on turn 2.</p>`,
		`<p class="head">Payoffs:</p>`,
		`<p class="d1 lead">Lead</p>`,
		`<p class="d2">Deeper</p>`,
		`<p class="d1">A 0.5</p>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the told run lacks %s:\n%s", want, got)
		}
	}
}

// Long words get break opportunities, ordinary ones none, and the text is
// escaped.
func TestBreakable(t *testing.T) {
	long := strings.Repeat("x", 100)
	got := string(breakable("a <b> & " + long))
	if !strings.HasPrefix(got, "a &lt;b&gt; &amp; ") {
		t.Errorf("not escaped: %s", got)
	}
	for _, part := range strings.Split(strings.TrimPrefix(got, "a &lt;b&gt; &amp; "), "<wbr>") {
		if len(part) > 24 {
			t.Errorf("a piece of %d characters without a break in %s", len(part), got)
		}
	}
	if strings.ReplaceAll(got, "<wbr>", "") != "a &lt;b&gt; &amp; "+long {
		t.Errorf("breakable changed the text: %s", got)
	}
	if got := string(breakable("denuclearization (35%), troops (15%)")); strings.Contains(got, "<wbr>") {
		t.Errorf("ordinary words broken: %s", got)
	}
}

// The page puts the answer, the outcome chart and the shares before
// anything else but the title and question, tells the run it is given
// without the actors' stances, and has print rules for A4.
func TestWriteHTMLPage(t *testing.T) {
	m := testmodel.Load(t, "korea-2018")
	sc := m.Scenario
	s := results.NewSummary(sc)
	w := sim.NewWorker(m)
	for k := 1; k <= 300; k++ {
		s.Add(w.Run(7, k, nil))
	}
	var tr sim.Trace
	w.Run(7, 4, &tr)
	rep := s.Report(sc.ID, 7)
	pg := Page{Scenario: sc, Report: rep, Narration: story.NewNarration(m, &tr, 4), Asked: true, Command: "parley report korea-2018", Narrate: "parley narrate korea-2018 --seed 7 --run 4"}
	var b bytes.Buffer
	if err := WriteHTML(&b, pg); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	order := []string{"<h1>", `class="question"`, `id="outcome-chart"`, "<svg", `id="answer"`, `class="shares"`, "<h2>Who wants what</h2>", `id="told-run"`}
	last := -1
	for _, mark := range order {
		i := strings.Index(html, mark)
		if i < 0 {
			t.Fatalf("the page lacks %s", mark)
		}
		if i < last {
			t.Errorf("%s comes too late: want the order %q", mark, order)
		}
		last = i
	}
	if answer := strings.ReplaceAll(Answer(rep, sc), "–", "\u2060–\u2060"); !strings.Contains(html, answer) {
		t.Errorf("the page lacks the answer %q", answer)
	}
	told := html[strings.Index(html, `id="told-run"`):]
	if !strings.Contains(told, "Run 4 of this batch, as asked; it ended in "+story.WithArticle(pg.Narration.Outcome)+".") {
		t.Errorf("the page does not say which run it tells: %.300s", told)
	}
	if strings.Contains(told, "Who wants what") || strings.Contains(told, "would like:") {
		t.Error("the told run repeats the actors' stances")
	}
	if strings.Contains(told, "max-height") || regexp.MustCompile(`\.story \{[^}]*overflow`).MatchString(html) {
		t.Error("the told run is in a scroll box")
	}
	print := regexp.MustCompile(`(?s)@media print \{.*@page \{ size: A4;`).FindString(html)
	if print == "" {
		t.Error("the page has no print rules for A4")
	}
}
