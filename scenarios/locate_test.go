package scenarios

import (
	"os"
	"strings"
	"testing"
)

func TestLocate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]int // path → line
		none []string       // paths that must not be recorded
	}{
		{
			name: "tables and keys",
			src: `a = 1
[t]
b = 2

[t.u]   # comment
c = "x" # comment = 3
`,
			want: map[string]int{"a": 1, "t": 2, "t.b": 3, "t.u": 5, "t.u.c": 6},
		},
		{
			name: "dotted and quoted keys",
			src: `[actors . "u s"]
values.nuclear . best = "a"
"a.b" = 1
'lit.key' = 2
x."y z".w = 3
`,
			want: map[string]int{
				`actors."u s"`: 1, `actors."u s".values`: 2, `actors."u s".values.nuclear`: 2,
				`actors."u s".values.nuclear.best`: 2, `actors."u s"."a.b"`: 3,
				`actors."u s"."lit.key"`: 4, `actors."u s".x."y z".w`: 5,
			},
		},
		{
			name: "inline tables",
			src: `[a]
w = { n = 1, s = { dist = "uniform", min = 0, max = 1 } }
e = {}
`,
			want: map[string]int{"a.w": 2, "a.w.n": 2, "a.w.s": 2, "a.w.s.dist": 2, "a.w.s.max": 2, "a.e": 3},
		},
		{
			name: "multi-line strings are skipped",
			src: `s = """
fake = 1
[fake]
"""
t = '''
also = "fake"
'''
u = """ends with quotes"""""
v = "a # not a comment" # comment
w = 'x = y'
z = 4
`,
			want: map[string]int{"s": 1, "t": 5, "u": 8, "v": 9, "w": 10, "z": 11},
			none: []string{"fake", "also"},
		},
		{
			name: "multi-line arrays are skipped",
			src: `levels = [
  "a]",   # comment ]
  'b',
  [1, 2],
  { k = 1 },
]
after = 7
`,
			want: map[string]int{"levels": 1, "after": 7},
			none: []string{"k", "levels.k"},
		},
		{
			name: "escaped quotes",
			src: `s = "a \" [x] = b"
"k\"q" = 2
n = 3
`,
			want: map[string]int{"s": 1, `"k\"q"`: 2, "n": 3},
		},
		{
			name: "array of tables",
			src: `[[ev]]
a = 1
[[ev]]
a = 2
b = 3
`,
			want: map[string]int{"ev": 1, "ev.a": 2, "ev.b": 5},
		},
		{
			name: "crlf",
			src:  "a = 1\r\n[t]\r\nb = 2\r\n",
			want: map[string]int{"a": 1, "t": 2, "t.b": 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := locate(tt.src)
			for p, line := range tt.want {
				if got[p] != line {
					t.Errorf("line of %s = %d, want %d", p, got[p], line)
				}
			}
			for _, p := range tt.none {
				if _, ok := got[p]; ok {
					t.Errorf("%s recorded at line %d; want nothing", p, got[p])
				}
			}
		})
	}
}

// TestLocateFixture checks that every key of the complete fixture is found
// on a line that names it.
func TestLocateFixture(t *testing.T) {
	data, err := os.ReadFile("../testdata/scenarios/valid.toml")
	if err != nil {
		t.Fatal(err)
	}
	root, _, err := decode("valid.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	got := locate(string(data))
	for _, p := range allPaths(root) {
		line, ok := got[p]
		if !ok {
			t.Errorf("%s: not located", p)
			continue
		}
		segs, _ := parsePath(p)
		last := quoteKey(segs[len(segs)-1])
		if !strings.Contains(lines[line-1], last) {
			t.Errorf("%s located on line %d, which does not mention %s: %q", p, line, last, lines[line-1])
		}
	}
}

func TestDecoderLineFallsBackToAncestor(t *testing.T) {
	d := &decoder{lines: map[string]int{"a": 3, "a.b": 5}}
	for _, tt := range []struct {
		path []string
		want int
	}{
		{[]string{"a", "b"}, 5},
		{[]string{"a", "b", "c", "d"}, 5},
		{[]string{"a", "x"}, 3},
		{[]string{"z"}, 0},
	} {
		if got := d.line(tt.path); got != tt.want {
			t.Errorf("line(%v) = %d, want %d", tt.path, got, tt.want)
		}
	}
}

func TestParsePath(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"a.b.c", []string{"a", "b", "c"}, true},
		{`actors.us.values.nuclear."partial freeze"`, []string{"actors", "us", "values", "nuclear", "partial freeze"}, true},
		{`a.'x.y'`, []string{"a", "x.y"}, true},
		{" a . b ", []string{"a", "b"}, true},
		{"a..b", nil, false},
		{"a.", nil, false},
		{"", nil, false},
		{`a."b`, nil, false},
		{"a b", nil, false},
		{`a.""`, nil, false},
	} {
		got, err := parsePath(tt.in)
		if (err == nil) != tt.ok || strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("parsePath(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if !tt.ok {
			continue
		}
		back, err := parsePath(fmtPath(got))
		if err != nil || strings.Join(back, "|") != strings.Join(got, "|") {
			t.Errorf("parsePath(fmtPath(%q)) = %q, %v", got, back, err)
		}
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"weights", "values", "hawkishness", "strategy"}
	for _, tt := range []struct{ in, want string }{
		{"wieghts", "weights"},
		{"Weights", "weights"},
		{"hawkishnes", "hawkishness"},
		{"stratgy", "strategy"},
		{"zzz", ""},
		{"x", ""},
	} {
		got, _ := nearest(tt.in, keys)
		if got != tt.want {
			t.Errorf("nearest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if d := levenshtein("kitten", "sitting"); d != 3 {
		t.Errorf("levenshtein = %d, want 3", d)
	}
}
