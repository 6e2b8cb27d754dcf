package scenarios

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const validFile = "../testdata/scenarios/valid.toml"

func loadValid(t testing.TB, overrides ...Override) *Scenario {
	t.Helper()
	s, err := Load(validFile, overrides)
	if err != nil {
		t.Fatalf("Load(%s): %v", validFile, err)
	}
	return s
}

func TestValid(t *testing.T) {
	s := loadValid(t)
	us, dprk, rok, china, japan := s.Actors[0], s.Actors[1], s.Actors[2], s.Actors[3], s.Actors[4]
	uniform := func(a, b float64) *Distribution { return &Distribution{Kind: DistUniform, A: a, B: b} }
	tests := []struct {
		name      string
		got, want any
	}{
		{"id", s.ID, "valid-fixture"},
		{"file", s.File, validFile},
		{"sources", s.Sources, []string{"Fearon (1995)", "Faratin, Sierra & Jennings (1998)"}},
		{"horizon", s.Horizon, 36},
		{"start", s.Start, "2018-04"},
		{"issue order", []string{s.Issues[0].ID, s.Issues[1].ID, s.Issues[2].ID}, []string{"nuclear", "sanctions", "security"}},
		{"issue name default", s.Issues[1].Name, "sanctions"},
		{"issue levels", s.Issues[0].Levels, []string{"none", "partial freeze", "freeze", "dismantle"}},
		{"actor order", actorIDs(s), []string{"us", "dprk", "rok", "china", "japan", "russia"}},
		{"actor name default", japan.Name, "japan"},
		{"constant weight", us.Weights[0], Number{Value: 0.6, Min: 0, Max: math.Inf(1), Path: "actors.us.weights.nuclear"}},
		{"distribution weight", us.Weights[2], Number{Value: 0.2, Dist: uniform(0.1, 0.3), Min: 0, Max: math.Inf(1), Path: "actors.us.weights.security"}},
		{"unlisted weight", japan.Weights[1], Number{Min: 0, Max: math.Inf(1), Path: "actors.japan.weights.sanctions"}},
		{"dotted weights", []float64{dprk.Weights[0].Value, dprk.Weights[1].Value, dprk.Weights[2].Value}, []float64{0.5, 0.3, 0.2}},
		{"convex values", values(us.Values[0]), []float64{0, 1.0 / 27, 8.0 / 27, 1}},
		{"linear values toward first", values(us.Values[1]), []float64{1, 0.5, 0}},
		{"level values", us.Values[2][1], Number{Value: 0.5, Dist: &Distribution{Kind: DistBeta, A: 2, B: 2, Lo: 0, Hi: 1}, Min: 0, Max: 1, Path: "actors.us.values.security.statement"}},
		{"concave values", values(dprk.Values[0]), []float64{1, math.Pow(2.0/3, 0.3), math.Pow(1.0/3, 0.3), 0}},
		{"concave default power", values(rok.Values[1]), []float64{0, math.Sqrt(0.5), 1}},
		{"threshold values", values(dprk.Values[1]), []float64{0, 1, 1}},
		{"threshold values 2", values(china.Values[2]), []float64{0, 1, 1}},
		{"peak values", values(rok.Values[0]), []float64{0, 0.5, 1, 0.5}},
		{"no values", values(china.Values[0]), []float64{0, 0, 0, 0}},
		{"shape value path", rok.Values[0][1].Path, `actors.rok.values.nuclear."partial freeze"`},
		{"link", us.Links[:1], []Link{{ID: "grand_bargain", When: []Condition{{0, 2}, {1, 1}}, Value: Number{Value: 0.1, Min: -1, Max: 1, Path: "actors.us.links.grand_bargain.value"}}}},
		{"boulware", us.Strategy.E.Value, 0.2},
		{"boulware range", [2]float64{us.Strategy.E.Min, us.Strategy.E.Max}, [2]float64{1e-3, 0.999}},
		{"reservation", us.Strategy.Reservation.Value, 0.1},
		{"hardliner", [2]float64{dprk.Strategy.Demand.Value, dprk.Strategy.Reservation.Value}, [2]float64{0.9, 0.2}},
		{"hardliner unused", dprk.Strategy.E, Number{}},
		{"conceder", [2]float64{rok.Strategy.E.Value, rok.Strategy.E.Min}, [2]float64{2, 1.001}},
		{"staller", china.Strategy, Strategy{Kind: Staller, Reservation: Number{Min: 0, Max: 1, Path: "actors.china.strategy.reservation"}}},
		{"talk value", [3]float64{china.TalkValue.Value, china.TalkValue.Dist.Hi, us.TalkValue.Value}, [3]float64{0.1 * 2 / 5, 0.1, -0.02}},
		{"no talk value", japan.TalkValue, Number{Value: 0, Min: -1, Max: 1, Path: "actors.japan.talk_value"}},
		{"deadline", [2]any{us.Deadline.Value, us.HasDeadline}, [2]any{24.0, true}},
		{"drawn deadline", rok.Deadline.Dist, uniform(12, 24)},
		{"no deadline", [2]any{dprk.HasDeadline, math.IsInf(dprk.Deadline.Value, 1)}, [2]any{false, true}},
		{"discount", [2]float64{us.Discount.Value, dprk.Discount.Value}, [2]float64{0.9, 0.95}},
		{"reservation value", [3]any{dprk.HasReservation, dprk.ReservationValue.Value, us.HasReservation}, [3]any{true, 0.3, false}},
		{"leverage", targets(rok.Leverage), []int{0, 1}},
		{"leverage amount", rok.Leverage[1].Amount.Value, 0.2},
		{"unless", us.Links[1].Unless, []Condition{{0, 2}}},
		{"irreversible", [2]int{s.Issues[0].IrreversibleFrom, s.Issues[1].IrreversibleFrom}, [2]int{3, -1}},
		{"linear", japan.Strategy.E, Const(1)},
		{"tit for tat", s.Actors[5].Strategy.Kind, TitForTat},
		{"triangular", us.Hawkishness.Dist, &Distribution{Kind: DistTriangular, A: 0.2, B: 0.8, C: 0.5}},
		{"normal", dprk.Hawkishness, Number{Value: 0.6, Dist: &Distribution{Kind: DistNormal, A: 0.6, B: 0.1}, Min: 0, Max: 1, Path: "actors.dprk.hawkishness"}},
		{"default hawkishness", rok.Hawkishness, Number{Value: 0, Min: 0, Max: 1, Path: "actors.rok.hawkishness"}},
		{"default provocation", rok.Provocation.Value, 1.0},
		{"pressure in actor order", targets(us.Pressure), []int{1, 3}},
		{"restraint in actor order", targets(rok.Restraint), []int{0, 1}},
		{"goodwill", targets(us.Goodwill), []int{2}},
		{"conflict", []any{us.Conflict.Prevail.Value, us.Conflict.Cost.Value, us.Conflict.Strike, us.Conflict.Spread.Value, us.Conflict.Pretext.Value}, []any{0.8, 2.5, true, 0.2, 0.5}},
		{"conflict defaults", []any{rok.Conflict.Prevail.Value, rok.Conflict.Cost.Value, rok.Conflict.Strike, rok.Conflict.Spread.Value, rok.Conflict.Pretext.Value}, []any{0.5, 1.0, false, 0.0, 0.0}},
		{"signatories", s.Protocol.Signatories, []int{0, 1}},
		{"mediator", s.Protocol.Mediator, 2},
		{"mediator bias", s.Protocol.MediatorBias.Value, 0.25},
		{"proposers", s.Protocol.Proposers, []int{2, 0, 1}},
		{"agenda", s.Protocol.Agenda, AgendaMediatorFirst},
		{"dynamics dist", s.Dynamics.Tension.Value, 0.6000000000000001},
		{"dynamics", s.Dynamics.AgreementTension, Number{Value: -0.25, Min: -1, Max: 1, Path: "dynamics.agreement_tension"}},
		{"embarrassment range", s.Dynamics.Embarrassment.Max, 10.0},
		{"event order", eventIDs(s), []string{"missile_test", "singapore", "midterms", "un_sanctions"}},
		{"provocation by", s.Events[0].By, 1},
		{"stochastic", s.Events[0].Turns, []int(nil)},
		{"goodwill effect", targets(s.Events[0].Effects.Goodwill), []int{2, 3}},
		{"halted by", s.Events[0].HaltedBy, []Condition{{0, 2}}},
		{"prevail effect", targets(s.Events[0].Effects.Prevail), []int{0, 1}},
		{"reopen", [2]bool{s.Events[1].Effects.Reopen, s.Events[0].Effects.Reopen}, [2]bool{true, false}},
		{"turns sorted", s.Events[1].Turns, []int{2, 3}},
		{"hosted", [2]int{s.Events[1].HostedBy, s.Events[1].By}, [2]int{0, -1}},
		{"scheduled chance default", s.Events[1].Chance.Value, 1.0},
		{"multi-line label", s.Events[2].Label, "US midterm elections"},
		{"unset effect", s.Events[2].Effects.Tension, Const(0)},
		{"set hawkishness", s.Events[2].Effects.SetHawkishness[0].Amount.Value, 0.7},
		{"weight change", s.Events[2].Effects.Weights, []WeightChange{
			{0, 0, Number{Value: 0.8, Min: 0, Max: math.Inf(1), Path: "events.midterms.effects.weights.us.nuclear"}},
			{0, 2, Number{Value: 0, Min: 0, Max: math.Inf(1), Path: "events.midterms.effects.weights.us.security"}},
		}},
		{"label default", s.Events[3].Label, "un_sanctions"},
		{"stochastic chance", s.Events[3].Chance.Dist, uniform(0.01, 0.05)},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
}

func actorIDs(s *Scenario) (ids []string) {
	for _, a := range s.Actors {
		ids = append(ids, a.ID)
	}
	return ids
}

func eventIDs(s *Scenario) (ids []string) {
	for _, e := range s.Events {
		ids = append(ids, e.ID)
	}
	return ids
}

func values(ns []Number) (v []float64) {
	for _, n := range ns {
		v = append(v, n.Value)
	}
	return v
}

func targets(in []Influence) (t []int) {
	for _, i := range in {
		t = append(t, i.Target)
	}
	return t
}

// want is an expected problem, read from a "# want: LINE PATH: MESSAGE"
// comment of a bad file.
type want struct {
	line int
	path string
	msg  string
}

func readWants(t *testing.T, data []byte) []want {
	t.Helper()
	var ws []want
	for _, l := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(l, "# want: ")
		if !ok {
			continue
		}
		num, rest, _ := strings.Cut(rest, " ")
		path, msg, ok := strings.Cut(rest, ": ")
		line, err := strconv.Atoi(num)
		if !ok || err != nil {
			t.Fatalf("malformed want comment %q", l)
		}
		ws = append(ws, want{line, path, msg})
	}
	return ws
}

