package explore

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
)

// Discovery is a scenario-discovery analysis of a file of rows: PRIM's
// result with the resampling check, ready to write. Its JSON encoding is a
// published contract:
//
//	{"outcome", "base_rate", "rows", "box": {"limits": {"<key path>": {"min", "max"}},
//	 "coverage", "density", "mass", "quasi_p": {"<key path>": p}},
//	 "trajectory": [{"coverage", "density", "mass", "restricted"}],
//	 "resampling": {"<key path>": share}}
//
// where a limit that does not bound one side is null, and quasi_p is
// absent for an outcome that is a share rather than a yes or no.
type Discovery struct {
	Outcome    string             `json:"outcome"`
	BaseRate   float64            `json:"base_rate"`
	Rows       int                `json:"rows"`
	Box        BoxJSON            `json:"box"`
	Trajectory []Step             `json:"trajectory"`
	Resampling map[string]float64 `json:"resampling"`
	// Provenance is the provenance of the runs, from the manifest beside
	// the file when there is one (the caller fills it in).
	Provenance []results.Provenance `json:"provenance,omitempty"`

	res    *PRIMResult
	inputs []string
}

// BoxJSON is the chosen box as the JSON contract writes it.
type BoxJSON struct {
	Limits   map[string]LimitJSON `json:"limits"`
	Coverage float64              `json:"coverage"`
	Density  float64              `json:"density"`
	Mass     float64              `json:"mass"`
	QuasiP   map[string]float64   `json:"quasi_p,omitempty"`
}

// LimitJSON is a limit with an open end as null.
type LimitJSON struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

// DiscoverInputs returns the columns of a header that hold inputs: the
// key paths (with a dot), the drawn inputs of a runs file or the varied
// keys of a sweep. Outcome, utility, timeline and count columns, which
// have no dot, are never inputs.
func DiscoverInputs(header []string) []string {
	var in []string
	for _, h := range header {
		if strings.Contains(h, ".") {
			in = append(in, h)
		}
	}
	return in
}

// Discover runs PRIM on the rows of a runs file (parley run --runs-out,
// whose outcome column names each run's class: y is 1 for outcome, 0 for
// the rest) or of a sweep's output (y is the point's <outcome>_share),
// over the input columns (DiscoverInputs), then the resampling check with
// resamples resamples drawn with randomness from r.
func Discover(header []string, rows [][]string, outcome string, opt PRIMOptions, resamples int, r *rand.Rand) (*Discovery, error) {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	inputs := DiscoverInputs(header)
	if len(inputs) == 0 {
		return nil, fmt.Errorf("explore: no input columns (key paths such as actors.us.hawkishness) in the rows: a runs file from a scenario with no distributions has nothing to discover")
	}
	oc, isRuns := col["outcome"]
	share := outcome + "_share"
	if !isRuns {
		var ok bool
		if oc, ok = col[share]; !ok {
			return nil, fmt.Errorf("explore: the rows have neither an outcome column (a runs file) nor %s (a sweep's output)", share)
		}
	}
	x := make([][]float64, 0, len(rows))
	y := make([]float64, 0, len(rows))
	seen := false
	for n, row := range rows {
		if len(row) != len(header) {
			return nil, fmt.Errorf("explore: row %d has %d fields, the header %d", n+2, len(row), len(header))
		}
		p := make([]float64, len(inputs))
		for j, in := range inputs {
			v, err := strconv.ParseFloat(row[col[in]], 64)
			if err != nil || math.IsNaN(v) {
				return nil, fmt.Errorf("explore: row %d, %s: not a number: %q", n+2, in, row[col[in]])
			}
			p[j] = v
		}
		var v float64
		if isRuns {
			if row[oc] == outcome {
				v = 1
			}
			seen = seen || row[oc] == outcome
		} else {
			f, err := strconv.ParseFloat(row[oc], 64)
			if err != nil || f < 0 || f > 1 {
				return nil, fmt.Errorf("explore: row %d, %s: not a share: %q", n+2, share, row[oc])
			}
			v = f
			seen = seen || f > 0
		}
		x, y = append(x, p), append(y, v)
	}
	if !seen {
		return nil, fmt.Errorf("explore: no row has the outcome %q: there is nothing to discover", outcome)
	}
	res, err := PRIM(inputs, x, y, opt)
	if err != nil {
		return nil, err
	}
	d := &Discovery{Outcome: outcome, BaseRate: res.BaseRate, Rows: len(rows), Trajectory: res.Trajectory, res: res, inputs: inputs,
		Box: BoxJSON{Limits: map[string]LimitJSON{}, Coverage: res.Box.Coverage, Density: res.Box.Density, Mass: res.Box.Mass}}
	for k, l := range res.Limits() {
		var lj LimitJSON
		if !math.IsInf(l.Min, -1) {
			lj.Min = &l.Min
		}
		if !math.IsInf(l.Max, 1) {
			lj.Max = &l.Max
		}
		d.Box.Limits[k] = lj
	}
	for j, p := range res.QuasiP {
		if !math.IsNaN(p) {
			if d.Box.QuasiP == nil {
				d.Box.QuasiP = map[string]float64{}
			}
			d.Box.QuasiP[inputs[j]] = p
		}
	}
	if resamples > 0 {
		freq, err := Restricted(inputs, x, y, opt, resamples, r)
		if err != nil {
			return nil, err
		}
		d.Resampling = map[string]float64{}
		for j, f := range freq {
			d.Resampling[inputs[j]] = f
		}
	}
	return d, nil
}

