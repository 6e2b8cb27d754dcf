package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999), as
// scenario discovery uses it (Bryant and Lempert 2010): find a box in the
// space of the uncertain inputs, a range on a few of them, inside which an
// outcome of interest is much more common than overall. The box is peeled
// from the whole space a little at a time, each step removing the share
// alpha of the box's points from one end of one input (the peel that
// leaves the highest share of cases), until the box would hold less than
// the minimum mass; the chosen box is then pasted: widened again along
// any input where that raises its share. Each step's box is one point of
// the peeling trajectory, the trade-off between coverage and density.

// PRIMOptions are PRIM's settings; the zero value takes the defaults.
type PRIMOptions struct {
	// Alpha is the share of the box's points a peel removes (default
	// 0.05), and a paste adds.
	Alpha float64
	// MinMass is the smallest share of all points a box may hold (default
	// 0.05).
	MinMass float64
	// KeepWeak keeps every restriction of the pasted box. Without it, the
	// restrictions whose quasi-p value exceeds 0.05 are dropped, the
	// weakest first, one at a time (Bryant and Lempert 2010 keep only the
	// restrictions that are significant): with few cases, peeling also
	// restricts inputs that matter only by chance.
	KeepWeak bool
	// Box chooses the box of the trajectory to paste and report, counted
	// from 1 (the whole space); 0, the default, chooses the densest, and
	// among boxes as dense the one that covers most cases (the first
	// reached).
	Box int
}

func (o PRIMOptions) norm() PRIMOptions {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.MinMass == 0 {
		o.MinMass = 0.05
	}
	return o
}

// Limit is a box's range on one input, both ends included; an input the
// box does not restrict has limits of ±Inf.
type Limit struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Step is one box of the peeling trajectory: the share of all cases it
// covers, the share of its points that are cases, the share of all points
// it holds, and how many inputs it restricts.
type Step struct {
	Coverage   float64 `json:"coverage"`
	Density    float64 `json:"density"`
	Mass       float64 `json:"mass"`
	Restricted int     `json:"restricted"`
	limits     []Limit
}

// PRIMResult is a PRIM analysis: the base rate of the outcome, the
// peeling trajectory, and the chosen box after pasting, with a quasi-p
// value for each input it restricts (Bryant and Lempert 2010: the
// one-sided binomial chance of the box's cases were the restriction
// dropped; binary outcomes only, else NaN).
type PRIMResult struct {
	BaseRate   float64
	Trajectory []Step
	Chosen     int // the trajectory's step that was pasted, from 0
	Box        Step
	QuasiP     []float64 // per input; NaN where not restricted
	inputs     []string
}

