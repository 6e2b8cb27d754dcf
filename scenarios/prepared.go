package scenarios

import (
	"maps"
	"slices"
)

// Prepared is a scenario file read once, its TOML decoded and its base
// chain resolved, ready to be parsed again and again with different
// overrides: a sweep parses its scenario once per point, and decoding
// the TOML text was most of that work. [Prepared.Parse] gives exactly
// what [Parse] gives with the same overrides. A Prepared is safe for
// concurrent use.
type Prepared struct {
	file   string
	t      *tree
	digest string
}

// Prepare reads the scenario filename holds (data): it decodes the TOML
// and resolves the base chain, and returns the errors Parse would report
// for that part.
func Prepare(filename string, data []byte) (*Prepared, error) {
	src := fileSource(filename, data)
	t, errs := resolve(src, nil)
	if t == nil || len(errs) > 0 {
		return nil, errs.err()
	}
	return &Prepared{file: src.file, t: t, digest: treeDigest(t.root)}, nil
}

// Parse validates the prepared scenario with the overrides applied, as
// [Parse] does.
func (p *Prepared) Parse(overrides []Override) (*Scenario, error) {
	t := *p.t
	t.root = cloneTree(p.t.root).(map[string]any)
	t.origins = slices.Clone(p.t.origins)
	return finish(p.file, &t, nil, p.digest, overrides)
}

// cloneTree copies a decoded TOML tree deeply: its tables and arrays (the
// decoder writes overrides into them); strings, numbers, booleans and
// times are values.
func cloneTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		c := maps.Clone(x)
		for k, e := range c {
			c[k] = cloneTree(e)
		}
		return c
	case []map[string]any:
		c := make([]map[string]any, len(x))
		for i, e := range x {
			c[i] = cloneTree(e).(map[string]any)
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = cloneTree(e)
		}
		return c
	}
	return v
}
