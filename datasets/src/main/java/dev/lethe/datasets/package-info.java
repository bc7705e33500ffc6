/** Lethe datasets. */
package dev.lethe.datasets;
