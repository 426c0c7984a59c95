package io.rbee.jobs;

/** The data of an {@code event: token}: one piece of generated text, in generation order. */
public record Token(String text) {}
