package results

import "math"

// Z95 is the 0.975 quantile of the standard normal distribution, the z of a
// two-sided 95% interval, correctly rounded to float64. It is written out
// rather than computed because gonum's distuv.UnitNormal.Quantile(0.975)
// returns a value one ulp away (1.9599639845400536); the tests check that
// the two agree to 1e-15.
const Z95 = 1.959963984540054

// Wilson returns the Wilson score 95% interval for a binomial proportion
// with k successes in n trials (Wilson 1927; method 3 of Newcombe 1998,
// Stat Med 17:857). The interval is clamped to [0,1], with lo exactly 0 when
// k is 0 and hi exactly 1 when k is n. With no trials it is (0, 1).
// Wilson panics if k is outside [0, n].
func Wilson(k, n int) (lo, hi float64) {
	if k < 0 || k > n {
		panic("results: Wilson: successes outside [0, trials]")
	}
	if n == 0 {
		return 0, 1
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := Z95 * Z95
	d := 1 + z2/nf
	centre := (p + z2/(2*nf)) / d
	half := Z95 / d * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	lo, hi = max(centre-half, 0), min(centre+half, 1)
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}
