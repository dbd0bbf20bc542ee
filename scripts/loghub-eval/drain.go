package main

import (
	"strings"
	"unicode"
)

// refDrain is a reimplementation of Drain as Drain3 (logpai/Drain3, MIT)
// runs it with its default configuration: depth 4 (root, token count, one
// leading token, leaves), similarity threshold 0.4, at most 100 children per
// node, numeric tokens routed to the wildcard child, no masking, tokens split
// on white space. It is written from the algorithm's description to serve as
// the yardstick of the evaluation, since Drain3 itself cannot be installed
// here; it is not linked into the product.
type refDrain struct {
	depth       int
	simTh       float64
	maxChildren int
	root        drainNode
	clusters    []*drainCluster
}

type drainNode struct {
	children map[string]*drainNode
	clusters []*drainCluster
}

type drainCluster struct {
	id     int
	tokens []string
}

const drainParam = "<*>"

func newRefDrain() *refDrain {
	return &refDrain{depth: 4, simTh: 0.4, maxChildren: 100}
}

// add mines one message and returns its cluster id (1-based, in order of
// creation, as Drain3 numbers them).
func (d *refDrain) add(msg string) int {
	toks := strings.Fields(msg)
	if c := d.search(toks); c != nil {
		for i, t := range c.tokens {
			if t != toks[i] {
				c.tokens[i] = drainParam
			}
		}
		return c.id
	}
	c := &drainCluster{id: len(d.clusters) + 1, tokens: append([]string(nil), toks...)}
	d.clusters = append(d.clusters, c)
	d.insert(c)
	return c.id
}

// template is the current template of cluster id.
func (d *refDrain) template(id int) string {
	return strings.Join(d.clusters[id-1].tokens, " ")
}

func (d *refDrain) lengthNode(n int, create bool) *drainNode {
	key := lengthKey(n)
	next := d.root.children[key]
	if next == nil && create {
		if d.root.children == nil {
			d.root.children = map[string]*drainNode{}
		}
		next = &drainNode{}
		d.root.children[key] = next
	}
	return next
}

// lengthKey keeps token counts apart from tokens in the root's map.
func lengthKey(n int) string {
	return "\x00" + string(rune(n))
}

func (d *refDrain) search(toks []string) *drainCluster {
	n := d.lengthNode(len(toks), false)
	if n == nil {
		return nil
	}
	if len(toks) == 0 {
		return n.clusters[0]
	}
	maxNodeDepth := d.depth - 2
	depth := 1
	for _, t := range toks {
		if depth >= maxNodeDepth || depth == len(toks) {
			break
		}
		next := n.children[t]
		if next == nil {
			next = n.children[drainParam]
		}
		if next == nil {
			return nil
		}
		n = next
		depth++
	}
	return d.fastMatch(n.clusters, toks)
}

// fastMatch picks the most similar cluster, ties to the one with more
// wildcards; wildcards do not count as similar.
func (d *refDrain) fastMatch(clusters []*drainCluster, toks []string) *drainCluster {
	var best *drainCluster
	bestSim, bestParams := -1.0, -1
	for _, c := range clusters {
		same, params := 0, 0
		for i, t := range c.tokens {
			if t == drainParam {
				params++
				continue
			}
			if t == toks[i] {
				same++
			}
		}
		sim := float64(same) / float64(len(c.tokens))
		if sim > bestSim || sim == bestSim && params > bestParams {
			best, bestSim, bestParams = c, sim, params
		}
	}
	if bestSim >= d.simTh {
		return best
	}
	return nil
}

func (d *refDrain) insert(c *drainCluster) {
	n := d.lengthNode(len(c.tokens), true)
	if len(c.tokens) == 0 {
		n.clusters = []*drainCluster{c}
		return
	}
	maxNodeDepth := d.depth - 2
	depth := 1
	for _, t := range c.tokens {
		if depth >= maxNodeDepth || depth >= len(c.tokens) {
			n.clusters = append(n.clusters, c)
			return
		}
		next := n.children[t]
		if next == nil {
			next = d.child(n, t)
		}
		n = next
		depth++
	}
}

// child adds (or reuses) the child for a token not yet in n: tokens with a
// digit go under the wildcard, and once n is full everything does.
func (d *refDrain) child(n *drainNode, t string) *drainNode {
	if n.children == nil {
		n.children = map[string]*drainNode{}
	}
	key := t
	_, hasParam := n.children[drainParam]
	switch {
	case hasDigit(t):
		key = drainParam
	case hasParam && len(n.children) >= d.maxChildren:
		key = drainParam
	case !hasParam && len(n.children)+1 >= d.maxChildren:
		key = drainParam
	}
	next := n.children[key]
	if next == nil {
		next = &drainNode{}
		n.children[key] = next
	}
	return next
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
