package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
)

type compareJSON struct {
	Design string `json:"design"`
	A, B   struct {
		Scenario string   `json:"scenario"`
		Seed     uint64   `json:"seed"`
		Runs     int      `json:"runs"`
		Sets     []string `json:"sets"`
	}
	Outcomes map[string]struct {
		AShare     *float64 `json:"a_share"`
		BShare     *float64 `json:"b_share"`
		Diff       *float64 `json:"diff"`
		DiffCILow  *float64 `json:"diff_ci_low"`
		DiffCIHigh *float64 `json:"diff_ci_high"`
	} `json:"outcomes"`
	Actors map[string]struct {
		AMeanUtility *float64 `json:"a_mean_utility"`
		BMeanUtility *float64 `json:"b_mean_utility"`
		Shift        *float64 `json:"shift"`
		ShiftCILow   *float64 `json:"shift_ci_low"`
		ShiftCIHigh  *float64 `json:"shift_ci_high"`
	} `json:"actors"`
}

// compareOf runs parley compare with --format json and decodes it.
func compareOf(t *testing.T, args ...string) compareJSON {
	t.Helper()
	code, out, errs := parley(t, append(append([]string{"compare"}, args...), "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c compareJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return c
}

// quickRuns is quickRunsN as a flag's value.
func quickRuns(n, quick int) string { return strconv.Itoa(quickRunsN(n, quick)) }

func TestCompareJSONContract(t *testing.T) {
	for _, independent := range []bool{false, true} {
		args := []string{"korea-2018", "korea-2018", "--runs", "500", "--set-b", "protocol.mediator=none", "--set-b", "actors.us.hawkishness=0.9"}
		if independent {
			args = append(args, "--independent")
		}
		checkCompareJSON(t, compareOf(t, args...), independent)
	}
}

func checkCompareJSON(t *testing.T, c compareJSON, independent bool) {
	t.Helper()
	if c.A.Scenario != "korea-2018" || c.A.Runs != 500 || c.A.Seed != defaultSeed || c.A.Sets == nil || len(c.A.Sets) != 0 {
		t.Errorf("a = %+v", c.A)
	}
	seedB, design := uint64(defaultSeed), "paired"
	if independent {
		seedB, design = splitmix64(defaultSeed), "independent"
	}
	if c.Design != design || c.B.Seed != seedB || c.B.Runs != 500 ||
		strings.Join(c.B.Sets, " ") != "protocol.mediator=none actors.us.hawkishness=0.9" {
		t.Errorf("design %q, b = %+v", c.Design, c.B)
	}
	var sumA, sumB float64
	for _, name := range []string{"agreement", "stalemate", "breakdown", "conflict"} {
		o, ok := c.Outcomes[name]
		if !ok || o.AShare == nil || o.BShare == nil || o.Diff == nil || o.DiffCILow == nil || o.DiffCIHigh == nil {
			t.Fatalf("outcome %q missing or incomplete", name)
		}
		if *o.Diff != *o.AShare-*o.BShare || *o.DiffCILow > *o.Diff || *o.Diff > *o.DiffCIHigh {
			t.Errorf("outcome %q: diff %v, interval [%v, %v]", name, *o.Diff, *o.DiffCILow, *o.DiffCIHigh)
		}
		sumA += *o.AShare
		sumB += *o.BShare
	}
	if sumA < 0.999999 || sumA > 1.000001 || sumB < 0.999999 || sumB > 1.000001 {
		t.Errorf("shares add up to %v and %v", sumA, sumB)
	}
	if len(c.Actors) != 4 {
		t.Errorf("actors %v", c.Actors)
	}
	for id, a := range c.Actors {
		if a.AMeanUtility == nil || a.BMeanUtility == nil || a.Shift == nil || *a.Shift != *a.AMeanUtility-*a.BMeanUtility ||
			a.ShiftCILow == nil || a.ShiftCIHigh == nil || *a.ShiftCILow > *a.Shift || *a.Shift > *a.ShiftCIHigh || *a.ShiftCILow == *a.ShiftCIHigh {
			t.Errorf("actor %q: %+v", id, a)
		}
	}
	// --set-b changes B only: without a mediator and with a hawkish US,
	// fewer deals.
	if ag := c.Outcomes["agreement"]; *ag.DiffCILow <= 0 {
		t.Errorf("agreement: A %v, B %v, interval [%v, %v]; want A above B", *ag.AShare, *ag.BShare, *ag.DiffCILow, *ag.DiffCIHigh)
	}
	// A is the same as a plain run with the same seed.
	_, runOut, _ := parley(t, "run", "korea-2018", "--runs", "500", "--format", "json")
	var r struct {
		Outcomes map[string]struct{ Share float64 } `json:"outcomes"`
	}
	if err := json.Unmarshal([]byte(runOut), &r); err != nil {
		t.Fatal(err)
	}
	for name, o := range c.Outcomes {
		if *o.AShare != r.Outcomes[name].Share {
			t.Errorf("%s: compare's A share %v, run's %v", name, *o.AShare, r.Outcomes[name].Share)
		}
	}
}

// The same seed gives byte-identical JSON whatever the number of workers.
func TestCompareDeterministicAcrossWorkers(t *testing.T) {
	runs := "700"
	if testenv.Quick() {
		runs = "300" // two chunks of 256 runs an arm
	}
	var first string
	for _, w := range []string{"1", "3"} {
		code, out, errs := parley(t, "compare", "korea-2018", "korea-2018-no-china", "--runs", runs, "--seed", "9", "--workers", w, "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Fatalf("--workers %s gave different JSON", w)
		}
	}
}

func TestCompareTableAndFile(t *testing.T) {
	code, table, errs := parley(t, "compare", "korea-2018", "korea-2018", "--runs", "300", "--set-a", "protocol.mediator=none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"A: korea-2018, 300 runs, seed 20180327, --set protocol.mediator=none", "B uses the same seed",
		"95% interval of A − B", "agreement", "paired proportions", "North Korea", "Shift A − B"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	path := filepath.Join(t.TempDir(), "c.json")
	_, out, _ := parley(t, "compare", "korea-2018", "trade-deal", "--runs", "300", "--format", "json")
	if code, _, errs := parley(t, "compare", "korea-2018", "trade-deal", "--runs", "300", "--format", "json", "-o", path); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(path); string(b) != out {
		t.Error("-o FILE differs from standard output")
	}
	// Scenarios with different actors: only the shared ones are compared.
	var c compareJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil || len(c.Actors) != 0 {
		t.Errorf("korea-2018 against trade-deal: actors %v (%v)", c.Actors, err)
	}
}

func TestCompareUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"compare", "--help"}, 0, ""},
		{[]string{"compare"}, 2, "two scenarios"},
		{[]string{"compare", "korea-2018"}, 2, "two scenarios"},
		{[]string{"compare", "korea-2018", "korea-2018", "korea-2018"}, 2, "two scenarios"},
		{[]string{"compare", "korea-2018", "korea-2018", "--runs", "0"}, 2, "--runs"},
		{[]string{"compare", "korea-2018", "korea-2018", "--workers", "-1"}, 2, "--workers"},
		{[]string{"compare", "korea-2018", "korea-2018", "--format", "xml"}, 2, "--format"},
		{[]string{"compare", "korea-2018", "korea-2018", "--set", "horizon=3"}, 2, "-set"},
		{[]string{"compare", "korea-2018", "korea-2018", "--set-b", "nope"}, 2, "key.path=value"},
		{[]string{"compare", "korea-2018", "no-such-scenario"}, 2, "scenario B: scenarios: no file and no built-in"},
		{[]string{"compare", "korea-2018", "korea-2018", "--set-a", "actors.us.hawkishnes=0.9"}, 2, `scenario A: --set: actors.us.hawkishnes: no such key`},
		{[]string{"compare", "korea-2018", "korea-2018", "--set-b", "actors.us.hawkishness=2"}, 2, "scenario B: --set: actors.us.hawkishness: must be in [0, 1]"},
	} {
		code, _, errs := parley(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("parley %v: exit %d, want %d; stderr lacks %q:\n%s", tc.args, code, tc.code, tc.msg, errs)
		}
	}
}

