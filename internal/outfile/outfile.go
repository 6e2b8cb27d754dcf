// Package outfile is the one writer of every file parley writes. It never
// replaces what it does not own:
//
//   - a regular file, or a path that does not exist yet, is written
//     atomically: a temporary file in the same directory is filled,
//     synced and renamed over the target, keeping an existing file's mode
//     (and, where the process may, its owner); a new file gets mode 0666
//     less the umask, as a shell's redirection would give it;
//   - a symbolic link is followed and its target written, so the link
//     stays a link (a dangling link creates its target);
//   - a device, a FIFO or a socket (/dev/null, a named pipe) is opened
//     and written in place, never replaced;
//   - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N write to the
//     process's own descriptor N, so a redirection's offset and append mode
//     are kept;
//   - a directory, or a path whose directory does not exist, is refused.
//
// Check runs the same resolution before any work starts, so a bad output
// path is reported at once, and refuses two outputs (or an output and an
// input) that are the same file.
package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Error is a path that cannot be written, and why.
type Error struct {
	Path   string
	Reason string
	Err    error // the underlying error, if any
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// kind is what a path resolves to.
type kind int

const (
	newFile kind = iota // nothing there yet: created atomically
	regular             // an existing regular file: replaced atomically
	inPlace             // a device, FIFO or socket: opened and written
	ownFD               // one of the process's own descriptors
)

// target is a resolved output path.
type target struct {
	kind kind
	path string      // the file to write: symbolic links followed
	mode fs.FileMode // an existing regular file's permissions
	uid  int         // its owner, -1 when unknown
	gid  int
	fd   int // for ownFD
}

// maxLinks bounds the symbolic links followed, as the kernel's ELOOP does.
const maxLinks = 40

// fdPath returns the descriptor a path names, if it names one of the
// process's own.
func fdPath(p string) (int, bool) {
	switch p {
	case "/dev/stdin":
		return 0, true
	case "/dev/stdout":
		return 1, true
	case "/dev/stderr":
		return 2, true
	}
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if rest, ok := strings.CutPrefix(p, dir); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return n, true
			}
		}
	}
	return 0, false
}

// resolve follows path to what it names.
func resolve(path string) (target, error) {
	if path == "" {
		return target{}, &Error{Path: path, Reason: "no file named"}
	}
	p := filepath.Clean(path)
	for range maxLinks {
		if fd, ok := fdPath(p); ok {
			return target{kind: ownFD, path: p, fd: fd}, nil
		}
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			dir := filepath.Dir(p)
			st, err := os.Stat(dir)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return target{}, &Error{Path: path, Reason: "its directory " + dir + " does not exist", Err: err}
			case err != nil:
				return target{}, &Error{Path: path, Reason: "its directory " + dir + " cannot be read", Err: err}
			case !st.IsDir():
				return target{}, &Error{Path: path, Reason: dir + " is not a directory"}
			}
			return target{kind: newFile, path: p, uid: -1, gid: -1}, nil
		}
		if err != nil {
			return target{}, &Error{Path: path, Reason: "cannot be read", Err: err}
		}
		switch m := fi.Mode(); {
		case m&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return target{}, &Error{Path: path, Reason: "its link cannot be read", Err: err}
			}
			if !filepath.IsAbs(link) {
				link = filepath.Join(filepath.Dir(p), link)
			}
			p = filepath.Clean(link)
		case m.IsRegular():
			t := target{kind: regular, path: p, mode: m.Perm(), uid: -1, gid: -1}
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				t.uid, t.gid = int(st.Uid), int(st.Gid)
			}
			return t, nil
		case m.IsDir():
			return target{}, &Error{Path: path, Reason: "is a directory: name a file in it"}
		default:
			return target{kind: inPlace, path: p}, nil
		}
	}
	return target{}, &Error{Path: path, Reason: fmt.Sprintf("more than %d symbolic links", maxLinks)}
}

// Write writes path with what fill writes (see the package comment for
// what each kind of path gets). On any error, and if fill panics, no
// temporary file is left and an existing file is untouched.
func Write(path string, fill func(w io.Writer) error) error {
	t, err := resolve(path)
	if err != nil {
		return err
	}
	switch t.kind {
	case ownFD:
		fd, err := syscall.Dup(t.fd)
		if err != nil {
			return &Error{Path: path, Reason: "descriptor " + strconv.Itoa(t.fd) + " is not open", Err: err}
		}
		f := os.NewFile(uintptr(fd), t.path)
		err = fill(f)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = &Error{Path: path, Reason: "cannot be written", Err: cerr}
		}
		return err
	case inPlace:
		f, err := os.OpenFile(t.path, os.O_WRONLY, 0)
		if err != nil {
			return &Error{Path: path, Reason: "cannot be opened for writing", Err: err}
		}
		err = fill(f)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = &Error{Path: path, Reason: "cannot be written", Err: cerr}
		}
		return err
	}
	return writeAtomic(path, t, fill)
}

// tempName is a fresh name for a temporary file beside p.
func tempName(p string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp-"+hex.EncodeToString(b[:]))
}

