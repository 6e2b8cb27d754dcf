package scenarios

import (
	"math"
)

// distKeys lists the keys each distribution table accepts.
var distKeys = map[string][]string{
	DistUniform:    {"dist", "min", "max"},
	DistNormal:     {"dist", "mean", "sd"},
	DistTriangular: {"dist", "min", "mode", "max"},
	DistBeta:       {"dist", "alpha", "beta", "min", "max"},
}

var distKinds = []string{DistUniform, DistNormal, DistTriangular, DistBeta}

// num returns the Number t.key with range r. When the key is absent it
// returns def (with the range and path) and reports it missing when def is
// nil.
func (d *decoder) num(t tbl, key string, r rng, def *float64) Number {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		if def == nil {
			d.errorf(p, "missing required key (a number %s or a distribution)", r)
			return Number{}
		}
		return Number{Value: *def, Min: r.lo, Max: r.hi, Path: fmtPath(p)}
	}
	n, _ := d.numValue(v, p, r)
	return n
}

// dflt returns a pointer to v, for num's default.
func dflt(v float64) *float64 { return &v }

// numValue converts a decoded value to a Number with range r.
func (d *decoder) numValue(v any, p []string, r rng) (Number, bool) {
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	case map[string]any:
		n, ok := d.dist(tbl{m: x, path: p}, r)
		if ok {
			d.numberKey(p, r, n)
		}
		return n, ok
	default:
		d.errorf(p, "expected a number %s or a distribution table, got %s", r, describe(v))
		return Number{}, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.errorf(p, "expected a finite number %s, got %s", r, ftoa(f))
		return Number{}, false
	}
	if f < r.lo || f > r.hi {
		d.errorf(p, "must be %s, got %s", r, ftoa(f))
		return Number{}, false
	}
	n := Number{Value: f, Min: r.lo, Max: r.hi, Path: fmtPath(p)}
	d.numberKey(p, r, n)
	return n, true
}

// constant returns the constant number t.key, which must lie in the open
// interval (lo, hi), or def.
func (d *decoder) constant(t tbl, key string, lo, hi, def float64) (float64, bool) {
	p := join(t.path, key)
	v, ok := t.m[key]
	if !ok {
		return def, true
	}
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		d.errorf(p, "expected a constant number, got %s", describe(v))
		return def, false
	}
	if !(f > lo && f < hi) {
		d.errorf(p, "must be > %s and < %s, got %s", ftoa(lo), ftoa(hi), ftoa(f))
		return def, false
	}
	return f, true
}

// dist converts a distribution table to a Number with range r.
func (d *decoder) dist(t tbl, r rng) (Number, bool) {
	kv, ok := t.m["dist"]
	if !ok {
		d.errorf(t.path, "expected a number %s or a distribution table with dist = %s", r, quoteList(distKinds))
		return Number{}, false
	}
	kind, ok := kv.(string)
	if !ok {
		d.errorf(join(t.path, "dist"), "expected a distribution name (%s), got %s", quoteList(distKinds), describe(kv))
		return Number{}, false
	}
	keys, ok := distKeys[kind]
	if !ok {
		d.errorf(join(t.path, "dist"), "unknown distribution %q (want %s)%s", kind, quoteList(distKinds), DidYouMean(kind, distKinds))
		return Number{}, false
	}
	n0 := len(d.errs)
	d.only(t, keys...)
	param := func(key string, def *float64) float64 {
		p := join(t.path, key)
		v, ok := t.m[key]
		if !ok {
			if def == nil {
				d.errorf(p, "missing %s parameter %q", kind, key)
				return math.NaN()
			}
			return *def
		}
		var f float64
		switch x := v.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		default:
			d.errorf(p, "expected a number for %s parameter %q, got %s", kind, key, describe(v))
			return math.NaN()
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.errorf(p, "%s parameter %q must be finite, got %s", kind, key, ftoa(f))
			return math.NaN()
		}
		return f
	}
	dist := Distribution{Kind: kind}
	switch kind {
	case DistUniform:
		dist.A, dist.B = param("min", nil), param("max", nil)
	case DistNormal:
		dist.A, dist.B = param("mean", nil), param("sd", nil)
	case DistTriangular:
		dist.A, dist.C, dist.B = param("min", nil), param("mode", nil), param("max", nil)
	case DistBeta:
		dist.A, dist.B = param("alpha", nil), param("beta", nil)
		dist.Lo, dist.Hi = param("min", dflt(0)), param("max", dflt(1))
	}
	if len(d.errs) > n0 {
		return Number{}, false
	}
	lo, hi := dist.A, dist.B // support, checked against r
	switch kind {
	case DistUniform:
		if dist.A >= dist.B {
			d.innerf(t.path, "uniform min (%s) must be less than max (%s)", ftoa(dist.A), ftoa(dist.B))
		}
	case DistNormal:
		if dist.B <= 0 {
			d.errorf(join(t.path, "sd"), "normal sd must be > 0, got %s", ftoa(dist.B))
		}
		if dist.A < r.lo || dist.A > r.hi {
			d.errorf(join(t.path, "mean"), "normal mean must be %s (the key's range), got %s", r, ftoa(dist.A))
		}
		lo, hi = r.lo, r.hi
	case DistTriangular:
		if dist.A >= dist.B {
			d.innerf(t.path, "triangular min (%s) must be less than max (%s)", ftoa(dist.A), ftoa(dist.B))
		} else if dist.C < dist.A || dist.C > dist.B {
			// Blame the mode, unless a variant or --set changed a key of
			// the distribution: then blame that change.
			report := d.errorf
			p := join(t.path, "mode")
			if d.changedInside(t.path) {
				report, p = d.innerf, t.path
			}
			report(p, "triangular mode must be in [min, max] = [%s, %s], got %s", ftoa(dist.A), ftoa(dist.B), ftoa(dist.C))
		}
	case DistBeta:
		if dist.A <= 0 {
			d.errorf(join(t.path, "alpha"), "beta parameter alpha must be > 0, got %s", ftoa(dist.A))
		}
		if dist.B <= 0 {
			d.errorf(join(t.path, "beta"), "beta parameter beta must be > 0, got %s", ftoa(dist.B))
		}
		if dist.Lo >= dist.Hi {
			d.innerf(t.path, "beta min (%s) must be less than max (%s)", ftoa(dist.Lo), ftoa(dist.Hi))
		}
		lo, hi = dist.Lo, dist.Hi
	}
	if len(d.errs) > n0 {
		return Number{}, false
	}
	if lo < r.lo || hi > r.hi {
		d.innerf(t.path, "%s support [%s, %s] reaches outside the key's range: must be %s", kind, ftoa(lo), ftoa(hi), r)
		return Number{}, false
	}
	return Number{
		Value: min(max(dist.Mean(), r.lo), r.hi),
		Dist:  &dist,
		Min:   r.lo,
		Max:   r.hi,
		Path:  fmtPath(t.path),
	}, true
}
