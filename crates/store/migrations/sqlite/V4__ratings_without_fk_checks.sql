-- PostgreSQL drops the foreign keys of ratings in this version (see its V4); SQLite keeps
-- them declared (they are checked outside bulk imports and by `jianping verify`). This file
-- keeps the two dialects' version numbers in step.
SELECT 1;
