package packaging

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Platform is a GOOS/GOARCH pair the backends are built for.
type Platform struct{ OS, Arch string }

// An Archive is one zip of the package: its file name and the platforms
// whose backend binaries it carries.
type Archive struct {
	Name      string
	Platforms []Platform
}

// linuxAMD64 is in every archive: the plugin validator reads the
// linux/amd64 binary of each backend plugin.json, whatever platform the
// archive is for (its rule backend-binary-not-linux-amd64).
var linuxAMD64 = Platform{"linux", "amd64"}

// PlatformArchives are the release archives, one per platform, named as the
// catalog names them (<id>-<version>.<os>_<arch>.zip); Grafana's installer
// fetches the one for its own platform, so a user downloads two binaries
// (four off linux/amd64), not eight.
func PlatformArchives(pluginID, version string) []Archive {
	var out []Archive
	for _, p := range Platforms {
		carried := []Platform{p}
		if p != linuxAMD64 {
			carried = append(carried, linuxAMD64)
		}
		out = append(out, Archive{Name: fmt.Sprintf("%s-%s.%s_%s.zip", pluginID, version, p.OS, p.Arch), Platforms: carried})
	}
	return out
}

// UniversalArchive carries every platform's binaries in <id>-<version>.zip,
// for a plugin directory shared by Grafanas on different platforms.
func UniversalArchive(pluginID, version string) Archive {
	return Archive{Name: fmt.Sprintf("%s-%s.zip", pluginID, version), Platforms: Platforms}
}

// carries reports whether a file of dist/ belongs in the archive: every
// file but the backend binaries built for platforms it does not carry.
func (a Archive) carries(rel string) bool {
	base := path.Base(rel)
	if !isBackendBinary(base) {
		return true
	}
	for _, p := range Platforms {
		if strings.HasSuffix(strings.TrimSuffix(base, ".exe"), "_"+p.OS+"_"+p.Arch) {
			return slices.Contains(a.Platforms, p)
		}
	}
	return true
}

// skipInArchive are files of dist/ that belong to development only.
func skipInArchive(rel string) bool {
	base := path.Base(rel)
	return strings.HasSuffix(base, ".LICENSE.txt") && base != "LICENSE" ||
		base == ".DS_Store" || strings.HasPrefix(base, "__debug_bin")
}

// Zip writes the archive a of dist/ into outDir, under one top folder named
// after the plugin id. Backend binaries (gpx_*) get mode 0755 in the zip
// headers, everything else 0644, so Grafana can execute them after unzipping.
func Zip(dist, pluginID, outDir string, a Archive) (string, error) {
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
		if !skipInArchive(rel) && a.carries(rel) {
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
	out := filepath.Join(outDir, a.Name)
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
