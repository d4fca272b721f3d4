import { z } from "zod";
import { MAX_QUESTION_CHARS, UNSTORABLE, unstorable } from "./fields";

const openAIText = z
  .string()
  .max(MAX_QUESTION_CHARS, `each message's content must be at most ${MAX_QUESTION_CHARS} characters`)
  .refine((value) => !UNSTORABLE.test(value), unstorable("messages"));
const openAIContent = z.union(
  [
    openAIText,
    z.array(z.object({ type: z.string(), text: openAIText.optional() }).loose(), {
      error: "content must be a string or an array of text parts",
    }),
  ],
  { error: "each message's content must be a string or an array of text parts" },
);

/** POST /v1/chat/completions: the fields of OpenAI's request pgrag uses; the rest are accepted and ignored, as OpenAI-compatible servers do. */
export const openAIChatRequest = z
  .object({
    model: z.string({ error: "model must be a string" }).optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "developer", "user", "assistant", "tool"], {
              error: "each message's role must be system, user or assistant",
            }),
            content: openAIContent.nullable().optional(),
          })
          .loose(),
        { error: "messages must be an array" },
      )
      .min(1, "messages must not be empty"),
    stream: z.boolean({ error: "stream must be true or false" }).optional(),
    temperature: z.number({ error: "temperature must be a number" }).min(0).max(2).optional(),
  })
  .loose();
