package main

func cmdPlay(e *env, args []string) error {
	return usagef("play is not written yet")
}
