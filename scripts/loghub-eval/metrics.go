package main

// scores are the accuracy measures of one parse of one dataset, as the
// loghub-2.0 evaluation (Jiang et al., ISSTA 2024) defines them.
type scores struct {
	// GA: share of lines whose predicted group holds exactly the lines of
	// their true group.
	GA float64
	// PA: share of lines whose predicted template equals their true
	// template, character for character.
	PA float64
	// FGA: F1 of groups, a predicted group counting as right when it holds
	// exactly the lines of one true group.
	FGA float64
	// FTA: F1 of templates, a predicted template counting as right when its
	// group is right and its text equals the true template.
	FTA float64
	// Predicted and True are the numbers of groups.
	Predicted, True int
}

// score compares a parse with the truth. pred[i] is the group of line i and
// predTemplate its template text; truth[i] and truthTemplate the same for
// the labels.
func score(pred []int, predTemplate []string, truth []int, truthTemplate []string) scores {
	trueSize := map[int]int{}
	for _, t := range truth {
		trueSize[t]++
	}
	type group struct {
		size      int
		label     int
		mixed     bool
		firstLine int
	}
	groups := map[int]*group{}
	for i, p := range pred {
		g := groups[p]
		if g == nil {
			g = &group{label: truth[i], firstLine: i}
			groups[p] = g
		}
		g.size++
		if truth[i] != g.label {
			g.mixed = true
		}
	}
	var s scores
	s.Predicted, s.True = len(groups), len(trueSize)
	rightLines, rightGroups, rightTemplates := 0, 0, 0
	for _, g := range groups {
		if g.mixed || g.size != trueSize[g.label] {
			continue
		}
		rightLines += g.size
		rightGroups++
		if predTemplate[g.firstLine] == truthTemplate[g.firstLine] {
			rightTemplates++
		}
	}
	parsed := 0
	for i := range pred {
		if predTemplate[i] == truthTemplate[i] {
			parsed++
		}
	}
	if n := len(pred); n > 0 {
		s.GA = float64(rightLines) / float64(n)
		s.PA = float64(parsed) / float64(n)
	}
	s.FGA = f1(rightGroups, s.Predicted, s.True)
	s.FTA = f1(rightTemplates, s.Predicted, s.True)
	return s
}

func f1(right, predicted, actual int) float64 {
	if right == 0 {
		return 0
	}
	p := float64(right) / float64(predicted)
	r := float64(right) / float64(actual)
	return 2 * p * r / (p + r)
}
