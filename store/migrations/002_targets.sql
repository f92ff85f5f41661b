-- Version 2: annual targets per unit and indicator (目标任务), imported or edited on the settings page.
CREATE TABLE targets (
    unit_code  VARCHAR NOT NULL,
    year       SMALLINT NOT NULL,
    indicator  VARCHAR NOT NULL,
    value      DOUBLE NOT NULL,
    batch_id   INTEGER,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (unit_code, year, indicator)
);
