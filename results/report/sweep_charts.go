package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// SweepCharts reads a sweep's CSV rows (as 'parley sweep' writes them) and
// returns, for each numeric varied key and each outcome, a chart of the
// outcome's share against the key with its 95% interval, one series per
// combination of the categorical keys' values. When the points form a grid
// (every combination of the keys' values once), each series is a line with
// its interval as a band, and with several numeric keys each chart shows
// the marginal share: at each value of its key, the mean over the points
// that share that value (and the categorical values). Otherwise (a Latin
// hypercube, Sobol, Morris or one-at-a-time design) each point is a dot
// with its interval as a whisker. The axes name the keys in the words of
// scenario sc, the sweep's scenario (nil: by their key paths); name names
// the sweep in the titles.
func SweepCharts(r io.Reader, name string, sc *scenarios.Scenario) ([]Chart, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("results: reading sweep rows: %w", err)
	}
	if len(rows) < 2 || len(rows[0]) < 2 || rows[0][0] != "point" {
		return nil, fmt.Errorf("results: reading sweep rows: no header and rows")
	}
	head, rows := rows[0], rows[1:]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	first, ok := col[sim.Agreement.String()+"_share"]
	if !ok {
		return nil, fmt.Errorf("results: reading sweep rows: no %s_share column", sim.Agreement)
	}
	keys := head[1:first]
	numeric := make([]bool, len(keys))
	for k := range keys {
		numeric[k] = true
		for _, row := range rows {
			if _, err := strconv.ParseFloat(row[1+k], 64); err != nil {
				numeric[k] = false
				break
			}
		}
	}
	num := func(row []string, c int) float64 {
		x, _ := strconv.ParseFloat(row[c], 64)
		return x
	}
	grid := isGrid(rows, len(keys))
	var charts []Chart
	for k, key := range keys {
		if !numeric[k] {
			continue
		}
		for _, o := range sim.Outcomes {
			c := Chart{
				Name:   fmt.Sprintf("sweep-%s-vs-%s", o, strings.ReplaceAll(key, ".", "_")),
				Title:  fmt.Sprintf("%s: %s share against %s", name, o, KeyLabel(sc, key)),
				XLabel: KeyLabel(sc, key),
				YLabel: fmt.Sprintf("%s (%% of runs), with 95%% interval", o),
				Dots:   !grid,
			}
			// Group rows by the categorical values, then by x.
			type acc struct{ y, lo, hi, n float64 }
			lines := map[string]map[float64]*acc{}
			dots := map[string]*Series{}
			var order []string
			for _, row := range rows {
				var cat []string
				for j, kj := range keys {
					if !numeric[j] {
						cat = append(cat, KeyLabel(sc, kj)+" = "+valueLabel(sc, row[1+j]))
					}
				}
				label := strings.Join(cat, ", ")
				if lines[label] == nil {
					lines[label] = map[float64]*acc{}
					order = append(order, label)
				}
				x := num(row, 1+k)
				if !grid { // each point its own dot: no marginal mean
					s := dots[label]
					if s == nil {
						s = &Series{Name: label}
						dots[label] = s
					}
					s.X, s.Y = append(s.X, x), append(s.Y, 100*num(row, col[o.String()+"_share"]))
					s.Low = append(s.Low, 100*num(row, col[o.String()+"_ci_low"]))
					s.High = append(s.High, 100*num(row, col[o.String()+"_ci_high"]))
					continue
				}
				a := lines[label][x]
				if a == nil {
					a = &acc{}
					lines[label][x] = a
				}
				a.y += num(row, col[o.String()+"_share"])
				a.lo += num(row, col[o.String()+"_ci_low"])
				a.hi += num(row, col[o.String()+"_ci_high"])
				a.n++
			}
			for _, label := range order {
				if !grid {
					c.Series = append(c.Series, *dots[label])
					continue
				}
				xs := make([]float64, 0, len(lines[label]))
				for x := range lines[label] {
					xs = append(xs, x)
				}
				slices.Sort(xs)
				s := Series{Name: label}
				for _, x := range xs {
					a := lines[label][x]
					s.X = append(s.X, x)
					s.Y = append(s.Y, 100*a.y/a.n)
					s.Low = append(s.Low, 100*a.lo/a.n)
					s.High = append(s.High, 100*a.hi/a.n)
				}
				c.Series = append(c.Series, s)
			}
			charts = append(charts, c)
		}
	}
	if len(charts) == 0 {
		return nil, fmt.Errorf("results: the sweep varies no numeric key: nothing to draw against")
	}
	return charts, nil
}

// isGrid reports whether the rows' first n value columns (after the point
// number) hold every combination of their distinct values, each once: a
// grid design, which can be drawn as lines.
func isGrid(rows [][]string, n int) bool {
	distinct := make([]map[string]bool, n)
	for k := range distinct {
		distinct[k] = map[string]bool{}
	}
	points := map[string]bool{}
	for _, row := range rows {
		for k := range n {
			distinct[k][row[1+k]] = true
		}
		points[strings.Join(row[1:1+n], "\x00")] = true
	}
	combos := 1
	for _, d := range distinct {
		combos *= len(d)
		if combos > len(rows) {
			return false
		}
	}
	return combos == len(rows) && len(points) == len(rows)
}
