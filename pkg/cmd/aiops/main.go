// Command aiops runs the alert-explanation engine outside Grafana: explain an
// alert, mine and redact logs, replay and score recorded incidents, run the
// no-Docker demo. See DESIGN.md ("Command-line tool") for the contract.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// stdio is what a command may touch of the process: its streams and its
// environment. Tests pass their own.
type stdio struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	getenv func(string) string
}

// command is one subcommand of aiops.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, sio stdio, args []string) error
}

// usageError marks bad usage: exit status 2 instead of 1.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, errOut: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and maps its error to the exit status:
// 0 success, 1 runtime failure, 2 bad usage. Errors are one line on stderr.
func run(ctx context.Context, args []string, sio stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(sio.out)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, sio, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(usageError)):
			fmt.Fprintf(sio.errOut, "aiops %s: %s (see 'aiops %s -h')\n", c.name, oneLine(err.Error()), c.name)
			return 2
		default:
			fmt.Fprintf(sio.errOut, "aiops %s: %s\n", c.name, oneLine(err.Error()))
			return 1
		}
	}
	fmt.Fprintf(sio.errOut, "aiops: unknown command %q (run 'aiops help' for the list)\n", args[0])
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "aiops explains Kubernetes alerts from their evidence.")
	fmt.Fprintln(w, "\nUsage: aiops <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'aiops <command> -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting, so
// run can map them to exit status 2.
func newFlagSet(sio stdio, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(sio.errOut)
	fs.Usage = func() {
		fmt.Fprintf(sio.errOut, "Usage: aiops %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// openInput opens a FILE argument, "-" meaning standard input.
func openInput(sio stdio, path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(sio.in), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	return f, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
