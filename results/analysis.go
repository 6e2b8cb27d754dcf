package results

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// AnalysisReport is an analysis of a scenario's bargaining space (see
// [sim.Analyze]) in the form other tools read; its JSON encoding (see
// [WriteAnalysisJSON]) is a published contract. Actors are keyed by id,
// issues by id and levels by label. Utilities are on each actor's [0,1]
// scale, not rounded.
type AnalysisReport struct {
	Scenario string `json:"scenario"`
	// Model is the engine's model version (sim.ModelVersion): the same
	// scenario, seed and model give the same results.
	Model int    `json:"model"`
	Title string `json:"title"`
	// Provenance says which scenario, overrides and seed were analysed
	// (the caller fills it in; nil leaves it out).
	Provenance *Provenance `json:"provenance,omitempty"`
	// Parameters says how distribution-valued numbers were taken: "means".
	Parameters string `json:"parameters"`
	// Means gives each distribution-valued number (by key path) the mean
	// taken for it.
	Means map[string]float64 `json:"means"`
	// Packages is the size of the package space; Method how it was
	// searched: "enumeration" or "additive".
	Packages    int      `json:"packages"`
	Method      string   `json:"method"`
	Signatories []string `json:"signatories"`
	// Actors holds the actors analysed: the signatories, or all with --all.
	Actors map[string]ActorSpaceReport `json:"actors"`
	// ZOPASize is the number of packages every signatory prefers to no
	// agreement: exact when ZOPAExact, otherwise an estimate from a uniform
	// sample (ZOPASample) with its Wilson 95% interval (ZOPAInterval).
	ZOPASize     int             `json:"zopa_size"`
	ZOPAExact    bool            `json:"zopa_exact"`
	ZOPAInterval *[2]int         `json:"zopa_interval,omitempty"`
	ZOPASample   *sim.ZoneSample `json:"zopa_sample,omitempty"`
	// ParetoFrontierSize counts the packages of the whole space on the
	// Pareto frontier over the actors ParetoFrontierOver;
	// ParetoFrontierInZOPA how many of them lie in the zone.
	ParetoFrontierSize   int      `json:"pareto_frontier_size"`
	ParetoFrontierOver   []string `json:"pareto_frontier_over"`
	ParetoFrontierInZOPA int      `json:"pareto_frontier_in_zopa"`
	// ParetoFrontier lists the frontier's packages with --frontier.
	ParetoFrontier []PointReport `json:"pareto_frontier,omitempty"`
	// Nash, KalaiSmorodinsky and Utilitarian are the signatories'
	// solutions within the zone; null when the zone is empty.
	Nash             *PointReport `json:"nash"`
	KalaiSmorodinsky *PointReport `json:"kalai_smorodinsky"`
	Utilitarian      *PointReport `json:"utilitarian"`
	// MonteCarlo is present with --runs.
	MonteCarlo *PlacementReport `json:"monte_carlo,omitempty"`

	sc    *scenarios.Scenario
	order []int // the actors analysed, scenario order
}

// ActorSpaceReport is one actor's place in the bargaining space.
type ActorSpaceReport struct {
	Name      string `json:"name"`
	Signatory bool   `json:"signatory"`
	// Ideal is the actor's best package.
	Ideal PointReport `json:"ideal"`
	// NoAgreement is the value of no agreement at the start (the engine's
	// d_i at turn 1); StatusQuo and Conflict the utilities of the status
	// quo and of the conflict lottery.
	NoAgreement float64 `json:"no_agreement"`
	StatusQuo   float64 `json:"status_quo"`
	Conflict    float64 `json:"conflict"`
}

// PointReport is a package with its utility to each actor analysed.
type PointReport struct {
	// Package maps issue id to level label.
	Package   map[string]string  `json:"package"`
	Utilities map[string]float64 `json:"utilities"`
	InZOPA    bool               `json:"in_zopa"`

	levels []int
}

// PlacementReport says where the agreements of Monte Carlo runs fall in
// each run's bargaining space at its start (see [sim.Placement]). Shares
// and means over no agreements are null.
type PlacementReport struct {
	Runs int    `json:"runs"`
	Seed uint64 `json:"seed"`
	// ZOPAEmpty counts runs whose zone is empty at the start, with its
	// share and Wilson 95% interval.
	ZOPAEmpty       int     `json:"zopa_empty"`
	ZOPAEmptyShare  float64 `json:"zopa_empty_share"`
	ZOPAEmptyCILow  float64 `json:"zopa_empty_ci_low"`
	ZOPAEmptyCIHigh float64 `json:"zopa_empty_ci_high"`
	Agreements      int     `json:"agreements"`
	// OnFrontier counts agreements on the signatories' Pareto frontier.
	OnFrontier      int      `json:"on_frontier"`
	OnFrontierShare *float64 `json:"on_frontier_share"`
	// MeanDistanceFrontier and MeanDistanceNash are mean Euclidean
	// distances in the signatories' utilities (DistancesOver); the Nash
	// distance is over the NashAgreements agreements of runs whose zone was
	// not empty.
	MeanDistanceFrontier *float64 `json:"mean_distance_frontier"`
	NashAgreements       int      `json:"nash_agreements"`
	MeanDistanceNash     *float64 `json:"mean_distance_nash"`
	DistancesOver        []string `json:"distances_over"`
}

