package forecast

import (
	"math"
	"testing"
)

// run builds a run whose round k has the given median and mean.
func run(medians, means []float64) []Round {
	r := make([]Round, len(medians))
	for k := range r {
		r[k] = Round{Round: k, Median: medians[k], Mean: means[k]}
	}
	return r
}

func TestSummariseHoldsLastRound(t *testing.T) {
	runs := [][]Round{
		run([]float64{7, 8, 9}, []float64{7.4, 7.5, 7.6}),
		run([]float64{7}, []float64{7.4}), // settled at once: holds 7
		run([]float64{7, 6}, []float64{7.4, 6.5}),
	}
	bands := Summarise(runs, []float64{0, 0.5, 1})
	if len(bands) != 3 {
		t.Fatalf("%d bands, want one per round of the longest run: 3", len(bands))
	}
	// Round 2 sees medians 9, 7 (held), 6 (held) and means 7.6, 7.4, 6.5.
	// Nearest rank over the sorted 6, 7, 9: the 0.5 quantile is the
	// ⌈1.5⌉ = 2nd, 7; the 0.025 the 1st, 6; the 0.975 the 3rd, 9.
	b := bands[2]
	if b.Round != 2 || b.Median != 7 || b.MedianLow != 6 || b.MedianHigh != 9 {
		t.Errorf("round 2: %+v; want median 7 within [6, 9]", b)
	}
	if want := (7.6 + 7.4 + 6.5) / 3; math.Abs(b.Mean-want) > 1e-12 {
		t.Errorf("round 2: mean %v, want the mean of the runs' means %v", b.Mean, want)
	}
	if len(b.Quantiles) != 3 || b.Quantiles[0] != 6 || b.Quantiles[1] != 7 || b.Quantiles[2] != 9 {
		t.Errorf("round 2 quantiles %v, want [6 7 9]", b.Quantiles)
	}
	// Round 1: medians 8, 7, 6.
	if b := bands[1]; b.Median != 7 || b.MedianLow != 6 || b.MedianHigh != 8 {
		t.Errorf("round 1: %+v", b)
	}
	// Round 0: every run starts at 7.
	if b := bands[0]; b.Median != 7 || b.MedianLow != 7 || b.MedianHigh != 7 || math.Abs(b.Mean-7.4) > 1e-12 {
		t.Errorf("round 0: %+v", b)
	}
}

// With 40 runs whose round medians are 1, 2, …, 40 (listed out of order)
// the nearest-rank quantiles are: 2.5%, the ⌈1⌉st value, 1; 97.5%, the
// 39th, 39; the median (an even count) the 20th, 20; 10%, the 4th, 4.
func TestSummariseQuantiles(t *testing.T) {
	var runs [][]Round
	for i := range 40 {
		v := float64((i*17)%40 + 1)
		runs = append(runs, run([]float64{v}, []float64{v}))
	}
	b := Summarise(runs, []float64{0.1})[0]
	if b.MedianLow != 1 || b.MedianHigh != 39 || b.Median != 20 || b.Quantiles[0] != 4 {
		t.Errorf("%+v; want median 20 within [1, 39], 10%% quantile 4", b)
	}
	if b.Mean != 20.5 {
		t.Errorf("mean %v, want 20.5", b.Mean)
	}
}

func TestSummariseEmpty(t *testing.T) {
	if b := Summarise(nil, nil); b != nil {
		t.Errorf("no runs: %v", b)
	}
	if b := Summarise([][]Round{{}, nil}, []float64{0.5}); b != nil {
		t.Errorf("empty runs: %v", b)
	}
	// An empty run among others is skipped.
	b := Summarise([][]Round{nil, run([]float64{3}, []float64{4})}, nil)
	if len(b) != 1 || b[0].Median != 3 || b[0].Mean != 4 || b[0].Quantiles != nil {
		t.Errorf("%+v", b)
	}
}

// Summarising forecasts themselves: the EC case and a perturbed copy.
func TestSummariseForecasts(t *testing.T) {
	ec, err := Forecast(ecActors(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	lone, err := Forecast([]Actor{{"x", 1, 5, 1}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bands := Summarise([][]Round{ec, lone}, nil)
	if len(bands) != len(ec) {
		t.Fatalf("%d bands, want %d", len(bands), len(ec))
	}
	for k, b := range bands {
		// Two runs: the lower median is the median, the band spans
		// both.
		lo, hi := math.Min(ec[k].Median, 5), math.Max(ec[k].Median, 5)
		if b.Median != lo || b.MedianLow != lo || b.MedianHigh != hi {
			t.Errorf("round %d: %+v; want median %v within [%v, %v]", k, b, lo, lo, hi)
		}
		if want := (ec[k].Mean + 5) / 2; math.Abs(b.Mean-want) > 1e-12 {
			t.Errorf("round %d: mean %v, want %v", k, b.Mean, want)
		}
	}
}
