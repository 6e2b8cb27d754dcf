package results

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// WriteJSON writes r as JSON indented by two spaces, with a trailing
// newline. Object keys of maps are sorted, so equal reports give identical
// bytes.
func WriteJSON(w io.Writer, r Report) error {
	return writeJSON(w, r)
}

// writeJSON writes v as JSON indented by two spaces, with a trailing
// newline: the form of every JSON file parley writes.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("results: writing JSON: %w", err)
	}
	return nil
}

// WriteCSV writes r as a tidy long-format CSV with the header
//
//	section,name,stat,value
//
// and one row per statistic, value always numeric (empty for a missing
// mean), so pandas.read_csv and R's read.csv read it as it is. The rows:
//
//	run,<scenario>,runs|seed,<n>
//	outcome,<outcome>,count|share|ci_low|ci_high,<x>
//	partial,agreement,count|share|ci_low|ci_high,<x>
//	actor,<actor id>,mean_utility|mean_utility_in_agreement,<x>
//	turns,,mean|min|p10|p25|median|p75|p90|max,<x>
//	term,<issue id>=<level>,count|share,<x>
//	package,<issue id>=<level>;<issue id>=<level>...,count|share,<x>
//	events,,tests_per_run|strikes_per_run|deals_per_run|collapsed_per_run|steps_per_run,<x>
//
// The partial row counts the agreements that are only a step (a partial
// deal; see Report.Partial), a part of the agreement outcome's runs.
// Packages come most common first. Actors, issues and levels follow
// scenario order for a report made by [Summary.Report], sorted order
// otherwise. Floats are written in the shortest form that reads back
// exactly (strconv 'g', -1), not rounded.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	row := func(section, name, stat, value string) {
		// Errors are sticky in csv.Writer; Error reports them below. The
		// name is text from the scenario; the value is a number.
		_ = cw.Write([]string{section, CSVText(name), stat, value})
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	d := strconv.Itoa

	row("section", "name", "stat", "value")
	row("run", r.Scenario, "runs", d(r.Runs))
	row("run", r.Scenario, "seed", strconv.FormatUint(r.Seed, 10))
	for _, o := range sim.Outcomes {
		st := r.Outcomes.Get(o)
		row("outcome", o.String(), "count", d(st.Count))
		row("outcome", o.String(), "share", f(st.Share))
		row("outcome", o.String(), "ci_low", f(st.CILow))
		row("outcome", o.String(), "ci_high", f(st.CIHigh))
	}
	row("partial", "agreement", "count", d(r.Partial.Count))
	row("partial", "agreement", "share", f(r.Partial.Share))
	row("partial", "agreement", "ci_low", f(r.Partial.CILow))
	row("partial", "agreement", "ci_high", f(r.Partial.CIHigh))
	for _, id := range r.actorIDs() {
		a := r.Actors[id]
		row("actor", id, "mean_utility", f(a.MeanUtility))
		in := ""
		if a.MeanUtilityInAgreement != nil {
			in = f(*a.MeanUtilityInAgreement)
		}
		row("actor", id, "mean_utility_in_agreement", in)
	}
	t := r.Turns
	row("turns", "", "mean", f(t.Mean))
	for _, q := range []struct {
		stat string
		v    int
	}{{"min", t.Min}, {"p10", t.P10}, {"p25", t.P25}, {"median", t.Median}, {"p75", t.P75}, {"p90", t.P90}, {"max", t.Max}} {
		row("turns", "", q.stat, d(q.v))
	}
	for _, is := range r.issueIDs() {
		for _, l := range r.levelLabels(is) {
			st := r.Terms[is][l]
			row("term", is+"="+l, "count", d(st.Count))
			row("term", is+"="+l, "share", f(st.Share))
		}
	}
	for _, p := range r.Packages {
		name := r.packageName(p, ";")
		row("package", name, "count", d(p.Count))
		row("package", name, "share", f(p.Share))
	}
	e := r.Events
	row("events", "", "tests_per_run", f(e.TestsPerRun))
	row("events", "", "strikes_per_run", f(e.StrikesPerRun))
	row("events", "", "deals_per_run", f(e.DealsPerRun))
	row("events", "", "collapsed_per_run", f(e.CollapsedPerRun))
	row("events", "", "steps_per_run", f(e.StepsPerRun))
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: writing CSV: %w", err)
	}
	return nil
}

