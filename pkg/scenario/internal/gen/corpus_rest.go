package main

func rolloutScenarios() []definition { return nil }
func batchScenarios() []definition   { return nil }
func trickyScenarios() []definition  { return nil }
