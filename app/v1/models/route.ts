import { json, route } from "@/lib/api/http";
import { MODEL_ID } from "@/lib/api/openai-compatible";

export const dynamic = "force-dynamic";

/** OpenAI's model list: pgrag offers one model, which answers from the library. */
export const GET = route(async () =>
  json({ object: "list", data: [{ id: MODEL_ID, object: "model", created: 0, owned_by: "pgrag" }] }),
);
