// Command arkit is the command-line front end of the arkit library: it
// parses flags and calls the library. Each subcommand is an entry in the
// command table, registered by the file of its domain.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
)

// command is one entry of the command table.
type command struct {
	name     string // "text train"
	summary  string // one line for the command list
	usage    string // argument synopsis after the name
	examples string // example invocations, one per line
	// stopsOnCancel says that Ctrl-C or SIGTERM is the command's normal
	// end (a server's): it then exits 0, not exitInterrupted.
	stopsOnCancel bool
	// setup declares the flags on fs and returns the function that runs
	// the command once the flags are parsed.
	setup func(fs *flag.FlagSet) func(ctx context.Context, args []string) error
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// usageError marks an error in the command line (exit status 2).
type usageError struct{ error }

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	go stopOnSignal(cancel, os.Stderr)
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// stopOnSignal cancels the command at the first Ctrl-C or SIGTERM, after
// saying what happens next: a training run finishes its step, validates
// and saves, which takes a while on a large model or validation set. The
// handler is then removed, so a second signal quits at once, as the
// shell's default; the message is written before the cancellation, so it
// precedes whatever the command prints on its way out.
func stopOnSignal(cancel context.CancelFunc, stderr io.Writer) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	s := <-sig
	signal.Stop(sig)
	name := "Ctrl-C"
	if s == syscall.SIGTERM {
		name = "SIGTERM"
	}
	fmt.Fprintf(stderr, "arkit: %s: stopping; a training run validates and saves first (%s again quits at once)\n", name, name)
	cancel()
}

// run executes the command line and returns the exit status. Errors are
// printed as one line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "arkit: internal error: %v (please report it)\n", r)
			code = 3
		}
	}()
	if len(args) == 0 {
		printCommands(stderr, "")
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, _ := lookup(args[1:]); c != nil {
				printUsage(stdout, c, nil)
				return 0
			}
			if len(args) == 2 && isDomain(args[1]) {
				printCommands(stdout, args[1])
				return 0
			}
			fmt.Fprintf(stderr, "arkit: unknown command %q; run 'arkit help' for the list\n", strings.Join(args[1:], " "))
			return 2
		}
		printCommands(stdout, "")
		return 0
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "arkit", version())
		return 0
	}
	c, rest := lookup(args)
	if c == nil {
		if isDomain(args[0]) {
			// "arkit text", "arkit text --help", "arkit text nonsense".
			if len(args) == 1 {
				printCommands(stderr, args[0])
				return 2
			}
			if isHelp(args[1]) {
				printCommands(stdout, args[0])
				return 0
			}
			fmt.Fprintf(stderr, "arkit: unknown command %q; run 'arkit help %s' for the %s commands\n", strings.Join(args[:2], " "), args[0], args[0])
			return 2
		}
		fmt.Fprintf(stderr, "arkit: unknown command %q; run 'arkit help' for the list\n", strings.Join(args, " "))
		return 2
	}
	fs := flag.NewFlagSet("arkit "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	exec := c.setup(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, c, fs)
			return 0
		}
		fmt.Fprintf(stderr, "arkit %s: %v; run 'arkit help %s'\n", c.name, err, c.name)
		return 2
	}
	err := exec(ctx, fs.Args())
	if err != nil {
		var ue usageError
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		fmt.Fprintf(stderr, "arkit %s: %s\n", c.name, msg)
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	if ctx.Err() != nil && !c.stopsOnCancel {
		// Interrupted: the command saved what it had (a model is
		// checkpointed first), but it did not finish.
		return exitInterrupted
	}
	return 0
}

// Exit statuses.
const (
	exitInterrupted = 130 // stopped by Ctrl-C or SIGTERM, after saving (128 + SIGINT, as shells report)
)

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// isDomain reports whether name is the first word of several-word commands
// ("text" of "text train").
func isDomain(name string) bool {
	for n := range commands {
		if strings.HasPrefix(n, name+" ") {
			return true
		}
	}
	return false
}

// lookup finds the longest command name that prefixes args.
func lookup(args []string) (*command, []string) {
	for n := min(len(args), 2); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c, args[n:]
		}
	}
	return nil, nil
}

// printCommands lists the commands (those of one domain when domain is not
// empty) and, for the whole list, the conventions they share.
func printCommands(w io.Writer, domain string) {
	if domain != "" {
		fmt.Fprintf(w, "Usage: arkit %s COMMAND [flags]\n\nCommands:\n", domain)
	} else {
		fmt.Fprintln(w, "arkit: autoregressive models for text, series, images and audio.")
		fmt.Fprintln(w, "\nUsage: arkit COMMAND [flags]\n\nCommands:")
	}
	names := make([]string, 0, len(commands))
	for n := range commands {
		if domain == "" || strings.HasPrefix(n, domain+" ") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-18s %s\n", n, commands[n].summary)
	}
	if domain != "" {
		fmt.Fprintf(w, "\nRun 'arkit %s COMMAND -h' for a command's flags and examples.\n", domain)
		return
	}
	fmt.Fprintln(w, "  help COMMAND       show a command's flags and examples (help DOMAIN: that domain's commands)")
	fmt.Fprintln(w, "  version            print the version")
	fmt.Fprint(w, conventions)
}

// conventions are the rules every command follows.
const conventions = `
Conventions:
  --model FILE    a model file to read (.safetensors); --out the command's main output
                  (the model of a train command, the CSV, PNG or WAV otherwise)
  --method M      the series algorithm(s); a series network is written with --save FILE
  --val PATH      validation data; training flags (--lr --hidden --layers --embed --dropout
                  --batch --seq --steps --max-time --epochs --warmup --decay --final-lr
                  --weight-decay --clip --patience --val-every --checkpoint-every --seed
                  --resume --force --quiet) mean the same in every domain
  - as a file     reads standard input where a stream makes sense (--input -, --csv -)
  --json          one JSON object per result on standard output (JSON lines for several)
  A train command never replaces an existing model file unless given --resume (continue
  the run saved there) or --force (start anew).

Exit status: 0 success, 1 runtime error (bad file, failed run), 2 usage error (bad flag),
130 interrupted by Ctrl-C or SIGTERM (a training run validates and saves its model first; serve
stops gracefully and exits 0; a second Ctrl-C quits at once), 3 internal error.
`

func printUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: arkit %s %s\n\n%s\n", c.name, c.usage, c.summary)
	if fs == nil {
		fs = flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.setup(fs)
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	if c.examples != "" {
		fmt.Fprintln(w, "\nExamples:")
		for _, l := range strings.Split(strings.TrimSpace(c.examples), "\n") {
			fmt.Fprintln(w, "  "+strings.TrimSpace(l))
		}
	}
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			return "devel " + rev + dirty
		}
	}
	return "devel"
}
