package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// maxBaseDepth bounds a chain of variants (a variant of a variant ...).
const maxBaseDepth = 16

// variantKeys are the top-level keys a variant file may hold: its base, the
// [set] table, and the keys that replace the base's.
var variantKeys = []string{"base", "id", "title", "question", "sources", "expected", "classroom", "set"}

// topTables are the top-level tables of a scenario; a [set] key that names
// one of them whole is almost certainly an unquoted dotted key path.
var topTables = []string{"issues", "actors", "protocol", "dynamics", "events"}

// source is scenario text and where it came from.
type source struct {
	// file names the source in errors: a path, or "<name>.toml" for a
	// built-in.
	file string
	data []byte
	// builtin is set for an embedded scenario: its base may only be another
	// built-in.
	builtin bool
	// id identifies the source in a chain of bases, to detect cycles.
	id string
}

func fileSource(file string, data []byte) source {
	id := file
	if abs, err := filepath.Abs(file); err == nil {
		id = abs
	}
	return source{file: file, data: data, id: "file:" + id}
}

func builtinSource(name string, data []byte) source {
	return source{file: name + ".toml", data: data, builtin: true, id: "builtin:" + name}
}

// origin records a key path whose value was written somewhere other than
// the file the tree came from: by a variant (its [set] or one of its
// top-level keys) or by a --set override. Problems with values under path
// are reported there.
type origin struct {
	path  []string
	file  string
	lines map[string]int // key path in file → line; nil for --set
	at    []string       // where path is written in file
}

// line returns the line in o.file of the key p (at or under o.path), or of
// the nearest written ancestor.
func (o origin) line(p []string) int {
	if o.lines == nil {
		return 0
	}
	var rel []string
	if hasPrefix(p, o.path) {
		rel = p[len(o.path):]
	}
	q := join(o.at, rel...)
	for n := len(q); n > 0; n-- {
		if l, ok := o.lines[fmtPath(q[:n])]; ok {
			return l
		}
	}
	return 0
}

// tree is a scenario's TOML tree with its base chain resolved: the tree of
// the first file of the chain (the one without a base) with every
// variant's keys and [set] values applied in order.
type tree struct {
	root map[string]any
	// file and lines locate the keys no variant wrote: the first file of
	// the chain.
	file  string
	lines map[string]int
	order map[string]int // key path → rank of first appearance in file
	// origins lists the paths variants wrote, in the order they were applied.
	origins []origin
	// files names the files of the chain, the first (the one without a
	// base) first and the variant resolved last.
	files []string
}

