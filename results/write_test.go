package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"

	"github.com/parley-sim/parley/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenReport is a report of 200 pseudo-random runs of testScenario.
func goldenReport() Report {
	s := NewSummary(testmodel.TwoActors())
	testmodel.Records(200, 11, s.Add)
	return s.Report("test-talks", 11)
}

func TestWriteJSONGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, goldenReport()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "report.golden.json")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("WriteJSON differs from %s (run go test -update if the change is intended):\n%s", path, b.Bytes())
	}
}

func TestWriteJSONContract(t *testing.T) {
	r := goldenReport()
	var b1, b2 bytes.Buffer
	if err := WriteJSON(&b1, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b2, goldenReport()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Error("two identical summaries gave different JSON")
	}
	if !bytes.HasSuffix(b1.Bytes(), []byte("}\n")) || !bytes.HasPrefix(b1.Bytes(), []byte("{\n  \"scenario\"")) {
		t.Errorf("JSON is not indented by two spaces with a trailing newline:\n%s", b1.Bytes())
	}

	// Decode generically and check the keys other tools rely on.
	var m map[string]any
	if err := json.Unmarshal(b1.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	keys := []string{"scenario", "model", "runs", "seed", "outcomes", "partial", "actors", "turns", "terms", "packages", "events", "histograms"}
	if m["model"] != float64(sim.ModelVersion) {
		t.Errorf("JSON model %v, want %d", m["model"], sim.ModelVersion)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON has no %q", k)
		}
	}
	if len(m) != len(keys) {
		t.Errorf("JSON has %d top-level keys, want %d", len(m), len(keys))
	}
	for name, ag := range map[string]any{"outcomes.agreement": m["outcomes"].(map[string]any)["agreement"], "partial": m["partial"]} {
		for _, k := range []string{"count", "share", "ci_low", "ci_high"} {
			if _, ok := ag.(map[string]any)[k]; !ok {
				t.Errorf("%s has no %q", name, k)
			}
		}
	}
	turns := m["turns"].(map[string]any)
	for _, k := range []string{"mean", "min", "p10", "p25", "median", "p75", "p90", "max"} {
		if _, ok := turns[k]; !ok {
			t.Errorf("turns has no %q", k)
		}
	}

	// Without agreements, mean_utility_in_agreement is null.
	s := NewSummary(testmodel.TwoActors())
	s.Add(&sim.Record{Outcome: sim.Breakdown, EndTurn: 3, Utility: []float64{0.5, 0.5}, Terms: []int{-1, -1}})
	var b bytes.Buffer
	if err := WriteJSON(&b, s.Report("t", 1)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"mean_utility_in_agreement": null`) || !strings.Contains(b.String(), `"packages": []`) {
		t.Errorf("JSON without agreements:\n%s", b.String())
	}

	// A report decoded from the JSON encodes to the same bytes.
	var back Report
	if err := json.Unmarshal(b1.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var b3 bytes.Buffer
	if err := WriteJSON(&b3, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b3.Bytes()) {
		t.Error("JSON does not survive a round trip")
	}
}

func TestWriteCSV(t *testing.T) {
	r := goldenReport()
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "section,name,stat,value" {
		t.Errorf("header = %q", got)
	}
	vals := map[string]string{}
	for _, row := range rows[1:] {
		key := strings.Join(row[:3], ",")
		if _, dup := vals[key]; dup {
			t.Errorf("row %q appears twice", key)
		}
		vals[key] = row[3]
	}
	num := func(key string) float64 {
		t.Helper()
		v, ok := vals[key]
		if !ok {
			t.Errorf("no row %q", key)
			return 0
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Errorf("row %q: %v", key, err)
		}
		return x
	}
	check := func(key string, want float64) {
		t.Helper()
		if got := num(key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	check("run,test-talks,runs", 200)
	check("run,test-talks,seed", 11)
	for _, o := range sim.Outcomes {
		st := r.Outcomes.Get(o)
		check("outcome,"+o.String()+",count", float64(st.Count))
		check("outcome,"+o.String()+",share", st.Share)
		check("outcome,"+o.String()+",ci_low", st.CILow)
		check("outcome,"+o.String()+",ci_high", st.CIHigh)
	}
	check("actor,us,mean_utility", r.Actors["us"].MeanUtility)
	check("actor,kp,mean_utility_in_agreement", *r.Actors["kp"].MeanUtilityInAgreement)
	check("turns,,mean", r.Turns.Mean)
	check("turns,,median", float64(r.Turns.Median))
	check("turns,,p90", float64(r.Turns.P90))
	check("term,exercises=suspended,count", float64(r.Terms["exercises"]["suspended"].Count))
	check("term,sanctions=kept,share", r.Terms["sanctions"]["kept"].Share)
	p := r.Packages[0]
	check(fmt.Sprintf("package,exercises=%s;sanctions=%s,count", p.Terms["exercises"], p.Terms["sanctions"]), float64(p.Count))
	check("events,,tests_per_run", r.Events.TestsPerRun)
	check("events,,collapsed_per_run", r.Events.CollapsedPerRun)
	check("events,,steps_per_run", r.Events.StepsPerRun)
	check("partial,agreement,count", float64(r.Partial.Count))
	check("partial,agreement,ci_high", r.Partial.CIHigh)

	// 1 header + 2 run + 16 outcome + 4 partial + 4 actor + 8 turns + 10 term + 2 per package + 5 events.
	if want := 1 + 2 + 16 + 4 + 4 + 8 + 10 + 2*len(r.Packages) + 5; len(rows) != want {
		t.Errorf("%d rows, want %d", len(rows), want)
	}
	// Levels follow scenario order, not sorted order.
	var levels []string
	for _, row := range rows {
		if row[0] == "term" && row[2] == "count" && strings.HasPrefix(row[1], "exercises=") {
			levels = append(levels, row[1])
		}
	}
	if got := strings.Join(levels, " "); got != "exercises=ongoing exercises=scaled exercises=suspended" {
		t.Errorf("term rows in order %s", got)
	}
}

func TestWriteCSVMissingMean(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	s.Add(&sim.Record{Outcome: sim.Stalemate, EndTurn: 12, Utility: []float64{0.5, 0.5}, Terms: []int{-1, -1}})
	var b bytes.Buffer
	if err := WriteCSV(&b, s.Report("t", 0)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\nactor,us,mean_utility_in_agreement,\n") {
		t.Errorf("a missing mean is not an empty value:\n%s", b.String())
	}
}

func TestWriteTable(t *testing.T) {
	sc := testmodel.TwoActors()
	r := goldenReport()
	var b bytes.Buffer
	if err := WriteTable(&b, r, sc); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	t.Log("\n" + out)
	if !strings.HasPrefix(out, "Test talks (test-talks)\n200 runs, seed 11\n") {
		t.Errorf("table does not start with the title, runs and seed:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	bracket := -1
	for _, o := range sim.Outcomes {
		st := r.Outcomes.Get(o)
		interval := fmt.Sprintf("[%.1f%%, %.1f%%]", 100*st.CILow, 100*st.CIHigh)
		var line string
		for _, l := range lines {
			if strings.HasPrefix(l, o.String()+" ") {
				line = l
			}
		}
		if !strings.Contains(line, interval) || !strings.Contains(line, fmt.Sprintf("%.1f%%", 100*st.Share)) {
			t.Errorf("outcome line %q lacks share or interval %s", line, interval)
		}
		// The intervals line up.
		if i := strings.Index(line, "["); bracket < 0 {
			bracket = i
		} else if i != bracket {
			t.Errorf("interval of %s starts at column %d, others at %d", o, i, bracket)
		}
	}
	us, kp := strings.Index(out, "United States"), strings.Index(out, "North Korea")
	if us < 0 || kp < 0 || us > kp {
		t.Errorf("actors missing or not in scenario order:\n%s", out)
	}
	ex, sa := strings.Index(out, "Military exercises"), strings.Index(out, "Sanctions")
	if ex < 0 || sa < 0 || ex > sa {
		t.Errorf("issues missing or not in scenario order:\n%s", out)
	}
	t2 := r.Turns
	if want := fmt.Sprintf("median %d, p10-p90 %d-%d", t2.Median, t2.P10, t2.P90); !strings.Contains(out, want) {
		t.Errorf("table lacks %q", want)
	}
}

func TestWriteTableNoAgreements(t *testing.T) {
	s := NewSummary(testmodel.TwoActors())
	s.Add(&sim.Record{Outcome: sim.Conflict, EndTurn: 2, Utility: []float64{0, 0.25}, Terms: []int{-1, -1}})
	var b bytes.Buffer
	if err := WriteTable(&b, s.Report("t", 0), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "No agreements.") || !strings.Contains(b.String(), "n/a") {
		t.Errorf("table without agreements:\n%s", b.String())
	}
}

type failWriter struct{}

var errFail = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errFail }

func TestWritersReportErrors(t *testing.T) {
	r := goldenReport()
	for name, err := range map[string]error{
		"json":  WriteJSON(failWriter{}, r),
		"csv":   WriteCSV(failWriter{}, r),
		"table": WriteTable(failWriter{}, r, testmodel.TwoActors()),
	} {
		if !errors.Is(err, errFail) {
			t.Errorf("%s: error = %v, want one wrapping %v", name, err, errFail)
		}
	}
}
