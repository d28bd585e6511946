package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
)

// fsStore keeps objects as plain files under root, typically a shared
// mount (EFS/NFS) so every instance sees the same files.
type fsStore struct {
	root string
}

func openFS(u *url.URL) (Store, error) {
	if u.Host != "" && u.Host != "localhost" {
		return nil, fmt.Errorf("BETCITY_STORAGE: file URL must hold an absolute path, e.g. file:///var/lib/betcity/uploads (got host %q)", u.Host)
	}
	if u.Path == "" || !filepath.IsAbs(u.Path) {
		return nil, fmt.Errorf("BETCITY_STORAGE: file URL needs an absolute path, e.g. file:///var/lib/betcity/uploads")
	}
	if u.RawQuery != "" {
		return nil, fmt.Errorf("BETCITY_STORAGE: file URL takes no options (got %q)", u.RawQuery)
	}
	root := filepath.Clean(u.Path)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("BETCITY_STORAGE: cannot create %s: %w", root, err)
	}
	return &fsStore{root: root}, nil
}

func (s *fsStore) path(key string) string {
	return filepath.Join(s.root, filepath.FromSlash(key))
}

// Put writes to a temp file in the destination directory, fsyncs it and
// renames it into place. rename(2) within one directory is atomic, also on
// NFS/EFS, so a reader on any instance opens either the old file or the
// complete new one, and a crash never leaves a truncated object behind.
func (s *fsStore) Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error {
	if err := checkPut(key, size, contentType); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dst := s.path(key)
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return unavailable("put", key, err)
	}
	// The leading dot keeps temp files out of the key space (ValidateKey
	// refuses dot segments), so they can never be read as objects.
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return unavailable("put", key, err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	n, err := io.Copy(tmp, io.LimitReader(body, size+1))
	if err != nil {
		return fmt.Errorf("storage: put %s: read body: %w", key, err)
	}
	if n != size {
		return fmt.Errorf("storage: put %s: body has %d bytes, want %d", key, n, size)
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600
		return unavailable("put", key, err)
	}
	if err := tmp.Sync(); err != nil {
		return unavailable("put", key, err)
	}
	if err := tmp.Close(); err != nil {
		return unavailable("put", key, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return unavailable("put", key, err)
	}
	committed = true
	// Persist the rename itself; without it a power loss could forget it.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

func (s *fsStore) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Object{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Object{}, err
	}
	f, err := os.Open(s.path(key))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, Object{}, ErrNotFound
	}
	if err != nil {
		return nil, Object{}, unavailable("get", key, err)
	}
	// Stat the open file, not the path, so the metadata belongs to the
	// bytes we return even if a writer renames a new version in meanwhile.
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Object{}, unavailable("get", key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, Object{}, ErrNotFound
	}
	return f, Object{
		Key:         key,
		ContentType: typeForKey(key),
		ETag:        fileETag(fi),
		Size:        fi.Size(),
		ModTime:     fi.ModTime(),
	}, nil
}

// fileETag is cheap (no hashing) yet changes on every Put: each Put renames
// a brand-new inode into place, and its inode number differs from the one
// it replaces because both exist at the time of the rename. Size and mtime
// are added so the tag also changes across inode reuse.
func fileETag(fi fs.FileInfo) string {
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = st.Ino
	}
	return fmt.Sprintf(`"%x-%x-%x"`, ino, fi.Size(), fi.ModTime().UnixNano())
}

func (s *fsStore) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := os.Remove(s.path(key))
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	return unavailable("delete", key, err)
}

func (s *fsStore) URL(_ context.Context, key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	return MediaPrefix + key, nil
}

func (s *fsStore) Check(ctx context.Context) error { return check(ctx, s) }
