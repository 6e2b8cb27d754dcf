package scenarios

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The built-in EC case loads with Table 1's numbers, in file order.
func TestSpatialBuiltin(t *testing.T) {
	sc, sp, err := LoadAny("ec-emissions-1994", nil)
	if err != nil || sc != nil || sp == nil {
		t.Fatalf("LoadAny = %v, %v, %v", sc, sp, err)
	}
	if sp.File != "ec-emissions-1994" || sp.ID != "ec-emissions-1994" || sp.Title == "" || sp.Question == "" || len(sp.Sources) == 0 || sp.Digest == "" {
		t.Errorf("header: %+v", sp)
	}
	if len(sp.Dimensions) != 1 || sp.Dimensions[0].Unit != "years" || sp.Dimensions[0].HasScale {
		t.Errorf("dimensions: %+v", sp.Dimensions)
	}
	// Bueno de Mesquita (1994), Table 1.
	want := []struct {
		id        string
		c, x, sal float64
	}{
		{"netherlands", 0.08, 4, 0.8}, {"belgium", 0.08, 7, 0.4}, {"luxembourg", 0.03, 4, 0.2},
		{"germany", 0.16, 4, 0.8}, {"france", 0.16, 10, 0.6}, {"italy", 0.16, 10, 0.6},
		{"uk", 0.16, 10, 0.9}, {"ireland", 0.05, 7, 0.1}, {"denmark", 0.05, 4, 1.0}, {"greece", 0.08, 7, 0.7},
	}
	if len(sp.Actors) != len(want) {
		t.Fatalf("%d actors, want %d", len(sp.Actors), len(want))
	}
	for i, w := range want {
		a := sp.Actors[i]
		if a.ID != w.id || a.Capability.Value != w.c || a.Position[0].Value != w.x || a.Salience[0].Value != w.sal {
			t.Errorf("actor %d = %s %v/%v/%v, want %+v", i, a.ID, a.Capability.Value, a.Position[0].Value, a.Salience[0].Value, w)
		}
	}

	// The agent-based loader refuses it, by name, with an error that
	// matches ErrSpatial and ErrInvalid.
	_, err = Load("ec-emissions-1994", nil)
	var ke *KindError
	if !errors.As(err, &ke) || ke.Name != "ec-emissions-1994" || !errors.Is(err, ErrSpatial) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Load = %v", err)
	}
	if !strings.Contains(err.Error(), "ec-emissions-1994 is a spatial (forecast) scenario") || !strings.Contains(err.Error(), "'parley forecast'") {
		t.Errorf("Load error %q does not say how to forecast it", err)
	}

	// The lists: Builtins is the engine's, AllBuiltins has the spatial one.
	all := AllBuiltins()
	i := slices.IndexFunc(all, func(b Builtin) bool { return b.Name == "ec-emissions-1994" })
	if i < 0 || all[i].Kind != KindSpatial || all[i].Title != sp.Title {
		t.Errorf("AllBuiltins: %+v", all)
	}
	for _, b := range Builtins() {
		if b.Kind != KindAgent {
			t.Errorf("Builtins lists %s, of kind %s", b.Name, b.Kind)
		}
	}
	if len(Builtins()) != len(all)-1 {
		t.Errorf("Builtins has %d, AllBuiltins %d", len(Builtins()), len(all))
	}
}

