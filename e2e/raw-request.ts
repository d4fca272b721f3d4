import { request as httpRequest } from "node:http";

/**
 * A request Playwright's client will not send: from a loopback address of our
 * choosing, with a method Fetch forbids, or (body: null) with headers only,
 * answered before any body is sent.
 */
export function rawRequest(
  baseURL: string,
  method: string,
  path: string,
  { from = "127.0.0.1", headers = {}, body = "" }: { from?: string; headers?: Record<string, string>; body?: string | null } = {},
) {
  const url = new URL(path, baseURL);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const sent = httpRequest({ host: url.hostname, port: url.port, method, path: url.pathname, headers, localAddress: from }, (answer) => {
      let text = "";
      answer.setEncoding("utf8").on("data", (part: string) => (text += part));
      answer.on("end", () => {
        resolve({ status: answer.statusCode!, headers: answer.headers, body: text });
        sent.destroy();
      });
    });
    sent.on("error", reject);
    if (body === null) sent.flushHeaders();
    else sent.end(body);
  });
}
