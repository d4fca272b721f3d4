ALTER TABLE "embedding_models" ADD COLUMN "index_type" text DEFAULT 'vector' NOT NULL;--> statement-breakpoint
-- Models beyond 2,000 dimensions were always indexed as halfvec (pgvector
-- cannot index longer vectors); that is now written down rather than implied.
UPDATE "embedding_models" SET "index_type" = 'halfvec' WHERE "dimensions" > 2000;
