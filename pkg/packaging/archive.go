package packaging

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ArchiveName is the catalog's file name for a version.
func ArchiveName(pluginID, version string) string {
	return fmt.Sprintf("%s-%s.zip", pluginID, version)
}

// skipInArchive are files of dist/ that belong to development only.
func skipInArchive(rel string) bool {
	base := path.Base(rel)
	return strings.HasSuffix(base, ".LICENSE.txt") && base != "LICENSE" ||
		base == ".DS_Store" || strings.HasPrefix(base, "__debug_bin")
}

// Zip writes dist/ into outDir/<id>-<version>.zip under one top folder named
// after the plugin id. Backend binaries (gpx_*) get mode 0755 in the zip
// headers, everything else 0644, so Grafana can execute them after unzipping.
func Zip(dist, pluginID, version, outDir string) (string, error) {
	var files []string
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symlink; the archive must hold regular files only", p)
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dist, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !skipInArchive(rel) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read %s: %w", dist, err)
	}
	sort.Strings(files)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", outDir, err)
	}
	out := filepath.Join(outDir, ArchiveName(pluginID, version))
	f, err := os.Create(out)
	if err != nil {
		return "", fmt.Errorf("create archive: %w", err)
	}
	zw := zip.NewWriter(f)
	dirs := map[string]bool{}
	for _, rel := range files {
		err := addDirs(zw, dirs, path.Join(pluginID, path.Dir(rel)))
		if err == nil {
			err = addFile(zw, filepath.Join(dist, filepath.FromSlash(rel)), path.Join(pluginID, rel))
		}
		if err != nil {
			_ = zw.Close()
			_ = f.Close()
			return "", err
		}
	}
	if err := zw.Close(); err != nil {
		_ = f.Close()
		return "", fmt.Errorf("finish archive: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("finish archive: %w", err)
	}
	return out, nil
}

// addDirs writes directory entries so that unzip tools create them with
// sane permissions.
func addDirs(zw *zip.Writer, seen map[string]bool, dir string) error {
	if dir == "." || dir == "" || seen[dir] {
		return nil
	}
	if err := addDirs(zw, seen, path.Dir(dir)); err != nil {
		return err
	}
	seen[dir] = true
	h := &zip.FileHeader{Name: dir + "/", Method: zip.Store}
	h.SetMode(fs.ModeDir | 0o755)
	_, err := zw.CreateHeader(h)
	return err
}

func addFile(zw *zip.Writer, src, name string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	h, err := zip.FileInfoHeader(info)
	if err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	h.Name, h.Method = name, zip.Deflate
	mode := fs.FileMode(0o644)
	if isBackendBinary(name) {
		mode = 0o755
	}
	h.SetMode(mode)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	if _, err := io.Copy(w, in); err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	return nil
}

func isBackendBinary(name string) bool { return strings.HasPrefix(path.Base(name), "gpx_") }
