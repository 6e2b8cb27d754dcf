package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
)

// Box is a bounding box in SVG user units (points), y growing downwards.
type Box struct{ MinX, MinY, MaxX, MaxY float64 }

// Empty reports whether the box holds nothing.
func (b Box) Empty() bool { return b.MinX > b.MaxX }

// Intersects reports whether b and o share any point.
func (b Box) Intersects(o Box) bool {
	return !b.Empty() && !o.Empty() && b.MinX < o.MaxX && o.MinX < b.MaxX && b.MinY < o.MaxY && o.MinY < b.MaxY
}

func (b Box) String() string {
	return fmt.Sprintf("[%.1f, %.1f]×[%.1f, %.1f]", b.MinX, b.MaxX, b.MinY, b.MaxY)
}

var emptyBox = Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}

func (b *Box) add(x, y float64) {
	b.MinX, b.MaxX = min(b.MinX, x), max(b.MaxX, x)
	b.MinY, b.MaxY = min(b.MinY, y), max(b.MaxY, y)
}

func (b *Box) union(o Box) {
	if !o.Empty() {
		b.add(o.MinX, o.MinY)
		b.add(o.MaxX, o.MaxY)
	}
}

// Layers are the bounding boxes of a chart's parts, read from its SVG.
type Layers struct {
	// Canvas is the SVG's size.
	Canvas Box
	// Title holds the title and subtitle, Legend the legend's names and
	// swatches, Data the data marks (bars, whiskers, lines, bands, points
	// and their labels).
	Title, Legend, Data Box
	// Texts are the SVG's text strings, in order.
	Texts []string
	// Polylines counts the data marks that are open lines through three
	// points or more (lines joining points; not bars, glyphs or bands).
	Polylines int
}

// ChartLayers renders c as SVG in full and without each part in turn (the
// layout unchanged), and returns the bounding box of what each part adds:
// the elements of the full SVG missing from the one without it.
func ChartLayers(c Chart) (Layers, error) {
	render := func(h layers) ([]svgElement, Box, error) {
		var b bytes.Buffer
		if err := c.render(&b, "svg", h); err != nil {
			return nil, Box{}, err
		}
		return parseSVG(b.Bytes())
	}
	full, canvas, err := render(layers{})
	if err != nil {
		return Layers{}, err
	}
	l := Layers{Canvas: canvas}
	for _, e := range full {
		if e.text != "" {
			l.Texts = append(l.Texts, e.text)
		}
	}
	for _, part := range []struct {
		hide layers
		box  *Box
	}{{layers{noTitle: true}, &l.Title}, {layers{noLegend: true}, &l.Legend}, {layers{noData: true}, &l.Data}} {
		without, _, err := render(part.hide)
		if err != nil {
			return Layers{}, err
		}
		left := map[string]int{}
		for _, e := range without {
			left[e.key]++
		}
		*part.box = emptyBox
		for _, e := range full {
			if left[e.key] > 0 {
				left[e.key]--
				continue
			}
			part.box.union(e.box)
			if part.box == &l.Data && e.polyline {
				l.Polylines++
			}
		}
	}
	return l, nil
}

// svgElement is a drawn element of an SVG: what identifies it (its tag,
// attributes, text and the transforms around it) and its bounding box.
type svgElement struct {
	key, text string
	box       Box
	polyline  bool // an open path through three points or more
}

// affine is the matrix [a c e; b d f; 0 0 1].
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{1, 0, 0, 1, 0, 0}

