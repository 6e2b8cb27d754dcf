package results

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"

	"github.com/parley-sim/parley/sim"
)

// turnsRecord is a record of a run of testScenario (two actors, no
// mediator) with the given tensions, one turn each.
func turnsRecord(run int, tension ...float64) *sim.Record {
	r := &sim.Record{Run: run, Utility: []float64{0, 0}, Terms: []int{-1, -1}}
	for k, x := range tension {
		r.Turns = append(r.Turns, sim.TurnState{Turn: k + 1, Tension: x, Trust: 0.5, Talks: k == 0, Deal: -1,
			Hawkishness: []float64{0.1, 0.2}, NoDeal: []float64{0.3, 0.4}, Prevail: []float64{0.5, 0.6},
			Goodwill: []float64{1, 0.25, 0.75, 1}, Leverage: []float64{0, 0}})
	}
	return r
}

// Bands count the runs that reached each turn and give each variable's
// mean and nearest-rank quantiles; a share (talks) is exact; merging
// chunks gives what one accumulator gives.
func TestBands(t *testing.T) {
	sc := testmodel.TwoActors()
	one := NewBands(sc)
	a, b := NewBands(sc), NewBands(sc)
	tensions := [][]float64{{0.1, 0.2}, {0.3, 0.4}, {0.5}, {0.7, 0.8}}
	for i, x := range tensions {
		r := turnsRecord(i+1, x...)
		one.Add(r)
		if i < 2 {
			a.Add(r)
		} else {
			b.Add(r)
		}
	}
	a.Merge(b)
	bands := one.Bands()
	if got := a.Bands(); len(got) != len(bands) {
		t.Fatalf("merged: %d bands, one accumulator %d", len(got), len(bands))
	}
	for i, x := range a.Bands() {
		if x != bands[i] {
			t.Fatalf("merged band %+v, one accumulator %+v", x, bands[i])
		}
	}
	find := func(turn int, v string) Band {
		for _, x := range bands {
			if x.Turn == turn && x.Variable == v {
				return x
			}
		}
		t.Fatalf("no band of %s at turn %d", v, turn)
		return Band{}
	}
	// Turn 1: tensions 0.1, 0.3, 0.5, 0.7; turn 2: 0.2, 0.4, 0.8 (run 3
	// ended at turn 1).
	if x := find(1, "tension"); x.Runs != 4 || x.Mean != 0.4 || x.P10 != 0.1 || x.Median != 0.3 || x.P90 != 0.7 {
		t.Errorf("turn 1: %+v", x)
	}
	if x := find(2, "tension"); x.Runs != 3 || x.Median != 0.4 || x.P25 != 0.2 || x.P75 != 0.8 {
		t.Errorf("turn 2: %+v", x)
	}
	if x := find(1, "talks"); x.Mean != 1 || x.P10 != 1 {
		t.Errorf("talks at turn 1: %+v", x)
	}
	if x := find(2, "talks"); x.Mean != 0 || x.P90 != 0 {
		t.Errorf("talks at turn 2: %+v", x)
	}
	if x := find(1, "goodwill.kp.us"); x.Mean != 0.75 {
		t.Errorf("goodwill of the second actor toward the first: %+v", x)
	}
	var buf bytes.Buffer
	if err := WriteBandsCSV(&buf, bands); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || strings.Join(rows[0], ",") != "turn,variable,runs,mean,p10,p25,median,p75,p90" || len(rows) != 1+len(bands) {
		t.Errorf("CSV: %v rows, header %v, err %v", len(rows), rows[0], err)
	}
}

// The rows of the chosen runs only, one per turn, with every variable.
func TestSeriesRows(t *testing.T) {
	sc := testmodel.TwoActors()
	var buf bytes.Buffer
	w, err := NewSeriesRowsWriter(&buf, sc, func(run int) bool { return run == 2 })
	if err != nil {
		t.Fatal(err)
	}
	chunk := NewSeriesRows(sc, func(run int) bool { return run == 2 })
	chunk.Add(turnsRecord(1, 0.1, 0.2))
	chunk.Add(turnsRecord(2, 0.3, 0.4, 0.6))
	w.Merge(chunk)
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || len(rows[0]) != 2+len(SeriesVariables(sc)) || rows[3][0] != "2" || rows[3][1] != "3" || rows[3][2] != "0.6" {
		t.Errorf("rows %v", rows)
	}
}
