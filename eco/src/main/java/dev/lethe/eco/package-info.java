/** Lethe eco. */
package dev.lethe.eco;
