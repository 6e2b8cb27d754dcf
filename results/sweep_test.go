package results

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func TestSweepTable(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSummary(sc)
	rec := func(o sim.Outcome, u float64) *sim.Record {
		r := &sim.Record{Outcome: o, EndTurn: 3, Utility: make([]float64, len(sc.Actors)), Terms: make([]int, len(sc.Issues))}
		for i := range r.Utility {
			r.Utility[i] = u
		}
		for i := range r.Terms {
			r.Terms[i] = -1
		}
		if o == sim.Agreement {
			clear(r.Terms)
		}
		return r
	}
	s.Add(rec(sim.Agreement, 1))
	s.Add(rec(sim.Breakdown, 0.5))
	s.Add(rec(sim.Breakdown, 0))
	s.Add(rec(sim.Conflict, 0.5))

	keys := []string{"actors.us.hawkishness", `actors.us.values.troops."a,b"`}
	tab, err := NewSweepTable("csv", keys, sc)
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := `point,actors.us.hawkishness,"actors.us.values.troops.""a,b""",` +
		"agreement_share,agreement_ci_low,agreement_ci_high,stalemate_share,stalemate_ci_low,stalemate_ci_high," +
		"breakdown_share,breakdown_ci_low,breakdown_ci_high,conflict_share,conflict_ci_low,conflict_ci_high," +
		"china_mean_utility,us_mean_utility,north_korea_mean_utility,south_korea_mean_utility\n"
	if got := string(tab.Header()); got != wantHeader {
		t.Fatalf("header\n%s\nwant\n%s", got, wantHeader)
	}
	lo, hi := Wilson(2, 4)
	row := string(tab.Row(7, []any{0.25, "x y"}, s))
	want := "7,0.25,x y,0.25," + jsonNum(mustWilsonLo(1, 4)) + "," + jsonNum(mustWilsonHi(1, 4)) +
		",0,0," + jsonNum(mustWilsonHi(0, 4)) +
		",0.5," + jsonNum(lo) + "," + jsonNum(hi) +
		",0.25," + jsonNum(mustWilsonLo(1, 4)) + "," + jsonNum(mustWilsonHi(1, 4)) +
		",0.5,0.5,0.5,0.5\n"
	if row != want {
		t.Fatalf("row\n%s\nwant\n%s", row, want)
	}
	// Text that a spreadsheet would read as a formula gets an
	// apostrophe; numbers, negative ones included, are left alone.
	cells, err := csv.NewReader(strings.NewReader(string(tab.Row(8, []any{-0.25, "=HYPERLINK(\"x\")"}, s)))).Read()
	if err != nil {
		t.Fatal(err)
	}
	if cells[1] != "-0.25" || cells[2] != `'=HYPERLINK("x")` {
		t.Fatalf("cells %q, %q: want -0.25 and '=HYPERLINK(\"x\")", cells[1], cells[2])
	}
	for _, c := range [][2]string{{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-x", "'-x"}, {"@SUM", "'@SUM"}, {"\tx", "'\tx"}, {"plain", "plain"}, {"", ""}, {"a=b", "a=b"}} {
		if got := CSVText(c[0]); got != c[1] {
			t.Errorf("CSVText(%q) = %q, want %q", c[0], got, c[1])
		}
	}

	jt, err := NewSweepTable("jsonl", keys, sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(jt.Header()) != 0 {
		t.Fatal("JSON lines have a header")
	}
	line := jt.Row(7, []any{int64(3), true}, s)
	if !strings.HasPrefix(string(line), `{"point":7,"actors.us.hawkishness":3,"actors.us.values.troops.\"a,b\"":true,"agreement_share":0.25,`) {
		t.Fatalf("JSON line %s", line)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil || m["breakdown_share"] != 0.5 || m["us_mean_utility"] != 0.5 || len(m) != len(jt.Columns()) {
		t.Fatalf("JSON line %s: %v %v", line, m, err)
	}
	if _, err := NewSweepTable("xml", keys, sc); err == nil {
		t.Fatal("format xml accepted")
	}
}

// jsonNum formats x as the sweep table does: shortest exact form.
func jsonNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func mustWilsonLo(k, n int) float64 { lo, _ := Wilson(k, n); return lo }
func mustWilsonHi(k, n int) float64 { _, hi := Wilson(k, n); return hi }
