package instances

// An OptionError is an option of Build or ScoreEndpoint that cannot be
// used. Field names it as BuildOptions, Source or Endpoint spell it, so that
// a command can name its own flag instead.
type OptionError struct {
	Field string // e.g. "Format", "Limit", "Method"
	Msg   string // what is wrong with it, e.g. `"x": want auto, echo or letters`
}

func (e *OptionError) Error() string { return e.Field + " " + e.Msg }
