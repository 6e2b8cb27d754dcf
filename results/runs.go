package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// RunRows writes one CSV row per run: a plain CSV that pandas and R read
// directly. Its columns are
//
//	run, outcome, end_turn, <actor>_utility for each actor,
//	<issue> for each issue (the agreed level, empty without agreement),
//	tests, strikes, deals, collapsed,
//	first_deal_turn, collapse_turns, breakdown_turns, resumption_turns,
//	partial, partial_deals, deal_turns,
//	<key path> for each number the scenario draws (sim.Model.Inputs)
//
// with runs numbered from 1 and floats written in full. end_turn is the
// turn the run's final state began (the strike, the signing of the deal in
// force at the horizon, the last breakdown, or the horizon for a
// stalemate); first_deal_turn is empty when no deal was signed; the last
// three list turns separated by ";" (empty for none), so that "when did the
// talks end" and "how often did they resume" are answerable from the rows.
// partial is true when the run ends in an agreement that is a step (a
// partial deal, its open issues unsettled), partial_deals counts the steps
// signed in the run (the one in force at the end included), and deal_turns
// lists the turn of every deal signed, steps and settlements, in order.
// The last columns hold the run's drawn value of every number given as a
// distribution, named by its key path (actors.us.hawkishness,
// events.new_administration.effects.set_hawkishness.us, ...), in the
// order the engine draws them, so that outcomes can be regressed on
// assumptions from the rows alone. RunRows is an
// accumulator (see sim.Accumulator) that keeps the rows of one chunk of runs;
// the one made by NewRunRowsWriter writes the rows merged into it, in order,
// to its writer.
type RunRows struct {
	sc  *scenarios.Scenario
	row []string
	csvChunk
}

// NewRunRows returns an empty chunk of rows for runs of sc.
func NewRunRows(sc *scenarios.Scenario) *RunRows {
	r := &RunRows{sc: sc}
	r.init()
	return r
}

// NewRunRowsWriter writes the header of m's rows to w and returns the
// RunRows that writes the rows merged into it to w.
func NewRunRowsWriter(w io.Writer, m *sim.Model) (*RunRows, error) {
	sc := m.Scenario
	r := NewRunRows(sc)
	r.out = w
	head := []string{"run", "outcome", "end_turn"}
	for _, a := range sc.Actors {
		head = append(head, CSVText(a.ID+"_utility"))
	}
	for _, is := range sc.Issues {
		head = append(head, CSVText(is.ID))
	}
	head = append(head, "tests", "strikes", "deals", "collapsed",
		"first_deal_turn", "collapse_turns", "breakdown_turns", "resumption_turns",
		"partial", "partial_deals", "deal_turns")
	for _, p := range m.Inputs() {
		head = append(head, CSVText(p))
	}
	cw := csv.NewWriter(w)
	cw.Write(head)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("results: writing runs: %w", err)
	}
	return r, nil
}

// Add appends the row of one run.
func (r *RunRows) Add(rec *sim.Record) {
	row := append(r.row[:0], strconv.Itoa(rec.Run), rec.Outcome.String(), strconv.Itoa(rec.EndTurn))
	for _, u := range rec.Utility {
		row = append(row, strconv.FormatFloat(u, 'g', -1, 64))
	}
	for j, l := range rec.Terms {
		if l >= 0 {
			row = append(row, CSVText(r.sc.Issues[j].Levels[l]))
		} else {
			row = append(row, "")
		}
	}
	row = append(row, strconv.Itoa(rec.Tests), strconv.Itoa(rec.Strikes), strconv.Itoa(rec.Deals), strconv.Itoa(rec.Collapsed))
	first := ""
	if rec.FirstDeal > 0 {
		first = strconv.Itoa(rec.FirstDeal)
	}
	row = append(row, first, turnList(rec.Collapses), turnList(rec.Breakdowns), turnList(rec.Resumptions),
		strconv.FormatBool(rec.Partial), strconv.Itoa(rec.Partials))
	var b []byte
	for i, s := range rec.Signings {
		if i > 0 {
			b = append(b, ';')
		}
		b = strconv.AppendInt(b, int64(s.Turn), 10)
	}
	row = append(row, string(b))
	for _, x := range rec.Inputs {
		row = append(row, strconv.FormatFloat(x, 'g', -1, 64))
	}
	r.row = row
	r.cw.Write(row)
}

// turnList writes turns as "3;12;20".
func turnList(turns []int) string {
	var b []byte
	for i, t := range turns {
		if i > 0 {
			b = append(b, ';')
		}
		b = strconv.AppendInt(b, int64(t), 10)
	}
	return string(b)
}

// Merge appends o's rows: to the writer, for the RunRows made by
// NewRunRowsWriter, or to r's own rows.
func (r *RunRows) Merge(o *RunRows) { r.merge(&o.csvChunk) }

// Reset empties the rows for reuse.
func (r *RunRows) Reset() { r.reset() }

// Err returns the first error writing rows, if any.
func (r *RunRows) Err() error {
	if r.err != nil {
		return fmt.Errorf("results: writing runs: %w", r.err)
	}
	return nil
}
