package main

import "golang.org/x/sys/unix"

// physicalMemory asks sysinfo(2) for the total usable RAM.
func physicalMemory() (int64, error) {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return 0, err
	}
	return int64(uint64(si.Totalram) * uint64(si.Unit)), nil
}
