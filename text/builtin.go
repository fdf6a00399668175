// The built-in corpus: a public-domain text shipped inside the package, for
// examples, tests and trials without data of one's own.

package text

import _ "embed"

//go:embed data/opticks.txt
var builtin string

// Builtin returns the built-in corpus: the first 149 KB of Isaac Newton's
// Opticks (Project Gutenberg, public domain; see data/SOURCE.md). It is
// valid UTF-8 English prose with a vocabulary of 84 characters.
func Builtin() string { return builtin }
