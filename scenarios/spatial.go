package scenarios

import (
	"errors"
	"fmt"
	"math"
)

// Kinds of scenario, named by a file's top-level kind key.
const (
	// KindAgent is a scenario for the agent-based engine: issues with
	// levels, actors with preferences, a protocol. It is the default.
	KindAgent = "agent"
	// KindSpatial is a spatial scenario, for the expected-utility
	// forecast: actors with a capability and, on each dimension, a
	// position and a salience.
	KindSpatial = "spatial"
)

// ErrSpatial is matched (with errors.Is) by the error Load and Parse
// return for a valid spatial scenario, which is not a Scenario: LoadAny
// reads either kind.
var ErrSpatial = errors.New("scenarios: a spatial (forecast) scenario")

// KindError is the error Load and Parse return for a valid scenario of
// a kind they do not read: a spatial scenario. It matches ErrSpatial and
// ErrInvalid.
type KindError struct {
	// Name is the scenario as it was asked for: a built-in name or a path.
	Name string
	// Kind is the scenario's kind (KindSpatial).
	Kind string
}

func (e *KindError) Error() string {
	return fmt.Sprintf("%s is a spatial (forecast) scenario, which the agent-based engine does not play; 'parley forecast' reads it", e.Name)
}

// Is reports whether target is ErrSpatial or ErrInvalid.
func (e *KindError) Is(target error) bool { return target == ErrSpatial || target == ErrInvalid }

// Spatial is a validated spatial scenario (kind = "spatial"): the
// actors of the expected-utility model of political forecasting (Bueno de
// Mesquita 1994), each with a capability and, on every dimension, a
// position and a salience. Any number may be a distribution, drawn once
// per Monte Carlo run. The format is documented in docs/scenario-format.md
// ("Spatial scenarios").
type Spatial struct {
	ID       string
	Title    string
	Question string
	Sources  []string

	Dimensions []Dimension
	Actors     []SpatialActor

	// File is where the scenario was read from ("ec-emissions-1994" for a
	// built-in).
	File string
	// Digest is the digest of the scenario's full source, its base chain
	// resolved, before any --set (as Scenario.Digest).
	Digest string
}

// Dimension is one policy dimension of a spatial scenario: a line on
// which the actors take positions.
type Dimension struct {
	ID   string
	Name string
	// Unit names what a position counts, plural ("years"); empty when
	// positions are bare numbers.
	Unit string
	// Min and Max are the ends of the scale positions lie on, when
	// HasScale; without them the forecast measures distances against the
	// spread of the starting positions.
	Min, Max float64
	HasScale bool
}

// SpatialActor is one stakeholder of a spatial scenario.
type SpatialActor struct {
	ID   string
	Name string
	// Capability is the actor's power to move the others, ≥ 0; only
	// ratios between actors matter.
	Capability Number
	// Position and Salience hold one number per dimension (in the order of
	// Spatial.Dimensions): where the actor stands, and how much the
	// dimension matters to it, in [0, 1].
	Position []Number
	Salience []Number
}

// isSpatial reports whether a decoded tree declares kind = "spatial".
func isSpatial(root map[string]any) bool {
	k, _ := root["kind"].(string)
	return k == KindSpatial
}

// LoadAny reads a scenario of either kind, as Load does: exactly one of
// sc and sp is set when err is nil.
func LoadAny(nameOrPath string, overrides []Override) (sc *Scenario, sp *Spatial, err error) {
	src, err := sourceOf(nameOrPath)
	if err != nil {
		return nil, nil, err
	}
	sc, sp, err = parseAny(src, overrides)
	if err != nil {
		return nil, nil, err
	}
	if src.builtin {
		if sc != nil {
			sc.File = nameOrPath
		} else {
			sp.File = nameOrPath
		}
	}
	return sc, sp, nil
}

// ParseAny decodes and validates a scenario of either kind, as Parse
// does: exactly one of sc and sp is set when err is nil.
func ParseAny(filename string, data []byte, overrides []Override) (sc *Scenario, sp *Spatial, err error) {
	return parseAny(fileSource(filename, data), overrides)
}

// LoadSpatial reads a spatial scenario, as Load reads an agent-based one.
// An agent-based scenario is reported as an error naming it.
func LoadSpatial(nameOrPath string, overrides []Override) (*Spatial, error) {
	sc, sp, err := LoadAny(nameOrPath, overrides)
	if err != nil {
		return nil, err
	}
	if sc != nil {
		return nil, &Error{File: nameOrPath, Msg: "an agent-based scenario, not a spatial one (kind = \"spatial\")"}
	}
	return sp, nil
}

func parseAny(src source, overrides []Override) (*Scenario, *Spatial, error) {
	t, errs := resolve(src, nil)
	if t == nil {
		return nil, nil, errs.err()
	}
	return finishAny(src.file, t, errs, treeDigest(t.root), overrides)
}

