/** How the built-in model's linear layers are stored: float32, or int8 with a scale per output column. */
export const weightFormats = ["float", "int8"] as const;
export type WeightFormat = (typeof weightFormats)[number];
