/** Lethe scripts. */
package dev.lethe.scripts;
