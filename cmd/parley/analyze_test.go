package main

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// handDomain is the hand-worked scenario of the analysis tests.
const handDomain = "../../testdata/analysis/hand.toml"

// analysisJSON is the JSON contract of 'parley analyze --format json'.
type analysisJSON struct {
	Scenario    string             `json:"scenario"`
	Parameters  string             `json:"parameters"`
	Means       map[string]float64 `json:"means"`
	Packages    int                `json:"packages"`
	Method      string             `json:"method"`
	Signatories []string           `json:"signatories"`
	Actors      map[string]struct {
		Signatory   bool      `json:"signatory"`
		Ideal       pointJSON `json:"ideal"`
		NoAgreement *float64  `json:"no_agreement"`
		StatusQuo   *float64  `json:"status_quo"`
		Conflict    *float64  `json:"conflict"`
	} `json:"actors"`
	ZOPASize             *int        `json:"zopa_size"`
	ZOPAExact            bool        `json:"zopa_exact"`
	ParetoFrontierSize   *int        `json:"pareto_frontier_size"`
	ParetoFrontierOver   []string    `json:"pareto_frontier_over"`
	ParetoFrontierInZOPA *int        `json:"pareto_frontier_in_zopa"`
	ParetoFrontier       []pointJSON `json:"pareto_frontier"`
	Nash                 *pointJSON  `json:"nash"`
	KalaiSmorodinsky     *pointJSON  `json:"kalai_smorodinsky"`
	Utilitarian          *pointJSON  `json:"utilitarian"`
	MonteCarlo           *struct {
		Runs                 int      `json:"runs"`
		Seed                 uint64   `json:"seed"`
		ZOPAEmpty            *int     `json:"zopa_empty"`
		ZOPAEmptyShare       *float64 `json:"zopa_empty_share"`
		Agreements           int      `json:"agreements"`
		OnFrontier           int      `json:"on_frontier"`
		OnFrontierShare      *float64 `json:"on_frontier_share"`
		MeanDistanceFrontier *float64 `json:"mean_distance_frontier"`
		MeanDistanceNash     *float64 `json:"mean_distance_nash"`
	} `json:"monte_carlo"`
}

type pointJSON struct {
	Package   map[string]string  `json:"package"`
	Utilities map[string]float64 `json:"utilities"`
	InZOPA    bool               `json:"in_zopa"`
}

