package main

import "errors"

// errMemUnknown is memTotal's error where hallu cannot read the machine's
// memory size on this operating system.
var errMemUnknown = errors.New("hallu cannot read this machine's memory size on this operating system")

// memTotal returns the machine's physical memory in bytes. Each operating
// system asks its own source (memtotal_*.go); memTotal never guesses: an
// answer it cannot get is an error.
func memTotal() (int64, error) {
	n, err := physicalMemory()
	if err != nil {
		return 0, err
	}
	if n <= 0 {
		return 0, errMemUnknown
	}
	return n, nil
}
