package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim/sweep"
)

// Dummy is the name under which a Sobol analysis reports its dummy input:
// an input the model never reads, whose points differ from A's only in
// their random numbers. Its indices are the noise floor (Khorashadi Zadeh
// et al. 2017): an input whose index does not clear the dummy's is not
// distinguishable from Monte Carlo noise.
const Dummy = "dummy"

// Sensitivity is the sensitivity analysis of a Sobol or Morris sweep: for
// each output column of the sweep, each input's indices. Its JSON
// encoding is a published contract:
//
//	{"design", "points", "outputs": {"<column>": {"inputs": {"<key path>": {...}}}}}
//
// with, for each input (and the dummy of a Sobol analysis),
// S1, S1_low, S1_high, ST, ST_low, ST_high (Sobol) or mu_star,
// mu_star_low, mu_star_high, mu, mu_low, mu_high, sigma, sigma_low,
// sigma_high (Morris).
type Sensitivity struct {
	Design  sweep.Design              `json:"design"`
	Points  int                       `json:"points"`
	Outputs map[string]OutputAnalysis `json:"outputs"`
	// Sweep and Model are the sweep's definition hash and the engine's
	// model version, from its manifest (the caller fills them in): where
	// the rows came from.
	Sweep string `json:"sweep,omitempty"`
	Model int    `json:"model,omitempty"`

	outputs []string // column order
	inputs  []string // key order, the dummy last
	labels  map[string]string
}

// OutputAnalysis holds one output's indices, by input key path: an Index
// (Sobol) or Effects (Morris) for each.
type OutputAnalysis struct {
	Inputs map[string]any `json:"inputs"`
}

