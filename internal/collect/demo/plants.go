package demo

import (
	"cmp"
	"slices"
)

func sortPlants(ps []Plant) {
	slices.SortFunc(ps, func(a, b Plant) int {
		return cmp.Or(cmp.Compare(a.UID, b.UID), cmp.Compare(a.CheckID, b.CheckID))
	})
}
