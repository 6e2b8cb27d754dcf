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

// Newcombe returns the difference d = k1/n1 − k2/n2 of two independent
// binomial proportions and its 95% interval by Newcombe's hybrid score
// method (method 10 of Newcombe 1998, Stat Med 17:873), built from the
// Wilson score interval (l, u) of each proportion (see [Wilson]):
//
//	lo = d − √((p1 − l1)² + (u2 − p2)²)
//	hi = d + √((u1 − p1)² + (p2 − l2)²)
//
// The interval always lies within [−1, 1] and contains d. A proportion with
// no trials counts as 0 with the Wilson interval (0, 1). Newcombe panics if
// a count is outside [0, trials].
func Newcombe(k1, n1, k2, n2 int) (d, lo, hi float64) {
	l1, u1 := Wilson(k1, n1)
	l2, u2 := Wilson(k2, n2)
	p1, p2 := ratio(float64(k1), n1), ratio(float64(k2), n2)
	d = p1 - p2
	lo = d - math.Hypot(p1-l1, u2-p2)
	hi = d + math.Hypot(u1-p1, p2-l2)
	return d, max(lo, -1), min(hi, 1)
}

// Arm describes one side of a comparison: the scenario's id, the seed and
// number of its runs, and the --set overrides applied to it
// ("key.path=value", in order).
type Arm struct {
	Scenario string   `json:"scenario"`
	Seed     uint64   `json:"seed"`
	Runs     int      `json:"runs"`
	Sets     []string `json:"sets"`
	// SourceDigest is the digest of the scenario's full source
	// (Provenance), filled in by the caller.
	SourceDigest string `json:"source_digest,omitempty"`
}

// OutcomeDiff compares one outcome's share under A and under B: Diff is
// AShare − BShare, with its Newcombe hybrid score 95% interval (see
// [Newcombe]).
type OutcomeDiff struct {
	AShare     float64 `json:"a_share"`
	BShare     float64 `json:"b_share"`
	Diff       float64 `json:"diff"`
	DiffCILow  float64 `json:"diff_ci_low"`
	DiffCIHigh float64 `json:"diff_ci_high"`
}

// UtilityShift compares an actor's mean utility over all runs under A and
// under B; Shift is A − B, with its normal 95% interval: of the mean of
// the per-run differences for a paired comparison, Welch's for an
// independent one (both zero when the comparison was made without the
// runs, by Compare alone).
type UtilityShift struct {
	AMeanUtility float64 `json:"a_mean_utility"`
	BMeanUtility float64 `json:"b_mean_utility"`
	Shift        float64 `json:"shift"`
	ShiftCILow   float64 `json:"shift_ci_low"`
	ShiftCIHigh  float64 `json:"shift_ci_high"`
}

// The designs of a comparison: paired (run k of A and of B share their
// random numbers) or independent (B drawn from an unrelated seed).
const (
	DesignPaired      = "paired"
	DesignIndependent = "independent"
)

// Comparison is the comparison of two batches of runs, A and B, drawn
// independently; its JSON encoding (see [WriteComparisonJSON]) is a
// published contract. Numbers are not rounded.
type Comparison struct {
	// Model is the engine's model version (sim.ModelVersion).
	Model int `json:"model"`
	// Design is DesignPaired or DesignIndependent: how B's runs were
	// drawn, and so which intervals the differences carry.
	Design string `json:"design"`
	A      Arm    `json:"a"`
	B      Arm    `json:"b"`
	// Outcomes is keyed by outcome name; all four are present.
	Outcomes map[string]OutcomeDiff `json:"outcomes"`
	// Settlement and Partial split the agreements: runs that ended with
	// a settlement in force, and runs that ended with only a step (a
	// partial deal; Report.Partial).
	Settlement OutcomeDiff `json:"settlement"`
	Partial    OutcomeDiff `json:"partial"`
	// Actors is keyed by actor id and holds the actors present in both.
	Actors map[string]UtilityShift `json:"actors"`

	actors []string // ids in A's order, for the table
}

