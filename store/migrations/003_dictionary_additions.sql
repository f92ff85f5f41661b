-- Version 3: indicators and header aliases that staff add on the upload page, on top of data/indicators.csv.
CREATE TABLE custom_aliases (
    alias     VARCHAR PRIMARY KEY,
    indicator VARCHAR NOT NULL,
    added_by  VARCHAR,
    added_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE custom_indicators (
    code      VARCHAR PRIMARY KEY,
    added_by  VARCHAR,
    added_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
