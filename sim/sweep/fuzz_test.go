package sweep

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// FuzzParse checks that a sweep file, whatever it holds, is either parsed
// or refused with a non-empty scenarios.ErrorList: never a panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/sweeps/*.toml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("scenario = \"korea-2018\"\n[[vary]]\nkey = \"title\"\nvalues = [\"a\\nb\"]\n"))
	f.Add([]byte("scenario = \"korea-2018\"\ndesign = \"lhs\"\npoints = 3\n[[vary]]\nkey = \"dynamics.trust\"\nmin = 0\nmax = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Keep the design small: a fuzzer that finds points = 10^9 is
		// right that it is allowed, and would spend its time computing it.
		if bytes.Contains(data, []byte("points")) || bytes.Contains(data, []byte("step")) {
			return
		}
		s, err := Parse(filepath.Join("../../testdata/sweeps", "fuzz.toml"), data)
		if err != nil {
			var list scenarios.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse error %T %v is not a non-empty ErrorList", err, err)
			}
			return
		}
		if s.Len() < 1 || s.Hash() == "" {
			t.Fatalf("parsed a sweep of %d points, hash %q", s.Len(), s.Hash())
		}
	})
}

// FuzzPartReaders checks that ScanPart and Merge, given any bytes as a
// part, return rows and an error, never a panic, and that what ScanPart
// accepts as complete rows Merge accepts too when it is the whole sweep.
func FuzzPartReaders(f *testing.F) {
	f.Add([]byte("point,x\n1,a\n2,b\n"), 2)
	f.Add([]byte("point,x\n1,\"a\n"), 1)
	f.Add([]byte("point,x\n1,a,b\n"), 1)
	f.Add([]byte("{\"point\":1}\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, points int) {
		if points < 0 || points > 1000 {
			return
		}
		header := []byte("point,x\n")
		rows, end, err := ScanPart(bytes.NewReader(data), "f.csv", header, Shard{}, points, nil)
		if end < 0 || end > int64(len(data)) || rows < 0 || rows > points {
			t.Fatalf("ScanPart: %d rows, end %d of %d bytes", rows, end, len(data))
		}
		if err == nil && rows == points && int64(len(data)) == end && bytes.HasPrefix(data, header) {
			m := Manifest{Sweep: "h", Format: "csv", Shard: 1, Shards: 1, Points: points}
			var out bytes.Buffer
			if _, err := Merge(&out, []Part{{Name: "f.csv", Manifest: m, R: bytes.NewReader(data)}}, nil); err != nil {
				t.Fatalf("ScanPart accepts %q whole, Merge refuses it: %v", data, err)
			}
			if !bytes.Equal(out.Bytes(), data) {
				t.Fatalf("Merge of one whole part changed it")
			}
		}
		_, _ = Merge(&bytes.Buffer{}, []Part{{Name: "g.csv", Manifest: Manifest{Sweep: "h", Format: "csv", Shard: 1, Shards: 1, Points: points}, R: strings.NewReader(string(data))}}, nil)
	})
}
