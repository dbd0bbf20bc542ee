package logs

// Prepared is a record with the text it is mined from already split into
// masked tokens. Splitting is pure and about a third of mining's cost, so
// a Preparer can do it in other goroutines than the one mining, which then
// only matches (see Summary.AddPrepared). Make it with Preparer.Prepare.
type Prepared struct {
	Record Record
	toks   []string
	keyed  uint64
}

// Preparer splits records for Summary.AddPrepared. It is not safe for
// concurrent use: give each goroutine its own.
type Preparer struct {
	// arena holds the tokens of many records, one allocation for all.
	arena []string
}

// preparedArena is how many tokens one arena allocation holds.
const preparedArena = 32 << 10

// Prepare splits r's MineText into its masked tokens.
func (p *Preparer) Prepare(r Record) Prepared {
	if cap(p.arena)-len(p.arena) < maxMineTokens+1 {
		p.arena = make([]string, 0, preparedArena)
	}
	n := len(p.arena)
	toks, keyed := splitTokens(r.MineText(), p.arena[n:n])
	p.arena = p.arena[:n+len(toks)]
	return Prepared{Record: r, toks: toks[:len(toks):len(toks)], keyed: keyed}
}