// NewAnalysisReport turns an analysis into a report.
func NewAnalysisReport(a *sim.Analysis) *AnalysisReport {
	sc := a.Scenario
	r := &AnalysisReport{
		Model:    sim.ModelVersion,
		Scenario: sc.ID, Title: sc.Title, Parameters: "means", Means: map[string]float64{},
		Packages: a.Packages, Method: a.Method, Actors: map[string]ActorSpaceReport{},
		ZOPASize: a.Zone, ZOPAExact: a.ZoneExact,
		ParetoFrontierSize: a.FrontierSize, ParetoFrontierInZOPA: a.FrontierInZone,
		sc: sc,
	}
	for _, m := range a.Means {
		r.Means[m.Path] = m.Value
	}
	ids := func(idx []int) []string {
		out := make([]string, len(idx))
		for k, i := range idx {
			out[k] = sc.Actors[i].ID
		}
		return out
	}
	r.Signatories = ids(a.Signatories)
	r.ParetoFrontierOver = ids(a.FrontierOver)
	for _, as := range a.Actors {
		r.order = append(r.order, as.Actor)
	}
	point := func(p *sim.Point) *PointReport {
		if p == nil {
			return nil
		}
		pr := &PointReport{Package: map[string]string{}, Utilities: map[string]float64{}, InZOPA: p.InZone, levels: p.Levels}
		for j, l := range p.Levels {
			pr.Package[sc.Issues[j].ID] = sc.Issues[j].Levels[l]
		}
		for _, i := range r.order {
			pr.Utilities[sc.Actors[i].ID] = p.Utility[i]
		}
		return pr
	}
	for _, as := range a.Actors {
		act := sc.Actors[as.Actor]
		r.Actors[act.ID] = ActorSpaceReport{
			Name: cmp.Or(act.Name, act.ID), Signatory: as.Signatory, Ideal: *point(&as.Ideal),
			NoAgreement: as.NoDeal, StatusQuo: as.StatusQuo, Conflict: as.Conflict,
		}
	}
	if !a.ZoneExact {
		s := a.ZoneSample
		r.ZOPASample = &s
		lo, hi := Wilson(s.Hits, s.Samples)
		size := float64(a.Packages)
		r.ZOPAInterval = &[2]int{int(math.Floor(lo * size)), int(math.Ceil(hi * size))}
	}
	for k := range a.Frontier {
		r.ParetoFrontier = append(r.ParetoFrontier, *point(&a.Frontier[k]))
	}
	r.Nash, r.KalaiSmorodinsky, r.Utilitarian = point(a.Nash), point(a.KalaiSmorodinsky), point(a.Utilitarian)
	if mc := a.MonteCarlo; mc != nil {
		pr := &PlacementReport{
			Runs: mc.Runs, Seed: mc.Seed, ZOPAEmpty: mc.ZoneEmpty, Agreements: mc.Agreements,
			OnFrontier: mc.OnFrontier, NashAgreements: mc.NashAgreements, DistancesOver: r.Signatories,
		}
		if mc.Runs > 0 {
			pr.ZOPAEmptyShare = float64(mc.ZoneEmpty) / float64(mc.Runs)
		}
		pr.ZOPAEmptyCILow, pr.ZOPAEmptyCIHigh = Wilson(mc.ZoneEmpty, mc.Runs)
		if mc.Agreements > 0 {
			share := float64(mc.OnFrontier) / float64(mc.Agreements)
			d := mc.FrontierDistance
			pr.OnFrontierShare, pr.MeanDistanceFrontier = &share, &d
		}
		if mc.NashAgreements > 0 {
			d := mc.NashDistance
			pr.MeanDistanceNash = &d
		}
		r.MonteCarlo = pr
	}
	return r
}

// WriteAnalysisJSON writes r as JSON indented by two spaces, with a
// trailing newline; map keys are sorted, so equal reports give identical
// bytes.
func WriteAnalysisJSON(w io.Writer, r *AnalysisReport) error {
	return writeJSON(w, r)
}

