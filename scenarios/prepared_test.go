package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// A prepared scenario parses as Parse does, whatever the overrides: the
// same scenario, or the same errors; and parsing it leaves it as it was,
// from many goroutines at once.
func TestPreparedParsesAsParse(t *testing.T) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, b := range Builtins() {
		data, err := BuiltinSource(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{b.Name + ".toml", data})
	}
	bad, _ := filepath.Glob(filepath.Join("..", "testdata", "scenarios", "bad", "*.toml"))
	for _, f := range append(bad, filepath.Join("..", "testdata", "scenarios", "valid.toml")) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{f, data})
	}
	sets := [][]Override{
		nil,
		{{Path: "actors.us.hawkishness", Value: "0.9"}, {Path: "protocol.mediator", Value: `"none"`}},
		{{Path: "actors.us.hawkishness", Value: "{ dist = \"uniform\", min = 0.2, max = 0.4 }"}},
		{{Path: "actors.us.hawkishness", Value: "7"}},  // out of range
		{{Path: "actors.us.hawkishnes", Value: "0.5"}}, // unknown key
		{{Path: "horizon", Value: `"long"`}},           // wrong type
		{{Path: "dynamics.trust", Value: "0.1"}, {Path: "horizon", Value: "24"}},
	}
	for _, in := range inputs {
		p, perr := Prepare(in.name, in.data)
		for k, set := range sets {
			want, werr := Parse(in.name, in.data, set)
			if perr != nil {
				// What Prepare refuses, Parse refuses whatever the overrides.
				if werr == nil {
					t.Errorf("%s: Prepare: %v, but Parse with %v succeeds", in.name, perr, set)
				}
				continue
			}
			got, gerr := p.Parse(set)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Errorf("%s, set %d: Prepared.Parse error %v, Parse error %v", in.name, k, gerr, werr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, set %d: Prepared.Parse and Parse give different scenarios", in.name, k)
			}
		}
		if perr != nil {
			continue
		}
		// Concurrent parses with overrides leave the prepared tree as it
		// was: a parse without overrides still gives Parse's scenario.
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for _, set := range sets {
					_, _ = p.Parse(set)
				}
			})
		}
		wg.Wait()
		want, _ := Parse(in.name, in.data, nil)
		if got, _ := p.Parse(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: parsing with overrides changed the prepared scenario", in.name)
		}
	}
}
