/**
 * A dozen paragraphs on unrelated topics, and questions that paraphrase one of
 * them while sharing few of its words: ranking them right takes meaning, not
 * keyword overlap.
 */
export const corpus = {
  pgvector:
    "pgvector is a PostgreSQL extension that stores embeddings next to relational data and finds nearest neighbours with HNSW or IVFFlat indexes.",
  photosynthesis:
    "Plants capture sunlight in their chloroplasts and turn carbon dioxide and water into glucose, releasing oxygen as a by-product.",
  volcano:
    "When magma rises through the crust, pressure builds until the mountain erupts, throwing ash and lava across the surrounding land.",
  espresso:
    "Espresso is brewed by forcing nearly boiling water through finely ground coffee beans at about nine bars of pressure.",
  marathon:
    "Runners preparing for a 42-kilometre race build their weekly mileage gradually and taper in the final weeks before the event.",
  bitcoin:
    "Bitcoin transactions are grouped into blocks that miners secure with proof of work, forming a public ledger no single party controls.",
  vaccine:
    "Immunisation exposes the immune system to a harmless piece of a pathogen so that it produces antibodies before a real infection.",
  chess:
    "In the opening, players develop knights and bishops quickly, fight for the centre and castle early to keep the king safe.",
  sourdough:
    "A starter of wild yeast and lactic acid bacteria leavens the dough slowly, giving the loaf its tangy flavour and open crumb.",
  tides:
    "The gravitational pull of the moon raises bulges in the oceans, so coastlines see the sea rise and fall roughly twice a day.",
  mortgage:
    "A home loan is repaid in monthly instalments of interest and principal over a term that commonly lasts twenty-five years.",
  honeybees:
    "Worker bees perform a waggle dance inside the hive to tell their sisters the direction and distance of flowers rich in nectar.",
} as const;

export type Topic = keyof typeof corpus;

export const paraphrases: { query: string; expected: Topic }[] = [
  { query: "Which database add-on lets me do similarity search over vectors?", expected: "pgvector" },
  { query: "How do green leaves make food from light?", expected: "photosynthesis" },
  { query: "What happens when a mountain explodes with molten rock?", expected: "volcano" },
  { query: "How is a strong small coffee made?", expected: "espresso" },
  { query: "How should I train for a long-distance running competition?", expected: "marathon" },
  { query: "How do insects communicate where food can be found?", expected: "honeybees" },
  { query: "Why does the ocean level change during the day?", expected: "tides" },
  { query: "How do shots protect people from disease?", expected: "vaccine" },
];
