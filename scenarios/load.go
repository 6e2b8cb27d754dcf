package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed *.toml
var builtinFS embed.FS

// Builtin names and titles a built-in scenario and gives its kind
// (KindAgent or KindSpatial).
type Builtin struct{ Name, Title, Kind string }

// Builtins lists the built-in agent-based scenarios, those Load reads and
// the engine plays, sorted by name. AllBuiltins lists the spatial ones too.
func Builtins() []Builtin {
	var out []Builtin
	for _, b := range AllBuiltins() {
		if b.Kind == KindAgent {
			out = append(out, b)
		}
	}
	return out
}

// AllBuiltins lists every built-in scenario, of either kind, sorted by
// name.
func AllBuiltins() []Builtin {
	entries, err := fs.Glob(builtinFS, "*.toml")
	if err != nil {
		panic(err) // the pattern is constant and valid
	}
	out := make([]Builtin, 0, len(entries))
	for _, e := range entries {
		data, _ := builtinFS.ReadFile(e)
		var head struct {
			Title string `toml:"title"`
			Kind  string `toml:"kind"`
		}
		_, _ = toml.Decode(string(data), &head)
		if head.Kind == "" {
			head.Kind = KindAgent
		}
		out = append(out, Builtin{Name: strings.TrimSuffix(e, ".toml"), Title: head.Title, Kind: head.Kind})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// BuiltinSource returns the TOML source of the named built-in scenario.
func BuiltinSource(name string) ([]byte, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".toml") {
		return nil, notFound(name)
	}
	data, err := builtinFS.ReadFile(name + ".toml")
	if err != nil {
		return nil, notFound(name)
	}
	return data, nil
}

func notFound(name string) error {
	names := make([]string, 0)
	for _, b := range AllBuiltins() {
		names = append(names, b.Name)
	}
	return fmt.Errorf("scenarios: no file and no built-in scenario named %q (built-ins: %s): %w",
		name, strings.Join(names, ", "), fs.ErrNotExist)
}

// Load reads a scenario: the file at nameOrPath if there is one, else the
// built-in scenario of that name; then it resolves its base when it is a
// variant, applies the overrides and validates the result. When neither
// exists the error names the built-ins and wraps fs.ErrNotExist. Problems in
// the scenario are reported as an ErrorList (which matches ErrInvalid). A
// valid spatial scenario (kind = "spatial") is reported as a *KindError,
// which matches ErrSpatial: LoadAny reads it.
func Load(nameOrPath string, overrides []Override) (*Scenario, error) {
	src, err := sourceOf(nameOrPath)
	if err != nil {
		return nil, err
	}
	s, err := parse(src, overrides)
	if ke := (*KindError)(nil); errors.As(err, &ke) {
		ke.Name = nameOrPath
	}
	if err != nil {
		return nil, err
	}
	if src.builtin {
		s.File = nameOrPath
	}
	return s, nil
}

// sourceOf reads the scenario nameOrPath names: the file at that path if
// there is one, else the built-in scenario of that name.
func sourceOf(nameOrPath string) (source, error) {
	data, found, err := ReadFile(nameOrPath, "scenario file")
	if err != nil {
		return source{}, err
	}
	if found {
		return fileSource(nameOrPath, data), nil
	}
	data, err = BuiltinSource(nameOrPath)
	if err != nil {
		return source{}, err
	}
	return builtinSource(nameOrPath, data), nil
}

// Parse decodes and validates a scenario from data, after applying the
// overrides; filename is used in error messages and as Scenario.File. Every
// problem found is reported at once in an ErrorList (which matches
// ErrInvalid), each with its file, line and key path. When data is a
// variant (it names a base), the base is a file relative to filename's
// directory if there is one, else a built-in scenario. A valid spatial
// scenario is reported as a *KindError (see Load); ParseAny reads it.
func Parse(filename string, data []byte, overrides []Override) (*Scenario, error) {
	return parse(fileSource(filename, data), overrides)
}

func parse(src source, overrides []Override) (*Scenario, error) {
	t, errs := resolve(src, nil)
	if t == nil {
		return nil, errs.err()
	}
	return finish(src.file, t, errs, treeDigest(t.root), overrides) // the digest before the overrides change the tree
}

// finish applies the overrides to the resolved tree t of file (the
// problems resolving it found in errs; digest its digest) and decodes
// the scenario, validating it. A valid spatial scenario is a *KindError.
func finish(file string, t *tree, errs ErrorList, digest string, overrides []Override) (*Scenario, error) {
	s, sp, err := finishAny(file, t, errs, digest, overrides)
	if err != nil {
		return nil, err
	}
	if sp != nil {
		return nil, &KindError{Name: file, Kind: KindSpatial}
	}
	return s, nil
}

// finishAny is finish for a scenario of either kind: exactly one of the
// two results is set when the error is nil.
func finishAny(file string, t *tree, errs ErrorList, digest string, overrides []Override) (*Scenario, *Spatial, error) {
	d := &decoder{
		file:    t.file,
		lines:   t.lines,
		order:   t.order,
		origins: t.origins,
		errs:    errs,
	}
	d.apply(t.root, overrides)
	if isSpatial(t.root) {
		sp := d.spatial(t.root)
		if err := d.errs.err(); err != nil {
			return nil, nil, err
		}
		sp.File, sp.Digest = file, digest
		return nil, sp, nil
	}
	s := d.scenario(t.root)
	if err := d.errs.err(); err != nil {
		return nil, nil, err
	}
	s.File = file
	s.Digest = digest
	return s, nil, nil
}

// resolved returns the TOML tree of a scenario with its base chain
// resolved, without validating it.
func resolved(filename string, data []byte) (map[string]any, error) {
	t, errs := resolve(fileSource(filename, data), nil)
	if t == nil {
		return nil, errs.err()
	}
	return t.root, nil
}

// decode parses TOML into a generic tree, reporting a syntax error as an
// ErrorList with its line.
func decode(filename string, data []byte) (map[string]any, toml.MetaData, error) {
	if err := CheckNesting(filename, data); err != nil {
		return nil, toml.MetaData{}, err
	}
	var root map[string]any
	md, err := toml.Decode(string(data), &root)
	if err != nil {
		e := &Error{File: filename, Msg: "TOML syntax error: " + err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e.Line = pe.Position.Line
			e.Msg = "TOML syntax error: " + pe.Message
		}
		return nil, md, ErrorList{e}
	}
	if root == nil {
		root = map[string]any{}
	}
	return root, md, nil
}
