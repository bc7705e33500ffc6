/** Lethe's substrate: the Llama-style decoder on DJL, LoRA, checkpoint IO, text, scoring, generation and training. */
package dev.lethe.core;
