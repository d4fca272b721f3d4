import { json, route } from "@/lib/api/http";
import { getAppContext } from "@/lib/context";
import { getHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const health = await getHealth(await getAppContext());
  return json(health, health.status === "ok" ? 200 : 503);
});
