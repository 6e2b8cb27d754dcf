package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

var updateVersion = flag.Bool("update-model", false, "rewrite testdata/model-version.json after a bump of ModelVersion")

// modelGolden is testdata/model-version.json: the model version and, for
// each built-in scenario, a digest of the records of its first runs.
type modelGolden struct {
	Version int `json:"version"`
	// RecordedAt is the model version that recorded the digests of an
	// earlier model's rules (model-2.json, model-3.json), when not that
	// model itself.
	RecordedAt int               `json:"recorded_at,omitempty"`
	Digests    map[string]string `json:"digests"`
}

// recordsDigest digests the records of runs 1..runs of sc with seed 1,
// every field written out.
func recordsDigest(t *testing.T, sc *scenarios.Scenario, runs int) string {
	t.Helper()
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(m)
	h := sha256.New()
	for run := 1; run <= runs; run++ {
		r := w.Run(1, run, nil)
		fmt.Fprintf(h, "%d %d %d %v %v %d %d %d %d %d %v %v %v\n", r.Run, r.Outcome, r.EndTurn, r.Utility, r.Terms,
			r.Tests, r.Strikes, r.Deals, r.Collapsed, r.FirstDeal, r.Collapses, r.Breakdowns, r.Resumptions)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Same-seed results of every built-in scenario change only with
// ModelVersion: when this test fails because the digests changed, the
// engine's results changed; bump ModelVersion (so that sweeps begun with
// the old engine are not resumed or merged with the new) and rewrite the
// file with go test ./sim -run TestModelVersionGolden -update-model.
func TestModelVersionGolden(t *testing.T) {
	const path = "testdata/model-version.json"
	got := modelGolden{Version: ModelVersion, Digests: map[string]string{}}
	for _, b := range scenarios.Builtins() {
		sc, err := scenarios.Load(b.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		got.Digests[b.Name] = recordsDigest(t, sc, 50)
	}
	var want modelGolden
	golden(t, path, *updateVersion, got, &want)
	changed := 0
	for name, d := range got.Digests {
		if want.Digests[name] != d {
			changed++
			t.Logf("%s: results changed (digest %s, was %s)", name, d, want.Digests[name])
		}
	}
	switch {
	case changed > 0 && want.Version == ModelVersion:
		t.Errorf("same-seed results of %d of the built-in scenarios changed but ModelVersion is still %d: bump it, then run go test ./sim -run TestModelVersionGolden -update-model", changed, ModelVersion)
	case want.Version != ModelVersion:
		t.Errorf("ModelVersion is %d and %s records %d: rewrite it with -update-model", ModelVersion, path, want.Version)
	case len(want.Digests) != len(got.Digests):
		t.Errorf("%s has %d scenarios, the library %d: rewrite it with -update-model", path, len(want.Digests), len(got.Digests))
	}
}
