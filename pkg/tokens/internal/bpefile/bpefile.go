// Package bpefile is the format of pkg/tokens' embedded vocabularies: a
// magic line, the token count as a uvarint, then each token in rank order
// as a uvarint length and its bytes (length 0 for a rank with no token),
// the whole deflated. It is apart from the generator so that the binaries,
// which only read the files, do not link tiktoken-go.
package bpefile

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Magic starts every file, so that a wrong or truncated embed fails loudly
// at load instead of counting garbage.
const Magic = "aiops-bpe-1\n"

// maxRaw bounds the inflated size of a file (o200k is about 2.4 MB) and
// maxTokens the count, so that a corrupt file cannot make the reader
// allocate without limit.
const (
	maxRaw    = 8 << 20
	maxTokens = 1 << 20
)

// Write returns the compressed file holding toks, token r at index r.
func Write(toks [][]byte) ([]byte, error) {
	if len(toks) == 0 || len(toks) > maxTokens {
		return nil, fmt.Errorf("%d tokens, want 1 to %d", len(toks), maxTokens)
	}
	var raw bytes.Buffer
	raw.WriteString(Magic)
	raw.Write(binary.AppendUvarint(nil, uint64(len(toks))))
	for _, t := range toks {
		raw.Write(binary.AppendUvarint(nil, uint64(len(t))))
		raw.Write(t)
	}
	if raw.Len() > maxRaw {
		return nil, fmt.Errorf("%d bytes inflated, more than the reader's limit %d", raw.Len(), maxRaw)
	}
	var out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Read decodes a file: all tokens concatenated in data, token r being
// data[off[r]:off[r+1]].
func Read(file []byte) (data []byte, off []uint32, err error) {
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(file)), maxRaw+1))
	if err != nil {
		return nil, nil, err
	}
	if len(raw) > maxRaw {
		return nil, nil, errors.New("inflated file larger than the limit")
	}
	if !bytes.HasPrefix(raw, []byte(Magic)) {
		return nil, nil, errors.New("bad magic")
	}
	raw = raw[len(Magic):]
	n, k := binary.Uvarint(raw)
	if k <= 0 || n == 0 || n > maxTokens {
		return nil, nil, errors.New("bad token count")
	}
	raw = raw[k:]
	data = make([]byte, 0, len(raw))
	off = make([]uint32, 1, n+1)
	for r := range n {
		l, k := binary.Uvarint(raw)
		if k <= 0 || l > uint64(len(raw)-k) {
			return nil, nil, fmt.Errorf("token %d: truncated", r)
		}
		data = append(data, raw[k:k+int(l)]...)
		off = append(off, uint32(len(data)))
		raw = raw[k+int(l):]
	}
	if len(raw) != 0 {
		return nil, nil, errors.New("trailing bytes")
	}
	return data, off, nil
}
