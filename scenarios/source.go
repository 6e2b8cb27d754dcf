package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxSourceBytes is the largest scenario or sweep file parley reads; the
// built-in scenarios are about 30 KB.
const MaxSourceBytes = 16 << 20

// ReadFile reads the file at path, a kind of file ("scenario file", "sweep
// file") named in its errors. found is false when nothing is there (the
// caller may then look for a built-in of that name). A directory is
// refused; any other file, a FIFO or the pipe of a shell's process
// substitution or /dev/stdin included, is read, up to MaxSourceBytes. Its
// problems are Errors (matching ErrInvalid) that name the file.
func ReadFile(path, kind string) (data []byte, found bool, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	if fi.IsDir() {
		return nil, true, &Error{File: path, Msg: "a directory, not a " + kind}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, MaxSourceBytes+1))
	if err != nil {
		return nil, true, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > MaxSourceBytes {
		return nil, true, &Error{File: path, Msg: fmt.Sprintf("more than %d MiB: too large for a %s", MaxSourceBytes>>20, kind)}
	}
	return data, true, nil
}
