package results

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// The timeline columns of the per-run rows say what each run's trace shows:
// the turn of the first deal, of every collapse, breakdown and resumption,
// and the turn the final state began.
func TestRunRowsTimeline(t *testing.T) {
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rows, err := NewRunRowsWriter(&out, m)
	if err != nil {
		t.Fatal(err)
	}
	const runs = 300
	w := sim.NewWorker(m)
	var trs []sim.Trace
	for run := 1; run <= runs; run++ {
		var tr sim.Trace
		w.Run(21, run, &tr)
		trs = append(trs, tr)
		chunk := NewRunRows(sc)
		chunk.Add(&tr.Record)
		rows.Merge(chunk)
	}
	got, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := got[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %q in %v", name, head)
		}
		return i
	}
	inputs := m.Inputs()
	if len(inputs) < 5 {
		t.Fatalf("korea-2018 draws %d numbers; the test needs its distributions", len(inputs))
	}
	if !slices.Equal(head[len(head)-len(inputs):], inputs) {
		t.Fatalf("the drawn inputs %v must be the last columns: %v", inputs, head)
	}
	if !slices.Equal(head[len(head)-len(inputs)-7:len(head)-len(inputs)], []string{"first_deal_turn", "collapse_turns", "breakdown_turns", "resumption_turns", "partial", "partial_deals", "deal_turns"}) {
		t.Fatalf("the timeline columns, then the steps' columns, must follow the columns of earlier versions: %v", head)
	}
	turns := func(tr *sim.Trace, k sim.StepKind) string {
		var s []string
		for _, st := range tr.Steps {
			if st.Kind == k {
				s = append(s, strconv.Itoa(st.Turn))
			}
		}
		return strings.Join(s, ";")
	}
	seen := map[string]bool{}
	for i, tr := range trs {
		row := got[i+1]
		first := ""
		if a := turns(&tr, sim.StepAgreement); a != "" {
			first = strings.Split(a, ";")[0]
		}
		steps, partial := 0, false
		for _, st := range tr.Steps {
			if st.Kind == sim.StepAgreement {
				partial = st.Partial
				if st.Partial {
					steps++
				}
			}
			if st.Kind == sim.StepViolation {
				partial = false
			}
		}
		partial = partial && tr.Record.Outcome == sim.Agreement
		for _, c := range []struct{ name, want string }{
			{"first_deal_turn", first},
			{"deal_turns", turns(&tr, sim.StepAgreement)},
			{"partial_deals", strconv.Itoa(steps)},
			{"partial", strconv.FormatBool(partial)},
			{"collapse_turns", turns(&tr, sim.StepViolation)},
			{"breakdown_turns", turns(&tr, sim.StepBreakdown)},
			{"resumption_turns", turns(&tr, sim.StepResume)},
		} {
			if row[col(c.name)] != c.want {
				t.Fatalf("run %d: %s %q, the trace shows %q", i+1, c.name, row[col(c.name)], c.want)
			}
			if c.want != "" && c.want != "0" && c.want != "false" {
				seen[c.name] = true
			}
		}
		// Each drawn input: the value the run drew, as its trace has it.
		for _, p := range inputs {
			x, err := strconv.ParseFloat(row[col(p)], 64)
			if d, ok := tr.Draws[p]; err != nil || !ok || x != d {
				t.Fatalf("run %d: %s = %q, the trace drew %v", i+1, p, row[col(p)], d)
			}
		}
		// end_turn: when the final state began.
		var last sim.StepKind
		switch tr.Record.Outcome {
		case sim.Agreement:
			last = sim.StepAgreement
		case sim.Breakdown:
			last = sim.StepBreakdown
		case sim.Conflict:
			last = sim.StepStrike
		}
		want := sc.Horizon
		if tr.Record.Outcome != sim.Stalemate {
			s := strings.Split(turns(&tr, last), ";")
			want, _ = strconv.Atoi(s[len(s)-1])
		}
		if row[col("end_turn")] != strconv.Itoa(want) {
			t.Fatalf("run %d (%s): end_turn %s, want %d", i+1, row[1], row[col("end_turn")], want)
		}
	}
	for _, c := range []string{"first_deal_turn", "breakdown_turns", "resumption_turns", "deal_turns", "partial_deals", "partial"} {
		if !seen[c] {
			t.Errorf("no run of %d filled %s: the test checks nothing there", runs, c)
		}
	}
}