// PRIM finds a box of the inputs x (x[i] the i-th point's values of the
// inputs named by names) where y (1 for a case of interest, 0 otherwise,
// or a share in [0,1]) is high. It returns an error when there are no
// points, no inputs, or no case at all.
func PRIM(names []string, x [][]float64, y []float64, opt PRIMOptions) (*PRIMResult, error) {
	opt = opt.norm()
	n := len(x)
	if n == 0 || len(names) == 0 || len(y) != n {
		return nil, fmt.Errorf("explore: PRIM needs points (%d), inputs (%d) and an outcome for each point (%d)", n, len(names), len(y))
	}
	if !(opt.Alpha > 0 && opt.Alpha < 0.5) || !(opt.MinMass > 0 && opt.MinMass < 1) {
		return nil, fmt.Errorf("explore: PRIM's alpha %v and minimum mass %v must lie in (0, 0.5) and (0, 1)", opt.Alpha, opt.MinMass)
	}
	total := 0.0
	for _, v := range y {
		total += v
	}
	if total == 0 {
		return nil, fmt.Errorf("explore: no point has the outcome: there is nothing to find")
	}
	d := len(names)
	res := &PRIMResult{BaseRate: total / float64(n), inputs: names}
	box := make([]Limit, d)
	for j := range box {
		box[j] = Limit{math.Inf(-1), math.Inf(1)}
	}
	in := make([]int, n)
	for i := range in {
		in[i] = i
	}
	step := func(b []Limit, pts []int) Step {
		s := Step{Mass: float64(len(pts)) / float64(n), limits: slices.Clone(b)}
		for _, i := range pts {
			s.Coverage += y[i]
		}
		s.Density = s.Coverage / float64(len(pts))
		s.Coverage /= total
		for _, l := range b {
			if !math.IsInf(l.Min, -1) || !math.IsInf(l.Max, 1) {
				s.Restricted++
			}
		}
		return s
	}
	res.Trajectory = append(res.Trajectory, step(box, in))
	vals := make([]float64, 0, n)
	for {
		best, bestMean, bestPts := -1, math.Inf(-1), []int(nil)
		var bestLimit Limit
		for j := range d {
			vals = vals[:0]
			for _, i := range in {
				vals = append(vals, x[i][j])
			}
			slices.Sort(vals)
			m := len(vals)
			k := max(1, int(opt.Alpha*float64(m)))
			for _, lower := range []bool{true, false} {
				lim := box[j]
				if lower {
					lim.Min = vals[k]
				} else {
					lim.Max = vals[m-1-k]
				}
				kept := within(x, in, j, lim)
				if len(kept) == len(in) || float64(len(kept)) < opt.MinMass*float64(n) || len(kept) == 0 {
					continue
				}
				mean := 0.0
				for _, i := range kept {
					mean += y[i]
				}
				mean /= float64(len(kept))
				// The peel that leaves the highest density; on a tie, the
				// one that keeps more points.
				if mean > bestMean || mean == bestMean && len(kept) > len(bestPts) {
					best, bestMean, bestPts, bestLimit = j, mean, kept, lim
				}
			}
		}
		if best < 0 {
			break
		}
		box[best], in = bestLimit, bestPts
		res.Trajectory = append(res.Trajectory, step(box, in))
	}
	for i, st := range res.Trajectory {
		if st.Density > res.Trajectory[res.Chosen].Density {
			res.Chosen = i
		}
	}
	if opt.Box > len(res.Trajectory) {
		return nil, fmt.Errorf("explore: box %d asked for, but the peeling trajectory has %d steps", opt.Box, len(res.Trajectory))
	}
	if opt.Box >= 1 {
		res.Chosen = opt.Box - 1
	}
	chosen := slices.Clone(res.Trajectory[res.Chosen].limits)
	res.Box = paste(x, y, chosen, opt.Alpha, step)
	res.QuasiP = quasiP(x, y, res.Box.limits)
	for !opt.KeepWeak {
		weak, worst := -1, 0.05
		for j, p := range res.QuasiP {
			if p > worst {
				weak, worst = j, p
			}
		}
		if weak < 0 {
			break
		}
		res.Box.limits[weak] = Limit{math.Inf(-1), math.Inf(1)}
		res.Box = step(res.Box.limits, inBox(x, res.Box.limits))
		res.QuasiP = quasiP(x, y, res.Box.limits)
	}
	return res, nil
}

// within returns the points of pts whose input j lies in lim.
func within(x [][]float64, pts []int, j int, lim Limit) []int {
	var out []int
	for _, i := range pts {
		if v := x[i][j]; v >= lim.Min && v <= lim.Max {
			out = append(out, i)
		}
	}
	return out
}

// inBox returns the points inside every limit of box.
func inBox(x [][]float64, box []Limit) []int {
	var out []int
next:
	for i, row := range x {
		for j, l := range box {
			if row[j] < l.Min || row[j] > l.Max {
				continue next
			}
		}
		out = append(out, i)
	}
	return out
}

// paste widens box along one input at a time, by the alpha share of its
// points, wherever that raises its density, the best widening first,
// until none does (Friedman and Fisher 1999, §3).
func paste(x [][]float64, y []float64, box []Limit, alpha float64, step func([]Limit, []int) Step) Step {
	pts := inBox(x, box)
	cur := step(box, pts)
	for {
		best, bestStep := -1, cur
		var bestLimit Limit
		add := max(1, int(alpha*float64(len(pts))))
		for j := range box {
			// The points outside the box on input j only, nearest first.
			var below, above []float64
			others := slices.Clone(box)
			others[j] = Limit{math.Inf(-1), math.Inf(1)}
			for _, i := range inBox(x, others) {
				switch v := x[i][j]; {
				case v < box[j].Min:
					below = append(below, v)
				case v > box[j].Max:
					above = append(above, v)
				}
			}
			slices.Sort(below)
			slices.Sort(above)
			for _, lower := range []bool{true, false} {
				lim := box[j]
				if lower && len(below) > 0 {
					lim.Min = below[max(0, len(below)-add)]
				} else if !lower && len(above) > 0 {
					lim.Max = above[min(len(above), add)-1]
				} else {
					continue
				}
				if math.IsInf(box[j].Min, -1) && lower || math.IsInf(box[j].Max, 1) && !lower {
					continue
				}
				trial := slices.Clone(box)
				trial[j] = lim
				s := step(trial, inBox(x, trial))
				if s.Density > bestStep.Density {
					best, bestStep, bestLimit = j, s, lim
				}
			}
		}
		if best < 0 {
			return cur
		}
		box[best] = bestLimit
		pts = inBox(x, box)
		cur = bestStep
	}
}