// Compare compares the reports of two independent batches, A and B. The
// arms' Sets are empty; the caller fills them in. The utility shifts have
// no intervals: CompareIndependent and ComparePaired, which have the
// runs, give them.
func Compare(a, b Report) Comparison {
	c := Comparison{
		Model:    sim.ModelVersion,
		Design:   DesignIndependent,
		A:        Arm{Scenario: a.Scenario, Seed: a.Seed, Runs: a.Runs, Sets: []string{}},
		B:        Arm{Scenario: b.Scenario, Seed: b.Seed, Runs: b.Runs, Sets: []string{}},
		Outcomes: make(map[string]OutcomeDiff, sim.NumOutcomes),
		Actors:   map[string]UtilityShift{},
	}
	for _, o := range sim.Outcomes {
		sa, sb := a.Outcomes.Get(o), b.Outcomes.Get(o)
		d, lo, hi := Newcombe(sa.Count, a.Runs, sb.Count, b.Runs)
		c.Outcomes[o.String()] = OutcomeDiff{AShare: sa.Share, BShare: sb.Share, Diff: d, DiffCILow: lo, DiffCIHigh: hi}
	}
	diff := func(ka, kb int) OutcomeDiff {
		d, lo, hi := Newcombe(ka, a.Runs, kb, b.Runs)
		return OutcomeDiff{AShare: ratio(float64(ka), a.Runs), BShare: ratio(float64(kb), b.Runs), Diff: d, DiffCILow: lo, DiffCIHigh: hi}
	}
	c.Settlement = diff(a.Outcomes.Agreement.Count-a.Partial.Count, b.Outcomes.Agreement.Count-b.Partial.Count)
	c.Partial = diff(a.Partial.Count, b.Partial.Count)
	ids := a.order.actors
	if len(ids) != len(a.Actors) {
		ids = slices.Sorted(maps.Keys(a.Actors))
	}
	for _, id := range ids {
		sb, ok := b.Actors[id]
		if !ok {
			continue
		}
		sa := a.Actors[id]
		c.Actors[id] = UtilityShift{AMeanUtility: sa.MeanUtility, BMeanUtility: sb.MeanUtility, Shift: sa.MeanUtility - sb.MeanUtility}
		c.actors = append(c.actors, id)
	}
	return c
}

// WriteComparisonJSON writes c as JSON indented by two spaces, with a
// trailing newline; map keys are sorted, so equal comparisons give
// identical bytes.
func WriteComparisonJSON(w io.Writer, c Comparison) error {
	return writeJSON(w, c)
}

