package main

// commands lists the subcommands in the order of `aiops help`. Each one lives
// in its own cmd_<name>.go file.
func commands() []command {
	return []command{
		alertCommand(),
		costCommand(),
		demoCommand(),
		evalCommand(),
		evidenceCommand(),
		explainCommand(),
		feedCommand(),
		historyCommand(),
		logmineCommand(),
		promserveCommand(),
		redactCommand(),
		summarizeCommand(),
		watchCommand(),
	}
}