// Sentence says what the box found in one line.
func (d *Discovery) Sentence() string { return d.res.Sentence(d.Outcome) }

// WriteJSON writes d as JSON indented by two spaces, keys sorted.
func (d *Discovery) WriteJSON(w io.Writer) error {
	return results.WriteJSONValue(w, d)
}

// WriteTable writes d for a person: the base rate, the peeling
// trajectory, the chosen box with each limit's quasi-p value and how often
// resamples restrict its input, and the sentence.
func (d *Discovery) WriteTable(w io.Writer, title string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	var werr error
	printf := func(format string, args ...any) {
		if werr == nil {
			_, werr = fmt.Fprintf(tw, format, args...)
		}
	}
	printf("%s: where %s is most likely (PRIM, %d rows)\n", title, d.Outcome, d.Rows)
	printf("Base rate: %.1f%% of rows.\n\n", 100*d.BaseRate)
	printf("Peeling trajectory\n  step\tcoverage\tdensity\tmass\tinputs restricted\n")
	for i, s := range d.Trajectory {
		mark := ""
		if i == d.res.Chosen {
			mark = "   <- chosen"
		}
		printf("  %d\t%5.1f%%\t%5.1f%%\t%5.1f%%\t%d%s\n", i+1, 100*s.Coverage, 100*s.Density, 100*s.Mass, s.Restricted, mark)
	}
	printf("\nThe box (after pasting, weak restrictions dropped): coverage %.1f%%, density %.1f%%, mass %.1f%%\n", 100*d.Box.Coverage, 100*d.Box.Density, 100*d.Box.Mass)
	printf("  input\tfrom\tto\tquasi-p\trestricted in resamples\n")
	for _, in := range d.inputs {
		l, ok := d.Box.Limits[in]
		if !ok {
			continue
		}
		end := func(p *float64) string {
			if p == nil {
				return "-"
			}
			return strconv.FormatFloat(*p, 'g', 4, 64)
		}
		q := "n/a"
		if p, ok := d.Box.QuasiP[in]; ok {
			q = fmt.Sprintf("%.2g", p)
		}
		rs := ""
		if f, ok := d.Resampling[in]; ok {
			rs = fmt.Sprintf("%.0f%%", 100*f)
		}
		printf("  %s\t%s\t%s\t%s\t%s\n", in, end(l.Min), end(l.Max), q, rs)
	}
	printf("\n%s.\n", strings.ToUpper(d.Sentence()[:1])+d.Sentence()[1:])
	if werr == nil {
		werr = tw.Flush()
	}
	if werr != nil {
		return fmt.Errorf("explore: writing table: %w", werr)
	}
	return nil
}

// Chart returns the peeling trajectory as a chart: density against
// coverage, one point per box.
func (d *Discovery) Chart(title string) report.Chart {
	s := report.Series{Name: "peeling trajectory"}
	for _, st := range d.Trajectory {
		s.X, s.Y = append(s.X, 100*st.Coverage), append(s.Y, 100*st.Density)
	}
	return report.Chart{
		Name:   "prim-" + d.Outcome,
		Title:  fmt.Sprintf("%s: where %s is most likely (PRIM)", title, d.Outcome),
		XLabel: "coverage: share of the cases inside the box (%)",
		YLabel: "density: share of the box that are cases (%)",
		Series: []report.Series{s},
	}
}
