package scenarios

import (
	"math"
	"sort"
	"strings"
)

// Flat is a scenario written out as one self-contained file: its chain of
// bases resolved and its overrides applied.
type Flat struct {
	// Source is the text of the file named, as written, comments
	// included.
	Source []byte
	// TOML is the scenario's text, without comments. Loaded, it gives the
	// scenario Load gives with the same overrides: the same keys, values
	// and order of actors, issues and every other table.
	TOML []byte
	// Files names the files merged, the first of the chain of bases (the
	// one without a base) first; a built-in is named "<name>.toml". A
	// scenario that is not a variant has one.
	Files []string
}

// Flatten writes the scenario nameOrPath names (a file, else a built-in
// scenario) as one file, with its base chain resolved and the overrides
// applied. The scenario, of either kind, is validated first: Flatten
// returns the errors LoadAny returns for it.
func Flatten(nameOrPath string, overrides []Override) (Flat, error) {
	src, err := sourceOf(nameOrPath)
	if err != nil {
		return Flat{}, err
	}
	if _, _, err := parseAny(src, overrides); err != nil {
		return Flat{}, err
	}
	t, errs := resolve(src, nil)
	if err := errs.err(); err != nil {
		return Flat{}, err // parse would have reported it; kept for safety
	}
	d := &decoder{file: t.file, lines: t.lines, order: t.order}
	d.apply(t.root, overrides)
	if err := d.errs.err(); err != nil {
		return Flat{}, err
	}
	var b strings.Builder
	writeTable(&b, t.root, nil, t.order)
	return Flat{Source: src.data, TOML: []byte(strings.TrimLeft(b.String(), "\n")), Files: t.files}, nil
}

// writeTable writes the keys of m, a table at path, as TOML: its plain
// keys, then each sub-table under its own [header] (an array of tables as
// [[header]]s), in the order the keys first appeared in the source (order)
// so that actors, issues and the rest keep their order when the text is
// loaded again. A distribution is written inline, as { dist = ... }.
// (BurntSushi/toml's encoder is not used here: it writes a map's keys
// sorted, which would reorder the actors and so change same-seed results.)
func writeTable(b *strings.Builder, m map[string]any, path []string, order map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if r, ok := order[fmtPath(join(path, k))]; ok {
			return r
		}
		return math.MaxInt
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	var subs []string
	for _, k := range keys {
		switch v := m[k].(type) {
		case map[string]any:
			if !inlineTable(v) {
				subs = append(subs, k)
				continue
			}
		case []map[string]any:
			subs = append(subs, k)
			continue
		}
		b.WriteString(quoteKey(k) + " = " + renderLong(m[k]) + "\n")
	}
	for _, k := range subs {
		p := join(path, k)
		switch v := m[k].(type) {
		case map[string]any:
			// A table holding only tables is implied by their headers.
			if !onlyTables(v) || len(v) == 0 {
				b.WriteString("\n[" + fmtPath(p) + "]\n")
			}
			writeTable(b, v, p, order)
		case []map[string]any:
			for _, e := range v {
				b.WriteString("\n[[" + fmtPath(p) + "]]\n")
				writeTable(b, e, p, order)
			}
		}
	}
}

// inlineTable reports whether m is written inline: a distribution (a
// table with a dist key) holding no table.
func inlineTable(m map[string]any) bool {
	if _, ok := m["dist"]; !ok {
		return false
	}
	for _, v := range m {
		switch v.(type) {
		case map[string]any, []map[string]any:
			return false
		}
	}
	return true
}

// onlyTables reports whether every key of m holds a table written under
// its own header.
func onlyTables(m map[string]any) bool {
	for _, v := range m {
		switch x := v.(type) {
		case map[string]any:
			if inlineTable(x) {
				return false
			}
		case []map[string]any:
		default:
			return false
		}
	}
	return true
}

// renderLong is render, with an array that would make a line over 80
// characters written one element a line.
func renderLong(v any) string {
	s := render(v)
	a, ok := v.([]any)
	if !ok || len(s) <= 72 || len(a) < 2 {
		return s
	}
	var b strings.Builder
	b.WriteString("[\n")
	for _, e := range a {
		b.WriteString("  " + render(e) + ",\n")
	}
	b.WriteString("]")
	return b.String()
}
