package main

func cmdCompare(e *env, args []string) error {
	return usagef("compare is not written yet")
}
