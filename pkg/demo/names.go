package demo

import (
	"crypto/rand"
	"hash/fnv"
)

// nameAlphabet is the one Kubernetes uses for generated name suffixes: no
// vowels (no accidental words) and no look-alike characters.
const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// podTemplateHash derives the ReplicaSet suffix from what defines the pod
// template, like the Deployment controller does.
func podTemplateHash(parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	sum := h.Sum64()
	out := make([]byte, 9)
	for i := range out {
		out[i] = nameAlphabet[sum%uint64(len(nameAlphabet))]
		sum /= uint64(len(nameAlphabet))
	}
	return string(out)
}

// randomSuffix is the 5-character suffix of a generated pod name.
func randomSuffix() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = nameAlphabet[int(b[i])%len(nameAlphabet)]
	}
	return string(b)
}
