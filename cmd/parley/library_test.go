package main

import (
	"cmp"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
)

// libraryRuns is the number of runs of each side of a library comparison:
// enough for a declared effect of 5 points or more to clear zero with any
// seed.
const libraryRuns = 4000

// smallEffectRuns gives more runs to the scenarios whose declared effect is
// small: the variants that move conflict, which is rare in korea-2018 (0.2%
// of runs), move it by a few tenths of a point (docs/scenarios.md), which
// needs some 20,000 runs a side for the interval to clear zero reliably.
var smallEffectRuns = map[string]int{
	"korea-2018-hawkish-us":        20000,
	"korea-2018-moderate-us":       20000,
	"korea-2018-embarrass-beijing": 20000,
}

// Every built-in validates and runs, and one that declares an [expected]
// effect has it: with a fixed seed, the 95% interval of its share minus
// the other scenario's lies on the declared side of zero.
func TestLibrary(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			sc, err := scenarios.Load(b.Name, nil)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if sc.Title == "" || sc.Question == "" || len(sc.Sources) == 0 {
				t.Errorf("title %q, question %q, sources %q: a built-in needs all three", sc.Title, sc.Question, sc.Sources)
			}
			if sc.ID != b.Name {
				t.Errorf("id %q differs from the file name %q", sc.ID, b.Name)
			}
			if code, _, errs := parley(t, "run", b.Name, "--runs", "300", "--format", "json"); code != 0 {
				t.Fatalf("run: exit %d: %s", code, errs)
			}
			ex := sc.Expected
			if ex == nil {
				return
			}
			testenv.Heavy(t) // the declared effect needs thousands of runs a side
			code, out, errs := parley(t, "compare", b.Name, ex.Against, "--runs", strconv.Itoa(cmp.Or(smallEffectRuns[b.Name], libraryRuns)), "--seed", "1", "--format", "json")
			if code != 0 {
				t.Fatalf("compare: exit %d: %s", code, errs)
			}
			type diff struct {
				AShare     float64 `json:"a_share"`
				BShare     float64 `json:"b_share"`
				DiffCILow  float64 `json:"diff_ci_low"`
				DiffCIHigh float64 `json:"diff_ci_high"`
			}
			var c struct {
				Outcomes   map[string]diff `json:"outcomes"`
				Settlement diff            `json:"settlement"`
				Partial    diff            `json:"partial"`
			}
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Fatal(err)
			}
			c.Outcomes["settlement"], c.Outcomes["partial"] = c.Settlement, c.Partial
			d, ok := c.Outcomes[ex.Outcome]
			if !ok {
				t.Fatalf("no outcome %q in %s", ex.Outcome, out)
			}
			if ex.Change == scenarios.ChangeHigher && d.DiffCILow <= 0 || ex.Change == scenarios.ChangeLower && d.DiffCIHigh >= 0 {
				t.Errorf("expected %s %s than %s; got %.1f%% against %.1f%%, difference interval [%.2f, %.2f] points",
					ex.Outcome, ex.Change, ex.Against, 100*d.AShare, 100*d.BShare, 100*d.DiffCILow, 100*d.DiffCIHigh)
			}
		})
	}
}
