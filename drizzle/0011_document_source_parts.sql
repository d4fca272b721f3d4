-- A file is stored in parts (see document_sources in lib/db/schema.ts); what is stored already is part 0.
ALTER TABLE "document_sources" ADD COLUMN "part" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "document_sources" DROP CONSTRAINT "document_sources_pkey";--> statement-breakpoint
ALTER TABLE "document_sources" ADD CONSTRAINT "document_sources_document_id_part_pk" PRIMARY KEY("document_id","part");