// A scenario paired with itself differs in nothing: every difference is
// exactly zero, while the independent design sees sampling noise.
func TestComparePairedSelf(t *testing.T) {
	c := compareOf(t, "korea-2018", "korea-2018", "--runs", quickRuns(400, 200))
	for name, o := range c.Outcomes {
		if *o.Diff != 0 || *o.AShare != *o.BShare {
			t.Errorf("%s: A %v, B %v, difference %v; want exactly zero", name, *o.AShare, *o.BShare, *o.Diff)
		}
	}
	for id, a := range c.Actors {
		if *a.Shift != 0 || *a.ShiftCILow != 0 || *a.ShiftCIHigh != 0 {
			t.Errorf("%s: shift %v [%v, %v]; want exactly zero", id, *a.Shift, *a.ShiftCILow, *a.ShiftCIHigh)
		}
	}
	ind := compareOf(t, "korea-2018", "korea-2018", "--runs", quickRuns(400, 200), "--independent")
	if *ind.Outcomes["agreement"].Diff == 0 {
		t.Error("independent batches of 400 runs gave exactly the same share of agreements: B is not independent")
	}
}

// Pairing narrows the intervals: on korea-2018's variants against it, the
// paired interval of each outcome's difference is narrower than the
// independent one (at 2,000 runs a side), for every outcome some run
// reached on either side.
func TestComparePairedNarrower(t *testing.T) {
	testenv.Heavy(t) // four batches of 2,000 runs
	for _, v := range []string{"korea-2018-hawkish-us", "korea-2018-new-administration"} {
		p := compareOf(t, v, "korea-2018", "--runs", "2000")
		ind := compareOf(t, v, "korea-2018", "--runs", "2000", "--independent")
		for name, o := range p.Outcomes {
			if *o.AShare == 0 && *o.BShare == 0 {
				continue
			}
			pw, iw := *o.DiffCIHigh-*o.DiffCILow, *ind.Outcomes[name].DiffCIHigh-*ind.Outcomes[name].DiffCILow
			t.Logf("%s, %s: paired interval %.4f wide, independent %.4f", v, name, pw, iw)
			if pw >= iw {
				t.Errorf("%s, %s: the paired interval (%.4f wide) is no narrower than the independent one (%.4f)", v, name, pw, iw)
			}
		}
	}
}

