import { z } from "zod";
import { requiredText } from "./fields";

/** POST /api/session: the browser signs in with the API key once. */
export const sessionRequest = z.object({ api_key: requiredText("api_key") }).strict();

export const sessionStatus = z.object({
  required: z.boolean().meta({ description: "Whether this server has an API key (API_KEY)." }),
  signed_in: z.boolean(),
});
export type SessionStatusJson = z.infer<typeof sessionStatus>;
