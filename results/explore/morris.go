package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Effects is one input's elementary effects for one output (Morris 1991;
// Campolongo, Cariboni and Saltelli 2007): MuStar the mean of their
// absolute values (how much the input matters), Mu their mean (in which
// direction), Sigma their standard deviation (how much the effect depends
// on the other inputs, or is not linear), each with its bootstrap 95%
// interval.
type Effects struct {
	MuStar     float64 `json:"mu_star"`
	MuStarLow  float64 `json:"mu_star_low"`
	MuStarHigh float64 `json:"mu_star_high"`
	Mu         float64 `json:"mu"`
	MuLow      float64 `json:"mu_low"`
	MuHigh     float64 `json:"mu_high"`
	Sigma      float64 `json:"sigma"`
	SigmaLow   float64 `json:"sigma_low"`
	SigmaHigh  float64 `json:"sigma_high"`
}

// Morris estimates the elementary effects of k inputs from r trajectories
// of a Morris design. ee[t][i] is trajectory t's elementary effect of
// input i: (f(x + Δe_i) − f(x))/Δ for the step of the trajectory that
// moved input i by Δ (Δ may be negative), in the output's units per unit
// of the input's scaled range. The intervals are bootstrap ones over the
// trajectories (boot resamples with randomness from r, each interval the
// estimate ± 1.96 bootstrap standard deviations, as for Sobol). Morris
// returns an error when a trajectory lacks an input's effect or there are
// fewer than 2 trajectories.
func Morris(ee [][]float64, boot int, r *rand.Rand) ([]Effects, error) {
	n := len(ee)
	if n < 2 {
		return nil, fmt.Errorf("explore: %d trajectories: want at least 2", n)
	}
	k := len(ee[0])
	for t, e := range ee {
		if len(e) != k {
			return nil, fmt.Errorf("explore: trajectory %d has %d effects, trajectory 1 has %d", t+1, len(e), k)
		}
	}
	all := make([]int, n)
	for t := range all {
		all[t] = t
	}
	out := make([]Effects, k)
	for i := range k {
		m := moments(ee, i, all)
		out[i] = Effects{MuStar: m[0], MuStarLow: m[0], MuStarHigh: m[0], Mu: m[1], MuLow: m[1], MuHigh: m[1], Sigma: m[2], SigmaLow: m[2], SigmaHigh: m[2]}
	}
	if boot < 2 {
		return out, nil
	}
	sd := bootstrapSD(n, boot, r, func(rows []int, out []float64) {
		for i := range k {
			m := moments(ee, i, rows)
			copy(out[3*i:3*i+3], m[:])
		}
	}, 3*k)
	for i := range out {
		o := &out[i]
		o.MuStarLow, o.MuStarHigh = o.MuStar-z95*sd[3*i], o.MuStar+z95*sd[3*i]
		o.MuLow, o.MuHigh = o.Mu-z95*sd[3*i+1], o.Mu+z95*sd[3*i+1]
		o.SigmaLow, o.SigmaHigh = max(0, o.Sigma-z95*sd[3*i+2]), o.Sigma+z95*sd[3*i+2]
	}
	return out, nil
}

// moments returns μ*, μ and σ (sample standard deviation) of input i's
// effects over the given trajectories.
func moments(ee [][]float64, i int, rows []int) [3]float64 {
	n := float64(len(rows))
	var abs, mean float64
	for _, t := range rows {
		abs += math.Abs(ee[t][i])
		mean += ee[t][i]
	}
	abs /= n
	mean /= n
	var v float64
	for _, t := range rows {
		d := ee[t][i] - mean
		v += d * d
	}
	sigma := 0.0
	if n > 1 {
		sigma = math.Sqrt(v / (n - 1))
	}
	return [3]float64{abs, mean, sigma}
}