// Several dimensions, distributions, --set and a variant of a spatial
// scenario, and show's Flatten of one.
func TestSpatialFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"s.toml": `kind = "spatial"
id = "two"
title = "Two dimensions"
question = "Where do they end?"

[dimensions.tariffs]
name = "Tariffs"
unit = "per cent"
min = 0
max = 20

[dimensions.quotas]

[actors.a]
name = "Alpha"
capability = { dist = "uniform", min = 1, max = 2 }
position = { tariffs = 5, quotas = { dist = "normal", mean = 3, sd = 1 } }
salience = { tariffs = 0.5, quotas = 1 }

[actors.b]
capability = 2
position = { quotas = -4, tariffs = 15 }
salience = { tariffs = 1, quotas = 0.25 }
`,
		"v.toml": `base = "s.toml"
id = "two-v"
[set]
"actors.b.position.tariffs" = 10
`,
	})
	_, sp, err := LoadAny(filepath.Join(dir, "s.toml"), []Override{{Path: "actors.a.salience.tariffs", Value: "0.75"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Dimensions) != 2 || sp.Dimensions[0].Name != "Tariffs" || sp.Dimensions[1].Name != "quotas" ||
		!sp.Dimensions[0].HasScale || sp.Dimensions[0].Min != 0 || sp.Dimensions[0].Max != 20 || sp.Dimensions[1].HasScale {
		t.Errorf("dimensions: %+v", sp.Dimensions)
	}
	a, b := sp.Actors[0], sp.Actors[1]
	if a.Name != "Alpha" || b.Name != "b" || a.Capability.Dist == nil || a.Position[1].Dist == nil ||
		a.Position[1].Path != "actors.a.position.quotas" || a.Salience[0].Value != 0.75 {
		t.Errorf("actor a: %+v", a)
	}
	if b.Position[0].Value != 15 || b.Position[1].Value != -4 || b.Position[0].Min != 0 || b.Position[0].Max != 20 {
		t.Errorf("actor b: %+v (positions follow the dimensions' order, within the scale)", b)
	}

	_, sp, err = LoadAny(filepath.Join(dir, "v.toml"), nil)
	if err != nil || sp.ID != "two-v" || sp.Actors[1].Position[0].Value != 10 {
		t.Fatalf("variant: %v, %+v", err, sp)
	}
	_, _, err = LoadAny(filepath.Join(dir, "s.toml"), []Override{{Path: "actors.b.position.tariffs", Value: "30"}})
	if err == nil || !strings.Contains(err.Error(), "--set: actors.b.position.tariffs: must be in [0, 20], got 30") {
		t.Errorf("--set out of the scale: %v", err)
	}

	flat, err := Flatten(filepath.Join(dir, "v.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, again, err := ParseAny("flat.toml", flat.TOML, nil)
	if err != nil || again.ID != "two-v" || again.Actors[1].Position[0].Value != 10 {
		t.Errorf("flattened variant: %v\n%s", err, flat.TOML)
	}
	if _, err := LoadSpatial("korea-2018", nil); err == nil {
		t.Error("LoadSpatial read an agent-based scenario")
	}
}

// An agent-based actor's capability is optional, DefaultCapability when
// unset; kind is "agent" when given, and any other kind is an error.
func TestAgentCapabilityAndKind(t *testing.T) {
	sc, err := Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sc.Actors {
		if a.Capability.Value != DefaultCapability || !a.Capability.IsConst() {
			t.Errorf("%s: capability %+v, want the default %v", a.ID, a.Capability, DefaultCapability)
		}
	}
	src := string(mustBuiltin(t, "trade-deal"))
	withCap := "kind = \"agent\"\n" + src
	sc, err = Parse("t.toml", []byte(withCap), []Override{{Path: "kind", Value: "agent"}})
	if err != nil {
		t.Fatalf("kind = \"agent\": %v", err)
	}
	id := sc.Actors[0].ID
	withCap = strings.Replace(withCap, "[actors."+id+"]\n", "[actors."+id+"]\ncapability = 3\n", 1)
	sc, err = Parse("t.toml", []byte(withCap), nil)
	if err != nil || sc.Actors[0].Capability.Value != 3 || sc.Actors[1].Capability.Value != DefaultCapability {
		t.Fatalf("capability = 3: %v", err)
	}
	_, err = Parse("t.toml", []byte(strings.Replace(withCap, `kind = "agent"`, `kind = "spatail"`, 1)), nil)
	if err == nil || !strings.Contains(err.Error(), `kind: expected one of "agent", "spatial", got "spatail"; did you mean "spatial"?`) {
		t.Errorf("kind = spatail: %v", err)
	}
	_, err = Parse("t.toml", []byte(strings.Replace(withCap, "capability = 3", "capability = -1", 1)), nil)
	if err == nil || !strings.Contains(err.Error(), "capability: must be >= 0, got -1") {
		t.Errorf("capability = -1: %v", err)
	}
}

func mustBuiltin(t *testing.T, name string) []byte {
	t.Helper()
	src, err := BuiltinSource(name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
