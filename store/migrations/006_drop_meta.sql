-- Version 6: drop the `meta` table of version 1. Nothing ever wrote to it, and its only reader
-- (store.read.get_meta) was never called: whether the data is demo comes from the batches.
DROP TABLE IF EXISTS meta;
