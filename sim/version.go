package sim

// ModelVersion names the engine's results: it changes whenever the same
// scenario, seed and run give a different record (a rule changed, a draw
// was added or moved). Sweep outputs record it, so a sweep is never
// resumed or merged across versions; TestModelVersionGolden fails when
// results change and it did not.
//
// 1: the first release's hazard engine. 2: the model of decisions
// (strikes, walk-outs, backing, reopenings). 3: private preferences
// (misperception and learning; beliefs.go), which korea-2018 sets. 4:
// step-by-step deals (protocol.partial_deals; steps.go), which korea-2018
// allows. 5: a random stream of its own for every purpose (streams.go), so
// that runs of two variants with the same seed share their random numbers
// (paired comparisons); the same distributions, other draws.
const ModelVersion = 5
