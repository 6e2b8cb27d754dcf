package scenarios_test

import (
	"fmt"

	"github.com/parley-sim/parley/scenarios"
)

func ExampleLoad() {
	s, err := scenarios.Load("../testdata/scenarios/valid.toml", []scenarios.Override{
		{Path: "actors.us.hawkishness", Value: "0.9"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Title)
	fmt.Println(len(s.Actors), "actors;", len(s.Issues), "issues")
	fmt.Println("US hawkishness:", s.Actors[s.ActorIndex("us")].Hawkishness.Value)
	// Output:
	// Six-party talks (test fixture)
	// 6 actors; 3 issues
	// US hawkishness: 0.9
}

func ExampleParse() {
	src := `id = "tiny"
title = "Tiny"
question = "?"
horizon = 0
[issues.x]
levels = ["a", "b"]
[actors.p]
wieghts = { x = 1 }
`
	_, err := scenarios.Parse("tiny.toml", []byte(src), nil)
	fmt.Println(err)
	// Output:
	// tiny.toml: protocol: missing required table
	// tiny.toml:4: horizon: must be in [1, 1000], got 0
	// tiny.toml:7: actors: at least 2 actors are required, got 1
	// tiny.toml:7: actors.p.weights: missing required table
	// tiny.toml:7: actors.p.strategy: missing required table
	// tiny.toml:8: actors.p.wieghts: unknown key "wieghts"; did you mean "weights"?
}

func ExampleParseOverride() {
	o, err := scenarios.ParseOverride(`actors.us.hawkishness={dist = "uniform", min = 0.2, max = 0.4}`)
	fmt.Printf("%q %q %v\n", o.Path, o.Value, err)
	// Output:
	// "actors.us.hawkishness" "{dist = \"uniform\", min = 0.2, max = 0.4}" <nil>
}
