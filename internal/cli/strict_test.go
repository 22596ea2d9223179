package cli_test

import "github.com/rogpeppe/go-internal/testscript"

func cmdPeerStrict(ts *testscript.TestScript, args []string) { ts.Fatalf("peer strict: not yet") }
