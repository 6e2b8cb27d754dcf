package forecast

import (
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Summarise reduces many runs' forecasts (each from Forecast, possibly of
// different lengths: a run that settled early holds its last round) to
// per-round bands; probs are the quantiles asked for, each in [0, 1] (it
// panics on one outside, a programmer's error). It returns one Band for
// each round of the longest run, nil when there are no rounds.
//
// Quantiles are gonum's stat.Quantile with stat.Empirical, the
// nearest-rank definition: the p quantile of N values is the smallest of
// them with at least p·N values at or below it. Every quantile is
// therefore some run's median (the median of an even number of runs is
// the lower middle one), as parley's other quantiles are.
func Summarise(runs [][]Round, probs []float64) []Band {
	longest := 0
	for _, r := range runs {
		longest = max(longest, len(r))
	}
	if longest == 0 {
		return nil
	}
	bands := make([]Band, longest)
	medians := make([]float64, 0, len(runs))
	means := make([]float64, 0, len(runs))
	for t := range bands {
		medians, means = medians[:0], means[:0]
		for _, r := range runs {
			if len(r) == 0 {
				continue
			}
			last := r[min(t, len(r)-1)]
			medians = append(medians, last.Median)
			means = append(means, last.Mean)
		}
		slices.Sort(medians)
		q := func(p float64) float64 { return stat.Quantile(p, stat.Empirical, medians, nil) }
		b := Band{
			Round:      t,
			Median:     q(0.5),
			Mean:       stat.Mean(means, nil),
			MedianLow:  q(0.025),
			MedianHigh: q(0.975),
		}
		if probs != nil {
			b.Quantiles = make([]float64, len(probs))
			for i, p := range probs {
				b.Quantiles[i] = q(p)
			}
		}
		bands[t] = b
	}
	return bands
}
