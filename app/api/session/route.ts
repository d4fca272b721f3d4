import { errorResponse, json, readJson, route } from "@/lib/api/http";
import { sessionRequest, type SessionStatusJson } from "@/lib/api/schemas";
import { tooManyFailures } from "@/lib/api/admission";
import { keyMatches, sessionCookie, sessionSetCookie } from "@/lib/access/api-key";
import { authFailures, checkKey } from "@/lib/access/auth-failures";
import { clientOf } from "@/lib/access/client-address";
import { closeSession, isSessionOpen, openSession, SESSION_SECONDS } from "@/lib/access/sessions";
import { getConfig } from "@/lib/config";
import { getAppContext } from "@/lib/context";

export const dynamic = "force-dynamic";

/** Whether the browser must sign in, and whether it has. */
export const GET = route(async (request: Request) => {
  const key = getConfig().API_KEY;
  const cookie = sessionCookie(request.headers);
  const signedIn = key === undefined || (cookie !== undefined && (await isSessionOpen((await getAppContext()).database.db, cookie, key)));
  return json({ required: key !== undefined, signed_in: signedIn } satisfies SessionStatusJson);
});

/** Signs the browser in: the right key opens a session, whose random token the HttpOnly cookie carries. */
export const POST = route(async (request: Request) => {
  const config = getConfig();
  const { api_key } = await readJson(request, sessionRequest, config.MAX_REQUEST_BYTES);
  const apiKey = config.API_KEY;
  if (!apiKey) return json({ required: false, signed_in: true } satisfies SessionStatusJson);
  const client = clientOf(request.headers);
  const key = await checkKey(client, true, () => keyMatches(api_key.trim(), apiKey));
  if (!key.allowed && key.retryAfterSeconds) return tooManyFailures(key.retryAfterSeconds);
  if (!key.allowed) return errorResponse(401, "unauthorized", "That is not this pgrag's API key (API_KEY).");
  authFailures().succeed(client);
  const token = await openSession((await getAppContext()).database.db, apiKey);
  const response = json({ required: true, signed_in: true } satisfies SessionStatusJson);
  response.headers.append("set-cookie", sessionSetCookie({ token, seconds: SESSION_SECONDS }, isHttps(request)));
  return response;
});

/** Signs the browser out: the session ends on the server, so a copy of the cookie opens nothing either. */
export const DELETE = route(async (request: Request) => {
  const cookie = sessionCookie(request.headers);
  if (cookie !== undefined) await closeSession((await getAppContext()).database.db, cookie);
  const response = new Response(null, { status: 204 });
  response.headers.append("set-cookie", sessionSetCookie(null, isHttps(request)));
  return response;
});

const isHttps = (request: Request) => new URL(request.url).protocol === "https:";
