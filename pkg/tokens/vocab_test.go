package tokens

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/tokens/internal/vocabgen"
)

// TestEmbeddedVocabulariesAreGenerated regenerates the files from
// tiktoken-go (as go generate does) and compares them with the embedded
// ones, so a tiktoken-go upgrade that changes a vocabulary fails here.
func TestEmbeddedVocabulariesAreGenerated(t *testing.T) {
	embedded := map[string]string{"o200k_base.bpe.z": o200kFile, "cl100k_base.bpe.z": cl100kFile}
	for _, e := range vocabgen.Encodings {
		b, err := vocabgen.Build(e.New())
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != embedded[e.File] {
			t.Errorf("%s differs from what the generator writes; run go generate ./pkg/tokens", e.File)
		}
	}
}
