-- People are listed in Chinese (pinyin) order (issue 21): name_sort is the sort key ICU4X's
-- collator computes from the name in Rust (db::collation), compared as bytes, so both engines
-- order and page people identically (id breaks ties). Keys of rows written before this column
-- existed are filled in by the program after migrating, as are all keys when the collator
-- changes: derived_versions records which collator made them.
ALTER TABLE people ADD COLUMN name_sort BLOB;
CREATE INDEX people_name_sort ON people (name_sort, id);

-- Values the program derives and stores, by the version of the code that derives them.
CREATE TABLE derived_versions (
    name    TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
