// Package importrules holds no code: its test enforces the layering rules
// of DESIGN.md over the whole module.
package importrules
