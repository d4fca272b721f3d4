CREATE TABLE "keyword_corpus" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"chunks" bigint DEFAULT 0 NOT NULL,
	"words" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "keyword_corpus_single_row" CHECK ("keyword_corpus"."id")
);
--> statement-breakpoint
CREATE TABLE "keyword_postings" (
	"term" text NOT NULL,
	"chunk_id" integer NOT NULL,
	"tf" integer NOT NULL,
	"length" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keyword_terms" (
	"term" text PRIMARY KEY NOT NULL,
	"chunks" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chunks" ADD COLUMN "search_vector" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "chunks" ADD COLUMN "search_length" integer DEFAULT 0 NOT NULL;