package io.rbee.queen.openai;

import io.javalin.config.JavalinConfig;
import io.rbee.jobs.server.JobServer;
import io.rbee.queen.hives.LiveHives;

/**
 * The queen's OpenAI-compatible route table (docs/API.md, "OpenAI-compatible API"):
 *
 * <pre>
 * POST /v1/chat/completions   a chat, with the model's chat template; whole or streamed
 * POST /v1/completions        a raw completion of a prompt; whole or streamed
 * POST /v1/embeddings         one vector per input string
 * GET  /v1/models             the models the cluster can serve now
 * GET  /v1/models/{id}        one of them, or 404 model_not_found
 * </pre>
 *
 * Behind the same bearer token as every queen path (OpenAI clients send their API key as
 * {@code Authorization: Bearer}); errors in the one error shape, which carries OpenAI's
 * {@code message}, {@code type}, {@code param} and {@code code}.
 */
public final class OpenAiRoutes {
  private final Completions completions;
  private final EmbeddingsRoute embeddings;
  private final ModelsRoute models;

  /** Routes that run their requests as jobs of {@code jobs}, with models from {@code live}. */
  public OpenAiRoutes(JobServer jobs, LiveHives live) {
    this.models = new ModelsRoute(live);
    this.completions = new Completions(jobs);
    this.embeddings = new EmbeddingsRoute(jobs, models::require);
  }

  public void register(JavalinConfig cfg) {
    cfg.routes.post("/v1/chat/completions", ctx -> {
      Generation g = Generation.chat(ctx.body());
      models.require(g.model());
      completions.answer(ctx, g);
    });
    cfg.routes.post("/v1/completions", ctx -> {
      Generation g = Generation.completion(ctx.body());
      models.require(g.model());
      completions.answer(ctx, g);
    });
    cfg.routes.post("/v1/embeddings", embeddings::answer);
    cfg.routes.get("/v1/models", models::list);
    cfg.routes.get("/v1/models/{id}", models::get);
  }
}
