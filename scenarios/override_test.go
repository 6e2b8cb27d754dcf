package scenarios

import (
	"cmp"
	"errors"
	"flag"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseOverride(t *testing.T) {
	tests := []struct {
		in   string
		want Override
		ok   bool
	}{
		{"a.b.c=0.5", Override{"a.b.c", "0.5"}, true},
		{" a.b = x ", Override{"a.b", "x"}, true},
		{`x.y={dist="uniform",min=0.2,max=0.4}`, Override{"x.y", `{dist="uniform",min=0.2,max=0.4}`}, true},
		{`a."b=c".d="e=f"`, Override{`a."b=c".d`, `"e=f"`}, true},
		{"a=", Override{"a", ""}, true},
		{"a.b", Override{}, false},
		{"=1", Override{}, false},
		{" =1", Override{}, false},
		{"a..b=1", Override{}, false},
		{"", Override{}, false},
	}
	for _, tt := range tests {
		got, err := ParseOverride(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseOverride(%q) = %+v, %v; want %+v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestOverrides(t *testing.T) {
	tests := []struct {
		name  string
		set   []string
		check func(*Scenario) bool
	}{
		{"float", []string{"actors.us.hawkishness=0.9"}, func(s *Scenario) bool {
			return s.Actors[0].Hawkishness.Value == 0.9 && s.Actors[0].Hawkishness.IsConst()
		}},
		{"integer where float expected", []string{"actors.us.conflict.cost=3"}, func(s *Scenario) bool {
			return s.Actors[0].Conflict.Cost.Value == 3
		}},
		{"distribution replaces constant", []string{`actors.us.provocation={dist="uniform",min=0.2,max=0.4}`}, func(s *Scenario) bool {
			p := s.Actors[0].Provocation
			return p.Dist != nil && p.Dist.A == 0.2 && p.Dist.B == 0.4 && math.Abs(p.Value-0.3) < 1e-12
		}},
		{"constant replaces distribution", []string{"actors.us.hawkishness=0.25"}, func(s *Scenario) bool {
			return s.Actors[0].Hawkishness == Number{Value: 0.25, Min: 0, Max: 1, Path: "actors.us.hawkishness"}
		}},
		{"inside a distribution", []string{"actors.us.hawkishness.max=0.9", "actors.us.hawkishness.mode=0.6"}, func(s *Scenario) bool {
			d := s.Actors[0].Hawkishness.Dist
			return d.B == 0.9 && d.C == 0.6
		}},
		{"set a key of a set table", []string{`dynamics.trust={dist="normal",mean=0.5,sd=0.1}`, "dynamics.trust.sd=0.2"}, func(s *Scenario) bool {
			return s.Dynamics.Trust.Dist.B == 0.2
		}},
		{"bare string", []string{"protocol.agenda=proposer_first"}, func(s *Scenario) bool {
			return s.Protocol.Agenda == AgendaProposerFirst
		}},
		{"quoted string", []string{`actors.rok.values.nuclear.best="dismantle"`}, func(s *Scenario) bool {
			return s.Actors[2].Values[0][3].Value == 1
		}},
		{"string stays a string", []string{"id=2018", "title=true"}, func(s *Scenario) bool {
			return s.ID == "2018" && s.Title == "true"
		}},
		{"quoted key path", []string{`actors.us.values.security.treaty=0.25`, `issues.nuclear.status_quo=partial freeze`}, func(s *Scenario) bool {
			return s.Actors[0].Values[2][2].Value == 0.25 && s.Issues[0].StatusQuo == 1
		}},
		{"array", []string{`protocol.proposers=["us"]`, "events.singapore.turns=[5, 1]"}, func(s *Scenario) bool {
			return len(s.Protocol.Proposers) == 1 && s.Events[1].Turns[0] == 1 && s.Events[1].Turns[1] == 5
		}},
		{"boolean", []string{"actors.us.conflict.strike=false"}, func(s *Scenario) bool {
			return !s.Actors[0].Conflict.Strike
		}},
		{"later wins", []string{"horizon=20", "horizon=30"}, func(s *Scenario) bool { return s.Horizon == 30 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := loadValid(t, overrides(t, tt.set...)...)
			if !tt.check(s) {
				t.Errorf("override %q not applied", tt.set)
			}
		})
	}
}

func overrides(t testing.TB, set ...string) []Override {
	t.Helper()
	var out []Override
	for _, s := range set {
		o, err := ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct {
		name string
		set  []string
		want []string // Error() of each problem, in order
	}{
		{"unknown path", []string{"actors.us.hawkishnes=0.5"}, []string{
			`--set: actors.us.hawkishnes: no such key in the scenario (only keys present in the file can be set); did you mean "actors.us.hawkishness"?`}},
		{"case", []string{"actors.US.hawkishness=0.5"}, []string{
			`--set: actors.US.hawkishness: differs only in case from "actors.us.hawkishness"`}},
		{"path through a scalar", []string{"horizon.x=1"}, []string{
			`--set: horizon.x: no such key in the scenario (only keys present in the file can be set); did you mean "horizon"?`}},
		{"out of range", []string{"actors.us.hawkishness=1.5"}, []string{
			`--set: actors.us.hawkishness: must be in [0, 1], got 1.5`}},
		{"nan", []string{"dynamics.trust=nan"}, []string{
			`--set: dynamics.trust: expected a finite number in [0, 1], got NaN`}},
		{"bad distribution", []string{`actors.us.provocation={dist="normal",mean=1,sd=-1}`}, []string{
			`--set: actors.us.provocation.sd: normal sd must be > 0, got -1`}},
		{"inside a distribution", []string{"actors.us.hawkishness.min=0.9"}, []string{
			`--set: actors.us.hawkishness: triangular min (0.9) must be less than max (0.8)`}},
		{"wrong type", []string{"horizon=soon"}, []string{
			`--set: horizon: expected an integer, got a string ("soon")`}},
		{"unknown actor", []string{"protocol.mediator=chna"}, []string{
			`--set: protocol.mediator: unknown actor "chna"; did you mean "china"?`}},
		{"mediator signatory", []string{"protocol.mediator=us"}, []string{
			`--set: protocol.mediator: the mediator "us" must not be a signatory`}},
		{"several, with file errors", []string{"nope=1", "horizon=2", "actors.dprk.weights.nuclear=-1"}, []string{
			`--set: nope: no such key in the scenario (only keys present in the file can be set)`,
			`--set: actors.dprk.weights.nuclear: must be >= 0, got -1`,
			// A value set by --set can make keys elsewhere in the file wrong.
			`valid.toml:149: events.singapore.turns: must be in [1, 2], got 3`,
			`valid.toml:158: events.midterms.turns: must be in [1, 2], got 8`,
		}},
	}
	data, err := os.ReadFile(validFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("valid.toml", data, overrides(t, tt.set...))
			var list ErrorList
			if !errors.As(err, &list) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse = %v; want an ErrorList", err)
			}
			if got := err.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}

// roundTripFiles are the scenarios whose every settable path is exercised:
// the built-ins and the complete fixture.
func roundTripFiles(t *testing.T) map[string][]byte {
	files := map[string][]byte{}
	for _, b := range Builtins() {
		src, err := BuiltinSource(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		files[b.Name] = src
	}
	data, err := os.ReadFile(validFile)
	if err != nil {
		t.Fatal(err)
	}
	files["valid.toml"] = data
	return files
}

// valueAt returns the decoded value at path, in the scenario data resolves
// to (for a variant, its base with its keys and [set] applied).
func valueAt(t *testing.T, data []byte, path string) any {
	t.Helper()
	root, err := resolved("", data)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := parsePath(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any = root
	for _, k := range segs {
		v = v.(map[string]any)[k]
	}
	return v
}

var fullRoundTrip = flag.Bool("roundtrip.full", false,
	"TestOverrideRoundTrip: try every path of a variant, not only those the variant writes")

// TestOverrideRoundTrip sets every settable path of every built-in (and of
// the fixture) to its own value, which must change nothing, and every
// numeric path to another valid value, which must change the model. A
// variant's paths are those of the scenario it resolves to; all but the
// ones the variant writes are its base's, tried with the base, so by
// default only those are tried (-roundtrip.full tries them all).
func TestOverrideRoundTrip(t *testing.T) {
	for name, data := range roundTripFiles(t) {
		t.Run(name, func(t *testing.T) {
			base, err := Parse(name, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			paths, err := ScalarPaths(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(paths) < 10 {
				t.Fatalf("only %d paths: %v", len(paths), paths)
			}
			if tr, _ := resolve(fileSource(name, data), nil); tr != nil && len(tr.origins) > 0 && !*fullRoundTrip {
				paths = slices.DeleteFunc(paths, func(p string) bool {
					segs, _ := parsePath(p)
					return !slices.ContainsFunc(tr.origins, func(o origin) bool { return hasPrefix(segs, o.path) })
				})
				if len(paths) == 0 {
					t.Fatal("a variant writes no path")
				}
			}
			for _, p := range paths {
				v := valueAt(t, data, p)
				o, err := ParseOverride(p + "=" + render(v))
				if err != nil {
					t.Fatal(err)
				}
				s, err := Parse(name, data, []Override{o})
				if err != nil {
					t.Errorf("--set %s=%s: %v", o.Path, o.Value, err)
					continue
				}
				if !reflect.DeepEqual(s, base) {
					t.Errorf("--set %s=%s changed the scenario", o.Path, o.Value)
				}
				var f float64
				switch x := v.(type) {
				case int64:
					f = float64(x)
				case float64:
					f = x
				default:
					continue
				}
				// Every other valid value must change the model, and some
				// other value must be valid: a zero weight on an issue the
				// actor has no values for can only stay zero.
				loaded := false
				var firstErr error
				for _, c := range candidates(f, v) {
					s, err := Parse(name, data, []Override{{p, c}})
					if err != nil {
						firstErr = cmp.Or(firstErr, err)
						continue
					}
					loaded = true
					// Powers of shapes over two levels change no value.
					if reflect.DeepEqual(s, base) && !strings.HasSuffix(p, ".power") {
						t.Errorf("--set %s=%s (was %s) did not change the model", p, c, render(v))
					}
				}
				if !loaded && !strings.Contains(firstErr.Error(), "has a weight but no values") {
					t.Errorf("no other value of %s is valid: %v", p, firstErr)
				}
			}
		})
	}
}

// candidates returns other values for a number, nearest first.
func candidates(f float64, v any) []string {
	if _, ok := v.(int64); ok {
		n := int64(f)
		return []string{render(n + 1), render(n - 1), render(n + 2)}
	}
	var out []string
	for _, c := range []float64{f * 0.95, f * 1.05, f + 0.01, f - 0.01, f / 2, 0.5, 0.1} {
		if c != f {
			out = append(out, render(c))
		}
	}
	return out
}

func TestScalarPaths(t *testing.T) {
	data := []byte(`
a = 1
[t]
s = "x"
arr = [1, 2]
d = { dist = "normal", mean = 0.5, sd = 0.1 }
sub.b = true
"q k" = 2
`)
	got, err := ScalarPaths(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "t.\"q k\"", "t.arr", "t.d", "t.d.dist", "t.d.mean", "t.d.sd", "t.s", "t.sub.b"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ScalarPaths = %q, want %q", got, want)
	}
	if _, err := ScalarPaths([]byte("a = ")); !errors.Is(err, ErrInvalid) {
		t.Errorf("ScalarPaths(syntax error) = %v", err)
	}
}

func TestRender(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{"a\"b\\\n\x01", `"a\"b\\\n\u0001"`},
		{int64(-3), "-3"},
		{2.0, "2.0"},
		{1e21, "1e+21"},
		{0.1, "0.1"},
		{math.Inf(-1), "-inf"},
		{[]any{int64(1), "x"}, `[1, "x"]`},
		{map[string]any{"b": true, "a b": 1.5}, `{"a b" = 1.5, b = true}`},
	} {
		if got := render(tt.v); got != tt.want {
			t.Errorf("render(%#v) = %s, want %s", tt.v, got, tt.want)
		}
		if got := overrideValue(tt.want, nil); !reflect.DeepEqual(got, tt.v) {
			t.Errorf("overrideValue(%s) = %#v, want %#v", tt.want, got, tt.v)
		}
	}
}
