// Command gen writes pkg/tokens' embedded vocabularies from tiktoken-go
// (go generate ./pkg/tokens). tiktoken-go is needed only here and in tests.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cloudobs/aiops-app/pkg/tokens/internal/vocabgen"
)

func main() {
	dir := flag.String("o", ".", "directory to write the vocabulary files into")
	flag.Parse()
	for _, e := range vocabgen.Encodings {
		b, err := vocabgen.Build(e.New())
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(*dir, e.File), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
