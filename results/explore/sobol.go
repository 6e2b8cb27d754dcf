// Package explore holds the analyses that read many runs or sweep points
// for what drives an outcome: variance-based sensitivity indices (Sobol',
// by Saltelli's and Jansen's estimators) and Morris's elementary effects.
// It works on numbers already computed, never on the engine.
package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Index is one input's variance-based sensitivity indices for one output,
// each with its bootstrap 95% interval: S1, the share of the output's
// variance the input explains alone (first order), and ST, the share it
// takes part in, interactions included (total order).
type Index struct {
	S1     float64 `json:"S1"`
	S1Low  float64 `json:"S1_low"`
	S1High float64 `json:"S1_high"`
	ST     float64 `json:"ST"`
	STLow  float64 `json:"ST_low"`
	STHigh float64 `json:"ST_high"`
}

// z95 is the 97.5th percentile of the standard normal distribution.
const z95 = 1.959963984540054

// Sobol estimates the first- and total-order indices of k inputs from
// Saltelli's design (Saltelli 2002; Saltelli et al. 2010): fA and fB hold
// the output at the N rows of the two independent sample matrices A and
// B, and fAB[i] at the rows of A with input i's column taken from B. With
// V the variance of fA and fB together (population variance, ddof 0),
//
//	S1_i = mean(fB · (fAB_i − fA)) / V          (Saltelli et al. 2010, Table 2 (b))
//	ST_i = mean((fA − fAB_i)²) / (2V)           (Jansen 1999; Saltelli et al. 2010, Table 2 (f))
//
// the estimators SALib's sobol.analyze uses. The intervals are bootstrap
// ones: the N rows resampled with replacement boot times with randomness
// from r, each index's interval its estimate ± 1.96 times the bootstrap
// resamples' standard deviation (SALib's convention, so that an interval
// always holds its estimate). An output that does not vary has every index
// 0, intervals included. Sobol returns an error when the rows do not
// match or there are fewer than 2.
func Sobol(fA, fB []float64, fAB [][]float64, boot int, r *rand.Rand) ([]Index, error) {
	n := len(fA)
	if n < 2 || len(fB) != n {
		return nil, fmt.Errorf("explore: %d rows of A and %d of B: want as many, at least 2", n, len(fB))
	}
	for i, ab := range fAB {
		if len(ab) != n {
			return nil, fmt.Errorf("explore: %d rows of AB_%d, want %d", len(ab), i+1, n)
		}
	}
	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	est := estimates(fA, fB, fAB, all)
	out := make([]Index, len(fAB))
	for i, e := range est {
		out[i] = Index{S1: e[0], S1Low: e[0], S1High: e[0], ST: e[1], STLow: e[1], STHigh: e[1]}
	}
	if boot < 2 {
		return out, nil
	}
	sd := bootstrapSD(n, boot, r, func(rows []int, out []float64) {
		for i, e := range estimates(fA, fB, fAB, rows) {
			out[2*i], out[2*i+1] = e[0], e[1]
		}
	}, 2*len(fAB))
	for i := range out {
		o := &out[i]
		o.S1Low, o.S1High = o.S1-z95*sd[2*i], o.S1+z95*sd[2*i]
		o.STLow, o.STHigh = o.ST-z95*sd[2*i+1], o.ST+z95*sd[2*i+1]
	}
	return out, nil
}

// bootstrapSD resamples n rows with replacement boot times (randomness
// from r), computes the k statistics of each resample with stats, and
// returns each statistic's standard deviation over the resamples: what
// the normal bootstrap interval, the estimate ± 1.96 of them, is made of.
func bootstrapSD(n, boot int, r *rand.Rand, stats func(rows []int, out []float64), k int) []float64 {
	rows := make([]int, n)
	val, sum, sum2 := make([]float64, k), make([]float64, k), make([]float64, k)
	for range boot {
		for j := range rows {
			rows[j] = r.IntN(n)
		}
		stats(rows, val)
		for q, v := range val {
			sum[q] += v
			sum2[q] += v * v
		}
	}
	b := float64(boot)
	sd := make([]float64, k)
	for q := range sd {
		m := sum[q] / b
		sd[q] = math.Sqrt(max(0, (sum2[q]-b*m*m)/(b-1)))
	}
	return sd
}

// estimates returns (S1, ST) of each input over the given rows.
func estimates(fA, fB []float64, fAB [][]float64, rows []int) [][2]float64 {
	n := float64(len(rows))
	var mean float64
	for _, j := range rows {
		mean += fA[j] + fB[j]
	}
	mean /= 2 * n
	var v float64
	for _, j := range rows {
		v += (fA[j]-mean)*(fA[j]-mean) + (fB[j]-mean)*(fB[j]-mean)
	}
	v /= 2 * n
	out := make([][2]float64, len(fAB))
	if v == 0 {
		return out
	}
	for i, ab := range fAB {
		var s1, st float64
		for _, j := range rows {
			// fB centred: the estimator's expectation is the same, its
			// variance smaller (SALib standardises the outputs likewise).
			s1 += (fB[j] - mean) * (ab[j] - fA[j])
			d := fA[j] - ab[j]
			st += d * d
		}
		out[i] = [2]float64{s1 / n / v, st / n / (2 * v)}
	}
	return out
}
