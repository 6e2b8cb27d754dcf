package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// A row read back from a sweep's output, to resume or merge it, is checked
// against what parley writes: the point's varied values (when the sweep is
// known), each outcome's share a whole number of the point's runs, the
// shares adding up to all of them, each interval the Wilson interval of its
// count, each mean utility within [0, 1]. That catches a row edited by hand
// or re-saved by a spreadsheet; it cannot catch a forger who recomputes
// every dependent cell.

// sweepCell is one cell of a row: its column and its text as written.
type sweepCell struct{ name, text string }

// parseSweepRow splits a row line into its cells: a CSV line by the
// columns cols, a JSON line (cols nil) by its own keys, with each value's
// text as written (a string's contents, a number's digits).
func parseSweepRow(cols []string, line []byte) ([]sweepCell, error) {
	if cols != nil {
		rec, err := csv.NewReader(bytes.NewReader(line)).Read()
		if err != nil || len(rec) != len(cols) {
			return nil, fmt.Errorf("not a CSV row of %d columns", len(cols))
		}
		cells := make([]sweepCell, len(cols))
		for i := range cols {
			cells[i] = sweepCell{cols[i], rec[i]}
		}
		return cells, nil
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var cells []sweepCell
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not a JSON object")
		}
		v, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not a JSON object")
		}
		c := sweepCell{name: fmt.Sprint(k)}
		switch x := v.(type) {
		case json.Number:
			c.text = x.String()
		case string:
			c.text = x
		case bool:
			c.text = strconv.FormatBool(x)
		default:
			return nil, fmt.Errorf("%s is not a number, string or boolean", c.name)
		}
		cells = append(cells, c)
	}
	return cells, nil
}

// CheckSweepRow says what is wrong with line, a row of a sweep output with
// the CSV header header (nil for JSON lines) and runs runs a point, or
// returns "". With runs 0 (not known) only the row's shape is checked.
func CheckSweepRow(header []byte, runs int, line []byte) string {
	var cols []string
	if len(header) > 0 {
		var err error
		if cols, err = csv.NewReader(bytes.NewReader(header)).Read(); err != nil {
			return "the header is not a CSV row"
		}
	}
	cells, err := parseSweepRow(cols, line)
	if err != nil {
		return err.Error()
	}
	return checkCells(cells, runs)
}

// checkCells is CheckSweepRow for a row split into its cells.
func checkCells(cells []sweepCell, runs int) string {
	if runs <= 0 {
		return ""
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	text := map[string]string{}
	for _, c := range cells {
		text[c.name] = c.text
	}
	total := 0
	for _, c := range cells {
		switch {
		case strings.HasSuffix(c.name, "_share"):
			share, err := strconv.ParseFloat(c.text, 64)
			k := math.Round(share * float64(runs))
			if err != nil || k < 0 || k > float64(runs) || f(ratio(k, runs)) != c.text {
				return fmt.Sprintf("%s = %s is not a whole number of its %d runs", c.name, c.text, runs)
			}
			base := strings.TrimSuffix(c.name, "_share")
			lo, hi := Wilson(int(k), runs)
			if text[base+"_ci_low"] != f(lo) || text[base+"_ci_high"] != f(hi) {
				return fmt.Sprintf("%s's interval [%s, %s] is not the Wilson interval of %v in %d runs", base, text[base+"_ci_low"], text[base+"_ci_high"], k, runs)
			}
			total += int(k)
		case strings.HasSuffix(c.name, "_mean_utility"):
			u, err := strconv.ParseFloat(c.text, 64)
			if err != nil || !(u >= 0 && u <= 1) {
				return fmt.Sprintf("%s = %s is not a utility between 0 and 1", c.name, c.text)
			}
		}
	}
	if total != runs {
		return fmt.Sprintf("its outcomes' shares add up to %d of its %d runs", total, runs)
	}
	return ""
}

// CheckRow says what is wrong with line as the row of point n, whose
// varied keys took values, in a sweep of runs runs a point, or returns "":
// it must hold the point's number and values as Row writes them, and pass
// CheckSweepRow.
func (t *SweepTable) CheckRow(n int, values []any, runs int, line []byte) string {
	var cols []string // JSON lines name their own cells
	if t.format == "csv" {
		cols = t.columns
	}
	actors := len(t.columns) - 1 - t.nvary - 3*len(sim.Outcomes)
	want, err := parseSweepRow(cols, t.Row(n, values, &Summary{utility: make([]float64, actors)}))
	if err != nil {
		return err.Error()
	}
	got, err := parseSweepRow(cols, line)
	if err != nil {
		return err.Error()
	}
	for i := range min(1+t.nvary, len(want)) {
		switch {
		case i >= len(got) || got[i].name != want[i].name:
			return fmt.Sprintf("column %d is not %s", i+1, want[i].name)
		case got[i].text != want[i].text:
			return fmt.Sprintf("%s = %s, but this sweep's point %d has %s", want[i].name, got[i].text, n, want[i].text)
		}
	}
	return checkCells(got, runs)
}