// WriteAnalysisCSV writes r as a tidy long-format CSV with the header
// section,name,stat,value and numeric values only:
//
//	space,,packages|zopa_size|zopa_exact|pareto_frontier_size|pareto_frontier_in_zopa,<n>
//	actor,<actor id>,no_agreement|status_quo|conflict|signatory,<x>
//	point,<point>,utility.<actor id>|in_zopa,<x>
//	package,<point>,<issue id>=<level>,1
//	monte_carlo,,runs|zopa_empty|zopa_empty_share|agreements|on_frontier|on_frontier_share|mean_distance_frontier|mean_distance_nash,<x>
//
// where a point is ideal.<actor id>, nash, kalai_smorodinsky or
// utilitarian (a solution of an empty zone is left out), booleans are 0 or
// 1, and a Monte Carlo mean over no agreements is an empty cell.
func WriteAnalysisCSV(w io.Writer, r *AnalysisReport) error {
	cw := csv.NewWriter(w)
	row := func(section, name, stat, value string) {
		_ = cw.Write([]string{section, CSVText(name), CSVText(stat), value})
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	b := func(x bool) string {
		if x {
			return "1"
		}
		return "0"
	}
	row("section", "name", "stat", "value")
	row("space", "", "packages", strconv.Itoa(r.Packages))
	row("space", "", "zopa_size", strconv.Itoa(r.ZOPASize))
	row("space", "", "zopa_exact", b(r.ZOPAExact))
	row("space", "", "pareto_frontier_size", strconv.Itoa(r.ParetoFrontierSize))
	row("space", "", "pareto_frontier_in_zopa", strconv.Itoa(r.ParetoFrontierInZOPA))
	ids := slices.Sorted(maps.Keys(r.Actors))
	if r.sc != nil && len(r.order) == len(r.Actors) {
		ids = ids[:0]
		for _, i := range r.order {
			ids = append(ids, r.sc.Actors[i].ID)
		}
	}
	point := func(name string, p *PointReport) {
		if p == nil {
			return
		}
		for _, id := range ids {
			if u, ok := p.Utilities[id]; ok {
				row("point", name, "utility."+id, f(u))
			}
		}
		row("point", name, "in_zopa", b(p.InZOPA))
		for _, is := range slices.Sorted(maps.Keys(p.Package)) {
			row("package", name, is+"="+p.Package[is], "1")
		}
	}
	for _, id := range ids {
		a := r.Actors[id]
		row("actor", id, "no_agreement", f(a.NoAgreement))
		row("actor", id, "status_quo", f(a.StatusQuo))
		row("actor", id, "conflict", f(a.Conflict))
		row("actor", id, "signatory", b(a.Signatory))
	}
	for _, id := range ids {
		ideal := r.Actors[id].Ideal
		point("ideal."+id, &ideal)
	}
	point("nash", r.Nash)
	point("kalai_smorodinsky", r.KalaiSmorodinsky)
	point("utilitarian", r.Utilitarian)
	if mc := r.MonteCarlo; mc != nil {
		opt := func(x *float64) string {
			if x == nil {
				return ""
			}
			return f(*x)
		}
		row("monte_carlo", "", "runs", strconv.Itoa(mc.Runs))
		row("monte_carlo", "", "zopa_empty", strconv.Itoa(mc.ZOPAEmpty))
		row("monte_carlo", "", "zopa_empty_share", f(mc.ZOPAEmptyShare))
		row("monte_carlo", "", "agreements", strconv.Itoa(mc.Agreements))
		row("monte_carlo", "", "on_frontier", strconv.Itoa(mc.OnFrontier))
		row("monte_carlo", "", "on_frontier_share", opt(mc.OnFrontierShare))
		row("monte_carlo", "", "mean_distance_frontier", opt(mc.MeanDistanceFrontier))
		row("monte_carlo", "", "mean_distance_nash", opt(mc.MeanDistanceNash))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: writing CSV: %w", err)
	}
	return nil
}

// WriteAnalysisTable writes r as aligned plain text for a person to read:
// the actors' ideals and values of no agreement, the zone of possible
// agreement, the Pareto frontier, the solutions and, with runs, where the
// Monte Carlo agreements fall. r must come from [NewAnalysisReport].
func WriteAnalysisTable(w io.Writer, r *AnalysisReport) error {
	sc := r.sc
	if sc == nil {
		return fmt.Errorf("results: writing an analysis table: the report was not made by NewAnalysisReport")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	p := &printer{w: tw}
	name := func(i int) string { return cmp.Or(sc.Actors[i].Name, sc.Actors[i].ID) }
	pkg := func(pr *PointReport) string {
		parts := make([]string, len(pr.levels))
		for j, l := range pr.levels {
			parts[j] = sc.Issues[j].ID + "=" + sc.Issues[j].Levels[l]
		}
		return strings.Join(parts, ", ")
	}
	title := r.Scenario
	if r.Title != "" && r.Title != r.Scenario {
		title = fmt.Sprintf("%s (%s)", r.Title, r.Scenario)
	}
	p.printf("%s\nThe bargaining space at the start of the talks (turn 1, before any event).\n", title)
	if len(r.Means) > 0 {
		p.printf("%d distribution-valued parameters taken at their means (listed with --format json; --runs samples them).\n", len(r.Means))
	} else {
		p.printf("Every parameter is a constant.\n")
	}
	how := "every package enumerated"
	if r.Method == sim.MethodAdditive {
		how = "the frontier built issue by issue from the additive utilities, the zone's size estimated from a sample"
	}
	p.printf("%s packages (%s). Utilities run from 0 to 1 on each actor's scale: docs/analysis.md.\n", Thousands(r.Packages), how)

	p.printf("\nActor\tNo agreement\tStatus quo\tConflict\tIdeal package\n")
	for _, i := range r.order {
		a := r.Actors[sc.Actors[i].ID]
		mark := ""
		if a.Signatory {
			mark = " *"
		}
		p.printf("%s%s\t%12.3f\t%10.3f\t%8.3f\t%s\n", name(i), mark, a.NoAgreement, a.StatusQuo, a.Conflict, pkg(&a.Ideal))
	}
	p.printf("(* signs an agreement)\n")

	zone := Thousands(r.ZOPASize)
	if !r.ZOPAExact {
		zone = fmt.Sprintf("about %s (95%% interval %s to %s, from %s sampled packages)", zone,
			Thousands(r.ZOPAInterval[0]), Thousands(r.ZOPAInterval[1]), Thousands(r.ZOPASample.Samples))
	}
	p.printf("\nZone of possible agreement (packages every signatory prefers to no agreement): %s of %s packages (%.1f%%)\n",
		zone, Thousands(r.Packages), 100*float64(r.ZOPASize)/float64(r.Packages))
	over := make([]string, len(r.ParetoFrontierOver))
	for k, id := range r.ParetoFrontierOver {
		over[k] = name(sc.ActorIndex(id))
	}
	p.printf("Pareto frontier over %s: %s packages, %s of them in the zone\n",
		strings.Join(over, ", "), Thousands(r.ParetoFrontierSize), Thousands(r.ParetoFrontierInZOPA))

	header := func(first string) {
		p.printf("\n%s", first)
		for _, i := range r.order {
			p.printf("\t%s", name(i))
		}
		p.printf("\tPackage\n")
	}
	row := func(label string, pr *PointReport) {
		p.printf("%s", label)
		for _, i := range r.order {
			p.printf("\t%.3f", pr.Utilities[sc.Actors[i].ID])
		}
		p.printf("\t%s\n", pkg(pr))
	}
	if r.Nash == nil {
		p.printf("\nThe zone is empty: no package is worth more than no agreement to every signatory, so there is no solution.\n")
	} else {
		header("Solution in the zone")
		row("Nash", r.Nash)
		row("Kalai-Smorodinsky", r.KalaiSmorodinsky)
		row("Utilitarian", r.Utilitarian)
	}
	if len(r.ParetoFrontier) > 0 {
		header("Frontier package")
		for k := range r.ParetoFrontier {
			f := &r.ParetoFrontier[k]
			label := fmt.Sprintf("%d.", k+1)
			if f.InZOPA {
				label += " (zone)"
			}
			row(label, f)
		}
	}
	if mc := r.MonteCarlo; mc != nil {
		p.printf("\nMonte Carlo: %s runs, seed %d, distributions sampled; each agreement placed in its run's space at the start\n", Thousands(mc.Runs), mc.Seed)
		p.printf("Zone empty at the start\t%s runs\t%.1f%%\t95%% [%.2f%%, %.2f%%]\n", Thousands(mc.ZOPAEmpty),
			100*mc.ZOPAEmptyShare, 100*mc.ZOPAEmptyCILow, 100*mc.ZOPAEmptyCIHigh)
		p.printf("Agreements\t%s runs\n", Thousands(mc.Agreements))
		if mc.Agreements > 0 {
			p.printf("On the signatories' frontier\t%s\t%.1f%%\n", Thousands(mc.OnFrontier), 100**mc.OnFrontierShare)
			p.printf("Mean distance from the frontier\t%.3f\n", *mc.MeanDistanceFrontier)
		}
		if mc.MeanDistanceNash != nil {
			p.printf("Mean distance from the Nash point\t%.3f\t(%s agreements with a zone)\n", *mc.MeanDistanceNash, Thousands(mc.NashAgreements))
		}
	}
	return p.flush()
}

// Thousands writes n with commas between groups of three digits: 10,000.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for k, c := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
