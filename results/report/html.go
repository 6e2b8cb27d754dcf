package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Page is what a seminar report shows: the scenario, the outcome
// distribution of a batch of runs with a one-sentence answer to the
// scenario's question, one run narrated from its trace, and optionally an
// analysis of the bargaining space.
type Page struct {
	Scenario  *scenarios.Scenario
	Report    results.Report
	Narration story.Narration
	// Asked is true when the told run was asked for by number; false when
	// it is the first run of the batch that ended in the most common
	// outcome.
	Asked bool
	// Analysis is an HTML fragment on the bargaining space, or empty.
	Analysis template.HTML
	// Command is the command line that reproduces the report; Narrate
	// the one that tells the same run on its own, or empty.
	Command, Narrate string
}

// WriteHTML writes the page as one self-contained HTML document: inline CSS
// and inline SVG charts, no script, and nothing fetched from anywhere. It is
// laid out for a 1280×720 projector, with the outcome distribution and the
// answer to the question on the first screen, and prints as an A4 handout.
func WriteHTML(w io.Writer, pg Page) error {
	sc := pg.Scenario
	r := pg.Report
	data := htmlData{Page: pg, ToldOutcome: story.WithArticle(pg.Narration.Outcome)}
	// Word joiners keep "82–85%" and "US–South Korea" on one line.
	data.Answer = strings.ReplaceAll(Answer(r, sc), "–", "\u2060–\u2060")
	for _, o := range sim.Outcomes {
		s := r.Outcomes.Get(o)
		data.Outcomes = append(data.Outcomes, htmlOutcome{o.String(), s.Count, pct(s.Share), pct(s.CILow), pct(s.CIHigh)})
		if p := r.Partial; o == sim.Agreement && (p.Count > 0 || sc.Protocol.PartialDeals) {
			data.Outcomes = append(data.Outcomes, htmlOutcome{"of which a step only", p.Count, pct(p.Share), pct(p.CILow), pct(p.CIHigh)})
		}
	}
	for i, a := range sc.Actors {
		st := r.Actors[a.ID]
		row := htmlActor{Name: a.Name, Role: "takes part", Mean: fmt.Sprintf("%.2f", st.MeanUtility), InDeal: "n/a"}
		if st.MeanUtilityInAgreement != nil {
			row.InDeal = fmt.Sprintf("%.2f", *st.MeanUtilityInAgreement)
		}
		if i < len(pg.Narration.Actors) {
			s := pg.Narration.Actors[i]
			row.Role = story.RoleName(s.Role)
			row.Strategy = s.Strategy // as the scenario file writes it
			row.Cares = story.TopWeights(sc, s.Weights, 3)
			row.Wants = s.Wants(sc)
		}
		data.Actors = append(data.Actors, row)
	}
	agreed := r.Outcomes.Agreement.Count
	for _, is := range sc.Issues {
		best, share := "", -1.0
		for _, l := range is.Levels {
			if t := r.Terms[is.ID][l]; t.Share > share {
				best, share = l, t.Share
			}
		}
		if agreed > 0 {
			data.Terms = append(data.Terms, htmlTerm{is.Name, strings.ReplaceAll(best, "_", " "), pct(share)})
		}
	}
	for _, c := range RunCharts(r, sc) {
		if c.Name != "outcome-shares" && c.Name != "end-turn" {
			continue
		}
		svg, err := inlineSVG(c)
		if err != nil {
			return err
		}
		if c.Name == "outcome-shares" {
			data.OutcomeChart = svg
		} else {
			data.EndChart = svg
		}
	}
	var told bytes.Buffer
	if err := story.Tell(&told, pg.Narration, story.TellOptions{Length: story.Digest, NoHeader: true}); err != nil {
		return err
	}
	data.Story = storyHTML(told.String())
	if err := pageTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("report: writing the page: %w", err)
	}
	return nil
}

