package main

func cmdAnalyze(e *env, args []string) error {
	return usagef("analyze is not written yet")
}
