// Command binsize tells which Go modules make a backend binary large.
//
//	go run ./scripts/binsize [-top 15] [-by module|package] BINARY [BASELINE]
//
// BINARY is an ELF binary built with the symbol table kept: the Magefile's
// flags without -s (`-ldflags '-w -extldflags "-static"'`); -s would leave
// nothing to attribute. It sums the sizes of the symbols that take room in
// the file (code, read-only data, data; not BSS) per module, read from the
// binary's own build information, and, for a second binary, prints both
// side by side. Go's ELF symbol table names the code and data of each
// function and variable, not the type descriptors, strings and line tables
// (.rodata, .gopclntab: more than half of the file), which grow with the
// code. So the first column per binary is exact, and the second spreads the
// whole file over the modules in proportion to their symbols: an estimate
// of what removing a module saves, to be checked by building without it.
package main

import (
	"debug/buildinfo"
	"debug/elf"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 15, "rows to print (0 = all)")
	by := flag.String("by", "module", "group by module or package")
	flag.Parse()
	if flag.NArg() < 1 || flag.NArg() > 2 || (*by != "module" && *by != "package") {
		fmt.Fprintln(os.Stderr, "usage: binsize [-top N] [-by module|package] BINARY [BASELINE]")
		os.Exit(2)
	}
	var reports []report
	for _, path := range flag.Args() {
		r, err := measure(path, *by == "package")
		if err != nil {
			fmt.Fprintln(os.Stderr, "binsize:", err)
			os.Exit(1)
		}
		reports = append(reports, r)
	}
	printTable(os.Stdout, reports, *top)
}

// report is one binary's sizes in bytes.
type report struct {
	path   string
	file   int64
	groups map[string]int64 // symbol bytes per module
	total  int64            // symbol bytes in all
}

// Rows that are not a module.
const (
	rowStd     = "(standard library)"
	rowTables  = "(runtime tables)"
	rowUnknown = "(unattributed symbols)"
)

func measure(path string, byPackage bool) (report, error) {
	st, err := os.Stat(path)
	if err != nil {
		return report{}, err
	}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return report{}, fmt.Errorf("%s: %w", path, err)
	}
	f, err := elf.Open(path)
	if err != nil {
		return report{}, fmt.Errorf("%s: %w (binsize reads ELF: build for linux)", path, err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return report{}, fmt.Errorf("%s has no symbol table (built with -s?): %w", path, err)
	}
	mods := []string{bi.Main.Path}
	for _, d := range bi.Deps {
		mods = append(mods, d.Path)
	}
	// Longest module path first, so nested modules win over their parents.
	sort.Slice(mods, func(i, j int) bool { return len(mods[i]) > len(mods[j]) })

	r := report{path: path, file: st.Size(), groups: map[string]int64{}}
	for _, s := range syms {
		if s.Size == 0 || int(s.Section) <= 0 || int(s.Section) >= len(f.Sections) {
			continue
		}
		sec := f.Sections[s.Section]
		if sec.Type == elf.SHT_NOBITS || sec.Name == ".gopclntab" {
			continue
		}
		r.groups[group(s.Name, mods, byPackage)] += int64(s.Size)
		r.total += int64(s.Size)
	}
	return r, nil
}

// group names the module (or package) a symbol belongs to.
func group(sym string, mods []string, byPackage bool) string {
	pkg, ok := symbolPackage(sym)
	switch {
	case !ok:
		if strings.HasPrefix(sym, "go:") || strings.HasPrefix(sym, "runtime.") {
			return rowTables
		}
		return rowUnknown
	case isStd(pkg):
		if byPackage {
			return pkg
		}
		return rowStd
	case byPackage:
		return pkg
	}
	for _, m := range mods {
		if pkg == m || strings.HasPrefix(pkg, m+"/") {
			return m
		}
	}
	return rowUnknown
}

// symbolPackage returns the import path in a Go symbol name such as
// "k8s.io/api/core/v1.(*Pod).Marshal", "type:*github.com/x/y.T" or
// "go:itab.*github.com/x/y.T,io.Reader".
func symbolPackage(sym string) (string, bool) {
	for _, p := range []string{"go:itab.", "type:.eq.", "type:.hash.", "type:.importpath.", "type:.namedata.", "type:"} {
		if strings.HasPrefix(sym, p) {
			sym = sym[len(p):]
			break
		}
	}
	if strings.HasPrefix(sym, "go:") {
		return "", false
	}
	sym = strings.TrimLeft(sym, "*[]0123456789")
	// Type arguments and closures carry other paths; the owner comes first.
	if i := strings.IndexAny(sym, "[,"); i >= 0 {
		sym = sym[:i]
	}
	slash := strings.LastIndex(sym, "/")
	dot := strings.Index(sym[slash+1:], ".")
	if dot <= 0 {
		return "", false
	}
	return sym[:slash+1+dot], true
}

// isStd reports a standard library path: no dot in its first element.
func isStd(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".") || first == "vendor"
}

func printTable(w io.Writer, rs []report, top int) {
	type row struct {
		name string
		size []int64
	}
	seen := map[string]*row{}
	var rows []*row
	for i, r := range rs {
		for name, n := range r.groups {
			if seen[name] == nil {
				seen[name] = &row{name: name, size: make([]int64, len(rs))}
				rows = append(rows, seen[name])
			}
			seen[name].size[i] = n
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].size[0] != rows[j].size[0] {
			return rows[i].size[0] > rows[j].size[0]
		}
		return rows[i].name < rows[j].name
	})
	for i, r := range rs {
		fmt.Fprintf(w, "[%d] %s: %.2f MB file, %.2f MB in symbols (x%.2f)\n", i+1, r.path, mb(r.file), mb(r.total), float64(r.file)/float64(r.total))
	}
	header := ""
	for i := range rs {
		header += fmt.Sprintf("  [%d] syms   est.", i+1)
	}
	fmt.Fprintln(w, header+"  (MB = 10^6 bytes)")
	line := func(size []int64, name string) {
		out := ""
		for i, n := range size {
			out += fmt.Sprintf(" %8.2f %6.2f", mb(n), mb(n)*float64(rs[i].file)/float64(rs[i].total))
		}
		fmt.Fprintf(w, "%s  %s\n", out, name)
	}
	for i, rw := range rows {
		if top > 0 && i == top {
			rest := make([]int64, len(rs))
			for _, more := range rows[i:] {
				for k, n := range more.size {
					rest[k] += n
				}
			}
			line(rest, fmt.Sprintf("(%d more rows)", len(rows)-i))
			return
		}
		line(rw.size, rw.name)
	}
}

func mb(n int64) float64 { return float64(n) / 1e6 }
