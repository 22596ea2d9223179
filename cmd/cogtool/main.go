package main

import (
	"os"

	"github.com/cogtool/cogtool/internal/cli"
)

func main() { os.Exit(cli.Main()) }
