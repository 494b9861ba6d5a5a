-- Ratings are the one table with millions of rows a year. Their references are resolved by
-- the store itself (the dimension cache, inside the importing transaction), as SQLite imports
-- already rely on; checking five foreign keys per row cost ~60% of a PostgreSQL bulk import
-- and a third of intake throughput (docs/scaling.md). `jianping verify` checks them instead
-- (Store::verify_references).
ALTER TABLE ratings DROP CONSTRAINT IF EXISTS ratings_matter_id_fkey;
ALTER TABLE ratings DROP CONSTRAINT IF EXISTS ratings_department_id_fkey;
ALTER TABLE ratings DROP CONSTRAINT IF EXISTS ratings_window_id_fkey;
ALTER TABLE ratings DROP CONSTRAINT IF EXISTS ratings_staff_id_fkey;
ALTER TABLE ratings DROP CONSTRAINT IF EXISTS ratings_region_id_fkey;
