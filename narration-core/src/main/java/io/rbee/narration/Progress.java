package io.rbee.narration;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How far a long step has come: {@code current} of {@code total} {@code unit}s ("bytes",
 * "tokens", "layers"). {@code total} is null when unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(long current, Long total, String unit) {}
