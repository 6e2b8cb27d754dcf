package explore

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/sim/sweep"
)

// WriteJSON writes s as JSON indented by two spaces, with a trailing
// newline; map keys are sorted, so the same analysis gives the same bytes.
func WriteJSON(w io.Writer, s *Sensitivity) error {
	return results.WriteJSONValue(w, s)
}

// WriteCSV writes s as tidy rows with the header output,input,stat,value:
// one row per output column, input and statistic (S1, S1_low, …, or
// mu_star, …, as in the JSON), floats in the shortest form that reads back
// exactly.
func WriteCSV(w io.Writer, s *Sensitivity) error {
	cw := csv.NewWriter(w)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	_ = cw.Write([]string{"output", "input", "stat", "value"})
	for _, o := range s.OutputsInOrder() {
		for _, in := range s.InputsInOrder() {
			for _, st := range stats(s.Outputs[o].Inputs[in]) {
				_ = cw.Write([]string{results.CSVText(o), results.CSVText(in), st.name, f(st.v)})
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("explore: writing CSV: %w", err)
	}
	return nil
}

type stat struct {
	name string
	v    float64
}

// stats lists an input's statistics by their JSON names, in order.
func stats(x any) []stat {
	switch v := x.(type) {
	case Index:
		return []stat{{"S1", v.S1}, {"S1_low", v.S1Low}, {"S1_high", v.S1High}, {"ST", v.ST}, {"ST_low", v.STLow}, {"ST_high", v.STHigh}}
	case Effects:
		return []stat{{"mu_star", v.MuStar}, {"mu_star_low", v.MuStarLow}, {"mu_star_high", v.MuStarHigh},
			{"mu", v.Mu}, {"mu_low", v.MuLow}, {"mu_high", v.MuHigh}, {"sigma", v.Sigma}, {"sigma_low", v.SigmaLow}, {"sigma_high", v.SigmaHigh}}
	case Swing:
		return []stat{{"base", v.Base}, {"low", v.Low}, {"high", v.High}, {"swing", v.Swing}}
	}
	return nil
}

// ranked returns the inputs of output o, the dummy left out, by
// decreasing total index (Sobol) or μ* (Morris).
func (s *Sensitivity) ranked(o string) []string {
	var in []string
	for _, k := range s.InputsInOrder() {
		if k != Dummy {
			in = append(in, k)
		}
	}
	key := func(k string) float64 {
		switch v := s.Outputs[o].Inputs[k].(type) {
		case Index:
			return v.ST
		case Effects:
			return v.MuStar
		case Swing:
			return math.Abs(v.Swing)
		}
		return 0
	}
	slices.SortStableFunc(in, func(a, b string) int { return cmp.Compare(key(b), key(a)) })
	return in
}

// AboveNoise reports whether input in's total index for output o clears
// the dummy's: its interval's lower end lies above the dummy's upper end.
// A Morris analysis has no dummy: every input clears it.
func (s *Sensitivity) AboveNoise(o, in string) bool {
	v, ok := s.Outputs[o].Inputs[in].(Index)
	d, dok := s.Outputs[o].Inputs[Dummy].(Index)
	if !ok || !dok {
		return true
	}
	return v.STLow > d.STHigh
}

// Sentence says in one line what output o hangs on: its two largest
// inputs that clear the noise floor, or that none does.
func (s *Sensitivity) Sentence(o string) string {
	var top []string
	for _, in := range s.ranked(o) {
		if len(top) == 2 || !s.AboveNoise(o, in) {
			break
		}
		switch v := s.Outputs[o].Inputs[in].(type) {
		case Index:
			top = append(top, fmt.Sprintf("%s (total index %.2f)", in, v.ST))
		case Effects:
			top = append(top, fmt.Sprintf("%s (μ* %.3g)", in, v.MuStar))
		case Swing:
			top = append(top, fmt.Sprintf("%s (from %.3g to %.3g over its range)", in, v.Low, v.High))
		}
	}
	if len(top) == 0 {
		return fmt.Sprintf("%s hangs on no input more than on noise.", o)
	}
	return fmt.Sprintf("%s hangs most on %s.", o, strings.Join(top, ", then "))
}

// Warning says why the ranking of output o's inputs cannot be trusted,
// or returns "": the two largest inputs' intervals (ST, or μ*) overlap, or
// a first-order index's interval reaches below −0.05, a sign the base
// sample is too small for the estimator (Saltelli et al. 2010). The
// intervals shrink as 1/√N with the number of base samples N (or of
// trajectories).
func (s *Sensitivity) Warning(o string) string {
	if s.Design == sweep.OAT {
		return "" // no intervals
	}
	in := s.ranked(o)
	var why []string
	if len(in) >= 2 {
		lo0, hi1 := 0.0, 0.0
		switch v := s.Outputs[o].Inputs[in[0]].(type) {
		case Index:
			lo0, hi1 = v.STLow, s.Outputs[o].Inputs[in[1]].(Index).STHigh
		case Effects:
			lo0, hi1 = v.MuStarLow, s.Outputs[o].Inputs[in[1]].(Effects).MuStarHigh
		}
		if lo0 <= hi1 && s.AboveNoise(o, in[0]) {
			why = append(why, fmt.Sprintf("the intervals of %s and %s overlap, so which matters more is not settled", in[0], in[1]))
		}
	}
	for _, k := range in {
		if v, ok := s.Outputs[o].Inputs[k].(Index); ok && v.S1Low < -0.05 {
			why = append(why, fmt.Sprintf("%s's first-order interval reaches %.2f, below zero, where no index can be", k, v.S1Low))
			break
		}
	}
	if len(why) == 0 {
		return ""
	}
	more := "base samples (points)"
	if s.Design == sweep.Morris {
		more = "trajectories"
	}
	return strings.Join(why, "; ") + fmt.Sprintf(": more %s narrow the intervals (as 1/√N).", more)
}

// WriteTable writes s for a person: for each output, its inputs by
// decreasing importance with their indices and intervals, the noise floor
// (Sobol), and a sentence of what the output hangs on.
func WriteTable(w io.Writer, s *Sensitivity, title string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	var werr error
	printf := func(format string, args ...any) {
		if werr == nil {
			_, werr = fmt.Fprintf(tw, format, args...)
		}
	}
	iv := func(x, lo, hi float64) string { return fmt.Sprintf("%6.3f [%.3f, %.3f]", x, lo, hi) }
	switch s.Design {
	case sweep.Sobol:
		printf("%s: Sobol indices from %d points; bootstrap 95%% intervals.\n", title, s.Points)
		printf("S1: the share of the output's variance the input explains alone; ST: with its\ninteractions. * marks a total index above the dummy's, the noise floor.\n")
	case sweep.OAT:
		printf("%s: one key at a time from %d points: each key at its min and its max, the\nothers at the middle of their ranges (the base). Each point is one batch of runs,\nwith its own Monte Carlo noise; the effects of keys together are not seen.\n", title, s.Points)
	default:
		printf("%s: Morris elementary effects from %d points; bootstrap 95%% intervals.\n", title, s.Points)
		printf("μ*: how much the output moves with the input (per whole range); μ: which way;\nσ: how much that depends on the other inputs.\n")
	}
	for _, o := range s.OutputsInOrder() {
		printf("\n%s\n", o)
		switch s.Design {
		case sweep.Sobol:
			printf("  input\tS1\tST\t\n")
		case sweep.OAT:
			printf("  input\tat min\tat max\tswing\n")
		default:
			printf("  input\tμ*\tμ\tσ\n")
		}
		rows := s.ranked(o)
		if s.Design == sweep.Sobol {
			rows = append(rows, Dummy)
		}
		for _, in := range rows {
			switch v := s.Outputs[o].Inputs[in].(type) {
			case Index:
				label, mark := in, ""
				if in == Dummy {
					label = "dummy (noise floor)"
				} else if s.AboveNoise(o, in) {
					mark = "*"
				}
				printf("  %s\t%s\t%s\t%s\n", label, iv(v.S1, v.S1Low, v.S1High), iv(v.ST, v.STLow, v.STHigh), mark)
			case Effects:
				printf("  %s\t%s\t%s\t%s\n", in, iv(v.MuStar, v.MuStarLow, v.MuStarHigh), iv(v.Mu, v.MuLow, v.MuHigh), iv(v.Sigma, v.SigmaLow, v.SigmaHigh))
			case Swing:
				printf("  %s\t%.3f\t%.3f\t%+.3f\n", in, v.Low, v.High, v.Swing)
			}
		}
		if s.Design == sweep.OAT {
			if v, ok := s.Outputs[o].Inputs[s.InputsInOrder()[0]].(Swing); ok {
				printf("  (the base: %.3f)\n", v.Base)
			}
		}
		printf("  %s\n", s.Sentence(o))
		if w := s.Warning(o); w != "" {
			printf("  Warning: %s\n", w)
		}
	}
	if werr == nil {
		werr = tw.Flush()
	}
	if werr != nil {
		return fmt.Errorf("explore: writing table: %w", werr)
	}
	return nil
}

// Charts returns the charts of s: for a Sobol analysis, each output's S1
// and ST side by side with their intervals, the dummy included; for a
// Morris analysis, each output's μ* against σ, one labelled point per
// input (Campolongo et al. 2007's plane: far right matters, high up
// interacts or bends); for a one-at-a-time sweep, each output's tornado:
// a bar per key from its value at the key's min to its value at the
// key's max, the widest on top, around a line at the base.
func Charts(s *Sensitivity, title string) []report.Chart {
	var charts []report.Chart
	for _, o := range s.OutputsInOrder() {
		ins := s.ranked(o)
		if s.Design == sweep.OAT {
			c := report.Chart{
				Name:   "tornado-" + o,
				Title:  fmt.Sprintf("%s: %s, one key at a time (blue: rises with the key; orange: falls)", title, o),
				XLabel: o + " (the line: every key at the middle of its range)",
			}
			for k := len(ins) - 1; k >= 0; k-- { // the widest swing on top
				v := s.Outputs[o].Inputs[ins[k]].(Swing)
				c.Spans = append(c.Spans, report.Span{Label: s.label(ins[k]), From: v.Low, To: v.High, Base: v.Base})
			}
			charts = append(charts, c)
			continue
		}
		if s.Design == sweep.Sobol {
			ins = append(ins, Dummy)
			c := report.Chart{
				Name:   "sobol-" + o,
				Title:  fmt.Sprintf("%s: what %s hangs on (Sobol indices, 95%% intervals)", title, o),
				YLabel: "share of the output's variance",
				Groups: []report.Bars{{Name: "first order (S1)"}, {Name: "total (ST)"}},
			}
			for _, in := range ins {
				v := s.Outputs[o].Inputs[in].(Index)
				c.Labels = append(c.Labels, s.label(in))
				g := &c.Groups[0]
				g.Values, g.Low, g.High = append(g.Values, v.S1), append(g.Low, v.S1Low), append(g.High, v.S1High)
				g = &c.Groups[1]
				g.Values, g.Low, g.High = append(g.Values, v.ST), append(g.Low, v.STLow), append(g.High, v.STHigh)
			}
			charts = append(charts, c)
			continue
		}
		c := report.Chart{
			Name:   "morris-" + o,
			Title:  fmt.Sprintf("%s: elementary effects on %s (Morris)", title, o),
			XLabel: "μ* (mean absolute effect, per whole range)",
			YLabel: "σ (spread of the effects)",
		}
		for _, in := range ins {
			v := s.Outputs[o].Inputs[in].(Effects)
			c.Points = append(c.Points, report.Labelled{X: v.MuStar, Y: v.Sigma, Label: s.label(in)})
		}
		charts = append(charts, c)
	}
	return charts
}

// label says an input for a chart's axis: in the scenario's words as the
// sweep's manifest records them ("United States: hawkishness"), else by
// its ids ("us: hawkishness" for "actors.us.hawkishness").
func (s *Sensitivity) label(k string) string {
	if l := s.labels[k]; l != "" {
		return l
	}
	return report.KeyLabel(nil, k)
}
