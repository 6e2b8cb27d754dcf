package sim

import "testing"

// FrontierGaps exposes frontierGaps on learningDomain to the external
// tests, which may use the results package's intervals.
func FrontierGaps(t *testing.T, learning bool, runs int) (turns []int, gaps []float64) {
	return frontierGaps(t, learningDomain(learning), runs)
}
