-- Text search over builds: the lowercase words of each build's name and description as
-- rows, so `q` looks words up in an index instead of scanning every description with LIKE.
-- Filled by the application on every create/update (the tokenizer lives in Rust, the same
-- for both backends); builds that existed before this migration are indexed at start-up.

CREATE TABLE build_words (
    build_id UUID NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    word     TEXT NOT NULL,
    PRIMARY KEY (word, build_id)
);
CREATE INDEX build_words_build_idx ON build_words (build_id);
