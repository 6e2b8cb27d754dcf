package results

import (
	"io"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Provenance says where a batch of results came from, enough to make them
// again: the scenario's id and a digest of its full source (its base chain
// resolved: scenarios.Scenario.Digest), every --set in order, the seed and
// the engine's model version. It holds no time, host or worker count, so
// the outputs it describes stay byte-identical across workers and shards.
type Provenance struct {
	Scenario     string   `json:"scenario"`
	SourceDigest string   `json:"source_digest"`
	Sets         []string `json:"sets"`
	Seed         uint64   `json:"seed"`
	Model        int      `json:"model"`
}

// NewProvenance returns the provenance of runs of sc, loaded with the
// overrides sets ("key.path=value"), played from seed.
func NewProvenance(sc *scenarios.Scenario, sets []string, seed uint64) Provenance {
	if sets == nil {
		sets = []string{}
	}
	return Provenance{Scenario: sc.ID, SourceDigest: sc.Digest, Sets: sets, Seed: seed, Model: sim.ModelVersion}
}

// Manifest is what parley writes beside a CSV file it makes, as
// FILE.manifest.json (the CSV's first line stays its header): what the
// file holds and where it came from.
type Manifest struct {
	// File says what the CSV holds: "report", "runs", "series", "bands"
	// or "comparison".
	File       string       `json:"file"`
	Provenance []Provenance `json:"provenance"`
}

// WriteManifest writes m as JSON indented by two spaces (writeJSON).
func WriteManifest(w io.Writer, m Manifest) error {
	return writeJSON(w, m)
}
