package kit

import "sync"

// Store is a bounded in-memory map for the sample services' records: once
// full, the oldest record is dropped, so load generation never exhausts memory
// (only the memory-leak fault should do that).
type Store[V any] struct {
	mu    sync.RWMutex
	max   int
	items map[string]V
	order []string
}

// NewStore makes a store holding at most max records.
func NewStore[V any](max int) *Store[V] {
	return &Store[V]{max: max, items: make(map[string]V)}
}

// Put stores v under id, evicting the oldest record when full.
func (s *Store[V]) Put(id string, v V) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.items[id]; !exists {
		if len(s.order) >= s.max {
			delete(s.items, s.order[0])
			s.order = s.order[1:]
		}
		s.order = append(s.order, id)
	}
	s.items[id] = v
}

// Get returns the record stored under id.
func (s *Store[V]) Get(id string) (V, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.items[id]
	return v, ok
}

// Newest returns up to n records, newest first, that keep(v) accepts.
func (s *Store[V]) Newest(n int, keep func(V) bool) []V {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []V
	for i := len(s.order) - 1; i >= 0 && len(out) < n; i-- {
		if v := s.items[s.order[i]]; keep(v) {
			out = append(out, v)
		}
	}
	return out
}
