package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// bar wraps the progress bar library behind the two calls parley needs.
type bar struct{ pb *progressbar.ProgressBar }

func newBar(w io.Writer, total int, unit string) *bar {
	return &bar{progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(unit),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)}
}

func (b *bar) set(n int) { b.pb.Set(n) }

func (b *bar) finish() { b.pb.Finish() }
