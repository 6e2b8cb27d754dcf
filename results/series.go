package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Per-turn series: the state of the talks at the end of each turn (the
// engine's Record.Turns), as rows of chosen runs or as bands across all
// runs.

// SeriesVariables returns the names of the per-turn state variables of
// scenario sc, in the order SeriesValues gives them:
//
//	tension, trust, talks (1 while alive), deal (1 while a deal is in
//	force), step (1 while only a step is),
//	<actor>.hawkishness, <actor>.no_deal, <actor>.prevail for each actor,
//	leverage.<actor> for each actor (the mediator's remaining leverage
//	over it; with a mediator only),
//	goodwill.<actor>.<other> for each pair of actors.
func SeriesVariables(sc *scenarios.Scenario) []string {
	v := []string{"tension", "trust", "talks", "deal", "step"}
	for _, a := range sc.Actors {
		v = append(v, a.ID+".hawkishness", a.ID+".no_deal", a.ID+".prevail")
	}
	if sc.Protocol.Mediator >= 0 {
		for _, a := range sc.Actors {
			v = append(v, "leverage."+a.ID)
		}
	}
	for _, a := range sc.Actors {
		for _, b := range sc.Actors {
			if a.ID != b.ID {
				v = append(v, "goodwill."+a.ID+"."+b.ID)
			}
		}
	}
	return v
}

// SeriesValues appends the values of the state variables of turn state t
// to dst, in SeriesVariables' order.
func SeriesValues(dst []float64, sc *scenarios.Scenario, t *sim.TurnState) []float64 {
	b := func(x bool) float64 {
		if x {
			return 1
		}
		return 0
	}
	dst = append(dst, t.Tension, t.Trust, b(t.Talks), b(t.Deal >= 0), b(t.Deal >= 0 && t.Partial))
	for i := range sc.Actors {
		dst = append(dst, t.Hawkishness[i], t.NoDeal[i], t.Prevail[i])
	}
	if sc.Protocol.Mediator >= 0 {
		dst = append(dst, t.Leverage...)
	}
	n := len(sc.Actors)
	for i := range n {
		for j := range n {
			if i != j {
				dst = append(dst, t.Goodwill[i*n+j])
			}
		}
	}
	return dst
}

// SeriesRows is an accumulator (sim.Accumulator) that keeps the per-turn
// rows of chosen runs: one CSV row per run and turn,
//
//	run, turn, <each of SeriesVariables>
//
// runs numbered from 1, floats written in full. The one made by
// NewSeriesRowsWriter writes the rows merged into it, in run order.
type SeriesRows struct {
	sc   *scenarios.Scenario
	keep func(run int) bool
	row  []string
	vals []float64
	csvChunk
}

// NewSeriesRows returns an empty chunk of the rows of the runs keep
// chooses.
func NewSeriesRows(sc *scenarios.Scenario, keep func(run int) bool) *SeriesRows {
	r := &SeriesRows{sc: sc, keep: keep}
	r.init()
	return r
}

// NewSeriesRowsWriter writes the header to w and returns the SeriesRows
// that writes the rows merged into it to w.
func NewSeriesRowsWriter(w io.Writer, sc *scenarios.Scenario, keep func(run int) bool) (*SeriesRows, error) {
	r := NewSeriesRows(sc, keep)
	r.out = w
	head := []string{"run", "turn"}
	for _, v := range SeriesVariables(sc) {
		head = append(head, CSVText(v))
	}
	cw := csv.NewWriter(w)
	_ = cw.Write(head)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("results: writing series: %w", err)
	}
	return r, nil
}

// Add appends the rows of run rec, if it is one of the chosen.
func (r *SeriesRows) Add(rec *sim.Record) {
	if !r.keep(rec.Run) {
		return
	}
	for k := range rec.Turns {
		t := &rec.Turns[k]
		r.vals = SeriesValues(r.vals[:0], r.sc, t)
		row := append(r.row[:0], strconv.Itoa(rec.Run), strconv.Itoa(t.Turn))
		for _, x := range r.vals {
			row = append(row, strconv.FormatFloat(x, 'g', -1, 64))
		}
		r.row = row
		_ = r.cw.Write(row)
	}
}

// Merge appends o's rows: to the writer, for the SeriesRows made by
// NewSeriesRowsWriter, or to r's own rows.
func (r *SeriesRows) Merge(o *SeriesRows) { r.merge(&o.csvChunk) }

// Err returns the first error writing the rows.
func (r *SeriesRows) Err() error {
	if r.err != nil {
		return fmt.Errorf("results: writing series: %w", r.err)
	}
	return nil
}

// Reset empties the chunk.
func (r *SeriesRows) Reset() { r.reset() }