func analyzeJSON(t *testing.T, args ...string) (analysisJSON, map[string]json.RawMessage) {
	t.Helper()
	code, out, errs := parley(t, append([]string{"analyze", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("analyze %v: exit %d: %s", args, code, errs)
	}
	var a analysisJSON
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	_ = json.Unmarshal([]byte(out), &raw)
	return a, raw
}

// The hand-worked domain of testdata/analysis/hand.toml (the arithmetic is
// in the file and in sim.TestHandWorkedDomain): Nash (1950) picks p2,
// Kalai–Smorodinsky (1975) p6, the utilitarian optimum p1; the zone holds
// 6 packages, the frontier 6, 5 of them in the zone.
func TestAnalyzeHandDomainJSON(t *testing.T) {
	a, _ := analyzeJSON(t, handDomain, "--frontier")
	if a.ZOPASize == nil || *a.ZOPASize != 6 || !a.ZOPAExact || a.ParetoFrontierSize == nil || *a.ParetoFrontierSize != 6 ||
		a.ParetoFrontierInZOPA == nil || *a.ParetoFrontierInZOPA != 5 || len(a.ParetoFrontier) != 6 {
		t.Fatalf("zone %v, frontier %v (%v in the zone, %d listed)", a.ZOPASize, a.ParetoFrontierSize, a.ParetoFrontierInZOPA, len(a.ParetoFrontier))
	}
	for _, s := range []struct {
		name   string
		p      *pointJSON
		pkg    string
		ua, ub float64
	}{{"nash", a.Nash, "p2", 0.8, 0.4}, {"kalai_smorodinsky", a.KalaiSmorodinsky, "p6", 0.6, 0.45}, {"utilitarian", a.Utilitarian, "p1", 1, 0.25}} {
		if s.p == nil || s.p.Package["x"] != s.pkg || s.p.Utilities["a"] != s.ua || s.p.Utilities["b"] != s.ub || !s.p.InZOPA {
			t.Errorf("%s: %+v, want x=%s worth (%v, %v)", s.name, s.p, s.pkg, s.ua, s.ub)
		}
	}
	if a.Parameters != "means" || len(a.Means) != 0 || a.Packages != 8 || a.Method != "enumeration" {
		t.Errorf("parameters %q means %v packages %d method %q", a.Parameters, a.Means, a.Packages, a.Method)
	}
	if a.MonteCarlo != nil {
		t.Errorf("monte_carlo present without --runs")
	}
}

// When one side's value of no agreement is its best package, the zone is
// empty and the solutions are null, in JSON and in the table.
func TestAnalyzeEmptyZone(t *testing.T) {
	sets := []string{"--set", "actors.a.conflict.strike=true", "--set", "actors.a.hawkishness=1",
		"--set", "dynamics.tension=1", "--set", "actors.a.conflict.prevail=1"}
	a, raw := analyzeJSON(t, append([]string{handDomain}, sets...)...)
	for _, k := range []string{"nash", "kalai_smorodinsky", "utilitarian"} {
		if string(raw[k]) != "null" {
			t.Errorf("%s = %s, want null", k, raw[k])
		}
	}
	if *a.ZOPASize != 0 || *a.ParetoFrontierInZOPA != 0 || *a.Actors["a"].NoAgreement != 1 {
		t.Errorf("zone %d, frontier in zone %d, a's no agreement %v", *a.ZOPASize, *a.ParetoFrontierInZOPA, *a.Actors["a"].NoAgreement)
	}
	code, out, errs := parley(t, append([]string{"analyze", handDomain}, sets...)...)
	if code != 0 || !strings.Contains(out, "The zone is empty") || strings.Contains(out, "Nash") {
		t.Errorf("table: exit %d, %s%s", code, out, errs)
	}
}

// korea-2018: distribution-valued parameters are taken at their means and
// the output says so; --all adds the other actors and takes the frontier
// over all four; the solutions are in the zone.
func TestAnalyzeKorea(t *testing.T) {
	a, raw := analyzeJSON(t, "korea-2018")
	if a.Parameters != "means" || a.Means["actors.us.hawkishness"] != 0.6 || a.Means["actors.us.strategy.e"] != 0.4 {
		t.Errorf("means %v (parameters %q): want actors.us.hawkishness 0.6 (Beta(6,4)), actors.us.strategy.e 0.4", a.Means, a.Parameters)
	}
	for _, k := range []string{"nash", "kalai_smorodinsky", "utilitarian", "pareto_frontier_size", "zopa_size"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if a.Packages != 1152 || len(a.Actors) != 2 || len(a.ParetoFrontierOver) != 2 {
		t.Errorf("packages %d, actors %d, frontier over %v", a.Packages, len(a.Actors), a.ParetoFrontierOver)
	}
	for _, p := range []*pointJSON{a.Nash, a.KalaiSmorodinsky, a.Utilitarian} {
		if p == nil || !p.InZOPA || len(p.Package) != 6 {
			t.Fatalf("solution %+v", p)
		}
		for _, id := range a.Signatories {
			if p.Utilities[id] <= *a.Actors[id].NoAgreement {
				t.Errorf("solution %v gives %s %v, no more than no agreement %v", p.Package, id, p.Utilities[id], *a.Actors[id].NoAgreement)
			}
		}
	}
	all, _ := analyzeJSON(t, "korea-2018", "--all")
	if len(all.Actors) != 4 || len(all.ParetoFrontierOver) != 4 || *all.ParetoFrontierSize < *a.ParetoFrontierSize ||
		all.Actors["china"].Signatory || !all.Actors["us"].Signatory {
		t.Errorf("--all: actors %d, frontier over %v of %d", len(all.Actors), all.ParetoFrontierOver, *all.ParetoFrontierSize)
	}
	if *all.ZOPASize != *a.ZOPASize || all.Nash.Package["sanctions"] != a.Nash.Package["sanctions"] {
		t.Errorf("--all changed the signatories' zone or Nash point")
	}
	code, out, errs := parley(t, "analyze", "korea-2018")
	if code != 0 || !strings.Contains(out, "taken at their means") || !strings.Contains(out, "Kalai-Smorodinsky") {
		t.Errorf("table: exit %d\n%s%s", code, out, errs)
	}
}

// --runs N plays the runs 'parley run' plays with the same seed: the
// agreements placed are the agreements run counts.
func TestAnalyzeRunsAreRunsRuns(t *testing.T) {
	a, _ := analyzeJSON(t, "korea-2018", "--runs", "300", "--seed", "4")
	code, out, errs := parley(t, "run", "korea-2018", "--runs", "300", "--seed", "4", "--format", "json")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var r struct {
		Outcomes map[string]struct{ Count int } `json:"outcomes"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	mc := a.MonteCarlo
	if mc == nil || mc.Runs != 300 || mc.Seed != 4 || mc.Agreements != r.Outcomes["agreement"].Count || mc.ZOPAEmpty == nil {
		t.Fatalf("monte_carlo %+v; run counts %d agreements", mc, r.Outcomes["agreement"].Count)
	}
	if mc.Agreements > 0 && (mc.OnFrontierShare == nil || mc.MeanDistanceFrontier == nil || mc.MeanDistanceNash == nil) {
		t.Errorf("monte_carlo %+v: shares and distances missing", mc)
	}
}

func TestAnalyzeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"analyze"},
		{"analyze", "korea-2018", "--format", "xml"},
		{"analyze", "korea-2018", "--runs", "-1"},
		{"analyze", "korea-2018", "extra"},
		{"analyze", "no-such-scenario"},
	} {
		if code, _, _ := parley(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// --format csv gives the hand-worked domain's numbers as tidy rows: the
// space, each solution's utilities and package, as the JSON does.
func TestAnalyzeCSV(t *testing.T) {
	code, out, errs := parley(t, "analyze", handDomain, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{}
	for _, r := range rows[1:] {
		vals[strings.Join(r[:3], ",")] = r[3]
		if _, err := strconv.ParseFloat(r[3], 64); err != nil {
			t.Errorf("row %v: not a number", r)
		}
	}
	for key, want := range map[string]string{
		"space,,zopa_size": "6", "space,,pareto_frontier_size": "6", "space,,pareto_frontier_in_zopa": "5",
		"point,nash,utility.a": "0.8", "point,nash,utility.b": "0.4", "package,nash,x=p2": "1",
		"package,kalai_smorodinsky,x=p6": "1", "point,utilitarian,utility.a": "1",
	} {
		if vals[key] != want {
			t.Errorf("%s = %q, want %s", key, vals[key], want)
		}
	}
}