// resolve decodes src and, when it names a base, resolves the base and
// applies src's keys and [set] to it. Problems in src's variant keys are
// returned with a usable tree; problems that leave no tree (syntax errors,
// a missing base, a cycle) are returned with a nil tree.
func resolve(src source, chain []string) (*tree, ErrorList) {
	root, md, err := decode(src.file, src.data)
	if err != nil {
		return nil, err.(ErrorList)
	}
	lines := locate(string(src.data))
	if _, ok := root["base"]; !ok {
		var errs ErrorList
		if _, ok := root["set"]; ok {
			errs = append(errs, &Error{File: src.file, Line: lines["set"], Path: "set",
				Msg: "a [set] table needs a base (base = \"<built-in name or file>\")"})
			delete(root, "set")
		}
		order := map[string]int{}
		for i, k := range md.Keys() {
			for n := 1; n <= len(k); n++ {
				p := fmtPath(k[:n])
				if _, ok := order[p]; !ok {
					order[p] = i
				}
			}
		}
		return &tree{root: root, file: src.file, lines: lines, order: order, files: []string{src.file}}, errs
	}

	errAt := func(path []string, format string, args ...any) *Error {
		l := 0
		for n := len(path); n > 0 && l == 0; n-- {
			l = lines[fmtPath(path[:n])]
		}
		return &Error{File: src.file, Line: l, Path: fmtPath(path), Msg: fmt.Sprintf(format, args...)}
	}
	name, ok := root["base"].(string)
	if !ok || name == "" {
		return nil, ErrorList{errAt([]string{"base"}, "expected a built-in scenario name or a file path (a non-empty string), got %s", describe(root["base"]))}
	}
	bsrc, err := loadBase(src, name)
	if err != nil {
		return nil, ErrorList{errAt([]string{"base"}, "%v", err)}
	}
	chain = append(slices.Clone(chain), src.id)
	if slices.Contains(chain, bsrc.id) {
		return nil, ErrorList{errAt([]string{"base"}, "the chain of bases forms a cycle (%s)", cycleText(chain, bsrc.id))}
	}
	if len(chain) > maxBaseDepth {
		return nil, ErrorList{errAt([]string{"base"}, "the chain of bases is more than %d deep", maxBaseDepth)}
	}
	t, errs := resolve(bsrc, chain)
	if t == nil {
		return nil, errs
	}
	t.files = append(t.files, src.file)

	// Keys of the variant, in file order.
	keys := make([]string, 0, len(root))
	for k := range root {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if l, ok := lines[fmtPath([]string{k})]; ok {
			return l
		}
		return 1 << 30
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		switch {
		case k == "base" || k == "set":
		case contains(variantKeys, k):
			t.root[k] = root[k]
			t.origins = append(t.origins, origin{path: []string{k}, file: src.file, lines: lines, at: []string{k}})
		default:
			allowed := variantKeys
			if c, ok := caseTwin(k, allowed); ok {
				errs = append(errs, errAt([]string{k}, "key %q differs only in case from %q", k, c))
				continue
			}
			hint := DidYouMean(k, allowed)
			if hint == "" && contains(t.allPaths(), k) {
				hint = fmt.Sprintf(`; to change the base's %s, write it in [set]: "%s" = ...`, k, k)
			}
			errs = append(errs, errAt([]string{k}, "unknown key %q in a variant (a variant may hold %s)%s", k, quoteList(variantKeys), hint))
		}
	}

	sv, ok := root["set"]
	if !ok {
		return t, errs
	}
	set, ok := sv.(map[string]any)
	if !ok {
		return t, append(errs, errAt([]string{"set"}, "expected a table of \"key.path\" = value, got %s", describe(sv)))
	}
	skeys := make([]string, 0, len(set))
	for k := range set {
		skeys = append(skeys, k)
	}
	srank := func(k string) int {
		if l, ok := lines[fmtPath([]string{"set", k})]; ok {
			return l
		}
		return 1 << 30
	}
	sort.Slice(skeys, func(i, j int) bool {
		if ri, rj := srank(skeys[i]), srank(skeys[j]); ri != rj {
			return ri < rj
		}
		return skeys[i] < skeys[j]
	})
	for _, k := range skeys {
		at := []string{"set", k}
		path, err := parsePath(k)
		if err != nil {
			errs = append(errs, errAt(at, "%v", err))
			continue
		}
		if len(path) == 1 && contains(topTables, path[0]) {
			errs = append(errs, errAt(at, "would replace the whole table %q; write the key path in quotes, as in \"actors.us.hawkishness\" = 0.9", k))
			continue
		}
		if msg, ok := t.set(path, set[k]); !ok {
			errs = append(errs, errAt(at, "%s", msg))
			continue
		}
		t.origins = append(t.origins, origin{path: path, file: src.file, lines: lines, at: at})
	}
	return t, errs
}

