package results

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestZ95MatchesGonum(t *testing.T) {
	if z := distuv.UnitNormal.Quantile(0.975); math.Abs(z-Z95) > 1e-15 {
		t.Errorf("distuv.UnitNormal.Quantile(0.975) = %.17g, Z95 = %.17g", z, Z95)
	}
}

func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
		tol    float64
	}{
		// Newcombe (1998), Stat Med 17:857, table I, method 3.
		{81, 263, 0.2553, 0.3662, 5e-5},
		{0, 10, 0, 0.2775, 5e-5},
		{10, 10, 0.7225, 1, 5e-5},
		{0, 0, 0, 1, 0},
	} {
		lo, hi := Wilson(c.k, c.n)
		if math.Abs(lo-c.lo) > c.tol || math.Abs(hi-c.hi) > c.tol {
			t.Errorf("Wilson(%d, %d) = (%.6f, %.6f), want (%.4f, %.4f)", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
	// The bounds at the edges are exact, not merely close.
	if lo, _ := Wilson(0, 10); lo != 0 {
		t.Errorf("Wilson(0, 10) lo = %g, want exactly 0", lo)
	}
	if _, hi := Wilson(10, 10); hi != 1 {
		t.Errorf("Wilson(10, 10) hi = %g, want exactly 1", hi)
	}
}

func TestWilsonSymmetric(t *testing.T) {
	for n := 1; n <= 50; n++ {
		for k := 0; k <= n; k++ {
			lo, hi := Wilson(k, n)
			lo2, hi2 := Wilson(n-k, n)
			if math.Abs(lo-(1-hi2)) > 1e-12 || math.Abs(hi-(1-lo2)) > 1e-12 {
				t.Fatalf("Wilson(%d, %d) = (%g, %g) not the mirror of Wilson(%d, %d) = (%g, %g)", k, n, lo, hi, n-k, n, lo2, hi2)
			}
			if p := float64(k) / float64(n); lo > p || hi < p || lo < 0 || hi > 1 {
				t.Fatalf("Wilson(%d, %d) = (%g, %g) does not hold %g within [0,1]", k, n, lo, hi, p)
			}
		}
	}
}

func TestWilsonPanics(t *testing.T) {
	for _, c := range [][2]int{{-1, 10}, {11, 10}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Wilson(%d, %d) did not panic", c[0], c[1])
				}
			}()
			Wilson(c[0], c[1])
		}()
	}
}
