package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// SweepFormats lists the row formats of a sweep's output.
var SweepFormats = []string{"csv", "jsonl"}

// SweepTable formats the output of a parameter sweep, one row per point:
//
//	point, <each varied key>, then for each outcome <outcome>_share,
//	<outcome>_ci_low, <outcome>_ci_high, then <actor>_mean_utility for
//	each actor
//
// The varied keys' columns are named by their key paths. As CSV the table
// has a header line and no comment lines, so pandas and R read it directly;
// as JSON lines each row is an object with the same fields in the same
// order, and there is no header. Floats are written in the shortest form
// that reads back exactly. Each row is one line, starting with the point
// number.
type SweepTable struct {
	format  string
	columns []string
	nvary   int
}

// NewSweepTable returns the table for a sweep of sc varying keys, in format
// "csv" or "jsonl". The actors' columns follow sc's actor order.
func NewSweepTable(format string, keys []string, sc *scenarios.Scenario) (*SweepTable, error) {
	if format != "csv" && format != "jsonl" {
		return nil, fmt.Errorf("results: sweep format %q: want csv or jsonl", format)
	}
	cols := append([]string{"point"}, keys...)
	for _, o := range sim.Outcomes {
		cols = append(cols, o.String()+"_share", o.String()+"_ci_low", o.String()+"_ci_high")
	}
	for _, a := range sc.Actors {
		cols = append(cols, a.ID+"_mean_utility")
	}
	return &SweepTable{format: format, columns: cols, nvary: len(keys)}, nil
}

// Columns returns the column names.
func (t *SweepTable) Columns() []string { return t.columns }

// Header returns the header line (ending in a newline) for CSV, nothing
// for JSON lines.
func (t *SweepTable) Header() []byte {
	if t.format != "csv" {
		return nil
	}
	return csvLine(t.columns)
}

// Row returns the line (ending in a newline) of point n, whose varied keys
// took values (each a string, int64, float64 or bool; a value's String
// method is used otherwise), summarised by s. It panics if the number of
// values is not the number of keys.
func (t *SweepTable) Row(n int, values []any, s *Summary) []byte {
	if len(values) != t.nvary {
		panic(fmt.Sprintf("results: sweep row with %d values for %d keys", len(values), t.nvary))
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	cells := make([]any, 0, len(t.columns))
	cells = append(cells, n)
	cells = append(cells, values...)
	for _, o := range sim.Outcomes {
		k := s.outcomes[o]
		lo, hi := Wilson(k, s.runs)
		cells = append(cells, ratio(float64(k), s.runs), lo, hi)
	}
	for i := range s.utility {
		cells = append(cells, ratio(s.utility[i], s.runs))
	}
	if t.format == "csv" {
		rec := make([]string, len(cells))
		for i, c := range cells {
			switch x := c.(type) {
			case string:
				rec[i] = CSVText(x)
			case int:
				rec[i] = strconv.Itoa(x)
			case int64:
				rec[i] = strconv.FormatInt(x, 10)
			case float64:
				rec[i] = f(x)
			case bool:
				rec[i] = strconv.FormatBool(x)
			default:
				rec[i] = CSVText(fmt.Sprint(x))
			}
		}
		return csvLine(rec)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range cells {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(t.columns[i])
		b.Write(name)
		b.WriteByte(':')
		switch x := c.(type) {
		case float64:
			b.WriteString(f(x))
		case int, int64, bool, string:
			v, _ := json.Marshal(x)
			b.Write(v)
		default:
			v, _ := json.Marshal(fmt.Sprint(x))
			b.Write(v)
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// csvLine returns one CSV record with its newline.
func csvLine(rec []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(rec) // writing to a bytes.Buffer does not fail
	w.Flush()
	return b.Bytes()
}
