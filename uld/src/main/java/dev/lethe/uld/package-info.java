/** Lethe uld. */
package dev.lethe.uld;