func (m affine) then(n affine) affine { // m ∘ n: n first
	return affine{
		m.a*n.a + m.c*n.b, m.b*n.a + m.d*n.b,
		m.a*n.c + m.c*n.d, m.b*n.c + m.d*n.d,
		m.a*n.e + m.c*n.f + m.e, m.b*n.e + m.d*n.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

var transformRE = regexp.MustCompile(`(\w+)\(([^)]*)\)`)

// parseTransform reads an SVG transform list (translate, scale, rotate,
// matrix).
func parseTransform(s string) (affine, error) {
	m := identity
	for _, t := range transformRE.FindAllStringSubmatch(s, -1) {
		var v []float64
		for _, f := range strings.FieldsFunc(t[2], func(r rune) bool { return r == ',' || r == ' ' }) {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return m, fmt.Errorf("transform %q: %w", s, err)
			}
			v = append(v, x)
		}
		var n affine
		switch {
		case t[1] == "translate" && len(v) == 2:
			n = affine{1, 0, 0, 1, v[0], v[1]}
		case t[1] == "translate" && len(v) == 1:
			n = affine{1, 0, 0, 1, v[0], 0}
		case t[1] == "scale" && len(v) == 2:
			n = affine{v[0], 0, 0, v[1], 0, 0}
		case t[1] == "scale" && len(v) == 1:
			n = affine{v[0], 0, 0, v[0], 0, 0}
		case t[1] == "rotate" && len(v) == 1:
			s, c := math.Sincos(v[0] * math.Pi / 180)
			n = affine{c, s, -s, c, 0, 0}
		case t[1] == "matrix" && len(v) == 6:
			n = affine{v[0], v[1], v[2], v[3], v[4], v[5]}
		default:
			return m, fmt.Errorf("transform %q: cannot read %s", s, t[0])
		}
		m = m.then(n)
	}
	return m, nil
}

var fontSizeRE = regexp.MustCompile(`font-size:([0-9.]+)px`)

// parseSVG reads the elements gonum/plot's SVG canvas writes (groups with
// transforms, paths of M, L, A and Z, and text) and returns each drawn
// element with its bounding box on the page, and the page's size.
func parseSVG(b []byte) ([]svgElement, Box, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	stack := []affine{identity}
	var (
		els    []svgElement
		canvas Box
		cur    *xml.StartElement
		ctm    string
		body   strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return els, canvas, nil
		}
		if err != nil {
			return nil, canvas, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range t.Attr {
				attr[a.Name.Local] = a.Value
			}
			m, err := parseTransform(attr["transform"])
			if err != nil {
				return nil, canvas, err
			}
			top := stack[len(stack)-1]
			stack = append(stack, top.then(m))
			switch t.Name.Local {
			case "svg":
				vb := strings.Fields(attr["viewBox"])
				if len(vb) == 4 {
					w, _ := strconv.ParseFloat(vb[2], 64)
					h, _ := strconv.ParseFloat(vb[3], 64)
					canvas = Box{0, 0, w, h}
				}
			case "path":
				box, err := pathBox(attr["d"], top.then(m))
				if err != nil {
					return nil, canvas, err
				}
				d := attr["d"]
				poly := !strings.ContainsAny(d, "AZ") && strings.Count(d, "L") >= 2
				els = append(els, svgElement{key: elementKey(t, top), box: box, polyline: poly})
			case "text":
				st := t.Copy()
				cur, ctm = &st, fmt.Sprint(top)
				body.Reset()
			}
		case xml.CharData:
			if cur != nil {
				body.Write(t)
			}
		case xml.EndElement:
			m := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if t.Name.Local == "text" && cur != nil {
				e, err := textElement(*cur, body.String(), m)
				if err != nil {
					return nil, canvas, err
				}
				e.key = elementKey(*cur, identity) + ctm + "|" + body.String()
				els = append(els, e)
				cur = nil
			}
		}
	}
}

func elementKey(t xml.StartElement, m affine) string {
	var b strings.Builder
	b.WriteString(t.Name.Local)
	for _, a := range t.Attr {
		fmt.Fprintf(&b, " %s=%q", a.Name.Local, a.Value)
	}
	fmt.Fprint(&b, m)
	return b.String()
}

// textElement boxes a text element drawn in the charts' font: from its
// baseline's start to its measured width, from its ascent above to its
// descent below, through the transforms m.
func textElement(t xml.StartElement, s string, m affine) (svgElement, error) {
	var x, y, size float64
	for _, a := range t.Attr {
		var err error
		switch a.Name.Local {
		case "x":
			x, err = strconv.ParseFloat(a.Value, 64)
		case "y":
			y, err = strconv.ParseFloat(a.Value, 64)
		case "style":
			f := fontSizeRE.FindStringSubmatch(a.Value)
			if f == nil {
				return svgElement{}, fmt.Errorf("text %q without a font size", s)
			}
			size, err = strconv.ParseFloat(f[1], 64)
			if !strings.Contains(a.Value, svgFallback) {
				return svgElement{}, fmt.Errorf("text %q not in the charts' sans-serif font: %s", s, a.Value)
			}
		}
		if err != nil {
			return svgElement{}, err
		}
	}
	sty := textStyle(vg.Length(size))
	w := float64(sty.Width(s))
	ext := sty.FontExtents()
	box := emptyBox
	for _, c := range [][2]float64{{x, y - float64(ext.Ascent)}, {x + w, y - float64(ext.Ascent)}, {x, y + float64(ext.Descent)}, {x + w, y + float64(ext.Descent)}} {
		box.add(m.apply(c[0], c[1]))
	}
	return svgElement{text: s, box: box}, nil
}

var pathRE = regexp.MustCompile(`[MLAZ][^MLAZ]*`)

// pathBox boxes a path of M, L, A (circular arcs) and Z components,
// through the transforms m. An arc's box is its circle's, found from its
// ends and radius.
func pathBox(d string, m affine) (Box, error) {
	box := emptyBox
	var px, py float64
	for _, c := range pathRE.FindAllString(d, -1) {
		var v []float64
		for _, f := range strings.FieldsFunc(c[1:], func(r rune) bool { return r == ',' || r == ' ' }) {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return box, fmt.Errorf("path %q: %w", d, err)
			}
			v = append(v, x)
		}
		switch {
		case c[0] == 'Z':
		case (c[0] == 'M' || c[0] == 'L') && len(v) == 2:
			px, py = v[0], v[1]
			box.add(m.apply(px, py))
		case c[0] == 'A' && len(v) == 7:
			r, x, y := v[0], v[5], v[6]
			half := math.Hypot(x-px, y-py) / 2
			reach := r + math.Sqrt(max(0, r*r-half*half))
			mx, my := (x+px)/2, (y+py)/2
			for _, p := range [][2]float64{{mx - reach, my - reach}, {mx + reach, my + reach}, {mx - reach, my + reach}, {mx + reach, my - reach}} {
				box.add(m.apply(p[0], p[1]))
			}
			px, py = x, y
		default:
			return box, fmt.Errorf("path %q: cannot read %q", d, c)
		}
	}
	return box, nil
}