// CSVText is a text cell of a CSV file made safe for spreadsheets: text
// that starts with =, +, -, @, a tab or a carriage return would be read as
// a formula (OWASP's "CSV injection"), so it gets a leading apostrophe,
// which spreadsheets show as text and hide. Only text cells (labels, ids,
// string values) pass through it; numbers, negative ones included, are
// written as they are.
func CSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteTable writes r as aligned plain text for a person to read: the
// outcome shares with their 95% intervals, the actors' mean utilities, the
// end turn, the most common agreed level of each issue and the top
// packages. Names and order come from sc; a nil sc falls back to the ids in
// r.
func WriteTable(w io.Writer, r Report, sc *scenarios.Scenario) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	p := &printer{w: tw}

	title := r.Scenario
	if sc != nil && sc.Title != "" && sc.Title != r.Scenario {
		title = fmt.Sprintf("%s (%s)", sc.Title, r.Scenario)
	}
	sets := ""
	if r.Provenance != nil && len(r.Provenance.Sets) > 0 {
		sets = ", --set " + strings.Join(r.Provenance.Sets, " --set ")
	}
	p.printf("%s\n%d runs, seed %d%s\n\n", title, r.Runs, r.Seed, sets)

	cw := max(len(strconv.Itoa(r.Runs)), len("Runs"))
	p.printf("Outcome\t%6s\t95%% interval\t%*s\n", "Share", cw, "Runs")
	for _, o := range sim.Outcomes {
		st := r.Outcomes.Get(o)
		p.printf("%s\t%5.1f%%\t[%.1f%%, %.1f%%]\t%*d\n", o, 100*st.Share, 100*st.CILow, 100*st.CIHigh, cw, st.Count)
		if o == sim.Agreement && (r.Partial.Count > 0 || r.Events.StepsPerRun > 0 || sc != nil && sc.Protocol.PartialDeals) {
			st := r.Partial
			p.printf("  a step only\t%5.1f%%\t[%.1f%%, %.1f%%]\t%*d\n", 100*st.Share, 100*st.CILow, 100*st.CIHigh, cw, st.Count)
		}
	}

	type named struct {
		id, name string
		levels   []string // issues only
	}
	var actors, issues []named
	if sc != nil {
		for _, a := range sc.Actors {
			actors = append(actors, named{id: a.ID, name: cmp.Or(a.Name, a.ID)})
		}
		for _, is := range sc.Issues {
			issues = append(issues, named{is.ID, cmp.Or(is.Name, is.ID), is.Levels})
		}
	} else {
		for _, id := range r.actorIDs() {
			actors = append(actors, named{id: id, name: id})
		}
		for _, id := range r.issueIDs() {
			issues = append(issues, named{id, id, r.levelLabels(id)})
		}
	}

	p.printf("\nActor\tMean utility\tIn agreement\n")
	for _, a := range actors {
		st := r.Actors[a.id]
		in := "n/a"
		if st.MeanUtilityInAgreement != nil {
			in = fmt.Sprintf("%.3f", *st.MeanUtilityInAgreement)
		}
		p.printf("%s\t%12.3f\t%12s\n", a.name, st.MeanUtility, in)
	}

	t := r.Turns
	p.printf("\nEnd turn: mean %.1f, median %d, p10-p90 %d-%d, range %d-%d\n", t.Mean, t.Median, t.P10, t.P90, t.Min, t.Max)

	if r.Outcomes.Agreement.Count == 0 {
		p.printf("\nNo agreements.\n")
		return p.flush()
	}

	p.printf("\nMost agreed level per issue (share of agreements)\n")
	for _, is := range issues {
		best, bestStat := "", TermStat{Count: -1}
		for _, l := range is.levels {
			if st := r.Terms[is.id][l]; st.Count > bestStat.Count {
				best, bestStat = l, st
			}
		}
		if sc != nil {
			best = strings.ReplaceAll(best, "_", " ") // a level in words, as narrate tells it
		}
		p.printf("%s\t%s\t%5.1f%%\n", is.name, best, 100*bestStat.Share)
	}

	if len(r.Packages) > 0 {
		pw := len(strconv.Itoa(r.Packages[0].Count))
		order := make([]string, len(issues))
		for i, is := range issues {
			order[i] = is.id
		}
		// With the scenario, an agreement is told as narrate tells a deal:
		// by what it changes from the status quo, in the issues' names.
		name := func(pk PackageStat) string { return packageName(pk, order, ", ") }
		if sc != nil {
			p.printf("\nMost common agreements (share of agreements, runs, what each changes)\n")
			levels := make([]int, len(sc.Issues))
			name = func(pk PackageStat) string {
				for j, is := range sc.Issues {
					levels[j] = -1
					if l, ok := pk.Terms[is.ID]; ok {
						levels[j] = slices.Index(is.Levels, l)
					}
				}
				return sc.Terms(levels, "nothing")
			}
		} else {
			p.printf("\nMost common agreements (share of agreements, runs, terms)\n")
		}
		for i, pk := range r.Packages {
			p.printf("%d.\t%5.1f%%\t%*d\t%s\n", i+1, 100*pk.Share, pw, pk.Count, name(pk))
		}
	}
	return p.flush()
}

// printer writes to a tabwriter and keeps the first error.
type printer struct {
	w   *tabwriter.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) flush() error {
	if p.err == nil {
		p.err = p.w.Flush()
	}
	if p.err != nil {
		return fmt.Errorf("results: writing table: %w", p.err)
	}
	return nil
}

// actorIDs returns the actor ids in scenario order, or sorted when r has no
// order (it was not made by Summary.Report).
func (r *Report) actorIDs() []string {
	if len(r.order.actors) == len(r.Actors) {
		return r.order.actors
	}
	return slices.Sorted(maps.Keys(r.Actors))
}

// issueIDs returns the issue ids in scenario order, or sorted.
func (r *Report) issueIDs() []string {
	if len(r.order.issues) == len(r.Terms) {
		return r.order.issues
	}
	return slices.Sorted(maps.Keys(r.Terms))
}

// levelLabels returns the level labels of an issue in scenario order, or
// sorted.
func (r *Report) levelLabels(issue string) []string {
	if l, ok := r.order.levels[issue]; ok && len(l) == len(r.Terms[issue]) {
		return l
	}
	return slices.Sorted(maps.Keys(r.Terms[issue]))
}

// packageName writes a package as issue=level pairs in issue order, joined
// by sep.
func (r *Report) packageName(p PackageStat, sep string) string {
	return packageName(p, r.issueIDs(), sep)
}

func packageName(p PackageStat, issues []string, sep string) string {
	parts := make([]string, 0, len(p.Terms))
	for _, is := range issues {
		if l, ok := p.Terms[is]; ok {
			parts = append(parts, is+"="+l)
		}
	}
	return strings.Join(parts, sep)
}

// WriteJSONValue writes v as JSON in the form of every JSON file parley
// writes (indented by two spaces, with a trailing newline); the packages
// that tell and draw results use it for their own JSON.
func WriteJSONValue(w io.Writer, v any) error { return writeJSON(w, v) }
