package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// parley discover on a runs file: the JSON contract, a box on the drawn
// inputs only, densities that rise along the trajectory's start, and the
// sentence in the table.
func TestDiscoverRuns(t *testing.T) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs.csv")
	if code, _, errs := parley(t, "run", "korea-2018", "--runs", quickRuns(3000, 1000), "--runs-out", runs); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	code, out, errs := parley(t, "discover", runs, "--outcome", "breakdown", "--format", "json", "--resamples", "5")
	if code != 0 {
		t.Fatalf("discover: exit %d: %s", code, errs)
	}
	var d struct {
		Outcome  string  `json:"outcome"`
		BaseRate float64 `json:"base_rate"`
		Box      struct {
			Limits map[string]struct {
				Min *float64 `json:"min"`
				Max *float64 `json:"max"`
			} `json:"limits"`
			Coverage, Density, Mass float64
		} `json:"box"`
		Trajectory []struct {
			Coverage, Density, Mass float64
			Restricted              int
		} `json:"trajectory"`
		Resampling map[string]float64 `json:"resampling"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if d.Outcome != "breakdown" || d.BaseRate <= 0 || d.BaseRate >= 1 || len(d.Trajectory) < 2 || len(d.Box.Limits) == 0 {
		t.Fatalf("%+v", d)
	}
	if t0 := d.Trajectory[0]; t0.Coverage != 1 || t0.Mass != 1 || t0.Restricted != 0 || t0.Density != d.BaseRate {
		t.Errorf("the first step is not the whole space: %+v", t0)
	}
	if d.Box.Density <= d.BaseRate || d.Box.Mass < 0.05 {
		t.Errorf("box density %v against base %v, mass %v", d.Box.Density, d.BaseRate, d.Box.Mass)
	}
	for k, l := range d.Box.Limits {
		if !strings.Contains(k, ".") || (l.Min == nil && l.Max == nil) {
			t.Errorf("limit on %q: %+v", k, l)
		}
	}
	if len(d.Resampling) == 0 {
		t.Error("no resampling check")
	}
	code, table, _ := parley(t, "discover", runs, "--outcome", "breakdown", "--resamples", "0")
	if code != 0 || !strings.Contains(table, "Breakdown is ") || !strings.Contains(table, "as likely when") || !strings.Contains(table, "Peeling trajectory") {
		t.Errorf("table:\n%s", table)
	}
}

// On a sweep's output the outcome is each point's share; bad input gets
// exit status 2 and says why.
func TestDiscoverSweepAndErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "lhs.csv")
	mustSweep(t, "sweep", sweepFile(t, dir, `scenario = "korea-2018"
design = "lhs"
points = 40
runs = 20
[[vary]]
key = "actors.china.leverage.us"
min = 0.0
max = 0.15
[[vary]]
key = "dynamics.trust"
min = 0.1
max = 0.6
`), "-o", out)
	code, table, errs := parley(t, "discover", out, "--outcome", "agreement", "--resamples", "3", "--min-mass", "0.2")
	if code != 0 || !strings.Contains(table, "Agreement is ") {
		t.Fatalf("exit %d: %s\n%s", code, errs, table)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"discover", out}, "--outcome is required"},
		{[]string{"discover", out, "--outcome", "war"}, "--outcome"},
		{[]string{"discover", out, "--outcome", "conflict", "--alpha", "0.7"}, "--alpha"},
		{[]string{"discover", filepath.Join(dir, "none.csv"), "--outcome", "conflict"}, "none.csv"},
		{[]string{"discover", out, "--outcome", "agreement", "--box", "999"}, "box 999 asked for, but the peeling trajectory has"},
	} {
		if code, _, errs := parley(t, tc.args...); code != 2 || !strings.Contains(errs, tc.msg) {
			t.Errorf("parley %v: exit %d: %s", tc.args, code, errs)
		}
	}
}
