package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Page is what a seminar report shows: the scenario, the outcome
// distribution of a batch of runs, one representative run narrated from its
// trace, and optionally an analysis of the bargaining space.
type Page struct {
	Scenario  *scenarios.Scenario
	Report    results.Report
	Narration story.Narration
	// Analysis is an HTML fragment on the bargaining space, or empty.
	Analysis template.HTML
	// Command is the command line that reproduces the report.
	Command string
}

// WriteHTML writes the page as one self-contained HTML document: inline CSS
// and inline SVG charts, no script, and nothing fetched from anywhere, laid
// out for a 1280×720 projector.
func WriteHTML(w io.Writer, pg Page) error {
	sc := pg.Scenario
	r := pg.Report
	data := htmlData{Page: pg}
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
			row.Role = s.Role
			row.Strategy = strings.ReplaceAll(s.Strategy, "_", "-")
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
	charts := RunCharts(r, sc)
	for _, name := range []string{"outcome-shares", "end-turn"} {
		for _, c := range charts {
			if c.Name == name {
				svg, err := inlineSVG(c)
				if err != nil {
					return err
				}
				data.Charts = append(data.Charts, htmlChart{c.Title, svg})
			}
		}
	}
	var told bytes.Buffer
	if err := story.WriteNarration(&told, pg.Narration); err != nil {
		return err
	}
	data.Story = told.String()
	if err := pageTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("results: writing report: %w", err)
	}
	return nil
}

type htmlData struct {
	Page
	Outcomes []htmlOutcome
	Actors   []htmlActor
	Terms    []htmlTerm
	Charts   []htmlChart
	Story    string
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

type htmlChart struct {
	Title string
	SVG   template.HTML
}

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
		pt := point{Name: p.name, Terms: story.Describe(sc, levels, "the status quo")}
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

var analysisTemplate = template.Must(template.New("analysis").Parse(`<p>Of the {{.Packages}} possible packages, <strong>{{.ZOPASize}}</strong> are worth more to every signatory than no agreement (the zone of possible agreement){{if not .ZOPAExact}}, estimated{{end}}. The Pareto frontier has {{.ParetoFrontierSize}} packages, {{.ParetoFrontierInZOPA}} of them in the zone.{{if .Means}} Uncertain parameters are taken at their means.{{end}}</p>
{{if .Points}}<table>
<tr><th>Solution</th><th>Terms (changes from the status quo)</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Points}}<tr><td>{{.Name}}</td><td>{{.Terms}}</td>{{range .Utilities}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
<p class="meta">Utilities of the signatories. Nash: the largest product of gains over no agreement (Nash 1950); Kalai–Smorodinsky: gains in proportion to each side's best gain (Kalai and Smorodinsky 1975); utilitarian: the largest sum.</p>{{else}}<p>The zone is empty: no package beats no agreement for every signatory.</p>{{end}}`))

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

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Scenario.Title}} — parley report</title>
<style>
  :root { --ink: #1a1a1a; --muted: #555; --accent: #0072B2; --rule: #ccc; }
  html { font-size: 20px; }
  body { margin: 0 auto; max-width: 1200px; padding: 24px 40px; color: var(--ink);
         font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.4; background: #fff; }
  h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
  h2 { font-size: 1.4rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
  .question { font-size: 1.2rem; font-style: italic; margin: .4rem 0 1rem; }
  .meta { color: var(--muted); font-size: .85rem; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
  th { background: #f2f6fa; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  figure { margin: 1rem 0; }
  figure svg { width: 100%; height: auto; max-height: 640px; display: block; }
  figcaption { color: var(--muted); font-size: .85rem; }
  .story { white-space: pre-wrap; font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .75rem;
           background: #f7f7f7; padding: 1rem; border-left: 4px solid var(--accent); max-height: 40rem; overflow: auto; }
  .analysis { font-size: .95rem; }
  code { font-size: .85rem; }
</style>
</head>
<body>
<header>
<h1>{{.Scenario.Title}}</h1>
<p class="question">{{.Scenario.Question}}</p>
<p class="meta">Scenario <code>{{.Scenario.ID}}</code> · {{.Report.Runs}} runs · seed {{.Report.Seed}} · reproduce with <code>{{.Command}}</code></p>
</header>

<h2>Who wants what</h2>
<table>
<tr><th>Actor</th><th>Role</th><th>Cares most about</th><th>Would like</th><th>Strategy</th></tr>
{{range .Actors}}<tr><td>{{.Name}}</td><td>{{.Role}}</td><td>{{.Cares}}</td><td>{{.Wants}}</td><td>{{.Strategy}}</td></tr>
{{end}}</table>

<h2>How the talks end</h2>
<table>
<tr><th>Outcome</th><th>Share</th><th>95% interval (Wilson)</th><th>Runs</th></tr>
{{range .Outcomes}}<tr><td>{{.Name}}</td><td class="num">{{.Share}}</td><td class="num">{{.Low}} – {{.High}}</td><td class="num">{{.Count}}</td></tr>
{{end}}</table>
{{range .Charts}}<figure>{{.SVG}}<figcaption>{{.Title}}</figcaption></figure>
{{end}}
<h3>What each actor gets</h3>
<table>
<tr><th>Actor</th><th>Mean utility, all runs</th><th>Mean utility, in agreements</th></tr>
{{range .Actors}}<tr><td>{{.Name}}</td><td class="num">{{.Mean}}</td><td class="num">{{.InDeal}}</td></tr>
{{end}}</table>
<p class="meta">Utility 0 is the worst an actor can get, conflict included; 1 is its best deal.</p>

<h2>The agreed terms</h2>
{{if .Terms}}<table>
<tr><th>Issue</th><th>Most agreed level</th><th>Share of agreements</th></tr>
{{range .Terms}}<tr><td>{{.Issue}}</td><td>{{.Level}}</td><td class="num">{{.Share}}</td></tr>
{{end}}</table>{{else}}<p>No run ended in agreement.</p>{{end}}

{{if .Analysis}}<h2>The bargaining space</h2>
<div class="analysis">{{.Analysis}}</div>
{{end}}
<h2>One run, told turn by turn</h2>
<p class="meta">Run {{.Narration.Run}} of this batch (a run that ended in the most common outcome), told from the engine's own trace.</p>
<div class="story">{{.Story}}</div>
</body>
</html>
`))
