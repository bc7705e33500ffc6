package dev.lethe.eco;

import dev.lethe.core.text.TextTokenizer;

/**
 * The TOFU selector (eco.md §4): tokens that overlap an entity mention, by character offsets; when nothing
 * is tagged, every token but the last (the reference's fallback).
 */
public final class EntityTokenSelector implements TokenSelector {

    private final TextTokenizer tokenizer;
    private final EntitySpans entities;
    private final String name;

    public EntityTokenSelector(TextTokenizer tokenizer, EntitySpans entities, String name) {
        this.tokenizer = tokenizer;
        this.entities = entities;
        this.name = name;
    }

    @Override
    public boolean[] select(int[] ids) {
        TokenAlignment a = TokenAlignment.ofIds(tokenizer, ids);
        boolean[] s = a.overlapping(entities.find(a.text()));
        for (boolean v : s) {
            if (v) {
                return s;
            }
        }
        return TokenSelector.allButLast(ids.length);
    }

    @Override
    public String name() {
        return name;
    }
}
