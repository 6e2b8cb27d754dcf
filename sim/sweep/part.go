package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// ErrMismatch is matched (with errors.Is) by errors about output files that
// do not belong together: a file of another sweep, a missing or duplicate
// shard, an incomplete or damaged part.
var ErrMismatch = errors.New("sweep: outputs do not match")

// Manifest describes one output file of a sweep (the whole sweep or a
// shard). It is written beside the output as ManifestPath(output) before
// the first row, and read back to resume and to merge.
type Manifest struct {
	// Sweep is the hash of the sweep definition (Sweep.Hash).
	Sweep string `json:"sweep"`
	// Format is the row format, "csv" or "jsonl".
	Format string `json:"format"`
	// Shard and Shards say which shard the file holds: 1 of 1 for a whole
	// sweep.
	Shard  int `json:"shard"`
	Shards int `json:"shards"`
	// Points is the number of points of the whole sweep.
	Points int `json:"points"`
	// Model is the engine's model version (sim.ModelVersion) the rows
	// were computed with; the hash covers it too.
	Model int `json:"model"`
	// Runs is the number of runs of each point (the hash covers it too),
	// against which a row's counts are checked on resume and merge; 0 in
	// a manifest written before parley recorded it.
	Runs int `json:"runs,omitempty"`
	// Design describes a Sobol or Morris design, which parley sensitivity
	// reads; nil for a grid or a Latin hypercube.
	Design *DesignInfo `json:"design,omitempty"`
}

// DesignInfo is what the sensitivity analyses need to know of a Sobol,
// Morris or one-at-a-time sweep beside its rows: the design, its base samples (Sobol) or
// trajectories (Morris), its grid levels (Morris), its seed and its
// inputs, the keys varied by min and max in point order's layout
// (Sweep.Point).
type DesignInfo struct {
	Design  Design  `json:"design"`
	Samples int     `json:"samples"`
	Levels  int     `json:"levels,omitempty"`
	Seed    uint64  `json:"seed"`
	Inputs  []Input `json:"inputs"`
	// Labels name each input in the scenario's words ("United States:
	// hawkishness"), for the sensitivity charts; the caller fills them
	// in (Sweep.Labels). Absent in a manifest written before parley
	// recorded them.
	Labels map[string]string `json:"labels,omitempty"`
}