// BandBins is the number of equal bins over [0, 1] in which Bands counts
// each variable's values (every state variable lies in [0, 1]): a
// quantile is the mean of the values in the bin that holds it, within
// 1/BandBins of the exact one, and exact when the bin's values are equal
// (a share of runs: 0 or 1).
const BandBins = 200

// Bands is an accumulator of the per-turn distribution of every state
// variable across runs: for each turn and variable, the number of runs
// that reached the turn, the sum of the values, and a histogram of
// BandBins bins. Its memory does not grow with the number of runs; merged
// in run order, its sums are the same whatever the number of workers. A
// run that ended in a strike counts in the turns it played.
type Bands struct {
	sc   *scenarios.Scenario
	vars int
	runs []int     // runs[t-1]: the runs that reached turn t
	sum  []float64 // sum[(t-1)*vars+v]
	hist []int32   // hist[((t-1)*vars+v)*BandBins+b]
	binS []float64 // the sum of the values in each bin, indexed as hist
	vals []float64
}

// NewBands returns empty bands for runs of sc.
func NewBands(sc *scenarios.Scenario) *Bands {
	v := len(SeriesVariables(sc))
	h := max(sc.Horizon, 0)
	return &Bands{sc: sc, vars: v, runs: make([]int, h), sum: make([]float64, h*v), hist: make([]int32, h*v*BandBins), binS: make([]float64, h*v*BandBins)}
}

// Add folds the turns of run rec.
func (b *Bands) Add(rec *sim.Record) {
	for k := range rec.Turns {
		t := &rec.Turns[k]
		if t.Turn < 1 || t.Turn > len(b.runs) {
			continue
		}
		b.vals = SeriesValues(b.vals[:0], b.sc, t)
		b.runs[t.Turn-1]++
		base := (t.Turn - 1) * b.vars
		for v, x := range b.vals {
			b.sum[base+v] += x
			bin := min(max(int(x*BandBins), 0), BandBins-1)
			b.hist[(base+v)*BandBins+bin]++
			b.binS[(base+v)*BandBins+bin] += x
		}
	}
}

// Merge adds o's runs.
func (b *Bands) Merge(o *Bands) {
	for i := range b.runs {
		b.runs[i] += o.runs[i]
	}
	for i := range b.sum {
		b.sum[i] += o.sum[i]
	}
	for i := range b.hist {
		b.hist[i] += o.hist[i]
		b.binS[i] += o.binS[i]
	}
}

// Reset empties b, keeping its memory.
func (b *Bands) Reset() {
	clear(b.runs)
	clear(b.sum)
	clear(b.hist)
	clear(b.binS)
}

// Band is one variable's distribution at one turn: the runs that reached
// the turn, the mean, and the 10th, 25th, 50th, 75th and 90th
// percentiles (nearest rank over the histogram; see BandBins).
type Band struct {
	Turn                       int
	Variable                   string
	Runs                       int
	Mean                       float64
	P10, P25, Median, P75, P90 float64
}

// Bands returns every variable's band at every turn some run reached,
// turn by turn, variables in SeriesVariables' order.
func (b *Bands) Bands() []Band {
	names := SeriesVariables(b.sc)
	var out []Band
	for t, n := range b.runs {
		if n == 0 {
			continue
		}
		for v, name := range names {
			i := t*b.vars + v
			h := b.hist[i*BandBins : (i+1)*BandBins]
			hs := b.binS[i*BandBins : (i+1)*BandBins]
			q := func(pct int) float64 {
				rank := max((pct*n+99)/100, 1)
				cum := 0
				for k, c := range h {
					cum += int(c)
					if cum >= rank {
						return hs[k] / float64(c)
					}
				}
				return 1
			}
			out = append(out, Band{Turn: t + 1, Variable: name, Runs: n, Mean: b.sum[i] / float64(n),
				P10: q(10), P25: q(25), Median: q(50), P75: q(75), P90: q(90)})
		}
	}
	return out
}

// WriteBandsCSV writes bands as tidy rows with the header
//
//	turn,variable,runs,mean,p10,p25,median,p75,p90
//
// numbers to 12 significant digits.
func WriteBandsCSV(w io.Writer, bands []Band) error {
	cw := csv.NewWriter(w)
	// 12 significant digits: the bands' sums carry rounding in the last
	// few, and their quantiles are within 1/BandBins anyway.
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 12, 64) }
	_ = cw.Write([]string{"turn", "variable", "runs", "mean", "p10", "p25", "median", "p75", "p90"})
	for _, b := range bands {
		_ = cw.Write([]string{strconv.Itoa(b.Turn), CSVText(b.Variable), strconv.Itoa(b.Runs), f(b.Mean), f(b.P10), f(b.P25), f(b.Median), f(b.P75), f(b.P90)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: writing series: %w", err)
	}
	return nil
}
