package play

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"
)

// FuzzTranscript checks that any bytes given as a transcript are read and
// resolved against korea-2018 or refused with an error, never a panic.
func FuzzTranscript(f *testing.F) {
	m := testmodel.Load(f, "korea-2018")
	f.Add([]byte(`{"format":"parley-transcript/2","scenario":"korea-2018","seed":1,"run":1,"seats":["us"],"decisions":[{"turn":1,"kind":"strike","actor":"us","target":"dprk","choice":"no"}]}`))
	f.Add([]byte(`{"format":"parley-transcript/2","run":0}`))
	f.Add([]byte(`{"format":"parley-transcript/1"}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ReadTranscript(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "play: ") {
				t.Fatalf("error %q does not say where it comes from", err)
			}
			return
		}
		_, _, _ = tr.Resolve(m)
	})
}