// TestBadFiles checks that each bad file reports exactly the problems its
// "# want:" comments list, each with its line, key path and message.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("../testdata/scenarios/bad/*.toml")
	if err != nil || len(files) < 15 {
		t.Fatalf("bad files: %v, %v", files, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".toml"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			wants := readWants(t, data)
			if len(wants) == 0 {
				t.Fatal("no want comments")
			}
			_, err = Parse(name, data, nil)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse error %v does not match ErrInvalid", err)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse error %T is not an ErrorList", err)
			}
			if !sort.SliceIsSorted(list, func(i, j int) bool { return list[i].Line < list[j].Line }) {
				t.Errorf("errors not sorted by line:\n%v", list)
			}
			for _, w := range wants {
				prefix := name + ":" + strconv.Itoa(w.line) + ": "
				if w.path != "" {
					prefix += w.path + ": "
				}
				if !slices.ContainsFunc(list, func(e *Error) bool {
					return e.File == name && e.Line == w.line && e.Path == w.path &&
						strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, w.msg)
				}) {
					t.Errorf("missing %s%s", prefix, w.msg)
				}
			}
			if len(list) != len(wants) {
				t.Errorf("got %d problems, want %d:\n%v", len(list), len(wants), err)
			}
		})
	}
}

func TestBuiltins(t *testing.T) {
	bs := Builtins()
	if len(bs) == 0 {
		t.Fatal("no built-in scenarios")
	}
	if !slices.IsSortedFunc(bs, func(a, b Builtin) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("Builtins not sorted: %v", bs)
	}
	for _, b := range bs {
		t.Run(b.Name, func(t *testing.T) {
			s, err := Load(b.Name, nil)
			if err != nil {
				t.Fatalf("Load(%q): %v", b.Name, err)
			}
			if s.Title != b.Title || b.Title == "" {
				t.Errorf("title %q, Builtins says %q", s.Title, b.Title)
			}
			if s.File != b.Name {
				t.Errorf("File = %q, want %q", s.File, b.Name)
			}
			src, err := BuiltinSource(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := Parse(b.Name, src, nil)
			if err != nil || !reflect.DeepEqual(s, s2) {
				t.Errorf("Parse(BuiltinSource) differs from Load: %v", err)
			}
		})
	}
}

func TestLoadNotFound(t *testing.T) {
	for _, name := range []string{"no-such-scenario", "", "../scenarios/model"} { // a directory: TestReadFile
		_, err := Load(name, nil)
		if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrInvalid) {
			t.Errorf("Load(%q) = %v; want an fs.ErrNotExist", name, err)
			continue
		}
		for _, b := range Builtins() {
			if !strings.Contains(err.Error(), b.Name) {
				t.Errorf("Load(%q) error %q does not name built-in %q", name, err, b.Name)
			}
		}
	}
	if _, err := BuiltinSource("nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("BuiltinSource(nope) = %v", err)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "a.toml", Line: 3, Path: "x.y", Msg: "bad"}, "a.toml:3: x.y: bad"},
		{&Error{File: "a.toml", Path: "x.y", Msg: "bad"}, "a.toml: x.y: bad"},
		{&Error{File: SetFile, Path: "x.y", Msg: "bad"}, "--set: x.y: bad"},
		{&Error{File: "a.toml", Line: 2, Msg: "syntax"}, "a.toml:2: syntax"},
		{&Error{Line: 2, Msg: "syntax"}, "line 2: syntax"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !errors.Is(tt.e, ErrInvalid) {
			t.Errorf("%v does not match ErrInvalid", tt.e)
		}
	}
	l := ErrorList{tests[0].e, tests[1].e}
	if got, want := l.Error(), "a.toml:3: x.y: bad\na.toml: x.y: bad"; got != want {
		t.Errorf("ErrorList.Error() = %q, want %q", got, want)
	}
	if err := error(l); !errors.Is(err, ErrInvalid) {
		t.Error("ErrorList does not match ErrInvalid")
	}
	l.sort()
	if l[0].Line != 0 {
		t.Errorf("sort: %v", l)
	}
}

func TestSyntaxError(t *testing.T) {
	_, err := Parse("s.toml", []byte("a = 1\nb = [1,\nc = {\n"), nil)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Line == 0 || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse = %v; want one syntax error with a line", err)
	}
	if !strings.HasPrefix(err.Error(), "s.toml:") || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("error = %q", err)
	}
}

// TestDocExample keeps the complete example in the format documentation in
// step with the fixture.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenario-format.md")
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(validFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```toml\n"+string(fixture)+"```") {
		t.Error("docs/scenario-format.md does not end with the fixture valid.toml; copy it there")
	}
}
