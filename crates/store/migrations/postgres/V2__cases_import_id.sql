-- Cases carry the import that last wrote them, like every other fact table (the importer
-- writes it; V1 forgot the column). Keep in step with ../sqlite/V2__cases_import_id.sql.
ALTER TABLE cases ADD COLUMN import_id BIGINT;
