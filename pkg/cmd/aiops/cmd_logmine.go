package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/logs"
	"github.com/cloudobs/aiops-app/pkg/redact"
)

func logmineCommand() command {
	return command{
		name:    "logmine",
		summary: "mine log templates (Drain) from a log file: templates with counts, or each line's template id",
		run:     runLogmine,
	}
}

// maxInputLine bounds one input line; the rest of a longer line is skipped
// (it still counts as one line).
const maxInputLine = 1 << 20

// parseBatch records at a time, and at most parseQueue batches per worker,
// pass from the parsing goroutine to the mining one (see mineLines).
const (
	parseBatch = 1024
	parseQueue = 2
)

func runLogmine(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "logmine", "--input FILE|- [--format text|json] [--assignments]")
	input := fs.String("input", "", "log file to mine, - for standard input (required)")
	format := fs.String("format", "text", "output format: text or json")
	assignments := fs.Bool("assignments", false, "print, for every input line in order, the id of its template")
	noRedact := fs.Bool("no-redact", false, "print examples and patterns without removing secrets")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *input == "" {
		return usagef("--input is required (a file, or - for standard input)")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	in, err := openInput(sio, *input)
	if err != nil {
		return err
	}
	defer in.Close()

	out := bufio.NewWriterSize(sio.out, 64<<10)
	if *assignments {
		if err := writeAssignments(ctx, in, out); err != nil {
			return err
		}
	} else {
		sum := logs.NewSummary(logs.SummaryOptions{})
		if err := mineLines(ctx, in, func(p *logs.Prepared) { sum.AddPrepared(p, "") }); err != nil {
			return err
		}
		r := redact.New(redact.Options{})
		if *noRedact {
			r = nil
		}
		if err := writeTemplates(out, *format, sum, r); err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// writeAssignments mines the lines of in and writes, for every line in
// order, the id of its template. Only the miner is needed: the statistics
// of a Summary would be thrown away. Every line keeps the number of its
// template's id (4 bytes a line) and the ids are printed at the end,
// resolved through the merges of sibling templates that later lines
// prompted.
func writeAssignments(ctx context.Context, in io.Reader, out *bufio.Writer) error {
	m := logs.NewMiner(logs.MinerConfig{})
	var lineIDs []uint32
	var idNames []string
	idNumber := map[string]uint32{}
	err := mineLines(ctx, in, func(p *logs.Prepared) {
		id := m.AddPrepared(p)
		n, ok := idNumber[id]
		if !ok {
			n = uint32(len(idNames))
			idNumber[id] = n
			idNames = append(idNames, id)
		}
		for range p.Record.Lines {
			lineIDs = append(lineIDs, n)
		}
	})
	if err != nil {
		return err
	}
	m.Consolidate()
	for i, id := range idNames {
		idNames[i] = m.Resolve(id) + "\n"
	}
	for _, n := range lineIDs {
		if _, err := out.WriteString(idNames[n]); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	return nil
}

// mineBatch is up to parseBatch records on their way from the parser to
// the miner; a worker splits them in between, into tokens that split
// holds, and then closes done. Once mined, a batch goes back to the parser
// with its memory.
type mineBatch struct {
	prep  []logs.Prepared
	split logs.Preparer
	done  chan struct{}
}

// mineLines mines the lines of in, calling mine with each split record in
// input order. Three stages use the cores: one goroutine reads and parses
// (the parser joins lines, so it runs in order), one worker per core
// splits records into masked tokens, and this goroutine mines them in
// order, so the ids are the same as mining sequentially. At most
// parseQueue batches per worker wait.
func mineLines(ctx context.Context, in io.Reader, mine func(*logs.Prepared)) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	ordered := make(chan *mineBatch, parseQueue*workers)
	work := make(chan *mineBatch, parseQueue*workers)
	// Every batch is in ordered, being filled or being mined, so free
	// never holds more than this.
	free := make(chan *mineBatch, parseQueue*workers+2)
	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(work)
		p := logs.NewParser()
		next := func() *mineBatch {
			select {
			case b := <-free:
				b.prep = b.prep[:0]
				return b
			default:
				return &mineBatch{prep: make([]logs.Prepared, 0, parseBatch)}
			}
		}
		b := next()
		send := func() {
			b.done = make(chan struct{})
			ordered <- b
			work <- b
			b = next()
		}
		add := func(recs []logs.Record) {
			for _, r := range recs {
				b.prep = append(b.prep, logs.Prepared{Record: r})
			}
			if len(b.prep) >= parseBatch {
				send()
			}
		}
		err := readLines(ctx, in, func(line string) { add(p.Add(line)) })
		if err == nil {
			add(p.Flush())
		}
		if len(b.prep) > 0 {
			send()
		}
		readErr <- err
	}()
	for range workers {
		go func() {
			for b := range work {
				for i := range b.prep {
					b.split.Split(&b.prep[i])
				}
				close(b.done)
			}
		}()
	}
	for b := range ordered {
		<-b.done
		for i := range b.prep {
			mine(&b.prep[i])
		}
		// A recycled batch would otherwise keep the blocks its records
		// were cut from alive.
		clear(b.prep)
		b.split.Reset()
		select {
		case free <- b:
		default:
		}
	}
	return <-readErr
}

// readBlock is the size of readLines' reads. It exceeds maxInputLine, so
// that a block without a newline holds a line too long to keep whole.
const readBlock = 2 * maxInputLine

// readLines calls fn for every line of r (without its newline), in bounded
// memory, checking ctx between blocks. Each block's complete lines become
// one string that the lines are cut from: no copy and no allocation per
// line, and a record keeping a line keeps only its block alive.
func readLines(ctx context.Context, r io.Reader, fn func(string)) error {
	buf := make([]byte, readBlock)
	filled := 0       // bytes held in buf
	scanned := 0      // of which hold no newline: each byte is searched once
	skipping := false // inside a line longer than maxInputLine, already passed on
	for {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted: %w", ctx.Err())
		}
		n, err := r.Read(buf[filled:])
		if skipping {
			// buf holds only this read: drop it up to the line's end.
			nl := bytes.IndexByte(buf[:n], '\n')
			if nl < 0 {
				n = 0
			} else {
				n = copy(buf, buf[nl+1:n])
				skipping = false
			}
		}
		filled += n
		if last := bytes.LastIndexByte(buf[scanned:filled], '\n'); last >= 0 {
			end := scanned + last + 1
			block := string(buf[:end])
			for len(block) > 0 {
				nl := strings.IndexByte(block, '\n')
				fn(block[:min(nl, maxInputLine)])
				block = block[nl+1:]
			}
			filled = copy(buf, buf[end:filled])
		}
		scanned = filled
		if filled == len(buf) {
			// A full buffer without a newline: the line's head is all
			// that is kept of it.
			fn(string(buf[:maxInputLine]))
			filled, scanned, skipping = 0, 0, true
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return fmt.Errorf("read input: %w", err)
			}
			if filled > 0 {
				fn(string(buf[:min(filled, maxInputLine)]))
			}
			return nil
		}
	}
}

