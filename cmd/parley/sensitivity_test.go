package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sobolSweep is a small Sobol sweep of korea-2018: 8 base samples of two
// keys make 8 × (2 + 3) = 40 points.
const sobolSweep = `scenario = "korea-2018"
design = "sobol"
points = 8
runs = 30
seed = 3
[[vary]]
key = "actors.china.leverage.us"
min = 0.0
max = 0.15
[[vary]]
key = "dynamics.trust"
min = 0.1
max = 0.6
`

type sensitivityJSON struct {
	Design  string `json:"design"`
	Points  int    `json:"points"`
	Outputs map[string]struct {
		Inputs map[string]map[string]float64 `json:"inputs"`
	} `json:"outputs"`
}

func sensitivityOf(t *testing.T, out string, extra ...string) (sensitivityJSON, string) {
	t.Helper()
	code, js, errs := parley(t, append([]string{"sensitivity", out, "--format", "json", "--bootstrap", "200"}, extra...)...)
	if code != 0 {
		t.Fatalf("sensitivity %s: exit %d: %s", out, code, errs)
	}
	var s sensitivityJSON
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, js)
	}
	return s, js
}

// The JSON contract of a Sobol analysis: every output column of the sweep,
// every varied key and the dummy, each with S1 and ST and their
// intervals, each interval holding its estimate.
func TestSensitivitySobol(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.csv")
	mustSweep(t, "sweep", sweepFile(t, dir, sobolSweep), "-o", out)
	// The manifest names the inputs in the scenario's words, for the
	// sensitivity charts.
	if m := readFile(t, out+".manifest.json"); !strings.Contains(m, `"actors.china.leverage.us": "China: leverage on United States"`) {
		t.Errorf("the manifest does not name the inputs in the scenario's words:\n%s", m)
	}
	s, js := sensitivityOf(t, out)
	if s.Design != "sobol" || s.Points != 40 {
		t.Fatalf("design %q, points %d", s.Design, s.Points)
	}
	outputs := []string{"agreement_share", "stalemate_share", "breakdown_share", "conflict_share",
		"china_mean_utility", "us_mean_utility", "north_korea_mean_utility", "south_korea_mean_utility"}
	if len(s.Outputs) != len(outputs) {
		t.Errorf("%d outputs, want %d: %s", len(s.Outputs), len(outputs), js)
	}
	for _, o := range outputs {
		in := s.Outputs[o].Inputs
		if len(in) != 3 {
			t.Fatalf("%s: inputs %v, want the two keys and the dummy", o, in)
		}
		for _, k := range []string{"actors.china.leverage.us", "dynamics.trust", "dummy"} {
			x, ok := in[k]
			if !ok || len(x) != 6 {
				t.Fatalf("%s, %s: %v", o, k, x)
			}
			for _, q := range []string{"S1", "ST"} {
				if !(x[q+"_low"] <= x[q] && x[q] <= x[q+"_high"]) {
					t.Errorf("%s, %s: %s %v outside [%v, %v]", o, k, q, x[q], x[q+"_low"], x[q+"_high"])
				}
			}
		}
	}
	// The table says it in words; the bootstrap seed changes the intervals
	// only.
	code, table, _ := parley(t, "sensitivity", out, "--bootstrap", "200")
	if code != 0 || !strings.Contains(table, "agreement_share hangs") || !strings.Contains(table, "dummy (noise floor)") {
		t.Errorf("table:\n%s", table)
	}
	other, _ := sensitivityOf(t, out, "--seed", "9")
	a, b := s.Outputs["agreement_share"].Inputs["dynamics.trust"], other.Outputs["agreement_share"].Inputs["dynamics.trust"]
	if a["S1"] != b["S1"] || a["S1_low"] == b["S1_low"] {
		t.Errorf("seed 1 %v, seed 9 %v: want the same estimate, other intervals", a, b)
	}
}

