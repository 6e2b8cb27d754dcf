package sim

import (
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
)

// Tables shares the utility tables of models whose preferences are
// constant, between the workers of a model and between models with the
// same preferences (the points of a sweep whose varied keys do not touch
// preferences): a table is built once, by the first worker that needs it,
// and read by every other. A table is a function of the preferences
// alone, so sharing it changes no result. The zero Tables is not usable:
// make one with [NewTables]. It is safe for concurrent use.
type Tables struct {
	mu sync.Mutex
	// byPrefs holds, per preference key (Model.prefKey), the tables by
	// preference-event bitmask.
	byPrefs map[string]map[uint64]*table
}

// NewTables returns an empty table cache.
func NewTables() *Tables { return &Tables{byPrefs: map[string]map[uint64]*table{}} }

// Share makes m use c for its tables, from now on: the next Workers of
// m look their tables up in c, and add the ones they build. A model whose
// preferences are drawn per run builds its own table every run and keeps
// no cache; Share leaves it so.
func (m *Model) Share(c *Tables) {
	if m.constPrefs {
		m.tables = c
	}
}

// table returns the cached table for mask, or nil.
func (c *Tables) table(key string, mask uint64) *table {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byPrefs[key][mask]
}

// keep caches t for mask, unless a table is there already (built at the
// same time by another worker: the same table), and returns the cached one.
func (c *Tables) keep(key string, mask uint64, t *table) *table {
	c.mu.Lock()
	defer c.mu.Unlock()
	tabs := c.byPrefs[key]
	if tabs == nil {
		tabs = map[uint64]*table{}
		c.byPrefs[key] = tabs
	}
	if old, ok := tabs[mask]; ok {
		return old
	}
	tabs[mask] = t
	return t
}

// prefKey names everything a constant-preference model's tables are built
// from (setPrefs and buildTable): the package space, each actor's weights,
// values and links, and each preference event's weight changes. Two
// models with the same key build the same tables. Numbers are written in
// full (%v of a float64 round-trips).
func (m *Model) prefKey() string {
	var b strings.Builder
	fmt.Fprintf(&b, "levels %v\nordered %v\n", m.Space.Levels, m.ordered)
	if m.pkgs != nil {
		// A compact model's table holds only the packages it keeps.
		h := fnv.New64a()
		for _, p := range m.pkgs {
			h.Write([]byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)})
		}
		fmt.Fprintf(&b, "compact %d %x\n", len(m.pkgs), h.Sum64())
	}
	val := func(s slot) float64 { return m.nums[s].Value }
	for i, a := range m.actors {
		fmt.Fprintf(&b, "actor %d weights", i)
		for _, s := range a.weights {
			fmt.Fprintf(&b, " %v", val(s))
		}
		b.WriteString(" values")
		for _, vs := range a.values {
			b.WriteString(" [")
			for _, s := range vs {
				fmt.Fprintf(&b, " %v", val(s))
			}
			b.WriteString(" ]")
		}
		for _, l := range a.links {
			fmt.Fprintf(&b, " link when %v unless %v value %v", l.when, l.unless, val(l.value))
		}
		b.WriteString("\n")
	}
	for bit, ei := range m.prefEvents {
		fmt.Fprintf(&b, "event bit %d:", bit)
		for _, c := range m.events[ei].weights {
			fmt.Fprintf(&b, " %d/%d=%v", c.actor, c.issue, val(c.w))
		}
		b.WriteString("\n")
	}
	return b.String()
}