type minedTemplate struct {
	ID       string   `json:"id"`
	Pattern  string   `json:"pattern"`
	Count    int      `json:"count"`
	Level    string   `json:"level"`
	Examples []string `json:"examples"`
}

func writeTemplates(w *bufio.Writer, format string, sum *logs.Summary, r *redact.Redactor) error {
	stats := sum.Templates()
	out := make([]minedTemplate, len(stats))
	for i, st := range stats {
		t := minedTemplate{ID: st.ID, Pattern: st.Pattern, Count: st.Count, Level: st.Level, Examples: st.Examples}
		if r != nil {
			t.Pattern = r.String(t.Pattern)
			for j := range t.Examples {
				t.Examples[j] = r.String(t.Examples[j])
			}
		}
		if t.Examples == nil {
			t.Examples = []string{}
		}
		out[i] = t
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Templates []minedTemplate `json:"templates"`
			Lines     int             `json:"lines"`
		}{out, sum.Lines()}); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	for _, t := range out {
		level := t.Level
		if level == "" {
			level = "-"
		}
		if _, err := fmt.Fprintf(w, "%8d  %-14s %-5s  %s\n", t.Count, t.ID, level, t.Pattern); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if _, err := fmt.Fprintf(w, "%d lines, %d records, %d templates\n", sum.Lines(), sum.Records(), len(out)); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
