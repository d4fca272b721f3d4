import { errorResponse, json, readJson, route } from "@/lib/api/http";
import { sessionRequest, type SessionStatusJson } from "@/lib/api/schemas";
import { hasSession, keyMatches, SESSION_COOKIE, sessionToken } from "@/lib/access/api-key";
import { authFailures, checkKey, tooManyFailuresMessage } from "@/lib/access/auth-failures";
import { clientOf } from "@/lib/access/client-address";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

const THIRTY_DAYS = 30 * 24 * 60 * 60;

function tooManyFailures(retryAfterSeconds: number) {
  const response = errorResponse(429, "too_many_failures", tooManyFailuresMessage(retryAfterSeconds));
  response.headers.set("retry-after", String(retryAfterSeconds));
  return response;
}

function sessionCookie(request: Request): string | undefined {
  const cookies = request.headers.get("cookie") ?? "";
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookies)?.[1];
}

/** Whether the browser must sign in, and whether it has. */
export const GET = route(async (request: Request) => {
  const key = getConfig().API_KEY;
  const cookie = sessionCookie(request);
  const signedIn = key === undefined || hasSession(cookie, key);
  return json({ required: key !== undefined, signed_in: signedIn } satisfies SessionStatusJson);
});

/** Signs the browser in: the right key sets an HttpOnly cookie holding a hash of it. */
export const POST = route(async (request: Request) => {
  const config = getConfig();
  const { api_key } = await readJson(request, sessionRequest, config.MAX_REQUEST_BYTES);
  const apiKey = config.API_KEY;
  if (!apiKey) return json({ required: false, signed_in: true } satisfies SessionStatusJson);
  const client = clientOf(request.headers);
  const key = checkKey(client, true, () => keyMatches(api_key.trim(), apiKey));
  if (!key.allowed && key.retryAfterSeconds) return tooManyFailures(key.retryAfterSeconds);
  if (!key.allowed) return errorResponse(401, "unauthorized", "That is not this pgrag's API key (API_KEY).");
  authFailures().succeed(client);
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  const response = json({ required: true, signed_in: true } satisfies SessionStatusJson);
  response.headers.append(
    "set-cookie",
    `${SESSION_COOKIE}=${sessionToken(apiKey)}; Path=/; Max-Age=${THIRTY_DAYS}; HttpOnly; SameSite=Strict${secure}`,
  );
  return response;
});

/** Signs the browser out. */
export const DELETE = route(async () => {
  const response = new Response(null, { status: 204 });
  response.headers.append("set-cookie", `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
  return response;
});
