package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// SweepCharts reads a sweep's CSV rows (as 'parley sweep' writes them) and
// returns, for each numeric varied key and each outcome, a chart of the
// outcome's share against the key with its 95% interval as a band, one line
// per combination of the categorical keys' values. With several numeric
// keys, each chart shows the marginal share: at each value of its key, the
// mean over the points that share that value (and the categorical values).
func SweepCharts(r io.Reader, name string) ([]Chart, error) {
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
	var charts []Chart
	for k, key := range keys {
		if !numeric[k] {
			continue
		}
		for _, o := range sim.Outcomes {
			c := Chart{
				Name:   fmt.Sprintf("sweep-%s-vs-%s", o, strings.ReplaceAll(key, ".", "_")),
				Title:  fmt.Sprintf("%s: %s share against %s", name, o, key),
				XLabel: key,
				YLabel: fmt.Sprintf("%s (%% of runs), with 95%% interval", o),
			}
			// Group rows by the categorical values, then by x.
			type acc struct{ y, lo, hi, n float64 }
			lines := map[string]map[float64]*acc{}
			var order []string
			for _, row := range rows {
				var cat []string
				for j, kj := range keys {
					if !numeric[j] {
						cat = append(cat, kj+"="+row[1+j])
					}
				}
				label := strings.Join(cat, ", ")
				if lines[label] == nil {
					lines[label] = map[float64]*acc{}
					order = append(order, label)
				}
				x := num(row, 1+k)
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