// --format csv gives the comparison's numbers as tidy rows.
func TestCompareCSV(t *testing.T) {
	runs := quickRuns(300, 100)
	c := compareOf(t, "korea-2018-hawkish-us", "korea-2018", "--runs", runs)
	code, out, errs := parley(t, "compare", "korea-2018-hawkish-us", "korea-2018", "--runs", runs, "--format", "csv")
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
	}
	for key, want := range map[string]float64{
		"outcome,conflict,diff_ci_high": *c.Outcomes["conflict"].DiffCIHigh,
		"outcome,agreement,a_share":     *c.Outcomes["agreement"].AShare,
		"actor,us,shift_ci_low":         *c.Actors["us"].ShiftCILow,
	} {
		if got, err := strconv.ParseFloat(vals[key], 64); err != nil || got != want {
			t.Errorf("%s = %q, the JSON gives %v", key, vals[key], want)
		}
	}
	if vals["comparison,paired,design"] != "1" || strings.Join(rows[0], ",") != "section,name,stat,value" {
		t.Errorf("header %v, design row %q", rows[0], vals["comparison,paired,design"])
	}
}

func TestCompareInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errs := parleyCtx(t, ctx, "compare", "korea-2018", "korea-2018", "--runs", "100000")
	if code != 1 || !strings.Contains(errs, "interrupted") || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errs)
	}
}

// splitmix64 matches the reference implementation's first output for seed 0
// and for seed 1234567 (Vigna, splitmix64.c).
func TestSplitmix64(t *testing.T) {
	for _, tc := range []struct{ in, want uint64 }{{0, 0xe220a8397b1dcdaf}, {1234567, 6457827717110365317}} {
		if got := splitmix64(tc.in); got != tc.want {
			t.Errorf("splitmix64(%d) = %d (%#x), want %d", tc.in, got, got, tc.want)
		}
	}
}
