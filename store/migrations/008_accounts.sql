-- Version 8: accounts (sign-in is on as soon as one exists) and the audit log (操作日志).
-- units holds a JSON array of unit codes (a staff account's units); password_hash an Argon2id hash;
-- identity is for single sign-on later (an OIDC subject mapped to the account).
CREATE TABLE accounts (
    name          VARCHAR PRIMARY KEY,
    role          VARCHAR NOT NULL,
    units         VARCHAR NOT NULL DEFAULT '[]',
    password_hash VARCHAR,
    must_change   BOOLEAN NOT NULL DEFAULT false,
    disabled      BOOLEAN NOT NULL DEFAULT false,
    failed        INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMP,
    identity      VARCHAR UNIQUE,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);
-- Append-only: the code only ever INSERTs here (no page or command updates or deletes a row).
CREATE TABLE audit_log (
    id      BIGINT PRIMARY KEY,  -- max + 1 in the writing transaction (no sequence: backups copy tables)
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor   VARCHAR NOT NULL,
    address VARCHAR,
    action  VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL DEFAULT 'ok',
    detail  VARCHAR NOT NULL DEFAULT '{}'
);
-- A deck saved by a viewer is their own (owner: the account); owner NULL is a deck everyone sees.
ALTER TABLE decks ADD COLUMN owner VARCHAR;
