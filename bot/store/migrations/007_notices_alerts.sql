-- Known-issue notices, "tell me when it's fixed" subscriptions, burst / digest alerts with their own
-- delivery outbox, and analysts' alternate-question suggestions (bot/notices, bot/analytics/suggestions.ts).

-- Notices posted through POST /api/notices or /admin (file notices live in knowledge/notices/*.md).
CREATE TABLE IF NOT EXISTS notices (
  id         text        PRIMARY KEY,
  title      text        NOT NULL,
  body       text        NOT NULL,
  articles   jsonb       NOT NULL DEFAULT '[]'::jsonb,
  units      jsonb       NOT NULL DEFAULT '[]'::jsonb,
  starts     timestamptz NOT NULL,
  ends       timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);

-- "End now" for any notice, file or database: the earlier of this and the notice's own end wins.
CREATE TABLE IF NOT EXISTS notice_ends (
  notice_id text        PRIMARY KEY,
  ended_at  timestamptz NOT NULL
);

-- Clinicians who asked to hear when a notice's problem is fixed; notified_at is set by the one instance that tells them.
CREATE TABLE IF NOT EXISTS notice_subscriptions (
  notice_id        text        NOT NULL,
  user_key         text        NOT NULL,
  conversation_ref jsonb       NOT NULL,
  created_at       timestamptz NOT NULL,
  notified_at      timestamptz,
  PRIMARY KEY (notice_id, user_key)
);
CREATE INDEX IF NOT EXISTS notice_subscriptions_pending_idx ON notice_subscriptions (notified_at, notice_id);

-- Alerts to the help desk / owners: kind 'burst' (key = article id or gap cluster) or 'digest' (key = owner:week).
-- At most one open (ended_at IS NULL) alert per kind and key, across instances.
CREATE TABLE IF NOT EXISTS alerts (
  id         bigserial   PRIMARY KEY,
  kind       text        NOT NULL,
  key        text        NOT NULL,
  payload    jsonb       NOT NULL,
  created_at timestamptz NOT NULL,
  ended_at   timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_key_idx ON alerts (kind, key) WHERE ended_at IS NULL;
CREATE INDEX IF NOT EXISTS alerts_created_idx ON alerts (created_at);

CREATE TABLE IF NOT EXISTS alert_outbox (
  id              bigserial   PRIMARY KEY,
  alert_id        bigint      NOT NULL REFERENCES alerts (id),
  channel         text        NOT NULL,
  idempotency_key text        NOT NULL UNIQUE,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  locked_until    timestamptz,
  locked_by       text,
  last_error      text,
  created_at      timestamptz NOT NULL,
  delivered_at    timestamptz
);
CREATE INDEX IF NOT EXISTS alert_outbox_due_idx ON alert_outbox (status, next_attempt_at);

-- Decisions on suggested alternate questions (the suggestions themselves are computed from turns and feedback).
CREATE TABLE IF NOT EXISTS suggestion_decisions (
  article_id text        NOT NULL,
  question   text        NOT NULL,
  decision   text        NOT NULL CHECK (decision IN ('accepted', 'dismissed')),
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (article_id, question)
);