// The indices of a Sobol sweep computed in two shards and merged, or
// interrupted and resumed, are byte for byte those of the whole sweep.
func TestSensitivityShardsAndResume(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sobolSweep)
	whole := filepath.Join(dir, "whole.csv")
	mustSweep(t, "sweep", file, "-o", whole)
	_, want := sensitivityOf(t, whole)

	p1, p2, merged := filepath.Join(dir, "p1.csv"), filepath.Join(dir, "p2.csv"), filepath.Join(dir, "merged.csv")
	mustSweep(t, "sweep", file, "--shard", "1/2", "-o", p1)
	mustSweep(t, "sweep", file, "--shard", "2/2", "-o", p2)
	if code, _, errs := parley(t, "sensitivity", p1); code != 2 || !strings.Contains(errs, "merge the shards first") {
		t.Errorf("a shard: exit %d: %s", code, errs)
	}
	mustSweep(t, "merge", merged, p2, p1)
	if _, got := sensitivityOf(t, merged); got != want {
		t.Error("merged shards give other indices than the whole sweep")
	}

	lines := strings.SplitAfter(readFile(t, whole), "\n")
	cut := filepath.Join(dir, "cut.csv")
	if err := os.WriteFile(cut, []byte(strings.Join(lines[:12], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut+".manifest.json", []byte(readFile(t, whole+".manifest.json")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := parley(t, "sensitivity", cut); code != 2 || !strings.Contains(errs, "11 of the sweep's 40 points are done") {
		t.Errorf("an unfinished sweep: exit %d: %s", code, errs)
	}
	mustSweep(t, "sweep", file, "-o", cut, "--resume")
	if _, got := sensitivityOf(t, cut); got != want {
		t.Error("a resumed sweep gives other indices than the whole sweep")
	}
}

// A Morris sweep's analysis: μ*, μ and σ with intervals for each key, no
// dummy; a grid sweep has no indices.
func TestSensitivityMorris(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.csv")
	body := strings.Replace(strings.Replace(sobolSweep, `design = "sobol"`, `design = "morris"`, 1), "points = 8", "trajectories = 6", 1)
	mustSweep(t, "sweep", sweepFile(t, dir, body), "-o", out)
	s, _ := sensitivityOf(t, out)
	if s.Design != "morris" || s.Points != 18 {
		t.Fatalf("design %q, points %d", s.Design, s.Points)
	}
	for o, a := range s.Outputs {
		if len(a.Inputs) != 2 {
			t.Fatalf("%s: inputs %v", o, a.Inputs)
		}
		for k, x := range a.Inputs {
			for _, q := range []string{"mu_star", "mu", "sigma"} {
				if v, ok := x[q]; !ok || !(x[q+"_low"] <= v && v <= x[q+"_high"]) {
					t.Errorf("%s, %s: %s %v [%v, %v]", o, k, q, v, x[q+"_low"], x[q+"_high"])
				}
			}
		}
	}
	grid := filepath.Join(dir, "g.csv")
	mustSweep(t, "sweep", sweepFile(t, dir, "scenario = \"korea-2018\"\nruns = 10\n[[vary]]\nkey = \"dynamics.trust\"\nvalues = [0.2, 0.4]\n"), "-o", grid)
	if code, _, errs := parley(t, "sensitivity", filepath.Join(dir, "none.csv")); code != 2 || !strings.Contains(errs, "none.csv: no such file") {
		t.Errorf("a missing file: exit %d: %s", code, errs)
	}
	if code, _, errs := parley(t, "sensitivity", grid); code != 2 || !strings.Contains(errs, "only design = \"sobol\", \"morris\" or \"oat\" sweeps") {
		t.Errorf("a grid: exit %d: %s", code, errs)
	}
}

// A one-at-a-time sweep's analysis: each key's swing from its min to its
// max, and a tornado chart per output.
func TestSensitivityOAT(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o.csv")
	body := strings.Replace(strings.Replace(sobolSweep, `design = "sobol"`, `design = "oat"`, 1), "points = 8\n", "", 1)
	mustSweep(t, "sweep", sweepFile(t, dir, body), "-o", out)
	s, _ := sensitivityOf(t, out, "--plot", filepath.Join(dir, "charts"))
	if s.Design != "oat" || s.Points != 5 {
		t.Fatalf("design %q, points %d", s.Design, s.Points)
	}
	x := s.Outputs["agreement_share"].Inputs["actors.china.leverage.us"]
	if len(x) != 4 || x["swing"] != x["high"]-x["low"] {
		t.Errorf("swing %v", x)
	}
	for _, ext := range []string{".png", ".svg"} {
		if fi, err := os.Stat(filepath.Join(dir, "charts", "tornado-agreement_share"+ext)); err != nil || fi.Size() == 0 {
			t.Errorf("no tornado chart %s: %v", ext, err)
		}
	}
}
