-- Version 4: named weight sets of the composite index (县区对比), saved by staff and shared by everyone.
-- weights holds a JSON object {indicator code: weight}; VARCHAR rather than JSON so no extension is needed.
CREATE TABLE index_presets (
    name       VARCHAR PRIMARY KEY,
    weights    VARCHAR NOT NULL,
    created_by VARCHAR,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
