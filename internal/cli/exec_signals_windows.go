package cli

import "os"

// forwardedSignals: Windows has only the interrupt to pass on.
var forwardedSignals = []os.Signal{os.Interrupt}
