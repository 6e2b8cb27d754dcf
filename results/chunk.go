package results

import (
	"bytes"
	"encoding/csv"
	"io"
)

// csvChunk holds the CSV rows of one chunk of runs, for the per-run and
// per-turn row accumulators: a chunk's rows go to its buffer; the chunk
// made with a writer (out) writes every chunk merged into it to out, in
// the order merged, keeping the first error.
type csvChunk struct {
	buf bytes.Buffer
	cw  *csv.Writer
	out io.Writer // nil for a chunk's rows
	err error
}

func (c *csvChunk) init() { c.cw = csv.NewWriter(&c.buf) }

// merge appends o's rows: to the writer, or to c's own rows.
func (c *csvChunk) merge(o *csvChunk) {
	o.cw.Flush()
	if c.out == nil {
		c.cw.Flush()
		c.buf.Write(o.buf.Bytes())
		return
	}
	if c.err == nil {
		_, c.err = c.out.Write(o.buf.Bytes())
	}
}

// reset empties the rows for reuse.
func (c *csvChunk) reset() {
	c.cw.Flush()
	c.buf.Reset()
}
