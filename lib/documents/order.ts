/** How the library can be ordered; the first is the default. Shared by the API's schema, the query and the page. */
export const documentOrders = ["newest", "oldest", "title", "largest"] as const;
export type DocumentOrder = (typeof documentOrders)[number];
