package results

import (
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// A row as written passes; each kind of edit a hand or a spreadsheet makes
// to one cell is refused, saying which cell, in both formats.
func TestCheckSweepRow(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSummary(sc)
	for k, o := range []sim.Outcome{sim.Agreement, sim.Agreement, sim.Breakdown, sim.Conflict, sim.Stalemate, sim.Agreement, sim.Breakdown} {
		r := &sim.Record{Outcome: o, EndTurn: 3, Utility: make([]float64, len(sc.Actors)), Terms: make([]int, len(sc.Issues))}
		for i := range r.Utility {
			r.Utility[i] = float64(k%4) / 4
		}
		for i := range r.Terms {
			r.Terms[i] = -1
		}
		if o == sim.Agreement {
			clear(r.Terms)
		}
		s.Add(r)
	}
	const runs = 7
	values := []any{0.35, "china"}
	for _, format := range []string{"csv", "jsonl"} {
		tab, err := NewSweepTable(format, []string{"actors.us.hawkishness", "protocol.mediator"}, sc)
		if err != nil {
			t.Fatal(err)
		}
		row := string(tab.Row(4, values, s))
		if why := tab.CheckRow(4, values, runs, []byte(row)); why != "" {
			t.Fatalf("%s: the row as written is refused: %s\n%s", format, why, row)
		}
		if why := CheckSweepRow(tab.Header(), 0, []byte(row)); why != "" {
			t.Fatalf("%s: with runs unknown, the row is refused: %s", format, why)
		}
		for _, tc := range []struct {
			name  string
			edits map[string]string // column: its new text
			want  string
		}{
			{"a share not a count", map[string]string{"agreement_share": "0.43"}, "agreement_share = 0.43 is not a whole number of its 7 runs"},
			{"a share moved to another count", map[string]string{"agreement_share": "0.5714285714285714"}, "agreement's interval [0.15821985525146975, 0.7495416354723428] is not the Wilson interval of 4 in 7 runs"},
			{"an interval edited", map[string]string{"conflict_ci_high": "0.52"}, "conflict's interval [0.02567962434474358, 0.52] is not the Wilson interval of 1 in 7 runs"},
			{"shares that do not add up", map[string]string{
				"stalemate_share": "0.2857142857142857", "stalemate_ci_low": "0.08221892400405673", "stalemate_ci_high": "0.6410655481673807",
			}, "its outcomes' shares add up to 8 of its 7 runs"},
			{"a utility out of range", map[string]string{"us_mean_utility": "1.5"}, "us_mean_utility = 1.5 is not a utility between 0 and 1"},
			{"another point's value", map[string]string{"actors.us.hawkishness": "0.45"}, "actors.us.hawkishness = 0.45, but this sweep's point 4 has 0.35"},
			{"another mediator", map[string]string{"protocol.mediator": "none"}, "protocol.mediator = none, but this sweep's point 4 has china"},
		} {
			bad := editRow(t, tab, row, tc.edits)
			if why := tab.CheckRow(4, values, runs, bad); why != tc.want {
				t.Errorf("%s, %s: %q; want %q\n%s", format, tc.name, why, tc.want, bad)
			}
		}
	}
}

// editRow returns row with the cells of the named columns replaced.
func editRow(t *testing.T, tab *SweepTable, row string, edits map[string]string) []byte {
	t.Helper()
	var cols []string
	if tab.format == "csv" {
		cols = tab.columns
	}
	cells, err := parseSweepRow(cols, []byte(row))
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, 0, len(cells))
	for _, c := range cells {
		text := c.text
		if e, ok := edits[c.name]; ok {
			text = e
		}
		vals = append(vals, text)
	}
	if tab.format == "csv" {
		texts := make([]string, len(vals))
		for i, v := range vals {
			texts[i] = v.(string)
		}
		return csvLine(texts)
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range cells {
		if i > 0 {
			b.WriteByte(',')
		}
		text := vals[i].(string)
		if c.name == "protocol.mediator" {
			text = strconv.Quote(text)
		}
		b.WriteString(strconv.Quote(c.name) + ":" + text)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}