// WriteComparisonCSV writes c as a tidy long-format CSV with the header
//
//	section,name,stat,value
//
// and the rows
//
//	comparison,,model|runs_a|runs_b|seed_a|seed_b,<n>
//	comparison,<design>,design,1
//	outcome,<outcome>,a_share|b_share|diff|diff_ci_low|diff_ci_high,<x>
//	agreement,settlement|partial,a_share|b_share|diff|diff_ci_low|diff_ci_high,<x>
//	actor,<actor id>,a_mean_utility|b_mean_utility|shift|shift_ci_low|shift_ci_high,<x>
//
// with floats in the shortest form that reads back exactly, as WriteCSV
// writes a report. The arms' overrides are not in the CSV: the JSON keeps
// them.
func WriteComparisonCSV(w io.Writer, c Comparison) error {
	cw := csv.NewWriter(w)
	row := func(section, name, stat, value string) {
		_ = cw.Write([]string{section, CSVText(name), stat, value})
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	row("section", "name", "stat", "value")
	row("comparison", "", "model", strconv.Itoa(c.Model))
	row("comparison", "", "runs_a", strconv.Itoa(c.A.Runs))
	row("comparison", "", "runs_b", strconv.Itoa(c.B.Runs))
	row("comparison", "", "seed_a", strconv.FormatUint(c.A.Seed, 10))
	row("comparison", "", "seed_b", strconv.FormatUint(c.B.Seed, 10))
	row("comparison", c.Design, "design", "1")
	diff := func(section, name string, d OutcomeDiff) {
		row(section, name, "a_share", f(d.AShare))
		row(section, name, "b_share", f(d.BShare))
		row(section, name, "diff", f(d.Diff))
		row(section, name, "diff_ci_low", f(d.DiffCILow))
		row(section, name, "diff_ci_high", f(d.DiffCIHigh))
	}
	for _, o := range sim.Outcomes {
		diff("outcome", o.String(), c.Outcomes[o.String()])
	}
	diff("agreement", "settlement", c.Settlement)
	diff("agreement", "partial", c.Partial)
	ids := c.actors
	if len(ids) != len(c.Actors) {
		ids = slices.Sorted(maps.Keys(c.Actors))
	}
	for _, id := range ids {
		u := c.Actors[id]
		row("actor", id, "a_mean_utility", f(u.AMeanUtility))
		row("actor", id, "b_mean_utility", f(u.BMeanUtility))
		row("actor", id, "shift", f(u.Shift))
		row("actor", id, "shift_ci_low", f(u.ShiftCILow))
		row("actor", id, "shift_ci_high", f(u.ShiftCIHigh))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: writing CSV: %w", err)
	}
	return nil
}

// WriteComparisonTable writes c as aligned plain text: each outcome's share
// under A and B, the difference in percentage points with its 95%
// interval, and each actor's mean utility under A and B with the shift.
// Actor names come from sc (A's scenario) when it is not nil; streamNote,
// when not empty, is printed under B's line (it says how B's seed was
// derived).
func WriteComparisonTable(w io.Writer, c Comparison, sc *scenarios.Scenario, streamNote string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	var werr error
	printf := func(format string, args ...any) {
		if werr == nil {
			_, werr = fmt.Fprintf(tw, format, args...)
		}
	}
	// Lines outside the aligned blocks go straight to w, after a flush.
	plain := func(format string, args ...any) {
		if werr == nil {
			werr = tw.Flush()
		}
		if werr == nil {
			_, werr = fmt.Fprintf(w, format, args...)
		}
	}
	arm := func(label string, a Arm) string {
		s := fmt.Sprintf("%s: %s, %d runs, seed %d", label, a.Scenario, a.Runs, a.Seed)
		if len(a.Sets) > 0 {
			s += ", --set " + strings.Join(a.Sets, " --set ")
		}
		return s
	}
	plain("%s\n", arm("A", c.A))
	plain("%s\n", arm("B", c.B))
	if streamNote != "" {
		plain("   %s\n", streamNote)
	}
	plain("\n")

	printf("Outcome\t     A\t     B\t A − B\t95%% interval of A − B\n")
	row := func(label string, d OutcomeDiff) {
		printf("%s\t%5.1f%%\t%5.1f%%\t%6s\t[%s, %s]%s\n", label, 100*d.AShare, 100*d.BShare, points(d.Diff), points(d.DiffCILow), points(d.DiffCIHigh), mark(d.DiffCILow, d.DiffCIHigh))
	}
	for _, o := range sim.Outcomes {
		row(o.String(), c.Outcomes[o.String()])
		if o == sim.Agreement && (c.Partial.AShare > 0 || c.Partial.BShare > 0) {
			row("  a settlement", c.Settlement)
			row("  a step only", c.Partial)
		}
	}
	if c.Design == DesignPaired {
		plain("Differences in percentage points, run k of A paired with run k of B (the\nsame random numbers); intervals by Newcombe's hybrid score method for\npaired proportions. * marks an interval that excludes zero.\n\n")
	} else {
		plain("Differences in percentage points; intervals by Newcombe's hybrid score\nmethod (method 10) for independent samples. * marks an interval that\nexcludes zero.\n\n")
	}

	names := map[string]string{}
	if sc != nil {
		for _, a := range sc.Actors {
			names[a.ID] = cmp.Or(a.Name, a.ID)
		}
	}
	if len(c.actors) == 0 {
		plain("No actors in common.\n")
	} else {
		printf("Actor\tMean utility A\t    B\tShift A − B\t95%% interval\n")
	}
	for _, id := range c.actors {
		u := c.Actors[id]
		ci := ""
		if u.ShiftCILow != 0 || u.ShiftCIHigh != 0 {
			ci = fmt.Sprintf("[%+.3f, %+.3f]%s", u.ShiftCILow, u.ShiftCIHigh, mark(u.ShiftCILow, u.ShiftCIHigh))
		}
		printf("%s\t%14.3f\t%5.3f\t%11s\t%s\n", cmp.Or(names[id], id), u.AMeanUtility, u.BMeanUtility, fmt.Sprintf("%+.3f", u.Shift), ci)
	}
	if werr == nil {
		werr = tw.Flush()
	}
	if werr != nil {
		return fmt.Errorf("results: writing table: %w", werr)
	}
	return nil
}

// mark is " *" for an interval that excludes zero.
func mark(lo, hi float64) string {
	if lo > 0 || hi < 0 {
		return " *"
	}
	return ""
}

// points formats a difference of shares in percentage points, signed.
func points(x float64) string {
	s := fmt.Sprintf("%+.1f", 100*x)
	if s == "-0.0" || s == "+0.0" {
		s = "0.0"
	}
	return s
}
