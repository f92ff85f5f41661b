-- Version 7: decks (汇报材料) saved by name: the period (a relative word or a fixed label) and the
-- ordered slides as a JSON array of {kind, params, title, note}; VARCHAR so no extension is needed.
CREATE TABLE decks (
    name       VARCHAR PRIMARY KEY,
    period     VARCHAR NOT NULL DEFAULT 'latest',
    slides     VARCHAR NOT NULL,
    updated_by VARCHAR,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
