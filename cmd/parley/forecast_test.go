package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/forecast"
)

// keysOf returns the sorted keys of a JSON object.
func keysOf(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// The EC case reproduces the open replication of Scholz et al. (Q = 1):
// the weighted mean position after rounds 1-10, from a starting median
// of 7.0 and mean of 7.39; and the JSON holds exactly the contract's keys.
func TestForecastJSONContract(t *testing.T) {
	code, out, errs := parley(t, "forecast", "ec-emissions-1994", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	if got := keysOf(top); !reflect.DeepEqual(got, []string{"model", "rounds", "scenario"}) {
		t.Errorf("top-level keys %v", got)
	}
	var doc struct {
		Scenario string
		Model    string
		Rounds   []map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Scenario != "ec-emissions-1994" || doc.Model != "scholz" || len(doc.Rounds) != 11 {
		t.Fatalf("scenario %q, model %q, %d rounds", doc.Scenario, doc.Model, len(doc.Rounds))
	}
	ids := []string{"belgium", "denmark", "france", "germany", "greece", "ireland", "italy", "luxembourg", "netherlands", "uk"}
	published := []float64{7.39, 7.46, 7.55, 7.59, 7.36, 7.35, 7.41, 7.51, 7.57, 7.32, 7.24}
	for k, r := range doc.Rounds {
		if got := keysOf(r); !reflect.DeepEqual(got, []string{"mean", "median", "positions", "round"}) {
			t.Errorf("round %d keys %v", k, got)
		}
		var round struct {
			Round     int
			Mean      float64
			Median    float64
			Positions map[string]float64
		}
		raw, _ := json.Marshal(r)
		if err := json.Unmarshal(raw, &round); err != nil {
			t.Fatal(err)
		}
		if round.Round != k {
			t.Errorf("round %d numbered %d", k, round.Round)
		}
		if math.Abs(round.Mean-published[k]) > 0.005 {
			t.Errorf("round %d: weighted mean %.4f, published %.2f", k, round.Mean, published[k])
		}
		var got []string
		for id := range round.Positions {
			got = append(got, id)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, ids) {
			t.Errorf("round %d positions of %v", k, got)
		}
		if k == 0 && (round.Median != 7 || round.Positions["uk"] != 10 || round.Positions["denmark"] != 4) {
			t.Errorf("round 0: median %v, positions %v; want Table 1's", round.Median, round.Positions)
		}
	}
	// The positions are in the scenario's order of actors, as written.
	if i, j := strings.Index(out, `"netherlands"`), strings.Index(out, `"belgium"`); i < 0 || j < i {
		t.Error("positions are not in the scenario's order")
	}
}

// With --runs above 1 each round adds the median's 95% band and its
// quantiles; the output is byte-identical whatever --workers.
func TestForecastRunsDeterministic(t *testing.T) {
	args := []string{"forecast", "ec-emissions-1994", "--runs", "60", "--format", "json",
		"--set", `actors.uk.position={ dist = "uniform", min = 6, max = 10 }`,
		"--set", `actors.germany.salience={ dist = "beta", alpha = 8, beta = 2 }`}
	var first string
	for _, w := range []string{"1", "2", "5"} {
		code, out, errs := parley(t, append(args, "--workers", w)...)
		if code != 0 {
			t.Fatalf("--workers %s: exit %d: %s", w, code, errs)
		}
		if first == "" {
			first = out
			continue
		}
		if out != first {
			t.Errorf("--workers %s: output differs from --workers 1", w)
		}
	}
	var doc struct {
		Rounds []struct {
			Median     float64
			MedianLow  *float64 `json:"median_low"`
			MedianHigh *float64 `json:"median_high"`
			Quantiles  map[string]float64
			Positions  map[string]float64
		}
	}
	if err := json.Unmarshal([]byte(first), &doc); err != nil {
		t.Fatal(err)
	}
	wide := false
	for k, r := range doc.Rounds {
		if r.MedianLow == nil || r.MedianHigh == nil || len(r.Quantiles) != len(forecastProbs) || len(r.Positions) != 10 {
			t.Fatalf("round %d lacks its band, quantiles or positions: %+v", k, r)
		}
		if !(*r.MedianLow <= r.Median && r.Median <= *r.MedianHigh) {
			t.Errorf("round %d: median %v outside its band [%v, %v]", k, r.Median, *r.MedianLow, *r.MedianHigh)
		}
		if *r.MedianHigh > *r.MedianLow {
			wide = true
		}
	}
	if !wide {
		t.Error("uncertain inputs gave no band any width")
	}
	if _, out2, _ := parley(t, append(args, "--seed", "2")...); out2 == first {
		t.Error("another seed gave the same output")
	}
	// The table gives the band and the interval.
	code, out, errs := parley(t, "forecast", "ec-emissions-1994", "--runs", "60", "--rounds", "3",
		"--set", `actors.uk.position={ dist = "uniform", min = 6, max = 10 }`)
	if code != 0 || !strings.Contains(out, "95% of runs") || !strings.Contains(out, "After round 3 the weighted median lies between") ||
		!strings.Contains(out, "60 runs (seed 20180327)") {
		t.Errorf("table: exit %d\n%s%s", code, out, errs)
	}
}

// The table tells the rounds in display names, and its weighted means are
// the published ones.
func TestForecastTable(t *testing.T) {
	code, out, errs := parley(t, "forecast", "ec-emissions-1994", "--rounds", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Delay before stricter car-emission standards (years)",
		"Start: weighted mean 7.39, weighted median 7.00.",
		"Round 1: ", "weighted mean 7.46", "Round 3: ", "weighted mean 7.59",
		"Positions by round", "United Kingdom ", "weighted median",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Round 4") || strings.Contains(out, " uk ") {
		t.Errorf("more rounds than asked, or an id for a name:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  ") && strings.Contains(line, " to ") && !strings.Contains(line, " expects ") {
			t.Errorf("a move without its expected utilities: %q", line)
		}
	}
}

// --offers tells every challenge of every round, taken or not, with both
// expected utilities: the model's own offers, one line each, the taken
// ones its moves; in JSON each round adds its moves and offers. It tells
// one forecast, so it refuses --runs above 1.
func TestForecastOffers(t *testing.T) {
	sp, err := scenarios.LoadSpatial("ec-emissions-1994", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := forecast.Central(forecast.SpatialProblem(sp), forecast.Options{Rounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	rounds := c[0]
	code, out, errs := parley(t, "forecast", "ec-emissions-1994", "--rounds", "2", "--offers")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	offers, taken := 0, 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "    ") && strings.Contains(line, " expects ") {
			offers++
			if strings.HasSuffix(line, ", taken") {
				taken++
			}
		}
	}
	wantOffers, wantMoves := len(rounds[1].Offers)+len(rounds[2].Offers), len(rounds[1].Moves)+len(rounds[2].Moves)
	if offers != wantOffers || taken != wantMoves || wantOffers <= wantMoves {
		t.Errorf("%d offer lines, %d taken; the model made %d offers and %d moves:\n%s", offers, taken, wantOffers, wantMoves, out)
	}
	for _, want := range []string{"The challenges: ", "France to Belgium: compromise, 7.00 to 8.42 (France expects +0.24 from the challenge, Belgium -0.11), taken", "capitulation"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q", want)
		}
	}

	_, js, _ := parley(t, "forecast", "ec-emissions-1994", "--rounds", "2", "--offers", "--format", "json")
	var doc struct {
		Rounds []struct {
			Moves, Offers []struct {
				Actor, From, Kind string
				EUChallenge       float64 `json:"eu_challenge"`
				To                float64
			}
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rounds) != 3 || len(doc.Rounds[1].Offers) != len(rounds[1].Offers) || len(doc.Rounds[1].Moves) != len(rounds[1].Moves) ||
		doc.Rounds[1].Moves[0].Actor != "belgium" || doc.Rounds[1].Moves[0].From != "france" || doc.Rounds[1].Moves[0].Kind != "compromise" {
		t.Errorf("JSON rounds with --offers: %+v", doc.Rounds)
	}
	if code, _, errs := parley(t, "forecast", "ec-emissions-1994", "--offers", "--runs", "10"); code != 2 || !strings.Contains(errs, "--offers tells one forecast") {
		t.Errorf("--offers with --runs 10: exit %d, %s", code, errs)
	}
}

// A spatial scenario: run gives its forecast summary; analyze, narrate,
// play and the rest of the engine's commands refuse it by name.
func TestSpatialScenarioCommands(t *testing.T) {
	code, out, errs := parley(t, "run", "ec-emissions-1994", "--runs", "20")
	if code != 0 || !strings.Contains(out, "20 runs") || !strings.Contains(out, "After round 10 the weighted median lies between") {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = parley(t, "run", "ec-emissions-1994", "--runs", "20", "--format", "json")
	var doc struct{ Rounds []map[string]any }
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Rounds) != 11 || doc.Rounds[0]["median_low"] == nil {
		t.Errorf("run --format json: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"analyze", "ec-emissions-1994"},
		{"narrate", "ec-emissions-1994"},
		{"play", "ec-emissions-1994", "--as", "uk"},
		{"report", "ec-emissions-1994", "-o", filepath.Join(t.TempDir(), "r.html")},
		{"compare", "korea-2018", "ec-emissions-1994", "--runs", "10"},
	} {
		code, out, errs := parley(t, args...)
		want := fmt.Sprintf("ec-emissions-1994 is a spatial (forecast) scenario: %s works on agent-based scenarios only; use 'parley forecast ec-emissions-1994'", args[0])
		if code != 2 || out != "" || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", args[0], code, errs, want)
		}
	}
	code, _, errs = parley(t, "run", "ec-emissions-1994", "--runs", "5", "--runs-out", filepath.Join(t.TempDir(), "r.csv"))
	if code != 2 || !strings.Contains(errs, "spatial (forecast) scenario") {
		t.Errorf("run --runs-out: exit %d, %s", code, errs)
	}
}

// Every spatial built-in is listed, validates, shows as written, and runs
// under 'parley run'.
func TestSpatialBuiltins(t *testing.T) {
	code, list, _ := parley(t, "list")
	n := 0
	for _, b := range scenarios.AllBuiltins() {
		if b.Kind != scenarios.KindSpatial {
			continue
		}
		n++
		if code != 0 || !strings.Contains(list, b.Name) {
			t.Errorf("list lacks %s:\n%s", b.Name, list)
		}
		if code, out, errs := parley(t, "validate", b.Name); code != 0 || !strings.Contains(out, "a spatial scenario") {
			t.Errorf("validate %s: exit %d %s%s", b.Name, code, out, errs)
		}
		src, _ := scenarios.BuiltinSource(b.Name)
		if code, out, _ := parley(t, "show", b.Name); code != 0 || out != string(src) {
			t.Errorf("show %s: exit %d", b.Name, code)
		}
		if code, _, errs := parley(t, "run", b.Name, "--runs", "300", "--format", "json"); code != 0 {
			t.Errorf("run %s: exit %d: %s", b.Name, code, errs)
		}
	}
	if n == 0 {
		t.Fatal("no spatial built-in")
	}
	code, out, _ := parley(t, "list", "--format", "json")
	var items []struct{ Name, Title, Kind string }
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil ||
		!slices.Contains(items, struct{ Name, Title, Kind string }{"ec-emissions-1994", "EC member states on the delay before stricter car-emission standards", "spatial"}) {
		t.Errorf("list --format json: %s", out)
	}
}

// A bad spatial file is refused with file, line and key, by forecast as
// by validate.
func TestForecastBadFiles(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/scenarios/bad/spatial-*.toml")
	if len(files) < 3 {
		t.Fatalf("%d bad spatial files", len(files))
	}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		code, out, errs := parley(t, "forecast", f)
		if code != 2 || out != "" {
			t.Errorf("%s: exit %d, want 2", f, code)
		}
		for _, line := range strings.Split(string(src), "\n") {
			m := wantLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if want := fmt.Sprintf("%s:%s: %s:", f, m[1], m[2]); !strings.Contains(errs, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errs)
			}
		}
	}
	for _, args := range [][]string{
		{"--q", "0"}, {"--q", "1.5"}, {"--model", "kapsarc"}, {"--rounds", "0"}, {"--runs", "0"},
		{"--plot", filepath.Join(t.TempDir(), "c.pdf")}, {"--format", "xml"},
	} {
		if code, _, errs := parley(t, append([]string{"forecast", "ec-emissions-1994"}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errs)
		}
	}
}

// Several dimensions: each is forecast, and JSON nests them under
// "dimensions"; CSV has a row per dimension and round.
func TestForecastDimensions(t *testing.T) {
	f := filepath.Join(t.TempDir(), "two.toml")
	err := os.WriteFile(f, []byte(`kind = "spatial"
id = "two"
title = "Two dimensions"
question = "Where do they end?"

[dimensions.tariffs]
name = "Tariffs"
unit = "per cent"
min = 0
max = 20

[dimensions.quotas]
name = "Quotas"

[actors.a]
name = "Alpha"
capability = 2
position = { tariffs = 2, quotas = 10 }
salience = { tariffs = 0.9, quotas = 0.3 }

[actors.b]
name = "Beta"
capability = 1
position = { tariffs = 15, quotas = 0 }
salience = { tariffs = 0.4, quotas = 0.8 }

[actors.c]
name = "Gamma"
capability = 1
position = { tariffs = 10, quotas = 5 }
salience = { tariffs = 0.6, quotas = 0.6 }
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := parley(t, "forecast", f, "--format", "json", "--rounds", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Scenario   string
		Dimensions []struct {
			Dimension string
			Name      string
			Rounds    []struct {
				Round     int
				Positions map[string]float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Scenario != "two" || len(doc.Dimensions) != 2 || doc.Dimensions[0].Dimension != "tariffs" || doc.Dimensions[1].Name != "Quotas" {
		t.Fatalf("%s", out)
	}
	if p := doc.Dimensions[1].Rounds[0].Positions; p["a"] != 10 || p["b"] != 0 || p["c"] != 5 {
		t.Errorf("quotas start at %v", p)
	}
	code, out, _ = parley(t, "forecast", f, "--format", "csv", "--rounds", "4")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || lines[0] != "dimension,round,mean,median,a,b,c" || !strings.HasPrefix(lines[1], "tariffs,0,") {
		t.Errorf("csv: exit %d\n%s", code, out)
	}
	code, out, _ = parley(t, "forecast", f, "--rounds", "2")
	if code != 0 || !strings.Contains(out, "Tariffs (per cent)") || !strings.Contains(out, "\nQuotas\n") || !strings.Contains(out, "Gamma") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

// korea-2018 seen as a spatial model: one row per issue, the forecast set
// beside the engine's agreed levels.
func TestForecastKorea(t *testing.T) {
	code, out, errs := parley(t, "forecast", "korea-2018", "--engine-runs", "60")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"issue", "forecast", "agreed most often", "mean agreed level", "'parley run' with the same seed: 60 runs"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, is := range sc.Issues {
		if !strings.Contains(out, "\n"+is.Name+" ") {
			t.Errorf("no row for %s:\n%s", is.Name, out)
		}
	}
	code, out, errs = parley(t, "forecast", "korea-2018", "--engine-runs", "60", "--format", "json", "--rounds", "2")
	var doc struct {
		Dimensions []struct {
			Dimension    string
			Rounds       []struct{ Positions map[string]float64 }
			AgreedLevels map[string]float64 `json:"agreed_levels"`
		}
		Engine struct{ Runs, Agreements int }
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("json: exit %d: %s", code, errs)
	}
	if len(doc.Dimensions) != len(sc.Issues) || doc.Engine.Runs != 60 {
		t.Fatalf("%d dimensions, engine %+v", len(doc.Dimensions), doc.Engine)
	}
	for j, d := range doc.Dimensions {
		is := sc.Issues[j]
		if d.Dimension != is.ID || len(d.AgreedLevels) != len(is.Levels) {
			t.Errorf("dimension %d: %s with %d agreed levels", j, d.Dimension, len(d.AgreedLevels))
		}
		sum := 0.0
		for _, s := range d.AgreedLevels {
			sum += s
		}
		if doc.Engine.Agreements > 0 && math.Abs(sum-1) > 1e-9 {
			t.Errorf("%s: agreed levels' shares sum to %v", is.ID, sum)
		}
		for id, x := range d.Rounds[0].Positions {
			if x < 0 || x > float64(len(is.Levels)-1) || x != math.Trunc(x) {
				t.Errorf("%s on %s starts at %v, not a level", id, is.ID, x)
			}
		}
	}
}

// --plot draws the per-round median and mean into a PNG or SVG file; the
// chart's numbers are the forecast's.
func TestForecastPlot(t *testing.T) {
	dir := t.TempDir()
	png, svg := filepath.Join(dir, "ec.png"), filepath.Join(dir, "ec.svg")
	for _, f := range []string{png, svg} {
		code, _, errs := parley(t, "forecast", "ec-emissions-1994", "--plot", f, "--runs", "20",
			"--set", `actors.uk.position={ dist = "uniform", min = 6, max = 10 }`)
		if code != 0 || !strings.Contains(errs, "wrote the chart to "+f) {
			t.Fatalf("exit %d: %s", code, errs)
		}
	}
	if b, _ := os.ReadFile(png); !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Error("the .png file is not a PNG")
	}
	if b, _ := os.ReadFile(svg); !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("weighted median")) {
		t.Error("the .svg file is not an SVG with a legend")
	}

	_, sp, err := scenarios.LoadAny("ec-emissions-1994", nil)
	if err != nil {
		t.Fatal(err)
	}
	job := newForecastJob(nil, sp)
	job.opt.Rounds, job.opt.Q, job.runs = 10, 1, 1
	res, err := (&env{ctx: t.Context(), stderr: &bytes.Buffer{}}).playForecast(job)
	if err != nil {
		t.Fatal(err)
	}
	c := forecastChart(res)
	if len(c.Series) != 2 || c.Series[0].Name != "weighted median" || c.Series[1].Name != "weighted mean" {
		t.Fatalf("series %+v", c.Series)
	}
	for k, r := range res.central[0] {
		if c.Series[0].X[k] != float64(k) || c.Series[0].Y[k] != r.Median || c.Series[1].Y[k] != r.Mean {
			t.Errorf("round %d: chart (%v, %v, %v), forecast median %v mean %v", k, c.Series[0].X[k], c.Series[0].Y[k], c.Series[1].Y[k], r.Median, r.Mean)
		}
	}
}
