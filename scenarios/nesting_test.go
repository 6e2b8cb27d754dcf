package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// deep returns a scenario whose first actor's weights nest open…close
// depth times: 1,000 levels is a 4 KB file.
func deep(open, close string, depth int) []byte {
	return []byte("id = \"deep\"\n# a comment with [ brackets {\ntitle = \"[not {nesting\"\nx = '''\n[[[\n'''\n" +
		"weights = " + strings.Repeat(open, depth) + "1" + strings.Repeat(close, depth) + "\n")
}

// A 4 KB file of 1,000 nested inline tables or arrays is refused at once,
// naming its line (it took the decoder 19 s); nesting within the limit,
// and brackets in strings and comments, are not refused.
func TestDeepNestingRefused(t *testing.T) {
	for _, b := range [][2]string{{"{a = ", "}"}, {"[", "]"}} {
		data := deep(b[0], b[1], 1000)
		start := time.Now()
		_, err := Parse("deep.toml", data, nil)
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: refused after %v, want within a second", b[0], took)
		}
		var el ErrorList
		if !errors.As(err, &el) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "deep.toml:7: arrays and inline tables nest more than 64 deep") {
			t.Errorf("%s: error %v, want the nesting refused on line 7", b[0], err)
		}
		if err := CheckNesting("ok.toml", deep(b[0], b[1], MaxNesting)); err != nil {
			t.Errorf("%s: %d levels refused: %v", b[0], MaxNesting, err)
		}
	}
	if err := CheckNesting("s.toml", []byte(`a = "\"[[[[" # {{{{`+"\n"+`b = """`+strings.Repeat("[", 100)+`"""`)); err != nil {
		t.Errorf("brackets in strings and comments counted: %v", err)
	}
}

func BenchmarkLoadDeepNesting(b *testing.B) {
	data := deep("[", "]", 1000)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Parse("deep.toml", data, nil)
	}
}

// An issue of more than MaxLevels levels is refused, saying the limit; the
// checks of its labels are linear (they once compared each level with
// every earlier one).
func TestTooManyLevelsRefused(t *testing.T) {
	levels := make([]string, MaxLevels+1)
	for i := range levels {
		levels[i] = fmt.Sprintf("%q", fmt.Sprint("l", i))
	}
	src := "id = \"many\"\ntitle = \"t\"\nquestion = \"q?\"\nhorizon = 10\n[issues.x]\nlevels = [" + strings.Join(levels, ", ") + "]\n"
	_, err := Parse("many.toml", []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), "many.toml:6: issues.x.levels: expected at most 100000 levels, got 100001") {
		t.Fatalf("error %v, want the levels refused", err)
	}
}

// Text that would reach a terminal raw, or look like other text, is
// refused with its line and key: escape sequences, zero-width and bidi
// characters, blank labels. A question may run over lines.
func TestTerminalUnsafeTextRefused(t *testing.T) {
	base, err := BuiltinSource("korea-2018")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ set, want string }{
		{"title=\"clear\x1b[2J\"", "title: contains the invisible character U+001B"},
		{"actors.us.name=\"United\u200bStates\"", "actors.us.name: contains the invisible character U+200B"},
		{"actors.us.name=\"\u202eStates\"", "actors.us.name: contains the invisible character U+202E"},
		{"issues.exercises.name=\"   \"", "issues.exercises.name: is blank"},
		{"title=\"two\nlines\"", "title: contains the invisible character U+000A"},
	} {
		o, err := ParseOverride(tc.set)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse("korea-2018.toml", base, []Override{o})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--set %q: error %v, want %q", tc.set, err, tc.want)
		}
	}
	o, _ := ParseOverride("question=\"Two\nlines?\"")
	if _, err := Parse("korea-2018.toml", base, []Override{o}); err != nil {
		t.Errorf("a question over two lines: %v", err)
	}
}

// An actor may not be called "none": mediator = "none" means no mediator.
func TestActorNoneReserved(t *testing.T) {
	base, _ := BuiltinSource("korea-2018")
	src := strings.Replace(string(base), "[actors.china]", "[actors.none]", 1)
	_, err := Parse("k.toml", []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), `actors.none: actor id "none" is reserved`) {
		t.Fatalf("error %v, want the id refused", err)
	}
}
