package logs

// Prepared is a record with the text it is mined from already split into
// masked tokens. Splitting is pure and about a third of mining's cost, so
// a Preparer can do it in other goroutines than the one mining, which then
// only matches (see Miner.AddPrepared). Set Record, then call
// Preparer.Split.
type Prepared struct {
	Record Record
	toks   []string
	keyed  uint64
}

// Preparer splits records for Miner.AddPrepared. It is not safe for
// concurrent use: give each goroutine its own.
type Preparer struct {
	// arena holds the tokens of many records, one allocation for all.
	arena []string
}

// preparedArena is how many tokens one arena allocation holds.
const preparedArena = 16 << 10

// Split splits p.Record's MineText into its masked tokens, held in p.
func (s *Preparer) Split(p *Prepared) {
	if cap(s.arena)-len(s.arena) < maxMineTokens+1 {
		s.arena = make([]string, 0, preparedArena)
	}
	n := len(s.arena)
	toks, keyed := splitTokens(p.Record.MineText(), s.arena[n:n])
	s.arena = s.arena[:n+len(toks)]
	p.toks, p.keyed = toks[:len(toks):len(toks)], keyed
}

// Reset lets the next splits reuse the memory of the tokens split so far,
// and drops them, so that they keep no text alive. Call it only once every
// record split before is mined: a pipeline that recycles its batches saves
// an allocation per batch.
func (s *Preparer) Reset() {
	clear(s.arena)
	s.arena = s.arena[:0]
}

// AddPrepared mines a record that a Preparer split, exactly as Add mines
// the record's MineText, and returns its template id.
func (m *Miner) AddPrepared(p *Prepared) string {
	m.tz.intern(p.toks, p.keyed)
	return m.addTokens(p.toks).id
}
