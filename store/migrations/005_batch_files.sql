-- Version 5: the file each import came from (so 数据管理 can offer it again), kept beside its batch.
CREATE TABLE batch_files (
    batch_id INTEGER PRIMARY KEY,
    content  BLOB NOT NULL
);