// Answer answers the scenario's question in one sentence from the shares
// of r: the most common outcome with its share and 95% interval, the next
// most common, and the terms of the most common agreement. When the two
// most common outcomes' intervals overlap it says they are about as common.
func Answer(r results.Report, sc *scenarios.Scenario) string {
	ranked := slices.Clone(sim.Outcomes[:])
	slices.SortStableFunc(ranked, func(a, b sim.Outcome) int {
		return r.Outcomes.Get(b).Count - r.Outcomes.Get(a).Count
	})
	first, second := ranked[0], ranked[1]
	s1, s2 := r.Outcomes.Get(first), r.Outcomes.Get(second)
	if s1.Count == 0 {
		return "No run finished, so the question is unanswered."
	}
	var b strings.Builder
	switch {
	case s2.Count == 0:
		fmt.Fprintf(&b, "In every run (%s) the talks end in %s", story.Count(s1.Count, "run", "runs"), outcomeMeaning(first, r))
	case s2.CIHigh >= s1.CILow:
		fmt.Fprintf(&b, "The talks end about as often in %s (%s of runs, 95%% interval %s) as in %s (%s, %s)",
			story.WithArticle(first.String()), pct0(s1.Share), interval(s1), story.WithArticle(second.String()), pct0(s2.Share), interval(s2))
	default:
		fmt.Fprintf(&b, "Most often (%s of runs, 95%% interval %s) the talks end in %s, and next most often in %s (%s, %s)",
			pct0(s1.Share), interval(s1), outcomeMeaning(first, r), story.WithArticle(second.String()), pct0(s2.Share), interval(s2))
	}
	if (first == sim.Agreement || second == sim.Agreement) && len(r.Packages) > 0 {
		pk := r.Packages[0]
		var moves []string
		for _, is := range sc.Issues {
			if l, ok := pk.Terms[is.ID]; ok && l != is.Levels[is.StatusQuo] {
				moves = append(moves, is.Name+" to "+strings.ReplaceAll(l, "_", " "))
			}
		}
		if len(moves) > 0 {
			fmt.Fprintf(&b, "; the most common agreement (%s of agreements) sets %s", pct0(pk.Share), story.AndList(moves))
		}
	}
	return b.String() + "."
}

// outcomeMeaning names outcome o with what it means for the talks.
func outcomeMeaning(o sim.Outcome, r results.Report) string {
	switch o {
	case sim.Agreement:
		a, p := r.Outcomes.Agreement, r.Partial
		if p.Count > 0 && 2*p.Count > a.Count {
			return "an agreement still in force at the horizon (mostly only a step, a partial deal)"
		}
		return "an agreement still in force at the horizon"
	case sim.Stalemate:
		return "a stalemate (still talking at the horizon, without a deal)"
	case sim.Breakdown:
		return "a breakdown (talks that break down and do not resume)"
	case sim.Conflict:
		return "conflict (a strike)"
	}
	return o.String()
}

