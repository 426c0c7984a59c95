package io.rbee.keeper.queen;

/**
 * How one streamed chat answer ended.
 *
 * @param jobId the queen job that ran it, or null when the queen named none
 * @param text the whole answer as received (up to where it stopped, if it was stopped)
 * @param finishReason OpenAI's {@code stop} (the model ended) or {@code length} (the token
 *     limit); null when stopped
 * @param promptTokens tokens of the prompt the conversation made, or null when unknown
 * @param completionTokens tokens generated, or null when unknown
 * @param stopped true when {@link ChatCall#cancel()} ended it before its end
 */
public record ChatAnswer(String jobId, String text, String finishReason, Long promptTokens,
    Long completionTokens, boolean stopped) {}
