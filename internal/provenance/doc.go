// Package provenance records where a result came from: the tool's version
// and build, the inputs' sha256 as they were read, and the JSON envelope
// (schema version, command, parameters) that every hallu result is printed
// in, so that each number can be reproduced.
package provenance
