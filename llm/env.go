package llm

import (
	"errors"
	"fmt"
	"os"
)

// DefaultKeyEnv is the environment variable the API key is read from
// unless another is named.
const DefaultKeyEnv = "OPENAI_API_KEY"

// APIKeyFromEnv returns the API key held by the environment variable name
// (DefaultKeyEnv when name is empty). An unset default variable gives an
// empty key, which local servers accept; a variable the user named
// explicitly must be set. Errors name the variable, never its value.
func APIKeyFromEnv(name string) (string, error) {
	explicit := name != ""
	if !explicit {
		name = DefaultKeyEnv
	}
	key, ok := os.LookupEnv(name)
	if explicit && (!ok || key == "") {
		if LooksLikeKey(name) {
			return "", errors.New("the API key variable's name looks like a key itself (not shown): give the name of an environment variable that holds the key, e.g. OPENAI_API_KEY")
		}
		return "", fmt.Errorf("API key variable %s is not set", name)
	}
	return key, nil
}