// pct0 writes a share as a whole percentage, or with one decimal below 1%
// and above 99% so that a rare outcome does not read as never, nor a
// common one as always.
func pct0(x float64) string {
	if x > 0 && x < 0.0095 || x < 1 && x > 0.9905 {
		return fmt.Sprintf("%.1f%%", 100*x)
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

// interval writes an outcome's 95% interval as "82–85%".
func interval(s results.OutcomeStat) string {
	return strings.TrimSuffix(pct0(s.CILow), "%") + "–" + pct0(s.CIHigh)
}

// storyHTML sets a told run (told without its header, which the page
// shows) in paragraphs: each line a paragraph indented by its depth, in
// bold when more deeply indented lines follow it (a span of months, a
// turn).
func storyHTML(text string) template.HTML {
	var b strings.Builder
	blocks := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n")
	for _, block := range blocks {
		lines := strings.Split(strings.Trim(block, "\n"), "\n")
		switch {
		case len(lines) == 0 || lines[0] == "":
			continue
		}
		b.WriteString("<div class=\"part\">\n")
		for i, l := range lines {
			depth := (indent(l) + 1) / 2
			text := strings.TrimLeft(l, " ")
			text = strings.Join(strings.Fields(text), " ")
			if text == "" {
				continue
			}
			class := "d" + fmt.Sprint(min(depth, 3))
			if i+1 < len(lines) && indent(lines[i+1]) > indent(l) {
				class += " lead" // a line the next, deeper ones belong to
				if depth == 0 {
					class = "head"
				}
			}
			fmt.Fprintf(&b, "<p class=\"%s\">%s</p>\n", class, template.HTMLEscapeString(text))
		}
		b.WriteString("</div>\n")
	}
	return template.HTML(b.String()) // every piece of text escaped above
}

// indent is the number of spaces l begins with.
func indent(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

type htmlData struct {
	Page
	Answer       string
	Outcomes     []htmlOutcome
	Actors       []htmlActor
	Terms        []htmlTerm
	OutcomeChart template.HTML
	EndChart     template.HTML
	ToldOutcome  string
	Story        template.HTML
}

type htmlOutcome struct {
	Name             string
	Count            int
	Share, Low, High string
}

type htmlActor struct {
	Name, Role, Strategy, Cares, Wants, Mean, InDeal string
}

type htmlTerm struct{ Issue, Level, Share string }

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// AnalysisHTML renders an analysis of the bargaining space as an HTML
// fragment for a Page: the zone of possible agreement, the Pareto frontier,
// and the Nash, Kalai–Smorodinsky and utilitarian solutions.
func AnalysisHTML(r *results.AnalysisReport, sc *scenarios.Scenario) (template.HTML, error) {
	type point struct {
		Name, Terms string
		Utilities   []string
	}
	data := struct {
		*results.AnalysisReport
		Names  []string
		Points []point
		Means  bool
	}{AnalysisReport: r, Means: r.Parameters == "means"}
	for _, id := range r.Signatories {
		data.Names = append(data.Names, r.Actors[id].Name)
	}
	for _, p := range []struct {
		name string
		pt   *results.PointReport
	}{{"Nash bargaining solution", r.Nash}, {"Kalai–Smorodinsky solution", r.KalaiSmorodinsky}, {"Utilitarian optimum", r.Utilitarian}} {
		if p.pt == nil {
			continue
		}
		levels := make([]int, len(sc.Issues))
		for j, is := range sc.Issues {
			levels[j] = slices.Index(is.Levels, p.pt.Package[is.ID])
		}
		pt := point{Name: p.name, Terms: sc.Terms(levels, "the status quo")}
		for _, id := range r.Signatories {
			pt.Utilities = append(pt.Utilities, fmt.Sprintf("%.2f", p.pt.Utilities[id]))
		}
		data.Points = append(data.Points, pt)
	}
	var b bytes.Buffer
	if err := analysisTemplate.Execute(&b, data); err != nil {
		return "", fmt.Errorf("results: writing analysis: %w", err)
	}
	return template.HTML(b.String()), nil // escaped by html/template
}

var analysisTemplate = template.Must(template.New("analysis").Funcs(funcs).Parse(`<p>Of the {{.Packages}} possible packages, <strong>{{.ZOPASize}}</strong> are worth more to every signatory than no agreement (the zone of possible agreement){{if not .ZOPAExact}}, estimated{{end}}. The Pareto frontier has {{.ParetoFrontierSize}} packages, {{.ParetoFrontierInZOPA}} of them in the zone.{{if .Means}} Uncertain parameters are taken at their means.{{end}}</p>
{{if .Points}}<table>
<tr><th>Solution</th><th>Terms (changes from the status quo)</th>{{range .Names}}<th>{{breakable .}}</th>{{end}}</tr>
{{range .Points}}<tr><td>{{.Name}}</td><td>{{breakable .Terms}}</td>{{range .Utilities}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
<p class="meta">Utilities of the signatories. Nash: the largest product of gains over no agreement (Nash 1950); Kalai–Smorodinsky: gains in proportion to each side's best gain (Kalai and Smorodinsky 1975); utilitarian: the largest sum.</p>{{else}}<p>The zone is empty: no package beats no agreement for every signatory.</p>{{end}}`))

var funcs = template.FuncMap{"breakable": breakable}

// breakable escapes s for HTML and lets a browser break its long words: a
// run of more than 24 characters without a space gets a break opportunity
// (<wbr>) every 12. A table cell's narrowest width is its longest word, so
// one long name would otherwise widen a table past the screen; a CSS rule
// that lets every word break (overflow-wrap: anywhere) would instead let a
// table squeeze short columns until their ordinary words break.
func breakable(s string) template.HTML {
	var b strings.Builder
	run := 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			run = 0
		} else {
			if run >= 24 && run%12 == 0 {
				b.WriteString("<wbr>")
			}
			run++
		}
		b.WriteString(template.HTMLEscapeString(string(r)))
	}
	return template.HTML(b.String()) // escaped above
}

var xmlDecl = regexp.MustCompile(`^<\?xml[^>]*\?>\s*`)

// inlineSVG renders a chart as an <svg> element that scales to its box.
func inlineSVG(c Chart) (template.HTML, error) {
	var b bytes.Buffer
	if err := c.SVG(&b); err != nil {
		return "", err
	}
	s := xmlDecl.ReplaceAllString(b.String(), "")
	s = strings.Replace(s, "<svg ", `<svg role="img" aria-label="`+template.HTMLEscapeString(c.Title)+`" preserveAspectRatio="xMidYMid meet" `, 1)
	return template.HTML(s), nil // generated by gonum/plot from our own numbers
}

var pageTemplate = template.Must(template.New("page").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Scenario.Title}} — parley report</title>
<style>
  :root { --ink: #1a1a1a; --muted: #555; --accent: #0072B2; --rule: #ccc; }
  html { font-size: 20px; }
  body { margin: 0 auto; max-width: 1200px; padding: 16px 40px 40px; color: var(--ink);
         font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.4; background: #fff;
         overflow-wrap: anywhere; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .2rem; }
  h2 { font-size: 1.3rem; margin: 1.8rem 0 .6rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
  h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
  .question { font-size: 1.1rem; font-style: italic; margin: .2rem 0 .3rem; }
  .meta { color: var(--muted); font-size: .85rem; margin: .3rem 0; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0; overflow-wrap: break-word; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
  th { background: #f2f6fa; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  figure { margin: 1rem 0; }
  figure svg { width: 100%; height: auto; max-height: 540px; display: block; }
  code { font-size: .85rem; }
  /* The first screen: the outcome chart beside the answer and the shares. */
  .results { display: grid; grid-template-columns: minmax(0, 11fr) minmax(0, 9fr); gap: 0 1.5rem; align-items: start;
             margin-top: .6rem; border-top: 2px solid var(--accent); padding-top: .5rem; }
  .results figure { margin: 0; }
  .answer { font-size: 1.05rem; margin: 0 0 .6rem; }
  .shares { font-size: .8rem; margin: 0; }
  .shares th, .shares td { padding: .25rem .4rem; }
  @media (max-width: 900px) { .results { grid-template-columns: minmax(0, 1fr); } }
  /* The told run: proportional type at reading size, in full. */
  .story { max-width: 46rem; line-height: 1.5; }
  .story .part { margin: 0 0 1rem; }
  .story p { margin: 0 0 .35rem; }
  .story p.head { font-weight: 700; margin-top: .9rem; }
  .story p.lead { font-weight: 600; }
  .story p.d1 { margin-left: 1.2rem; }
  .story p.d2 { margin-left: 2.4rem; }
  .story p.d3 { margin-left: 3.6rem; }
  #told-run { font-size: .9rem; }
  .analysis { font-size: .95rem; }
  @media print {
    @page { size: A4; margin: 15mm 14mm 16mm; }
    html { font-size: 10.5pt; }
    body { max-width: none; padding: 0; }
    h2 { margin-top: 1.2rem; }
    h2, h3, p.head { break-after: avoid; }
    figure, tr, .answer { break-inside: avoid; }
    figure svg { max-height: 9cm; }
    .results { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
    th { background: none; border-bottom: 1.5px solid var(--ink); }
    .story { max-width: none; }
    .story p { orphans: 2; widows: 2; }
    #told-run { break-after: avoid; }
  }
</style>
</head>
<body>
<header>
<h1>{{.Scenario.Title}}</h1>
<p class="question">{{.Scenario.Question}}</p>
</header>

<section class="results" aria-label="How the talks end">
<figure id="outcome-chart">{{.OutcomeChart}}</figure>
<div>
<p class="answer" id="answer">{{.Answer}}</p>
<table class="shares">
<tr><th>Outcome</th><th>Share</th><th>95% interval</th><th>Runs</th></tr>
{{range .Outcomes}}<tr><td>{{.Name}}</td><td class="num">{{.Share}}</td><td class="num">{{.Low}} – {{.High}}</td><td class="num">{{.Count}}</td></tr>
{{end}}</table>
<p class="meta">{{.Report.Runs}} runs of scenario <code>{{.Scenario.ID}}</code>, seed {{.Report.Seed}}; intervals by Wilson's method.</p>
</div>
</section>

<h2>Who wants what</h2>
<table>
<tr><th>Actor</th><th>Role</th><th>Cares most about</th><th>Would like</th><th>Strategy</th></tr>
{{range .Actors}}<tr><td>{{breakable .Name}}</td><td>{{.Role}}</td><td>{{breakable .Cares}}</td><td>{{breakable .Wants}}</td><td>{{.Strategy}}</td></tr>
{{end}}</table>

<h2>When the talks end</h2>
<figure>{{.EndChart}}</figure>

<h2>What each actor gets</h2>
<table>
<tr><th>Actor</th><th>Mean utility, all runs</th><th>Mean utility, in agreements</th></tr>
{{range .Actors}}<tr><td>{{breakable .Name}}</td><td class="num">{{.Mean}}</td><td class="num">{{.InDeal}}</td></tr>
{{end}}</table>
<p class="meta">Utility 0 is the worst an actor can get, conflict included; 1 is its best deal.</p>

<h2>The agreed terms</h2>
{{if .Terms}}<table>
<tr><th>Issue</th><th>Most agreed level</th><th>Share of agreements</th></tr>
{{range .Terms}}<tr><td>{{breakable .Issue}}</td><td>{{breakable .Level}}</td><td class="num">{{.Share}}</td></tr>
{{end}}</table>{{else}}<p>No run ended in agreement.</p>{{end}}

{{if .Analysis}}<h2>The bargaining space</h2>
<div class="analysis">{{.Analysis}}</div>
{{end}}
<section id="told">
<h2>One run, told</h2>
<p id="told-run">Run {{.Narration.Run}} of this batch, {{if .Asked}}as asked{{else}}the first that ended in the most common outcome (another run: <code>--run K</code>){{end}}; it ended in {{.ToldOutcome}}. Told from the engine's own trace{{if .Narrate}}, as <code>{{.Narrate}}</code> tells it{{end}}.</p>
<div class="story">
{{.Story}}</div>
</section>

<footer>
<p class="meta">Reproduce this page with <code>{{.Command}}</code>.</p>
</footer>
</body>
</html>
`))
