-- Cases are imported like every other fact: the import that last wrote a row is recorded
-- (the importer writes import_id as the last column of every fact table).
ALTER TABLE cases ADD COLUMN import_id BIGINT;
