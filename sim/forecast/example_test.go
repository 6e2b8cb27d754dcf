package forecast_test

import (
	"fmt"

	"github.com/parley-sim/parley/sim/forecast"
)

// The EC car-emissions case of Bueno de Mesquita (1994), Table 1, in
// Scholz, Calbert and Smith's formulation: the weighted mean and median
// position (years of delay) round by round.
func ExampleForecast() {
	actors := []forecast.Actor{
		{ID: "Netherlands", Capability: 0.08, Position: 4, Salience: 0.8},
		{ID: "Belgium", Capability: 0.08, Position: 7, Salience: 0.4},
		{ID: "Luxembourg", Capability: 0.03, Position: 4, Salience: 0.2},
		{ID: "Germany", Capability: 0.16, Position: 4, Salience: 0.8},
		{ID: "France", Capability: 0.16, Position: 10, Salience: 0.6},
		{ID: "Italy", Capability: 0.16, Position: 10, Salience: 0.6},
		{ID: "UK", Capability: 0.16, Position: 10, Salience: 0.9},
		{ID: "Ireland", Capability: 0.05, Position: 7, Salience: 0.1},
		{ID: "Denmark", Capability: 0.05, Position: 4, Salience: 1.0},
		{ID: "Greece", Capability: 0.08, Position: 7, Salience: 0.7},
	}
	rounds, err := forecast.Forecast(actors, forecast.Options{Rounds: 10, Q: 1})
	if err != nil {
		panic(err)
	}
	for _, r := range rounds {
		fmt.Printf("round %2d: mean %.2f, median %.2f\n", r.Round, r.Mean, r.Median)
	}
	first := rounds[1].Moves[0]
	fmt.Printf("round 1: %s takes %s's %v offer, to %.2f\n",
		actors[first.Actor].ID, actors[first.From].ID, first.Kind, first.To)
	// Output:
	// round  0: mean 7.39, median 7.00
	// round  1: mean 7.46, median 8.42
	// round  2: mean 7.55, median 9.61
	// round  3: mean 7.59, median 9.96
	// round  4: mean 7.36, median 9.96
	// round  5: mean 7.35, median 9.96
	// round  6: mean 7.41, median 7.47
	// round  7: mean 7.51, median 8.82
	// round  8: mean 7.57, median 9.67
	// round  9: mean 7.32, median 9.67
	// round 10: mean 7.24, median 7.00
	// round 1: Belgium takes France's compromise offer, to 8.42
}

// Many forecasts of uncertain inputs reduce to per-round bands.
func ExampleSummarise() {
	var runs [][]forecast.Round
	for _, france := range []float64{9, 10, 11} {
		rounds, err := forecast.Forecast([]forecast.Actor{
			{ID: "Germany", Capability: 0.16, Position: 4, Salience: 0.8},
			{ID: "France", Capability: 0.16, Position: france, Salience: 0.6},
			{ID: "UK", Capability: 0.16, Position: 10, Salience: 0.9},
		}, forecast.Options{Lo: 0, Hi: 12})
		if err != nil {
			panic(err)
		}
		runs = append(runs, rounds)
	}
	for _, b := range forecast.Summarise(runs, nil) {
		fmt.Printf("round %d: median %.2f in [%.2f, %.2f], mean %.2f\n", b.Round, b.Median, b.MedianLow, b.MedianHigh, b.Mean)
	}
	// Output:
	// round 0: median 10.00 in [9.00, 10.00], mean 7.91
	// round 1: median 4.00 in [4.00, 9.00], mean 6.78
	// round 2: median 4.00 in [4.00, 9.00], mean 6.78
}