// set replaces the value at path, which must exist; when it does not, set
// returns a message that suggests the nearest existing path.
func (t *tree) set(path []string, v any) (string, bool) {
	node := t.root
	for _, k := range path[:len(path)-1] {
		next, ok := node[k].(map[string]any)
		if !ok {
			node = nil
			break
		}
		node = next
	}
	last := path[len(path)-1]
	if node != nil {
		if _, ok := node[last]; ok {
			node[last] = v
			return "", true
		}
	}
	if r, ok := retiredKey(path); ok {
		return retiredMsg(last, r), false
	}
	all := t.allPaths()
	p := fmtPath(path)
	if c, ok := caseTwin(p, all); ok {
		return fmt.Sprintf("differs only in case from %q", c), false
	}
	return "no such key in the base scenario (a variant can only change keys the base has)" + DidYouMean(p, all), false
}

// allPaths lists the path of every key in the tree.
func (t *tree) allPaths() []string { return allPaths(t.root) }

// loadBase finds the base named by a variant: a file relative to the
// variant's directory, else a built-in scenario. A built-in variant's base
// is always a built-in.
func loadBase(from source, name string) (source, error) {
	if !from.builtin {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(from.file), name)
		}
		fi, err := os.Stat(p)
		if err == nil && !fi.Mode().IsRegular() {
			what := "a directory"
			if !fi.IsDir() {
				what = "not a regular file"
			}
			return source{}, fmt.Errorf("%s is %s: a base is a scenario file or a built-in name", p, what)
		}
		if err == nil {
			if err := baseInside(from, name, p); err != nil {
				return source{}, err
			}
			data, _, err := ReadFile(p, "scenario file")
			if err != nil {
				return source{}, err
			}
			return fileSource(p, data), nil
		}
	}
	data, err := BuiltinSource(name)
	if err != nil {
		var names []string
		for _, b := range Builtins() {
			names = append(names, b.Name)
		}
		if from.builtin {
			return source{}, fmt.Errorf("no built-in scenario named %q (built-ins: %s)", name, strings.Join(names, ", "))
		}
		return source{}, fmt.Errorf("no file %q and no built-in scenario named %q (built-ins: %s)",
			filepath.Join(filepath.Dir(from.file), name), name, strings.Join(names, ", "))
	}
	return builtinSource(name, data), nil
}

// BaseAnywhere lets a scenario's base name a file outside the scenario's
// own directory (an absolute path, or one that leaves it by .. or a
// symbolic link). The command line sets it from --base-anywhere; by
// default a scenario can read only files beside or below itself, so that
// a scenario from elsewhere cannot read, and echo the keys of, any file
// the user can read.
var BaseAnywhere = false

// baseInside refuses base file p, named name in from, when it lies outside
// from's directory and BaseAnywhere is not set.
func baseInside(from source, name, p string) error {
	if BaseAnywhere {
		return nil
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(from.file))
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(dir, real)
	if filepath.IsAbs(name) || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("base %q is outside the scenario's directory %s: a base must be a file beside or below the scenario (or a built-in name); pass --base-anywhere to allow it", name, filepath.Dir(from.file))
	}
	return nil
}

// cycleText writes a chain of sources that returns to again.
func cycleText(chain []string, again string) string {
	i := slices.Index(chain, again)
	parts := make([]string, 0, len(chain)-i+1)
	for _, id := range append(chain[i:], again) {
		_, name, _ := strings.Cut(id, ":")
		parts = append(parts, name)
	}
	return strings.Join(parts, " → ")
}

// ResolvedDigest returns a digest of the scenario filename holds with its
// base chain resolved (every base file or built-in it names, to the end of
// the chain): it changes when any file of the chain changes what the
// scenario says. Map keys are printed in sorted order, so the digest does
// not depend on the order of keys in the files.
func ResolvedDigest(filename string, data []byte) (string, error) {
	root, err := resolved(filename, data)
	if err != nil {
		return "", err
	}
	return treeDigest(root), nil
}

// treeDigest digests a resolved scenario tree: 16 bytes of SHA-256 of its
// printed form, maps in sorted key order, as hex.
func treeDigest(root map[string]any) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%#v", root)))
	return hex.EncodeToString(sum[:16])
}