// Input is one varied key of a Sobol or Morris design: its range, and
// whether its values are rounded down to integers.
type Input struct {
	Key     string  `json:"key"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Integer bool    `json:"integer,omitempty"`
}

// Info returns the sweep's DesignInfo, or nil for a grid or a Latin
// hypercube.
func (s *Sweep) Info() *DesignInfo {
	if s.Design != Sobol && s.Design != Morris && s.Design != OAT {
		return nil
	}
	d := &DesignInfo{Design: s.Design, Samples: s.Samples, Levels: s.Levels, Seed: s.Seed, Labels: s.Labels}
	for _, i := range s.numeric {
		v := &s.Vary[i]
		d.Inputs = append(d.Inputs, Input{Key: v.Key, Min: v.Min, Max: v.Max, Integer: v.Integer})
	}
	return d
}

// NewManifest returns the manifest of a sweep's output for a shard.
func NewManifest(s *Sweep, format string, sh Shard) Manifest {
	sh = sh.norm()
	return Manifest{Sweep: s.Hash(), Format: format, Shard: sh.K, Shards: sh.N, Points: s.points, Model: sim.ModelVersion, Runs: s.Runs, Design: s.Info()}
}

// Same reports whether m and o describe the same output: the same sweep
// (whose hash covers the design), format, shard and counts.
func (m Manifest) Same(o Manifest) bool {
	m.Design, o.Design = nil, nil
	return m == o
}

// ManifestPath returns the name of the manifest beside an output file.
func ManifestPath(output string) string { return output + ".manifest.json" }

// WriteManifest writes m as indented JSON.
func WriteManifest(w io.Writer, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadManifest reads the manifest beside the output file.
func ReadManifest(output string) (Manifest, error) {
	var m Manifest
	data, err := os.ReadFile(ManifestPath(output))
	if err != nil {
		return m, fmt.Errorf("sweep: %s has no manifest beside it: %w", output, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || m.Sweep == "" || m.Shards < 1 || m.Shard < 1 || m.Shard > m.Shards || m.Points < 0 || m.Runs < 0 {
		return m, fmt.Errorf("%w: %s: not a parley sweep manifest", ErrMismatch, ManifestPath(output))
	}
	return m, nil
}

// Rows are written one point a line, in point order; a line's point number
// is the first number on it (a CSV row starts with it, a JSON line with
// {"point":N). A file may start with a header line.

// rowPoint returns the point number a row line starts with.
func rowPoint(line []byte) (int, bool) {
	s := string(line)
	s = strings.TrimPrefix(s, `{"point":`)
	end := strings.IndexAny(s, ",}")
	if end <= 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:end])
	return n, err == nil && n > 0
}

// badRow says why line is not a whole row of a sweep whose CSV header is
// header (empty for JSON lines), or returns "": a CSV row must parse as one
// record of as many fields as the header has, a JSON line as one object.
func badRow(line, header []byte) string {
	if len(header) == 0 {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			return "not a JSON object"
		}
		return ""
	}
	head, err := csv.NewReader(bytes.NewReader(header)).Read()
	if err != nil {
		return "the header is not a CSV row"
	}
	want := len(head)
	r := csv.NewReader(bytes.NewReader(line))
	r.FieldsPerRecord = -1
	rec, err := r.ReadAll()
	switch {
	case err != nil || len(rec) != 1:
		return "not one CSV row"
	case len(rec[0]) != want:
		return fmt.Sprintf("%d columns, the header has %d", len(rec[0]), want)
	}
	return ""
}

// RowCheck says what is wrong with line as the row of point n of a sweep
// output whose CSV header is header (nil for JSON lines), or returns "".
// ScanPart and Merge check each row's shape themselves; a RowCheck checks
// its contents (results.SweepTable.CheckRow, results.CheckSweepRow).
type RowCheck func(n int, header, line []byte) string

// ScanPart checks an output file of a shard against what the sweep would
// write: the header, then rows for the shard's points in order. It returns
// the number of complete rows and the offset just after the last one: a
// last line cut short (by a crash) is not counted, and the caller truncates
// the file there before appending. name is used in error messages; check,
// when not nil, checks each complete row's contents.
func ScanPart(r io.Reader, name string, header []byte, sh Shard, points int, check RowCheck) (rows int, end int64, err error) {
	br := bufio.NewReader(r)
	if len(header) > 0 {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return 0, 0, nil // not even the header was written in full
		}
		if err != nil {
			return 0, 0, fmt.Errorf("sweep: %s: %w", name, err)
		}
		if !bytes.Equal(line, header) {
			return 0, 0, fmt.Errorf("%w: %s:1: the header differs from this sweep's columns", ErrMismatch, name)
		}
		end = int64(len(line))
	}
	want := sh.Count(points)
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return rows, end, nil
		}
		if err != nil {
			return rows, end, fmt.Errorf("sweep: %s: %w", name, err)
		}
		n, ok := rowPoint(line)
		lineNo := rows + 1
		if len(header) > 0 {
			lineNo++
		}
		switch {
		case !ok:
			return rows, end, fmt.Errorf("%w: %s:%d: not a row of a sweep", ErrMismatch, name, lineNo)
		case rows >= want:
			return rows, end, fmt.Errorf("%w: %s:%d: a row after the last point of shard %v", ErrMismatch, name, lineNo, sh)
		case n != sh.Point(rows):
			return rows, end, fmt.Errorf("%w: %s:%d: row of point %d, want point %d", ErrMismatch, name, lineNo, n, sh.Point(rows))
		}
		why := badRow(line, header)
		if why == "" && check != nil {
			why = check(n, header, line)
		}
		if why != "" {
			return rows, end, fmt.Errorf("%w: %s:%d: the row of point %d is damaged: %s", ErrMismatch, name, lineNo, n, why)
		}
		rows++
		end += int64(len(line))
	}
}

// Part is one output file given to Merge.
type Part struct {
	// Name is the file's name, for messages.
	Name string
	// Manifest is the file's manifest.
	Manifest Manifest
	// R reads the file.
	R io.Reader
}

// Merge writes to w the rows of parts, the shards of one sweep given in
// any order, interleaved into point order: the whole sweep's output,
// byte for byte. It refuses (with an error matching ErrMismatch, naming
// the files) parts of different sweeps or formats, duplicate and missing
// shards, and parts that are incomplete or hold rows they should not. It
// returns the manifest of the merged output (shard 1 of 1). check, when not
// nil, checks each row's contents.
func Merge(w io.Writer, parts []Part, check RowCheck) (Manifest, error) {
	if len(parts) == 0 {
		return Manifest{}, fmt.Errorf("%w: no parts to merge", ErrMismatch)
	}
	first := parts[0]
	m := first.Manifest
	// Maps, not slices sized by the manifest's count: a part may claim any
	// number of shards.
	byShard := map[int]*bufio.Reader{}
	names := map[int]string{}
	for _, p := range parts {
		pm := p.Manifest
		switch {
		case pm.Sweep != m.Sweep:
			return m, fmt.Errorf("%w: %s and %s are outputs of different sweeps (definition hashes %s and %s)", ErrMismatch, first.Name, p.Name, m.Sweep, pm.Sweep)
		case pm.Format != m.Format:
			return m, fmt.Errorf("%w: %s is %s and %s is %s", ErrMismatch, first.Name, m.Format, p.Name, pm.Format)
		case pm.Shards != m.Shards || pm.Points != m.Points || pm.Runs != m.Runs:
			return m, fmt.Errorf("%w: %s is shard %d/%d and %s is shard %d/%d: the same sweep split differently", ErrMismatch, first.Name, m.Shard, m.Shards, p.Name, pm.Shard, pm.Shards)
		case names[pm.Shard] != "":
			return m, fmt.Errorf("%w: %s and %s are both shard %d/%d", ErrMismatch, names[pm.Shard], p.Name, pm.Shard, pm.Shards)
		}
		names[pm.Shard] = p.Name
		byShard[pm.Shard] = bufio.NewReader(p.R)
	}
	if gone := m.Shards - len(names); gone > 20 {
		return m, fmt.Errorf("%w: %s is shard %d of %d: %d shards are missing", ErrMismatch, first.Name, m.Shard, m.Shards, gone)
	}
	var missing []string
	for k := 1; k <= m.Shards; k++ {
		if names[k] == "" {
			missing = append(missing, strconv.Itoa(k))
		}
	}
	if len(missing) > 0 {
		return m, fmt.Errorf("%w: missing shard %s of %d", ErrMismatch, strings.Join(missing, ", "), m.Shards)
	}

	// The header: the first line of a CSV part; all parts must agree.
	var header []byte
	if m.Format == "csv" {
		for k := 1; k <= m.Shards; k++ {
			line, err := byShard[k].ReadBytes('\n')
			if err != nil {
				return m, fmt.Errorf("%w: %s has no header line: it is empty or cut short", ErrMismatch, names[k])
			}
			if header == nil {
				header = line
				if _, err := w.Write(line); err != nil {
					return m, err
				}
			} else if !bytes.Equal(line, header) {
				return m, fmt.Errorf("%w: %s:1: header differs from %s's", ErrMismatch, names[k], names[1])
			}
		}
	}
	sh := Shard{1, m.Shards}
	lines := make([]int, m.Shards+1)
	for n := 1; n <= m.Points; n++ {
		k := sh.Of(n)
		line, err := byShard[k].ReadBytes('\n')
		lines[k]++
		if err == io.EOF {
			return m, fmt.Errorf("%w: %s (shard %d/%d) ends before point %d: the shard is incomplete (finish it with sweep --resume)", ErrMismatch, names[k], k, m.Shards, n)
		}
		if err != nil {
			return m, fmt.Errorf("sweep: %s: %w", names[k], err)
		}
		if got, ok := rowPoint(line); !ok || got != n {
			return m, fmt.Errorf("%w: %s: row %d is not point %d", ErrMismatch, names[k], lines[k], n)
		}
		why := badRow(line, header)
		if why == "" && check != nil {
			why = check(n, header, line)
		}
		if why != "" {
			return m, fmt.Errorf("%w: %s: row %d (point %d) is damaged: %s", ErrMismatch, names[k], lines[k], n, why)
		}
		if _, err := w.Write(line); err != nil {
			return m, err
		}
	}
	for k := 1; k <= m.Shards; k++ {
		if _, err := byShard[k].ReadByte(); err != io.EOF {
			return m, fmt.Errorf("%w: %s (shard %d/%d) holds more than its %d points", ErrMismatch, names[k], k, m.Shards, Shard{k, m.Shards}.Count(m.Points))
		}
	}
	m.Shard, m.Shards = 1, 1
	return m, nil
}
