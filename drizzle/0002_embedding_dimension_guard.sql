-- The embedding column is untyped so one table can hold several models' vectors;
-- this trigger keeps each vector the length its model declares.
CREATE FUNCTION check_embedding_dimensions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  expected integer;
BEGIN
  SELECT dimensions INTO expected FROM embedding_models WHERE id = NEW.model_id;
  IF expected IS NOT NULL AND vector_dims(NEW.embedding) <> expected THEN
    RAISE EXCEPTION 'embedding has % dimensions but embedding model % expects %',
      vector_dims(NEW.embedding), NEW.model_id, expected
      USING ERRCODE = '22000';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER chunk_embeddings_dimensions
  BEFORE INSERT OR UPDATE OF embedding, model_id ON chunk_embeddings
  FOR EACH ROW EXECUTE FUNCTION check_embedding_dimensions();
