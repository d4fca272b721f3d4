ALTER TABLE "embedding_models" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "embedding_models" ADD COLUMN "active" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "embedding_models" ADD COLUMN "reembed_requested_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "embedding_models_one_active" ON "embedding_models" USING btree ((true)) WHERE "embedding_models"."active";--> statement-breakpoint
-- Databases from before this migration: the model holding the most vectors is the one search used.
UPDATE "embedding_models" SET "active" = true WHERE "id" = (
  SELECT "model_id" FROM "chunk_embeddings" GROUP BY "model_id" ORDER BY count(*) DESC LIMIT 1
);
