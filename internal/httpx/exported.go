package httpx

// IsTimeout reports whether any error in err's chain says it is a timeout.
// It is the one timeout test of the module: errors.As(err, &net.Error) alone
// stops at *url.Error, whose Timeout looks only one level deep.
func IsTimeout(err error) bool { return isTimeout(err) }

// OneLine folds s onto one line, collapsing runs of white space, so that a
// server's message cannot break an error's one-line shape.
func OneLine(s string) string { return oneLine(s) }