// Swing is one input's one-at-a-time effect on an output: the output at
// the base point (every key at the middle of its range), with the input
// at its min and at its max, and the swing from the one to the other.
type Swing struct {
	Base  float64 `json:"base"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	Swing float64 `json:"swing"`
}

// OutputColumns returns the columns of a sweep's CSV header that the
// analysis reads as outputs: each outcome's share and each actor's mean
// utility (not the intervals).
func OutputColumns(header []string) []string {
	var out []string
	for _, h := range header {
		if strings.HasSuffix(h, "_share") || strings.HasSuffix(h, "_mean_utility") {
			out = append(out, h)
		}
	}
	return out
}

// AnalyzeSweep computes the sensitivity indices of every output column of
// a whole Sobol or Morris sweep: header and rows are its CSV (rows in
// point order, every point present), d its design (from the manifest).
// The bootstrap draws boot resamples from a generator seeded with seed,
// so the same rows give the same indices.
func AnalyzeSweep(header []string, rows [][]string, d *sweep.DesignInfo, points, boot int, seed uint64) (*Sensitivity, error) {
	if d == nil || (d.Design != sweep.Sobol && d.Design != sweep.Morris && d.Design != sweep.OAT) {
		return nil, fmt.Errorf("explore: not a Sobol, Morris or one-at-a-time sweep: only those have sensitivity indices")
	}
	k := len(d.Inputs)
	per := k + 3
	switch d.Design {
	case sweep.Morris:
		per = k + 1
	case sweep.OAT:
		per, d = 1+2*k, &sweep.DesignInfo{Design: d.Design, Samples: 1, Seed: d.Seed, Inputs: d.Inputs, Labels: d.Labels}
	}
	if k == 0 || points != d.Samples*per {
		return nil, fmt.Errorf("explore: a %s design of %d samples and %d inputs has %d points, the manifest says %d", d.Design, d.Samples, k, d.Samples*per, points)
	}
	if len(rows) != points {
		return nil, fmt.Errorf("explore: %d of the sweep's %d points are done: finish it (--resume) or merge its shards first", len(rows), points)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for n, r := range rows {
		if len(r) != len(header) || r[col["point"]] != strconv.Itoa(n+1) {
			return nil, fmt.Errorf("explore: row %d is not point %d", n+2, n+1)
		}
	}
	num := func(n int, c string) (float64, error) {
		x, err := strconv.ParseFloat(rows[n][col[c]], 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("explore: point %d, %s: not a number: %q", n+1, c, rows[n][col[c]])
		}
		return x, nil
	}
	for _, in := range d.Inputs {
		if _, ok := col[in.Key]; !ok {
			return nil, fmt.Errorf("explore: no column %s in the rows", in.Key)
		}
	}
	outs := OutputColumns(header)
	if len(outs) == 0 {
		return nil, fmt.Errorf("explore: no output columns (…_share, …_mean_utility) in the rows")
	}
	s := &Sensitivity{Design: d.Design, Points: points, Outputs: map[string]OutputAnalysis{}, outputs: outs, labels: d.Labels}
	for _, in := range d.Inputs {
		s.inputs = append(s.inputs, in.Key)
	}
	r := rand.New(rand.NewPCG(seed, 0x626f6f74)) // "boot"
	if d.Design == sweep.OAT {
		for _, o := range outs {
			base, err := num(0, o)
			if err != nil {
				return nil, err
			}
			a := OutputAnalysis{Inputs: map[string]any{}}
			for i, in := range d.Inputs {
				lo, err := num(1+2*i, o)
				if err != nil {
					return nil, err
				}
				hi, err := num(2+2*i, o)
				if err != nil {
					return nil, err
				}
				a.Inputs[in.Key] = Swing{Base: base, Low: lo, High: hi, Swing: hi - lo}
			}
			s.Outputs[o] = a
		}
		return s, nil
	}
	if d.Design == sweep.Sobol {
		s.inputs = append(s.inputs, Dummy)
		for _, o := range outs {
			fA, fB := make([]float64, d.Samples), make([]float64, d.Samples)
			fAB := make([][]float64, k+1)
			for i := range fAB {
				fAB[i] = make([]float64, d.Samples)
			}
			for j := range d.Samples {
				var err error
				if fA[j], err = num(j*per, o); err != nil {
					return nil, err
				}
				if fB[j], err = num(j*per+1, o); err != nil {
					return nil, err
				}
				for i := range k + 1 {
					if fAB[i][j], err = num(j*per+2+i, o); err != nil {
						return nil, err
					}
				}
			}
			idx, err := Sobol(fA, fB, fAB, boot, r)
			if err != nil {
				return nil, err
			}
			a := OutputAnalysis{Inputs: map[string]any{}}
			for i, x := range idx {
				a.Inputs[s.inputs[i]] = x
			}
			s.Outputs[o] = a
		}
		return s, nil
	}
	// Morris: the elementary effect of the input each step moved, in the
	// output's units per unit of the input's range.
	moved := make([][]int, d.Samples)     // moved[t][m]: the input step m moved
	steps := make([][]float64, d.Samples) // its move, as a share of its range
	for t := range d.Samples {
		moved[t], steps[t] = make([]int, k), make([]float64, k)
		for m := range k {
			a, b := t*per+m, t*per+m+1
			moved[t][m] = -1
			for i, in := range d.Inputs {
				x, err := num(a, in.Key)
				if err != nil {
					return nil, err
				}
				y, err := num(b, in.Key)
				if err != nil {
					return nil, err
				}
				if x != y {
					if moved[t][m] >= 0 {
						return nil, fmt.Errorf("explore: points %d and %d differ in more than one input: not a Morris trajectory", a+1, b+1)
					}
					moved[t][m], steps[t][m] = i, (y-x)/(in.Max-in.Min)
				}
			}
			if moved[t][m] < 0 {
				return nil, fmt.Errorf("explore: points %d and %d of trajectory %d differ in no input (an integer key with fewer values than the design's levels?)", a+1, b+1, t+1)
			}
		}
	}
	for _, o := range outs {
		ee := make([][]float64, d.Samples)
		for t := range d.Samples {
			ee[t] = make([]float64, k)
			for m := range k {
				x, err := num(t*per+m, o)
				if err != nil {
					return nil, err
				}
				y, err := num(t*per+m+1, o)
				if err != nil {
					return nil, err
				}
				ee[t][moved[t][m]] = (y - x) / steps[t][m]
			}
		}
		eff, err := Morris(ee, boot, r)
		if err != nil {
			return nil, err
		}
		a := OutputAnalysis{Inputs: map[string]any{}}
		for i, e := range eff {
			a.Inputs[s.inputs[i]] = e
		}
		s.Outputs[o] = a
	}
	return s, nil
}

// OutputsInOrder returns the analysed output columns in the sweep's order.
func (s *Sensitivity) OutputsInOrder() []string {
	if len(s.outputs) == len(s.Outputs) {
		return s.outputs
	}
	return sortedKeys(s.Outputs)
}

// InputsInOrder returns the inputs in the design's order, the dummy last.
func (s *Sensitivity) InputsInOrder() []string {
	if len(s.inputs) > 0 {
		return s.inputs
	}
	for _, o := range s.Outputs {
		return sortedKeys(o.Inputs)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
