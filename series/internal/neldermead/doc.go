// Package neldermead is a small derivative-free minimiser for the ETS and
// Theta fits of package classical.
package neldermead