// spatial walks the root table of a spatial scenario.
func (d *decoder) spatial(root map[string]any) *Spatial {
	t := tbl{m: root}
	d.only(t, "kind", "id", "title", "question", "sources", "dimensions", "actors")
	sp := &Spatial{}
	sp.ID, sp.Title, sp.Question, sp.Sources = d.header(t)

	dimIDs, dimTbls := d.ids(t, "dimensions", "dimension", true)
	if _, ok := t.m["dimensions"].(map[string]any); ok && len(dimIDs) == 0 {
		d.errorf([]string{"dimensions"}, "at least one dimension is required (a table [dimensions.<id>] with its name)")
	}
	for i, id := range dimIDs {
		sp.Dimensions = append(sp.Dimensions, d.dimension(dimTbls[i], id))
	}

	ids, tbls := d.ids(t, "actors", "actor", true)
	if _, ok := t.m["actors"].(map[string]any); ok && len(ids) < 2 {
		d.errorf([]string{"actors"}, "at least 2 actors are required, got %d", len(ids))
	}
	n0 := len(d.errs)
	for i := range ids {
		sp.Actors = append(sp.Actors, d.spatialActor(tbls[i], sp.Dimensions, dimIDs))
	}
	// Checked only when every actor is valid: an invalid number reads as 0.
	if len(d.errs) == n0 && len(dimIDs) > 0 && len(ids) >= 2 {
		for j, dim := range sp.Dimensions {
			if !someoneCares(sp.Actors, j) {
				d.errorf([]string{"actors"}, "no actor has both a positive capability and a positive salience on dimension %q: the forecast needs at least one", dim.ID)
			}
		}
	}
	return sp
}

// someoneCares reports whether some actor may have a positive capability
// and a positive salience on dimension j (a distribution may).
func someoneCares(actors []SpatialActor, j int) bool {
	for _, a := range actors {
		if j < len(a.Salience) && weighty(a.Capability) && weighty(a.Salience[j]) {
			return true
		}
	}
	return false
}

// dimension reads [dimensions.<id>].
func (d *decoder) dimension(dt tbl, id string) Dimension {
	d.only(dt, "name", "unit", "min", "max")
	dim := Dimension{ID: id, Min: math.Inf(-1), Max: math.Inf(1)}
	dim.Name, _ = d.str(dt, "name", false, id)
	dim.Unit, _ = d.str(dt, "unit", false, "")
	_, hasMin := dt.m["min"]
	_, hasMax := dt.m["max"]
	switch {
	case hasMin && hasMax:
		lo, okLo := d.constant(dt, "min", math.Inf(-1), math.Inf(1), 0)
		hi, okHi := d.constant(dt, "max", math.Inf(-1), math.Inf(1), 0)
		if okLo && okHi {
			if lo >= hi {
				d.errorf(join(dt.path, "max"), "must be greater than min (%s), got %s", ftoa(lo), ftoa(hi))
			} else {
				dim.Min, dim.Max, dim.HasScale = lo, hi, true
			}
		}
	case hasMin:
		d.errorf(join(dt.path, "min"), "give both ends of the scale (min and max), or neither")
	case hasMax:
		d.errorf(join(dt.path, "max"), "give both ends of the scale (min and max), or neither")
	}
	return dim
}

// spatialActor reads [actors.<id>] of a spatial scenario.
func (d *decoder) spatialActor(at tbl, dims []Dimension, dimIDs []string) SpatialActor {
	d.only(at, "name", "capability", "position", "salience")
	id := at.path[len(at.path)-1]
	a := SpatialActor{ID: id}
	a.Name, _ = d.str(at, "name", false, id)
	a.Capability = d.num(at, "capability", nonNeg, nil)
	if len(dims) != len(dimIDs) || len(dims) == 0 {
		return a // the dimensions are invalid, reported already
	}
	ranges := make([]rng, len(dims))
	for j, dim := range dims {
		ranges[j] = rng{dim.Min, dim.Max}
	}
	a.Position = d.perDimension(at, "position", "a position", ranges, dimIDs)
	sal := make([]rng, len(dims))
	for j := range sal {
		sal[j] = unit
	}
	a.Salience = d.perDimension(at, "salience", "a salience", sal, dimIDs)
	return a
}

// perDimension reads at.key: one number per dimension, each in its range.
// With one dimension it is a number or a distribution; in general a
// table of dimension = number (or distribution) naming every dimension.
func (d *decoder) perDimension(at tbl, key, what string, ranges []rng, dimIDs []string) []Number {
	p := join(at.path, key)
	out := make([]Number, len(dimIDs))
	for j := range out {
		out[j] = Number{Min: ranges[j].lo, Max: ranges[j].hi, Path: fmtPath(join(p, dimIDs[j]))}
	}
	v, ok := at.m[key]
	if !ok {
		if len(dimIDs) == 1 {
			d.errorf(p, "missing required key (%s: a number %s or a distribution)", what, ranges[0])
		} else {
			d.errorf(p, "missing required key (%s on each dimension: a table of dimension = number, for %s)", what, quoteList(dimIDs))
		}
		return out
	}
	m, isTable := v.(map[string]any)
	_, isDist := m["dist"]
	if !isTable || isDist {
		if len(dimIDs) == 1 {
			out[0], _ = d.numValue(v, p, ranges[0])
			return out
		}
		d.errorf(p, "expected a table of dimension = number (the scenario has %d dimensions: %s), got %s", len(dimIDs), quoteList(dimIDs), describe(v))
		return out
	}
	t := tbl{m: m, path: p}
	given := make([]bool, len(dimIDs))
	for _, k := range d.keys(t) {
		j, ok := d.keyRef(t, k, "dimension", dimIDs)
		if !ok {
			continue
		}
		given[j] = true
		out[j], _ = d.numValue(m[k], join(p, k), ranges[j])
	}
	var missing []string
	for j, g := range given {
		if !g {
			missing = append(missing, dimIDs[j])
		}
	}
	if missing != nil {
		d.errorf(p, "missing %s on dimension %s (every dimension needs one)", what, quoteList(missing))
	}
	return out
}
