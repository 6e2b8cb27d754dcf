package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse, with or without an override, never panics
// and fails only with an ErrorList, and that the locator and ScalarPaths
// cope with whatever parses.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../testdata/scenarios/bad/*.toml")
	files = append(files, validFile)
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	data, _ := os.ReadFile(validFile)
	f.Add(data, `actors.us.hawkishness={dist="beta",alpha=1,beta=2}`)
	f.Add(data, "actors.us.hawkishness.max=0.1")
	f.Add(data, `actors.us.values.nuclear."partial freeze"=0.5`)
	f.Add([]byte("a = 1"), "a")
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var ovs []Override
		if o, err := ParseOverride(set); err == nil {
			ovs = append(ovs, o)
		}
		s, err := Parse("fuzz.toml", data, ovs)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse error %T %v is not a non-empty ErrorList", err, err)
			}
			return
		}
		if s == nil || len(s.Actors) < 2 || len(s.Issues) < 1 {
			t.Fatalf("Parse accepted an incomplete scenario: %+v", s)
		}
		locate(string(data))
		if _, err := ScalarPaths(data); err != nil {
			t.Fatalf("ScalarPaths failed on a valid scenario: %v", err)
		}
	})
}