// quasiP returns, for each input the box restricts, the one-sided
// binomial probability of at least the box's cases among its points if
// cases were as common as in the box with that input's restriction
// dropped (Bryant and Lempert 2010); NaN for the other inputs, and for
// all when y is not 0 or 1.
func quasiP(x [][]float64, y []float64, box []Limit) []float64 {
	out := make([]float64, len(box))
	binary := true
	for _, v := range y {
		binary = binary && (v == 0 || v == 1)
	}
	pts := inBox(x, box)
	k := 0.0
	for _, i := range pts {
		k += y[i]
	}
	for j, l := range box {
		out[j] = math.NaN()
		if !binary || math.IsInf(l.Min, -1) && math.IsInf(l.Max, 1) {
			continue
		}
		relaxed := slices.Clone(box)
		relaxed[j] = Limit{math.Inf(-1), math.Inf(1)}
		rp := inBox(x, relaxed)
		p0 := 0.0
		for _, i := range rp {
			p0 += y[i]
		}
		p0 /= float64(len(rp))
		b := distuv.Binomial{N: float64(len(pts)), P: p0}
		// P(X ≥ k) = 1 − P(X ≤ k − 1).
		out[j] = 1 - b.CDF(k-1)
		if k == 0 {
			out[j] = 1
		}
	}
	return out
}

// Limits returns the chosen box's limits on each input it restricts.
func (r *PRIMResult) Limits() map[string]Limit {
	out := map[string]Limit{}
	for j, l := range r.Box.limits {
		if !math.IsInf(l.Min, -1) || !math.IsInf(l.Max, 1) {
			out[r.inputs[j]] = l
		}
	}
	return out
}

// Sentence says what the box found, in one line: "conflict is 3.1× as
// likely when a ≥ 0.71 and b ≤ 0.3 (coverage 62%, density 71%)".
func (r *PRIMResult) Sentence(outcome string) string {
	var conds []string
	for j, l := range r.Box.limits {
		name := r.inputs[j]
		switch lo, hi := !math.IsInf(l.Min, -1), !math.IsInf(l.Max, 1); {
		case lo && hi:
			conds = append(conds, fmt.Sprintf("%s is between %.3g and %.3g", name, l.Min, l.Max))
		case lo:
			conds = append(conds, fmt.Sprintf("%s ≥ %.3g", name, l.Min))
		case hi:
			conds = append(conds, fmt.Sprintf("%s ≤ %.3g", name, l.Max))
		}
	}
	if len(conds) == 0 {
		return fmt.Sprintf("no box: %s is as likely everywhere (%.1f%% of points)", outcome, 100*r.BaseRate)
	}
	return fmt.Sprintf("%s is %.1f× as likely when %s (coverage %.0f%%, density %.0f%%)",
		outcome, r.Box.Density/r.BaseRate, strings.Join(conds, " and "), 100*r.Box.Coverage, 100*r.Box.Density)
}

// Restricted counts, over resamples of the points drawn with replacement
// (with randomness from r), how often the box PRIM chooses restricts each
// input: an input restricted in most resamples is a stable part of the
// answer, one restricted now and then an accident of this sample.
func Restricted(names []string, x [][]float64, y []float64, opt PRIMOptions, resamples int, r *rand.Rand) ([]float64, error) {
	count := make([]float64, len(names))
	n := len(x)
	bx, by := make([][]float64, n), make([]float64, n)
	done := 0
	for range resamples {
		for i := range n {
			k := r.IntN(n)
			bx[i], by[i] = x[k], y[k]
		}
		res, err := PRIM(names, bx, by, PRIMOptions{Alpha: opt.Alpha, MinMass: opt.MinMass})
		if err != nil {
			continue // a resample without a case
		}
		done++
		for j, l := range res.Box.limits {
			if !math.IsInf(l.Min, -1) || !math.IsInf(l.Max, 1) {
				count[j]++
			}
		}
	}
	if done == 0 {
		return nil, fmt.Errorf("explore: no resample held a case")
	}
	for j := range count {
		count[j] /= float64(done)
	}
	return count, nil
}
