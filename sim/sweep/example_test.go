package sweep_test

import (
	"context"
	"fmt"

	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/sweep"
)

// Parse a sweep file and compute its points in order, summarising each
// point's runs.
func Example() {
	s, err := sweep.Parse("example.toml", []byte(`
scenario = "korea-2018"
runs = 200
seed = 7
[[vary]]
key = "actors.us.hawkishness"
values = [0.1, 0.9]
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Len(), "points")
	_, err = sweep.Run(context.Background(), s, sweep.Options{}, results.NewSummary,
		func(p sweep.Point, _ *scenarios.Scenario, sum *results.Summary) error {
			fmt.Printf("point %d %v: %d runs\n", p.N, p.Values, sum.Runs())
			return nil
		})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 4 points
	// point 1 [0.1 china]: 200 runs
	// point 2 [0.1 none]: 200 runs
	// point 3 [0.9 china]: 200 runs
	// point 4 [0.9 none]: 200 runs
}

// A bad sweep file is reported with its line, key and what was expected.
func ExampleParse() {
	_, err := sweep.Parse("bad.toml", []byte(`scenario = "korea-2018"
runs = 0
[[vary]]
key = "protocol.mediator"
values = ["china", "chnia"]
`))
	fmt.Println(err)
	// Output:
	// bad.toml:2: runs: want a whole number of runs per point, 1 to 1000000000, got the integer 0
	// bad.toml:5: vary[1].values: protocol.mediator = "chnia": unknown actor "chnia"; did you mean "china"?
}
