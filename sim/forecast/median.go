package forecast

import (
	"math"
	"sort"
)

// weightedMean is Σ w_i x_i / Σ w_i.
func weightedMean(x, w []float64) float64 {
	sum, tot := 0.0, 0.0
	for i := range x {
		sum += w[i] * x[i]
		tot += w[i]
	}
	return sum / tot
}

// medianTol is the relative slack with which a cumulative weight counts
// as reaching half the total, so that an exact split of the weight is
// recognised as one despite rounding.
const medianTol = 1e-12

// weightedMedian is Black's weighted median: the position with at most
// half the total weight strictly on either side of it, the position that
// beats every other in a pairwise vote weighted by w. When exactly half
// the weight lies at or below one position and half at or above the next,
// every point between them is a median, and the midpoint is returned.
func weightedMedian(x, w []float64) float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	tot := 0.0
	for _, v := range w {
		tot += v
	}
	half := tot / 2 * (1 - medianTol)

	lower := x[idx[len(idx)-1]]
	cum := 0.0
	for _, i := range idx {
		cum += w[i]
		if cum >= half {
			lower = x[i]
			break
		}
	}
	upper := x[idx[0]]
	cum = 0
	for k := len(idx) - 1; k >= 0; k-- {
		cum += w[idx[k]]
		if cum >= half {
			upper = x[idx[k]]
			break
		}
	}
	if lower == upper {
		return lower
	}
	return (math.Min(lower, upper) + math.Max(lower, upper)) / 2
}
