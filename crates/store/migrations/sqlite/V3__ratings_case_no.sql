-- Ratings by their case: the indicator system joins 帮办代办 cases to their ratings.
CREATE INDEX ratings_case_no ON ratings (case_no);
