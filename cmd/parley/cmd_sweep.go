package main

func cmdSweep(e *env, args []string) error {
	return usagef("sweep is not written yet")
}

func cmdMerge(e *env, args []string) error {
	return usagef("merge is not written yet")
}
