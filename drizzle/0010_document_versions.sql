ALTER TABLE "documents" ADD COLUMN "title_given" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "processed_with" jsonb;--> statement-breakpoint
-- Text sent as JSON was titled by its sender or its first line, never by a file's name: keep those titles through re-processing.
UPDATE "documents" SET "title_given" = true WHERE "filename" IS NULL;