// createTemp creates a temporary file beside t's path with the mode the
// target should end with.
func createTemp(path string, t target) (*os.File, error) {
	perm := fs.FileMode(0o666) // less the umask, applied by the kernel
	if t.kind == regular {
		perm = t.mode
	}
	for range 100 {
		f, err := os.OpenFile(tempName(t.path), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, &Error{Path: path, Reason: "cannot create a file in " + filepath.Dir(t.path), Err: err}
		}
		return f, nil
	}
	return nil, &Error{Path: path, Reason: "cannot find a free temporary name in " + filepath.Dir(t.path)}
}

func writeAtomic(path string, t target, fill func(w io.Writer) error) (err error) {
	f, err := createTemp(path, t)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := fill(f); err != nil {
		return err
	}
	fail := func(what string, err error) error {
		return &Error{Path: path, Reason: what, Err: err}
	}
	if t.kind == regular {
		// The umask may have narrowed the mode the file was created with.
		if err := f.Chmod(t.mode); err != nil {
			return fail("cannot keep its mode", err)
		}
		if t.uid >= 0 && (t.uid != os.Geteuid() || t.gid != os.Getegid()) {
			_ = f.Chown(t.uid, t.gid) // only a privileged process may
		}
	}
	if err := f.Sync(); err != nil {
		return fail("cannot be written", err)
	}
	if err := f.Close(); err != nil {
		return fail("cannot be written", err)
	}
	if err := os.Rename(f.Name(), t.path); err != nil {
		os.Remove(f.Name())
		done = true
		return fail("cannot be replaced", err)
	}
	done = true
	if d, err := os.Open(filepath.Dir(t.path)); err == nil {
		_ = d.Sync() // the rename itself survives a crash
		d.Close()
	}
	return nil
}

// Output is one output path of a command and the flag or argument that
// names it, for messages.
type Output struct {
	Name string // "-o", "--runs-out", "OUT"
	Path string // "" when not given; "-" is standard output
}

// identity is what two paths must share to be the same file: an existing
// file's device and inode, or the absolute resolved path of a file not
// there yet.
type identity struct {
	exists   bool
	dev, ino uint64
	path     string
}

func (a identity) same(b identity) bool {
	if a.exists != b.exists {
		return false
	}
	if a.exists {
		return a.dev == b.dev && a.ino == b.ino
	}
	return a.path == b.path
}

// identify returns what path names; "-" is the process's descriptor 1.
func identify(path string) (identity, error) {
	if path == "-" {
		path = "/dev/stdout"
	}
	t, err := resolve(path)
	if err != nil {
		return identity{}, err
	}
	return identifyTarget(path, t)
}

// identifyTarget returns what path, resolved to t, names.
func identifyTarget(path string, t target) (identity, error) {
	var st syscall.Stat_t
	switch t.kind {
	case ownFD:
		if err := syscall.Fstat(t.fd, &st); err != nil {
			// Not open: nothing else can be the same file.
			return identity{path: t.path}, nil
		}
	case newFile:
		dir, err := filepath.EvalSymlinks(filepath.Dir(t.path))
		if err != nil {
			return identity{}, &Error{Path: path, Reason: "its directory cannot be read", Err: err}
		}
		abs, err := filepath.Abs(filepath.Join(dir, filepath.Base(t.path)))
		if err != nil {
			return identity{}, &Error{Path: path, Reason: "has no absolute path", Err: err}
		}
		return identity{path: abs}, nil
	default:
		if err := syscall.Stat(t.path, &st); err != nil {
			return identity{}, &Error{Path: path, Reason: "cannot be read", Err: err}
		}
	}
	return identity{exists: true, dev: uint64(st.Dev), ino: st.Ino}, nil
}

// Check verifies, before any work starts, that every output given can be
// written where it resolves, and that no two outputs and no output and
// input are the same file. A regular file's directory is checked by
// creating and removing a temporary file in it; a device or FIFO is not
// opened (a FIFO would wait for its reader). Outputs with an empty path
// are skipped; "-" is standard output.
func Check(outs []Output, inputs ...string) error {
	type seen struct {
		name, path string
		id         identity
	}
	var ids []seen
	for _, o := range outs {
		if o.Path == "" {
			continue
		}
		path := o.Path
		if path == "-" {
			path = "/dev/stdout"
		}
		t, err := resolve(path)
		if err != nil {
			return err
		}
		if t.kind == newFile || t.kind == regular {
			f, err := createTemp(o.Path, t)
			if err != nil {
				return err
			}
			f.Close()
			os.Remove(f.Name())
		}
		id, err := identifyTarget(path, t)
		if err != nil {
			return err
		}
		for _, s := range ids {
			if s.id.same(id) {
				return &Error{Path: o.Path, Reason: fmt.Sprintf("%s and %s name the same file (%s)", s.name, o.Name, s.path)}
			}
		}
		ids = append(ids, seen{o.Name, o.Path, id})
	}
	for _, in := range inputs {
		id, err := identify(in)
		if err != nil {
			continue // an input that cannot be read is its reader's error
		}
		for _, s := range ids {
			if s.id.same(id) {
				return &Error{Path: s.path, Reason: fmt.Sprintf("the output %s is also an input (%s)", s.name, in)}
			}
		}
	}
	return nil
}
