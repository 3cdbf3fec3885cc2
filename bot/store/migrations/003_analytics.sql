-- Analytics: one row per answered message and one per Solved / Not solved click.
-- Questions are stored only after PHI redaction (see bot/analytics/recorder.ts); user ids only as one-way hashes.

CREATE TABLE IF NOT EXISTS turns (
  id                bigserial PRIMARY KEY,
  turn_id           text        NOT NULL,
  at                timestamptz NOT NULL,
  user_hash         text        NOT NULL,
  role              text        NOT NULL,
  channel           text        NOT NULL,
  conversation_type text        NOT NULL,
  outcome           text        NOT NULL,
  article_id        text,
  candidates        jsonb       NOT NULL DEFAULT '[]'::jsonb,
  confidence        real        NOT NULL DEFAULT 0,
  urgent            boolean     NOT NULL DEFAULT false,
  latency_ms        integer     NOT NULL DEFAULT 0,
  question_redacted text        NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS turns_at_idx ON turns (at);
CREATE INDEX IF NOT EXISTS turns_outcome_at_idx ON turns (outcome, at);
CREATE INDEX IF NOT EXISTS turns_article_idx ON turns (article_id, at);
CREATE INDEX IF NOT EXISTS turns_user_at_idx ON turns (user_hash, at);
CREATE INDEX IF NOT EXISTS turns_turn_id_idx ON turns (turn_id);

CREATE TABLE IF NOT EXISTS feedback (
  id         bigserial PRIMARY KEY,
  turn_id    text        NOT NULL,
  at         timestamptz NOT NULL,
  user_hash  text        NOT NULL,
  role       text        NOT NULL,
  article_id text        NOT NULL,
  value      text        NOT NULL CHECK (value IN ('solved', 'not-solved'))
);

CREATE INDEX IF NOT EXISTS feedback_at_idx ON feedback (at);
CREATE INDEX IF NOT EXISTS feedback_article_idx ON feedback (article_id, value);
