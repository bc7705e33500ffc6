/** Lethe eval. */
package dev.lethe.eval;
