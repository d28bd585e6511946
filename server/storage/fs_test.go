package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/betcity/betcity/server/storage"
)

// Another instance reading over EFS must never see half a file while this
// one rewrites it: readers loop while a writer alternates two large
// versions, and every read must be one whole version.
func TestFilesystemWritesAreAtomic(t *testing.T) {
	st := fsBackend(t)
	ctx := context.Background()
	const size = 4 << 20
	versions := [][]byte{bytes.Repeat([]byte{'a'}, size), bytes.Repeat([]byte{'b'}, size)}
	if err := st.Put(ctx, "big.png", bytes.NewReader(versions[0]), size, "image/png"); err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var reads atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				rc, obj, err := st.Get(ctx, "big.png")
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					errs <- err
					return
				}
				if len(b) != size || obj.Size != size || !(bytes.Equal(b, versions[0]) || bytes.Equal(b, versions[1])) {
					errs <- errors.New("reader saw a partial or mixed file")
					return
				}
				reads.Add(1)
			}
		}()
	}
	for i := range 40 {
		if err := st.Put(ctx, "big.png", bytes.NewReader(versions[i%2]), size, "image/png"); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if reads.Load() == 0 {
		t.Fatal("readers never completed a read; the test proved nothing")
	}
	t.Logf("%d concurrent whole reads during 40 rewrites", reads.Load())
}

// Failed or finished writes leave no temp files lying around.
func TestFilesystemLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	st, err := storage.Open(context.Background(), "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_ = st.Put(ctx, "d/ok.png", bytes.NewReader([]byte("ok")), 2, "image/png")
	_ = st.Put(ctx, "d/short.png", bytes.NewReader([]byte("x")), 5, "image/png")
	entries, err := os.ReadDir(filepath.Join(dir, "d"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "ok.png" {
		t.Fatalf("dir holds %v, want only ok.png", entries)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "d", "ok.png")); fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, want 0644 so the web server user can read it", fi.Mode().Perm())
	}
}
