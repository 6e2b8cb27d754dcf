package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// writeFiles writes name → content into a new temporary directory and
// returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(validFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestVariant(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"base.toml": fixture(t),
		"v.toml": `base = "base.toml"
id = "hawkish"
title = "Hawkish"
[set]
"actors.us.hawkishness" = { dist = "beta", alpha = 9, beta = 1 }
"actors.dprk.hawkishness" = 0.25           # a distribution becomes a constant
"protocol.mediator" = "none"
"actors.us.values.security.statement" = 0.5
[expected]
against = "korea-2018"
outcome = "conflict"
change = "higher"
why = "hawks strike"
`,
		"vv.toml": `base = "v.toml"
id = "vv"
[set]
"actors.us.hawkishness.alpha" = 3
`,
	})
	base, err := Load(filepath.Join(dir, "base.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Load(filepath.Join(dir, "v.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "hawkish" || v.Title != "Hawkish" || v.Question != base.Question || !reflect.DeepEqual(v.Sources, base.Sources) {
		t.Errorf("id %q title %q question %q sources %q", v.ID, v.Title, v.Question, v.Sources)
	}
	if d := v.Actors[0].Hawkishness.Dist; d == nil || d.Kind != DistBeta || d.A != 9 || d.B != 1 {
		t.Errorf("us hawkishness %+v", v.Actors[0].Hawkishness)
	}
	if h := v.Actors[1].Hawkishness; h.Dist != nil || h.Value != 0.25 {
		t.Errorf("dprk hawkishness %+v", h)
	}
	if v.Protocol.Mediator != -1 || v.Actors[0].Values[2][1].Value != 0.5 {
		t.Errorf("mediator %d, value %v", v.Protocol.Mediator, v.Actors[0].Values[2][1])
	}
	want := &Expected{Against: "korea-2018", Outcome: "conflict", Change: ChangeHigher, Why: "hawks strike"}
	if !reflect.DeepEqual(v.Expected, want) || base.Expected != nil {
		t.Errorf("expected %+v, base's %+v", v.Expected, base.Expected)
	}
	// Its source, [set] included, is not the base's.
	if v.Digest == "" || base.Digest == "" || v.Digest == base.Digest {
		t.Errorf("digests %q and %q", v.Digest, base.Digest)
	}
	// Everything else is the base's.
	v2 := *v
	v2.ID, v2.Title, v2.Expected, v2.File, v2.Digest = base.ID, base.Title, nil, base.File, base.Digest
	v2.Actors = slices.Clone(v.Actors)
	v2.Actors[0].Hawkishness, v2.Actors[1].Hawkishness = base.Actors[0].Hawkishness, base.Actors[1].Hawkishness
	v2.Actors[0].Values = slices.Clone(v.Actors[0].Values)
	v2.Actors[0].Values[2] = base.Actors[0].Values[2]
	v2.Protocol.Mediator = base.Protocol.Mediator
	v2.keys = base.keys // the schema's account of the keys holds their values
	if !reflect.DeepEqual(&v2, base) {
		t.Error("the variant changed more than its [set]")
	}

	// A variant of a variant, and --set after [set].
	vv, err := Load(filepath.Join(dir, "vv.toml"), []Override{{"actors.us.hawkishness.beta", "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := vv.Actors[0].Hawkishness.Dist; vv.ID != "vv" || vv.Title != "Hawkish" || d.A != 3 || d.B != 2 || !reflect.DeepEqual(vv.Expected, want) {
		t.Errorf("variant of a variant: id %q title %q hawkishness %+v expected %+v", vv.ID, vv.Title, d, vv.Expected)
	}

	// ScalarPaths lists the resolved scenario's paths.
	data, _ := os.ReadFile(filepath.Join(dir, "v.toml"))
	t.Chdir(dir) // a relative base is looked for in the working directory
	paths, err := ScalarPaths(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"actors.us.hawkishness.alpha", "horizon", "expected.why", "actors.rok.strategy.kind"} {
		if !slices.Contains(paths, p) {
			t.Errorf("ScalarPaths lacks %s", p)
		}
	}
	for _, p := range paths {
		if strings.HasPrefix(p, "set") || p == "base" || p == "actors.us.hawkishness.mode" {
			t.Errorf("ScalarPaths lists %s", p)
		}
	}
}

func TestVariantErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // Error() of each problem, in order, with DIR for the directory
	}{
		{"unknown set path", map[string]string{"v.toml": `base = "base.toml"
[set]
"actors.us.hawkishnes" = 0.5
"actors.US.hawkishness" = 0.5
"actors.us.hawkishness.max" = 0.3
`}, []string{
			`DIR/v.toml:3: set."actors.us.hawkishnes": no such key in the base scenario (a variant can only change keys the base has); did you mean "actors.us.hawkishness"?`,
			`DIR/v.toml:4: set."actors.US.hawkishness": differs only in case from "actors.us.hawkishness"`,
			`DIR/v.toml:5: actors.us.hawkishness: triangular mode must be in [min, max] = [0.2, 0.3], got 0.5`,
		}},
		{"retired set path", map[string]string{"v.toml": `base = "base.toml"
[set]
"dynamics.strike_rate" = 0.2
"actors.china.strategy.threshold" = 0.5
`}, []string{
			`DIR/v.toml:3: set."dynamics.strike_rate": "strike_rate" is no longer a key: a strike is a decision: ` +
				`an actor strikes when, by its own beliefs, striking is worth more to it than carrying on (actors.<id>.conflict.spread and .pretext) (docs/scenario-format.md, "Changes")`,
			`DIR/v.toml:4: set."actors.china.strategy.threshold": "threshold" is no longer a key: ` +
				`a staller now concedes when a signatory is about to walk out of the talks (docs/scenario-format.md, "Changes")`,
		}},
		{"bad values point at the variant", map[string]string{"v.toml": `base = "base.toml"
title = ""
[set]
"actors.us.hawkishness" = 1.5
"actors.dprk.hawkishness" = { dist = "beta", alpha = -1, beta = 2 }
"horizon" = 2
`}, []string{
			`DIR/base.toml:149: events.singapore.turns: must be in [1, 2], got 3`,
			`DIR/base.toml:158: events.midterms.turns: must be in [1, 2], got 8`,
			`DIR/v.toml:2: title: must not be empty`,
			`DIR/v.toml:4: actors.us.hawkishness: must be in [0, 1], got 1.5`,
			`DIR/v.toml:5: actors.dprk.hawkishness.alpha: beta parameter alpha must be > 0, got -1`,
		}},
		{"--set after [set]", map[string]string{"v.toml": `base = "base.toml"
[set]
"actors.us.hawkishness" = 0.5
`}, nil},
		{"errors in the base point at the base", map[string]string{
			"bad.toml": strings.Replace(fixture(t), "horizon = 36", "horizon = 0", 1),
			"v.toml": `base = "bad.toml"
id = "v"
`}, []string{
			`DIR/bad.toml:8: horizon: must be in [1, 1000], got 0`,
		}},
		{"variant keys", map[string]string{"v.toml": `base = "base.toml"
titel = "x"
horizon = 12
[protocol]
deadline = "breakdown"
`}, []string{
			`DIR/v.toml:2: titel: unknown key "titel" in a variant (a variant may hold "base", "id", "title", "question", "sources", "expected", "classroom", "set"); did you mean "title"?`,
			`DIR/v.toml:3: horizon: unknown key "horizon" in a variant (a variant may hold "base", "id", "title", "question", "sources", "expected", "classroom", "set"); to change the base's horizon, write it in [set]: "horizon" = ...`,
			`DIR/v.toml:4: protocol: unknown key "protocol" in a variant (a variant may hold "base", "id", "title", "question", "sources", "expected", "classroom", "set"); to change the base's protocol, write it in [set]: "protocol" = ...`,
		}},
		{"whole table", map[string]string{"v.toml": `base = "base.toml"
[set]
actors.us.hawkishness = 0.5
`}, []string{
			`DIR/v.toml:3: set.actors: would replace the whole table "actors"; write the key path in quotes, as in "actors.us.hawkishness" = 0.9`,
		}},
		{"missing base", map[string]string{"v.toml": `base = "nope.toml"
`}, []string{
			`DIR/v.toml:1: base: no file "DIR/nope.toml" and no built-in scenario named "nope.toml" (built-ins: BUILTINS)`,
		}},
		{"cycle", map[string]string{
			"v.toml": `base = "w.toml"
`,
			"w.toml": `base = "v.toml"
`}, []string{
			`DIR/w.toml:1: base: the chain of bases forms a cycle (DIR/v.toml → DIR/w.toml → DIR/v.toml)`,
		}},
		{"set without base", map[string]string{"v.toml": fixture(t) + "[set]\n\"horizon\" = 12\n"}, []string{
			`DIR/v.toml:LAST: set: a [set] table needs a base (base = "<built-in name or file>")`,
		}},
		{"expected", map[string]string{"v.toml": `base = "base.toml"
[expected]
against = "korea-2108"
outcome = "conflicts"
change = "more"
`}, []string{
			`DIR/v.toml:2: expected.why: missing required key (a string)`,
			`DIR/v.toml:3: expected.against: no built-in scenario named "korea-2108"; did you mean "korea-2018"?`,
			`DIR/v.toml:4: expected.outcome: expected one of "agreement", "stalemate", "breakdown", "conflict", "settlement", "partial", got "conflicts"; did you mean "conflict"?`,
			`DIR/v.toml:5: expected.change: expected one of "higher", "lower", got "more"`,
		}},
	}
	var names []string
	for _, b := range Builtins() {
		names = append(names, b.Name)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"base.toml": fixture(t)}
			for k, v := range tt.files {
				files[k] = v
			}
			dir := writeFiles(t, files)
			var ovs []Override
			if tt.want == nil {
				ovs = []Override{{"actors.us.hawkishness", "2"}}
				tt.want = []string{`--set: actors.us.hawkishness: must be in [0, 1], got 2`}
			}
			_, err := Load(filepath.Join(dir, "v.toml"), ovs)
			var list ErrorList
			if !errors.As(err, &list) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Load = %v; want an ErrorList", err)
			}
			got := strings.ReplaceAll(err.Error(), dir, "DIR")
			want := strings.ReplaceAll(strings.Join(tt.want, "\n"), "BUILTINS", strings.Join(names, ", "))
			want = strings.ReplaceAll(want, "LAST", strconv.Itoa(strings.Count(files["base.toml"], "\n")+1))
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
